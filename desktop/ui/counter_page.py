"""The counter: card box on top, patient on the left, visit in the middle, quote on the right.

Card, Enter; the diagnosis (Enter keeps the patient's last one, offered in the box);
items, Enter each; F12 (or Ctrl+Enter) settles. A visit without a diagnosis is not
settled: the banner says why and the keyboard goes back to the diagnosis box. After
settling the page clears for the next patient and the last settlement waits above,
ready to print (Ctrl+P); the cash to collect stays large in the drawer until the next
card, and an amount typed (in the drawer, or straight into the card box) shows the change.

F8 makes the visit self-pay (自费): for someone not insured or not covered here, or, with
no one on the roster found, a walk-in whose name the ledger keeps. The same keys follow.
A self-pay settlement of today can be settled again as insured (from today's
settlements): the card is read, the visit's items come back, and F12 settles it and
reverses the self-pay one together.

The page is shown before the clinic's database is open (``attach`` hands it in): a card
typed meanwhile is held and checked the moment the store is ready.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.money import format_amount
from desktop.ui.drawer import CashDrawer
from desktop.ui.i18n import CHINA
from desktop.ui.patient_panel import PatientPanel
from desktop.ui.quote_panel import QuotePanel
from desktop.ui.visit_entry import VisitEntry
from desktop.ui.widgets import label, named
from desktop.ui.workers import run_in_background

if TYPE_CHECKING:
    from db.session import Store
    from desktop.auth import SignedIn
    from desktop.identity.reads import CardRead, CardReader
    from desktop.policy.types import Quote
    from desktop.settlement import DiagnosisLine, SettledVisit
    from desktop.settlement.self_pay import Resettled, SelfPaidVisit, WalkInDetails
    from desktop.ui.doctor_choice import Doctors
    from desktop.ui.filing_dialog import FilingDialog
    from desktop.ui.settlements import SettlementRow
    from desktop.ui.standing import CounterPatient
    from desktop.ui.visit import VisitInProgress
    from desktop.ui.walk_in_dialog import WalkInDialog

Clock = Callable[[], dt.datetime]
logger = logging.getLogger(__name__)

# The banner is green for a settlement; a refusal in it is red. Here rather than in
# counter.qss (resources/style), beside the code that sets the banner's mood; a widget's
# own sheet wins over the application's.
BANNER_MOODS = """
QLabel#settledBanner[mood="refused"] {
    background: #fee2e2;
    border: 1px solid #b91c1c;
    color: #b91c1c;
    font-weight: bold;
}
"""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class CounterPage(QWidget):
    settled = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, clock: Clock = utc_now) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.staff: SignedIn | None = None
        self.clock = clock
        self.visit: VisitInProgress | None = None
        self.last: SettledVisit | SelfPaidVisit | None = None
        self.held_card = ""  # typed before the store was open
        self.unknown_read: CardRead | None = None  # the last read that found nobody on the roster
        self.resettling: SettlementRow | None = None  # a self-pay settlement to settle again as insured
        self.walk_in_dialog: WalkInDialog | None = None
        # The chip of the social security card, read by PC/SC (the ``smartcard`` extra) when
        # the clerk asks: the swiped stripe and the scanned QR code arrive as typing instead.
        self.chip_reader: CardReader | None = None
        self._reading_chip = False

        self.card = named(QLineEdit(), "card")
        self.card.setPlaceholderText(
            self.tr("Swipe or scan the card, or type the ID number, then Enter; F3 reads a card in the reader")
        )
        self.card.returnPressed.connect(self.check_card)
        self.banner = label("settledBanner", wrap=True)
        self.banner.hide()
        self.patient = PatientPanel()
        self.patient.filing_requested.connect(self.enter_filing)
        self.filing_dialog: FilingDialog | None = None
        self.entry = VisitEntry()
        self.entry.changed.connect(self.requote)
        self.entry.diagnosed.connect(self._clear_refusal)
        self.entry.doctor.activated.connect(self._clear_refusal)  # a doctor chosen: F12 may go on
        self.quote = QuotePanel()
        self.settle_button = named(QPushButton(self.tr("Settle (F12)")), "settleButton")
        self.settle_button.setEnabled(False)
        self.settle_button.clicked.connect(self.settle_visit)
        self.settle_message = label("settleMessage", wrap=True)
        self.settle_message.hide()
        self.drawer = CashDrawer()
        self.self_pay_hint = label("selfPayHint", wrap=True)
        self.self_pay_hint.hide()
        self._lay_out()

    def _lay_out(self) -> None:
        card_title = label("cardTitle", self.tr("&Card"))
        card_title.setBuddy(self.card)
        top = QHBoxLayout()
        top.addWidget(card_title, 0)
        top.addWidget(self.card, 1)
        right = QVBoxLayout()
        right.addWidget(self.quote, 1)
        right.addWidget(self.drawer)
        right.addWidget(self.settle_message)
        right.addWidget(self.self_pay_hint)
        right.addWidget(self.settle_button)
        body = QHBoxLayout()
        body.addWidget(self.patient, 3)
        body.addWidget(self.entry, 5)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        self.setTabOrder(self.card, self.entry.diagnosis)
        self.setTabOrder(self.entry.diagnosis, self.entry.doctor)
        self.setTabOrder(self.entry.doctor, self.entry.item)
        self.setTabOrder(self.entry.item, self.entry.lines)

    def today(self) -> dt.date:
        return self.clock().astimezone(CHINA).date()

    def attach(self, store: Store, staff: SignedIn) -> None:
        """The store is open and someone is signed in: check the card held meanwhile, if any."""
        from desktop.staff import Permission, may

        self.store = store
        self.staff = staff
        self.patient.full_id = may(staff.role, Permission.SEE_FULL_ID)
        self.patient.may_file = may(staff.role, Permission.RECORD_FILING)
        self._read_doctors(store, staff)
        if self.held_card:
            self.card.setText(self.held_card)
            self.held_card = ""
            self.check_card()

    def _read_doctors(self, store: Store, staff: SignedIn) -> None:
        """Off the GUI thread, as the catalogue is; the choice is filled when they are read."""
        from desktop.ui.doctor_choice import read_doctors

        facility, staff_id = staff.facility_id, staff.staff_id
        run_in_background(lambda: read_doctors(store, facility, staff_id), self._doctors_read, self._doctors_failed)

    def _doctors_read(self, doctors: Doctors) -> None:
        if _alive(self):
            self.entry.doctor.show_doctors(doctors)

    def _doctors_failed(self, error: BaseException) -> None:
        # Settling goes on: the settlement names the default doctor itself, as before the choice.
        logger.warning("could not read the doctors: %s", error)

    # --- card ---------------------------------------------------------------------

    def check_card(self) -> None:
        typed = self.card.text().strip()
        if not typed:
            return
        if self.drawer.settled and self.visit is None:
            from desktop.ui.visit import parse_tendered

            tendered = parse_tendered(typed)
            if tendered is not None:  # the cash handed over for the settlement just made
                self.drawer.take(tendered)
                self.card.clear()
                return
        if self.store is None or self.staff is None:
            self.held_card = typed
            self.patient.show_waiting()
            return
        from desktop.identity import IdNumberError, ReaderError
        from desktop.ui.standing import card_read

        try:
            read = card_read(typed, self.today())
        except (IdNumberError, ReaderError) as exc:
            self._refuse_read(exc.chinese if _chinese() else exc.english)
            return
        self._check_read(read)

    def read_chip(self) -> None:
        """Read the card in the reader, off the GUI thread: a chip answers in a second or so."""
        if self.store is None or self.staff is None or self._reading_chip:
            return
        if self.chip_reader is None:
            from desktop.identity.pcsc import SscReader

            self.chip_reader = SscReader()
        from desktop.ui.workers import run_in_background

        self._reading_chip = True
        self.patient.show_reading()
        run_in_background(self.chip_reader.read, self._chip_read, self._chip_failed)

    def _chip_read(self, read: CardRead) -> None:
        self._reading_chip = False
        self.card.clear()  # the box is for typing: what the chip said shows in the panel
        self._check_read(read)

    def _chip_failed(self, error: BaseException) -> None:
        from desktop.identity import ReaderError

        self._reading_chip = False
        if not isinstance(error, ReaderError):
            logger.error("the card reader failed: %r", error)
            self._refuse_read(self.tr("The card could not be read: {0}").format(error))
            return
        self._refuse_read(error.chinese if _chinese() else error.english)

    def _check_read(self, read: CardRead) -> None:
        from desktop.ui.standing import check_at_counter

        assert self.store is not None
        assert self.staff is not None
        checked = check_at_counter(self.store, read, self.staff.facility_id, self.clock(), full_id=self.patient.full_id)
        if checked.person is None:
            self._no_patient()
            self.drawer.clear()
            self.patient.show_check(checked)
            self.unknown_read = read
            self._hint_self_pay(self.tr("Not on the roster: F8 starts a self-pay visit (自费) instead."))
            self.card.selectAll()
            return
        self.show_patient(checked)

    def _refuse_read(self, message: str) -> None:
        self._no_patient()
        self.patient.show_problem(message)
        self.card.selectAll()

    def show_patient(self, checked: CounterPatient) -> None:
        from desktop.ui.visit import VisitInProgress

        self.patient.show_check(checked)
        self.unknown_read = None
        self.drawer.clear()  # the next card: the last settlement's cash is taken
        self.visit = VisitInProgress(checked, self.today())
        self.entry.start(self.visit)
        self.settle_message.hide()
        self._clear_refusal()
        self.card.clear()
        if self.resettling is not None:
            self._bring_back_self_pay_visit(self.visit, self.resettling)
            self.requote()
            return
        # The diagnosis first: every settlement needs one, and for a returning patient
        # Enter keeps the last one, offered there as soon as it is read.
        self.entry.focus_diagnosis()
        self._read_last_diagnosis(self.visit)
        self.requote()

    def enter_filing(self) -> None:
        """The patient brought a filing form (异地备案): enter it, then check the card again."""
        from desktop.ui.filing_dialog import FilingDialog

        visit = self.visit
        person = None if visit is None or visit.patient is None else visit.patient.person
        if visit is None or person is None:
            return
        self.filing_dialog = FilingDialog(person.name, person.area.insured_area, self.today(), self)
        self.filing_dialog.accepted.connect(lambda: self._record_filing(visit))
        self.filing_dialog.open()

    def _record_filing(self, visit: VisitInProgress) -> None:
        from desktop.area import FilingError, FilingOrigin, record_filing
        from desktop.ui.standing import check_at_counter

        assert self.store is not None
        assert self.staff is not None
        assert self.filing_dialog is not None
        entered = self.filing_dialog.entered
        read = None if visit.patient is None else visit.patient.read
        if entered is None or read is None or visit is not self.visit:
            return
        try:
            with self.store.write_connection() as connection:
                record_filing(
                    connection,
                    visit.person_id,
                    entered,
                    origin=FilingOrigin.STAFF,
                    staff_id=self.staff.staff_id,
                    now=self.clock(),
                )
        except FilingError as exc:
            self.patient.show_problem(exc.message)
            return
        except Exception as exc:
            from desktop.ui.settle_guard import machine_says

            said = machine_says(exc, self.store)  # a locked store, a full disk: nothing was written
            if said is None:
                raise
            self.patient.show_problem(said)
            return
        # The same visit, its lines kept: only the patient's standing (and so the quote) changes.
        checked = check_at_counter(self.store, read, self.staff.facility_id, self.clock(), full_id=self.patient.full_id)
        self.patient.show_check(checked)
        visit.patient = checked
        self.requote()

    def _read_last_diagnosis(self, visit: VisitInProgress) -> None:
        """Off the GUI thread; offered only if this visit is still the one at the counter."""
        from desktop.ui.visit import last_diagnosis

        store, person_id = self.store, visit.person_id
        assert store is not None, "a visit starts only once the store is open"
        run_in_background(
            lambda: last_diagnosis(store, person_id),
            lambda found: self._last_diagnosis_read(visit, found),
            self._last_diagnosis_failed,
        )

    def _last_diagnosis_read(self, visit: VisitInProgress, found: DiagnosisLine | None) -> None:
        # Another card, a settlement or Escape since: this patient's diagnosis is not the next one's.
        if found is None or not _alive(self) or visit is not self.visit:
            return
        self.entry.suggest(found)

    def _last_diagnosis_failed(self, error: BaseException) -> None:
        # Only a suggestion: the clerk types the diagnosis, as for a first visit.
        logger.warning("could not read the last diagnosis: %s", error)

    def next_patient(self) -> None:
        """Escape: this visit is dropped unsettled, and the card box waits for the next."""
        if self.resettling is not None:
            self.resettling = None
            self.banner.hide()
        self._no_patient()
        self.patient.clear()
        self.focus_card()

    def _no_patient(self) -> None:
        self.visit = None
        self.unknown_read = None
        self.entry.stop()
        self.quote.clear()
        self.drawer.show_quote(None)  # a settled amount stays until the next card
        self.settle_button.setEnabled(False)
        self.settle_button.setText(self.tr("Settle (F12)"))
        self.self_pay_hint.hide()
        self._clear_refusal()  # about that visit; a settled banner stays, ready to print

    # --- self-pay -----------------------------------------------------------------

    def self_pay(self) -> None:
        """F8: this visit as self-pay (again: back to insured), or a walk-in's self-pay visit."""
        if self.store is None or self.staff is None or self.resettling is not None:
            return
        if self.visit is not None and self.visit.walk_in is None:
            self.visit.self_pay = not self.visit.self_pay
            self.requote()
            return
        if self.visit is not None:
            return  # a walk-in's visit is self-pay through and through
        from desktop.ui.walk_in_dialog import WalkInDialog

        read = self.unknown_read
        self.walk_in_dialog = WalkInDialog("" if read is None else read.holder_id_number or "", self)
        dialog = self.walk_in_dialog
        dialog.accepted.connect(lambda: self.start_walk_in(dialog.details()))
        dialog.open()

    def start_walk_in(self, walk_in: WalkInDetails) -> None:
        """A self-pay visit for someone not on the roster; the keys go on as for anyone."""
        from desktop.ui.visit import VisitInProgress

        self.drawer.clear()
        self.patient.show_walk_in(walk_in)
        self.unknown_read = None
        self.visit = VisitInProgress(None, self.today(), self_pay=True, walk_in=walk_in)
        self.entry.start(self.visit)
        self.settle_message.hide()
        self._clear_refusal()
        self.card.clear()
        self.entry.focus_diagnosis()
        self.requote()

    def _hint_self_pay(self, text: str) -> None:
        self.self_pay_hint.setText(text)
        self.self_pay_hint.show()

    def start_resettle(self, row: SettlementRow) -> None:
        """From today's settlements: the next card settles this self-pay visit as insured."""
        self.next_patient()
        self.resettling = row
        self._set_banner_mood("")
        self.banner.setText(
            self.tr(
                "Settle self-pay No. {0} ({1}, {2} paid in cash) as insured: read the patient's card. Escape cancels."
            ).format(row.settlement_id, row.patient_name, format_amount(row.cash))
        )
        self.banner.show()
        self.focus_card()

    def _bring_back_self_pay_visit(self, visit: VisitInProgress, row: SettlementRow) -> None:
        from desktop.ui.visit import visit_to_settle_again

        assert self.store is not None
        lines, diagnosis = visit_to_settle_again(self.store, row.settlement_id, self.entry.catalogue)
        visit.replaces = row.settlement_id
        visit.lines.extend(lines)
        self.entry.start(visit)
        if diagnosis is not None:
            self.entry.keep_diagnosis(diagnosis)
        self.entry.item.setFocus()

    # --- quote and settle ---------------------------------------------------------

    def requote(self) -> None:
        visit = self.visit
        result = None if visit is None else visit.quote()
        self.quote.show_quote(result)
        self.drawer.show_quote(None if result is None else result.cash)
        self.settle_button.setEnabled(result is not None and visit is not None and visit.settleable)
        self_pay = visit is not None and visit.self_pay
        self.settle_button.setText(self.tr("Settle self-pay (F12)") if self_pay else self.tr("Settle (F12)"))
        if visit is not None and not visit.settleable:
            self._hint_self_pay(self.tr("Not settleable on insurance here: F8 settles the visit as self-pay (自费)."))
        elif visit is not None and visit.self_pay and visit.walk_in is None:
            self._hint_self_pay(self.tr("Self-pay: nothing from the fund or the account. F8 goes back to insured."))
        elif visit is not None:
            self.self_pay_hint.hide()

    def settle_visit(self) -> None:
        if self.visit is None or not self.visit.lines or not self.visit.settleable:
            return
        assert self.store is not None, "a visit starts only once the store is open"
        assert self.staff is not None
        from desktop.settlement import SettlementError, UnconfirmedPriceError
        from desktop.ui.settle_guard import confirm_price, machine_says

        self.entry.take_diagnosis()  # the diagnosis box may still have focus
        if self.visit.diagnosis is None or not self.visit.diagnosis.coded:
            self._refuse_without_diagnosis(typed=self.visit.diagnosis is not None)
            return
        if not self.visit.self_pay and self.entry.doctor.awaits_choice():
            self._refuse_without_doctor()
            return
        try:
            settled_quote = self._settle(self.visit, self.store, self.staff)
        except UnconfirmedPriceError as exc:
            if confirm_price(self, self.visit, exc):
                self.settle_visit()  # again, with that price confirmed
            else:
                self.entry.focus_price(exc.line)
            return
        except SettlementError as exc:
            self.settle_message.setText(self.tr("Not settled: {0}").format(exc.message))
            self.settle_message.show()
            return
        except Exception as exc:
            said = machine_says(exc, self.store)
            if said is None:
                raise
            # Nothing was written and the visit stays as typed: F12 settles it once the cause is gone.
            self._set_banner_mood("refused")
            self.banner.setText(
                self.tr("Not settled: {0} The visit is kept as typed: F12 settles it then.").format(said)
            )
            self.banner.show()
            return
        self.resettling = None
        self._no_patient()
        # The split just settled stays beside the drawer until the next card, as the amount does.
        self.quote.show_quote(settled_quote)
        self.patient.clear()
        self.card.setFocus()
        assert self.last is not None  # set by _settle
        self.settled.emit(self.last.settlement_id)

    def _settle(self, visit: VisitInProgress, store: Store, staff: SignedIn) -> Quote | None:
        """Write the visit as it is on screen (insured, self-pay, or insured instead of self-pay); its split."""
        from desktop.settlement import settle
        from desktop.settlement.self_pay import settle_instead_of_self_pay, settle_self_pay

        facility, staff_id, doctor = staff.facility_id, staff.staff_id, self.entry.doctor.chosen()
        if visit.self_pay:
            all_cash = visit.quote()
            paid = settle_self_pay(store, visit.self_pay_draft(facility, staff_id), self.clock())
            self.last = paid
            self._show_self_paid(paid)
            self.drawer.show_settled(paid.settlement_id, paid.cash)
            return all_cash
        if visit.replaces is not None:
            resettled = settle_instead_of_self_pay(
                store, visit.draft(facility, staff_id, doctor), visit.replaces, self.clock()
            )
            self.last = resettled.settled
            self._show_resettled(resettled)
            self.drawer.show_settled(resettled.settled.settlement_id, -resettled.cash_back)
            return resettled.settled.quote
        done = settle(store, visit.draft(facility, staff_id, doctor), self.clock())
        self.last = done
        self._show_settled(done)
        self.drawer.show_settled(done.settlement_id, done.quote.cash)
        return done.quote

    def _refuse_without_diagnosis(self, *, typed: bool = False) -> None:
        """Nothing written: the agency refuses a visit without one, and a settlement is never edited.

        ``typed``: there is one, but as free text, without the ICD-10 code the agency needs.
        """
        self._set_banner_mood("refused")
        if typed:
            self.banner.setText(
                self.tr(
                    "The diagnosis needs its ICD-10 code: pick it from the list, or type code and name, e.g. {0}"
                ).format("J06.900 急性上呼吸道感染")
            )
        else:
            self_pay = self.visit is not None and self.visit.self_pay
            self.banner.setText(
                self.tr("Enter a diagnosis: the ledger records one for every visit")
                if self_pay
                else self.tr("Enter a diagnosis: an insurance settlement needs one")
            )
        self.banner.show()
        self.entry.focus_diagnosis()
        self.entry.offer_suggestion()

    def _refuse_without_doctor(self) -> None:
        """Nothing written: a visit naming no doctor is set aside at sync, the agency needs one."""
        self._set_banner_mood("refused")
        self.banner.setText(self.tr("Choose the diagnosing doctor (Alt+Y): the agency needs one for the visit"))
        self.banner.show()
        self.entry.doctor.setFocus()

    def _clear_refusal(self) -> None:
        if self.banner.property("mood") == "refused":
            self._set_banner_mood("")
            self.banner.hide()

    def _set_banner_mood(self, mood: str) -> None:
        if (self.banner.property("mood") or "") == mood:
            return
        if not self.banner.styleSheet():  # set on first use: the first frame does without it
            self.banner.setStyleSheet(BANNER_MOODS)
        self.banner.setProperty("mood", mood)
        self.banner.style().unpolish(self.banner)  # a property in a selector is only read on polish
        self.banner.style().polish(self.banner)

    def _show_settled(self, done: SettledVisit) -> None:
        q = done.quote
        assert self.visit is not None
        self._set_banner_mood("")
        self.banner.setText(
            self.tr(
                "No. {0} settled for {1}: total {2}, fund {3}, account {4}, patient pays {5}. Ctrl+P prints it."
            ).format(
                done.settlement_id,
                self.visit.patient_name,
                format_amount(q.total),
                format_amount(q.fund),
                format_amount(q.account),
                format_amount(q.cash),
            )
        )
        self.banner.show()

    def _show_self_paid(self, paid: SelfPaidVisit) -> None:
        assert self.visit is not None
        self._set_banner_mood("")
        self.banner.setText(
            self.tr(
                "No. {0} settled as self-pay for {1}: {2}, all in cash; not sent to the agency. Ctrl+P prints it."
            ).format(paid.settlement_id, self.visit.patient_name, format_amount(paid.total))
        )
        self.banner.show()

    def _show_resettled(self, resettled: Resettled) -> None:
        assert self.visit is not None
        q = resettled.settled.quote
        back = resettled.cash_back
        if back >= 0:
            cash = self.tr("give back {0} in cash").format(format_amount(back))
        else:
            cash = self.tr("collect {0} more in cash").format(format_amount(-back))
        self._set_banner_mood("")
        self.banner.setText(
            self.tr(
                "No. {0} settled as insured for {1}: fund {2}, account {3}, patient pays {4}. "
                "Self-pay No. {5} reversed: {6}. Ctrl+P prints the new receipt."
            ).format(
                resettled.settled.settlement_id,
                self.visit.patient_name,
                format_amount(q.fund),
                format_amount(q.account),
                format_amount(q.cash),
                resettled.reversal.settlement_id,
                cash,
            )
        )
        self.banner.show()

    def finish_building(self) -> None:
        """The second step of building the page (see ``desktop.ui.visit_entry``)."""
        self.entry.finish_building()

    def focus_card(self) -> None:
        # Selected, so the next swipe replaces a card left in the box. (Not with a focus
        # reason that selects it: Qt's enums for those cost the first frame ~25 ms.)
        self.card.setFocus()
        self.card.selectAll()


def _alive(page: CounterPage) -> bool:
    """Whether the page is still there: another member of staff signing in replaces it."""
    from shiboken6 import Shiboken

    return bool(Shiboken.isValid(page))


def _chinese() -> bool:
    """The identity package words its messages in both languages; the interface's is shown."""
    return QLocale().language() == QLocale.Language.Chinese
