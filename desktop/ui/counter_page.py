"""The counter: card box on top, patient on the left, visit in the middle, quote on the right.

Card, Enter; the diagnosis (Enter keeps the patient's last one, offered in the box);
items, Enter each; F12 (or Ctrl+Enter) settles. A visit without a diagnosis is not
settled: the banner says why and the keyboard goes back to the diagnosis box. After
settling the page clears for the next patient and the last settlement waits above,
ready to print (Ctrl+P).

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
    from desktop.settlement import DiagnosisLine, SettledVisit
    from desktop.ui.standing import CounterPatient
    from desktop.ui.visit import VisitInProgress

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
        self.last: SettledVisit | None = None
        self.held_card = ""  # typed before the store was open
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
        self.entry = VisitEntry()
        self.entry.changed.connect(self.requote)
        self.entry.diagnosed.connect(self._clear_refusal)
        self.quote = QuotePanel()
        self.settle_button = named(QPushButton(self.tr("Settle (F12)")), "settleButton")
        self.settle_button.setEnabled(False)
        self.settle_button.clicked.connect(self.settle_visit)
        self.settle_message = label("settleMessage", wrap=True)
        self.settle_message.hide()

        card_title = label("cardTitle", self.tr("&Card"))
        card_title.setBuddy(self.card)
        top = QHBoxLayout()
        top.addWidget(card_title, 0)
        top.addWidget(self.card, 1)
        right = QVBoxLayout()
        right.addWidget(self.quote, 1)
        right.addWidget(self.settle_message)
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
        self.setTabOrder(self.entry.diagnosis, self.entry.item)
        self.setTabOrder(self.entry.item, self.entry.lines)

    def today(self) -> dt.date:
        return self.clock().astimezone(CHINA).date()

    def attach(self, store: Store, staff: SignedIn) -> None:
        """The store is open and someone is signed in: check the card held meanwhile, if any."""
        from desktop.staff import Permission, may

        self.store = store
        self.staff = staff
        self.patient.full_id = may(staff.role, Permission.SEE_FULL_ID)
        if self.held_card:
            self.card.setText(self.held_card)
            self.held_card = ""
            self.check_card()

    # --- card ---------------------------------------------------------------------

    def check_card(self) -> None:
        typed = self.card.text().strip()
        if not typed:
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
            self.patient.show_check(checked)
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
        self.visit = VisitInProgress(checked, self.today())
        self.entry.start(self.visit)
        self.settle_message.hide()
        self._clear_refusal()
        self.card.clear()
        # The diagnosis first: every settlement needs one, and for a returning patient
        # Enter keeps the last one, offered there as soon as it is read.
        self.entry.focus_diagnosis()
        self._read_last_diagnosis(self.visit)
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
        self._no_patient()
        self.patient.clear()
        self.focus_card()

    def _no_patient(self) -> None:
        self.visit = None
        self.entry.stop()
        self.quote.clear()
        self.settle_button.setEnabled(False)
        self._clear_refusal()  # about that visit; a settled banner stays, ready to print

    # --- quote and settle ---------------------------------------------------------

    def requote(self) -> None:
        result = None if self.visit is None else self.visit.quote()
        self.quote.show_quote(result)
        self.settle_button.setEnabled(result is not None and self.visit is not None and self.visit.patient.settleable)

    def settle_visit(self) -> None:
        if self.visit is None or not self.visit.lines or not self.visit.patient.settleable:
            return
        assert self.store is not None, "a visit starts only once the store is open"
        assert self.staff is not None
        from desktop.settlement import SettlementError, UnconfirmedPriceError, settle
        from desktop.ui.settle_guard import confirm_price, machine_says

        self.entry.take_diagnosis()  # the diagnosis box may still have focus
        if self.visit.diagnosis is None or not self.visit.diagnosis.coded:
            self._refuse_without_diagnosis(typed=self.visit.diagnosis is not None)
            return
        draft = self.visit.draft(self.staff.facility_id, self.staff.staff_id)
        try:
            done = settle(self.store, draft, self.clock())
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
        self.last = done
        self._show_settled(done)
        self._no_patient()
        self.patient.clear()
        self.card.setFocus()
        self.settled.emit(done.settlement_id)

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
            self.banner.setText(self.tr("Enter a diagnosis: an insurance settlement needs one"))
        self.banner.show()
        self.entry.focus_diagnosis()
        self.entry.offer_suggestion()

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
        assert self.visit.patient.person is not None
        self._set_banner_mood("")
        self.banner.setText(
            self.tr(
                "No. {0} settled for {1}: total {2}, fund {3}, account {4}, patient pays {5}. Ctrl+P prints it."
            ).format(
                done.settlement_id,
                self.visit.patient.person.name,
                format_amount(q.total),
                format_amount(q.fund),
                format_amount(q.account),
                format_amount(q.cash),
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
