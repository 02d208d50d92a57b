"""The counter window: counter, today's settlements, ledger, day close and sync as tabs; sync status below.

Shown in two stages so the clerk can start at once: the window with its card box first,
built from Qt-only modules; then ``attach`` hands in the open store and the signed-in
staff (from a worker, see ``desktop.ui.app``), and the pages that read the store join.

The first stage is itself built in two steps. The first frame has the whole counter but
for the visit table's models, the diagnosis completer and the keyboard shortcuts; right
after it (``finish_building``, once the window is up, before the store is opened) those
follow. They need Qt's own enums in Python (roles, orientations, keys), and the first
touch of ``Qt`` creates all ~100 of them, ~25 ms that the first frame does without:
nothing they serve can be used before a card is read. So module-level code on the way
to the first frame does not import ``Qt`` (benchmarks/startup.py measures it).
Sync starts last (``start_sync``), once those pages are in: its thread imports the
agency client and, for the demo, starts the sandbox agency, none of which the clerk
should wait for.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QTabWidget, QWidget

from desktop.ui.counter_page import CounterPage, utc_now
from desktop.ui.i18n import CHINA
from desktop.ui.sync_status import SyncStatus
from desktop.ui.widgets import label, named
from desktop.ui.workers import run_in_background

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from db.session import Store
    from desktop.auth import SignedIn
    from desktop.diagnoses import DiagnosisChoice
    from desktop.sync import SyncReport
    from desktop.ui.idle_lock import IdleLock
    from desktop.ui.pace import Pace
    from desktop.ui.settlements import SettlementRow
    from desktop.ui.settlements_page import SettlementsPage
    from desktop.ui.sync_page import SyncPage
    from desktop.ui.sync_setup import Targets, Unavailable
    from desktop.ui.sync_worker import SyncWorker
    from desktop.ui.visit import CatalogueEntry

    Catalogue = tuple[list[CatalogueEntry], list[DiagnosisChoice]]

logger = logging.getLogger(__name__)

# Pages built by the ledger helper; the window shows them when they are installed.
EXTRA_PAGES = (
    ("desktop.ui.ledger_view", "LedgerView"),
    ("desktop.ui.day_close_view", "DayCloseView"),
    ("desktop.ui.fund_page", "FundPage"),
)
# Imported by a worker, off the GUI thread: what a card check and a settlement need (with
# the store), then what the pages behind the store need (once the counter takes cards).
CARD_CHECK_MODULES = ("desktop.ui.standing", "desktop.identity", "desktop.settlement")
PAGE_MODULES = (
    "desktop.ui.settlements_page",
    "desktop.ui.sign_in",
    "desktop.ui.receipt",
    *(module for module, _ in EXTRA_PAGES),
    "desktop.ui.sync_page",
    "desktop.ui.sync_worker",
)
PAGES = 6  # Ctrl+1 … Ctrl+6, each shown on its tab (the 基金 page is the administrator's sixth)


class CounterWindow(QMainWindow):
    ready = Signal()  # the store is open and the catalogue loaded

    def __init__(
        self,
        store: Store | None = None,
        staff: SignedIn | None = None,
        *,
        idle_minutes: float = 10,
        clock: Callable[[], dt.datetime] = utc_now,
        receipts: Any = None,
        extra_pages: bool = True,
    ) -> None:
        super().__init__()
        self.setObjectName("counterWindow")
        self.store: Store | None = None
        self.staff: SignedIn | None = None
        self.clock = clock
        self.receipts = receipts
        self.with_extra_pages = extra_pages
        self.catalogue: Catalogue | None = None
        self.last_receipt_path: Any = None
        self.settlements: SettlementsPage | None = None
        self.sync_page: SyncPage | None = None
        self.sync_worker: SyncWorker | None = None
        self._sync_targets: Targets | None = None
        self._sync_problem: Unavailable | None = None
        self.extra_pages: dict[str, QWidget] = {}
        self.facility_name: str | None = None  # read with the store: the status bar names the clinic
        self.setWindowTitle(self.tr("Clinic counter"))
        self.stack = QStackedWidget()
        self.locked_page: QLabel | None = None  # made on the first lock: nothing to show before
        self.tabs: QTabWidget  # made by _build_pages, and made again for another member of staff
        self._has_pages = False
        self.finished = False  # the second step of building (see the module's docstring)
        self.setCentralWidget(self.stack)
        self.sync = SyncStatus()
        self.who = label("whoIsSignedIn")
        self.statusBar().addWidget(self.who)
        self.statusBar().addPermanentWidget(self.sync)
        self.idle_minutes = idle_minutes
        self.idle: IdleLock  # set once someone is signed in: before that there is nothing to lock
        self.pace: Pace  # the relay's, told of each key and click by the idle lock's filter
        self._build_pages()
        if store is not None and staff is not None:
            self.attach(store, staff)

    def finish_building(self) -> None:
        """The second step: what the first frame did without. Idempotent."""
        if self.finished:
            return
        self.finished = True
        self.counter.finish_building()
        self._build_actions()

    def attach(self, store: Store, staff: SignedIn, catalogue: Catalogue | None = None) -> None:
        """The store is open and ``staff`` signed in; ``catalogue`` when a worker loaded it already."""
        from desktop.ui.idle_lock import IdleLock
        from desktop.ui.pace import Pace

        self.finish_building()
        self.store = store
        self.staff = staff
        self.pace = Pace()
        self.idle = IdleLock(self.idle_minutes, self, on_input=self.pace.touch)
        self.idle.idle.connect(self.lock)
        self.sync.attach(store)
        self.counter.attach(store, staff)
        if catalogue is not None:
            self._catalogue_loaded(catalogue)
        else:
            run_in_background(self._load_catalogue, self._catalogue_loaded, self._catalogue_failed)
        # The other pages join once their modules are imported, so the GUI thread never waits on it.
        from desktop.ui.opening import import_ahead

        run_in_background(lambda: import_ahead(PAGE_MODULES), self._pages_imported, self._pages_imported)

    def _pages_imported(self, _result: object) -> None:
        if self.settlements is None and self.store is not None:
            self._add_store_pages()
        self._start_sync_worker()

    # --- pages --------------------------------------------------------------------

    def _build_pages(self) -> None:
        if self._has_pages:  # another member of staff: their pages, by their role
            self.stack.removeWidget(self.tabs)
            self.tabs.deleteLater()
        self._has_pages = True
        self.settlements = None
        self.sync_page = None
        # Each container joins the window before what goes in it is built, top down: a
        # finished page moved into the window has the style sheet worked out again for
        # every widget in it, once per move (benchmarks/startup.py).
        self.tabs = named(QTabWidget(), "pages")
        self.stack.insertWidget(0, self.tabs)
        self.stack.setCurrentWidget(self.tabs)
        self.counter = CounterPage(clock=self.clock)
        self.counter.settled.connect(self._after_settle)
        self._add_tab(self.counter, self.tr("Counter"))
        if self.finished:  # made again for another member of staff
            self.counter.finish_building()
            self._add_counter_keys()
        self.tabs.currentChanged.connect(self._page_shown)
        if self.catalogue is not None:
            self.counter.entry.set_catalogue(*self.catalogue)
        if self.store is not None and self.staff is not None:
            self.counter.attach(self.store, self.staff)
            self._add_store_pages()
        self.who.setText(self._who())
        self.counter.focus_card()

    def _add_store_pages(self) -> None:
        from desktop.ui.settlements_page import SettlementsPage

        assert self.store is not None
        assert self.staff is not None
        self.settlements = SettlementsPage(
            self.store,
            self.staff,
            self.clock,
            self.print_receipt,
            print_settle_up=self.print_settle_up,
            settle_as_insured=self._settle_as_insured,
        )
        self._add_tab(self.settlements, self.tr("Today's settlements"))
        self.extra_pages = {}
        titles = {"LedgerView": self.tr("Ledger"), "DayCloseView": self.tr("Day close"), "FundPage": self.tr("Fund")}
        for module_name, class_name in EXTRA_PAGES if self.with_extra_pages else ():
            if class_name == "FundPage" and not self._may_see_fund():
                continue
            page = self._extra_page(module_name, class_name)
            if page is not None:
                self.extra_pages[class_name] = page
                self._add_tab(page, titles[class_name])
        self._add_sync_page()
        self.facility_name = self._read_facility_name()
        self.who.setText(self._who())

    def _add_tab(self, page: QWidget, title: str) -> None:
        """A page and its title, with the key that brings it up (Ctrl+1 …) beside it."""
        index = self.tabs.addTab(page, title)
        if index < PAGES:
            self.tabs.setTabText(index, f"{title}  Ctrl+{index + 1}")

    def _may_see_fund(self) -> bool:
        from desktop.staff import Permission, may

        return self.staff is not None and may(self.staff.role, Permission.SEE_FUND)

    def _read_facility_name(self) -> str | None:
        from db.models import Facility

        assert self.store is not None
        assert self.staff is not None
        with self.store.reading() as session:
            facility = session.get(Facility, self.staff.facility_id)
            return None if facility is None else facility.name

    def _add_sync_page(self) -> None:
        from desktop.ui.sync_page import SyncPage

        assert self.store is not None
        assert self.staff is not None
        self.sync_page = SyncPage(self.store, self.staff, self.clock, print_settle_up=self.print_settle_up)
        self.sync_page.sync_requested.connect(self.sync_now)
        self.sync_page.retried.connect(lambda _count: self.sync_now())
        self._add_tab(self.sync_page, self.tr("Sync"))
        if self._sync_problem is not None:
            self.sync_page.show_unavailable(self.sync.reason_text(self._sync_problem.why.value))

    def _extra_page(self, module_name: str, class_name: str) -> QWidget | None:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return None
        from db.models import Staff

        assert self.store is not None
        assert self.staff is not None
        view = getattr(module, class_name)
        with self.store.reading() as session:
            # These pages take the staff row itself; loaded whole, it outlives the session.
            row = session.get(Staff, self.staff.staff_id)
        assert row is not None
        try:
            today = self.clock().astimezone(CHINA).date()
            if class_name == "DayCloseView":
                page: QWidget = view(self.store, self.staff.facility_id, row, today=today)
            else:
                page = view(self.store, row, today=today)
        except Exception as exc:  # a broken page must not keep the counter from opening
            logger.exception("could not open %s", class_name)
            return label("brokenPage", self.tr("This page could not be opened: {0}").format(exc), wrap=True)
        return page

    def _who(self) -> str:
        if self.staff is None:
            return self.tr("Opening the clinic's records…")
        roles = {"clerk": self.tr("Clerk"), "village_doctor": self.tr("Village doctor"), "admin": self.tr("Admin")}
        return self.tr("{0} ({1}) · {2}").format(
            self.staff.name, roles.get(self.staff.role, self.staff.role), self.facility_name or self.staff.facility_id
        )

    def _page_shown(self, index: int) -> None:
        # Each page is read again as it comes up: what the counter settled meanwhile is on it.
        page = self.tabs.widget(index)
        if self.settlements is not None and page is self.settlements:
            self.settlements.refresh()
        elif self.sync_page is not None and page is self.sync_page:
            self.sync_page.refresh()
        elif page is not None and page in self.extra_pages.values():
            page.reload()  # type: ignore[attr-defined]  # the ledger's and the day close's, imported late

    # --- keys ---------------------------------------------------------------------

    def _build_actions(self) -> None:
        # One action per key wherever the focus is. A page's own keys (Ctrl+P, Ctrl+R, F5)
        # belong to the page and work only while it is shown: Ctrl+P prints the last
        # receipt on the counter and reprints the chosen one on today's settlements.
        self._action(self.tr("Settle"), ["F12", "Ctrl+Return", "Ctrl+Enter"], self._settle, "settleAction")
        self._add_counter_keys()
        self._action(self.tr("Read the card in the reader"), ["F3"], self._read_chip, "readCardAction")
        self._action(self.tr("Self-pay"), ["F8"], self._self_pay, "selfPayAction")
        self._action(self.tr("Next patient"), ["Escape"], self._next_patient, "nextPatientAction")
        self._action(self.tr("Lock"), ["Ctrl+L"], self.lock, "lockAction")
        for number in range(PAGES):
            self._action(self.tr("Page {0}").format(number + 1), [f"Ctrl+{number + 1}"], self._go(number), "")

    def _add_counter_keys(self) -> None:
        self._action(self.tr("Print receipt"), ["Ctrl+P"], self.print_last_receipt, "printAction", self.counter)

    def _action(
        self, text: str, keys: list[str], slot: Callable[[], None], name: str, owner: QWidget | None = None
    ) -> QAction:
        """A key anywhere in the window (QAction's default context); with ``owner``, only
        while that page is shown (a hidden widget's actions take no keys)."""
        from PySide6.QtGui import QAction, QKeySequence

        action = QAction(text, owner or self)
        if name:
            action.setObjectName(name)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(slot)
        (owner or self).addAction(action)
        return action

    def _go(self, index: int) -> Callable[[], None]:
        def go() -> None:
            if index < self.tabs.count():
                self.tabs.setCurrentIndex(index)

        return go

    def _settle(self) -> None:
        self.tabs.setCurrentWidget(self.counter)
        self.counter.settle_visit()

    def _self_pay(self) -> None:
        self.tabs.setCurrentWidget(self.counter)
        self.counter.self_pay()

    def _settle_as_insured(self, row: SettlementRow) -> None:
        """From today's settlements: the counter takes the card for this self-pay visit."""
        self.tabs.setCurrentWidget(self.counter)
        self.counter.start_resettle(row)

    def _read_chip(self) -> None:
        self.tabs.setCurrentWidget(self.counter)
        self.counter.read_chip()

    def _next_patient(self) -> None:
        if self.tabs.currentWidget() is self.counter:
            self.counter.next_patient()

    def _after_settle(self, settlement_id: int) -> None:
        self.sync.refresh()
        if self.sync_worker is not None:
            self.sync_worker.sync_soon()
        self.statusBar().showMessage(self.tr("Settlement {0} saved.").format(settlement_id), 8000)

    # --- sync ---------------------------------------------------------------------

    def start_sync(self, targets: Targets) -> None:
        """Sync with the agency ``targets`` names, once the store's pages are in."""
        self._sync_targets = targets
        if self.sync_page is not None:
            self._start_sync_worker()

    def _start_sync_worker(self) -> None:
        if self.sync_worker is not None or self._sync_targets is None or self.store is None or self.staff is None:
            return
        from desktop.ui.sync_worker import StopOnClose, SyncWorker

        self.sync_worker = SyncWorker(
            self.store, (self.staff.username, self.staff.name), self._sync_targets, pace=self.pace
        )
        self.sync_worker.reported.connect(self._sync_reported)
        self.sync_worker.unavailable.connect(self._sync_unavailable)
        self.sync_worker.running.connect(self.sync.set_running)
        # Closing the window stops it (a filter, not a closeEvent here: see sync_worker).
        StopOnClose(self, self.stop_sync)
        self.sync_worker.start()

    def sync_now(self) -> None:
        if self.sync_worker is not None:
            self.sync_worker.sync_now()
            self.statusBar().showMessage(self.tr("Syncing with the agency…"), 5000)
        else:
            self.statusBar().showMessage(self.tr("Sync has not started yet."), 5000)

    def _sync_reported(self, report: SyncReport) -> None:
        self._sync_problem = None
        self.sync.show_report(report)
        if self.sync_page is not None:
            self.sync_page.show_report(report)

    def _sync_unavailable(self, problem: Unavailable) -> None:
        self._sync_problem = problem
        self.sync.show_unavailable(problem.why.value, problem.detail)
        if self.sync_page is not None:
            self.sync_page.show_unavailable(self.sync.reason_text(problem.why.value))

    def stop_sync(self) -> None:
        """Stop the relay (a call in flight ends, no new one starts) and, for the demo, its agency."""
        worker, self.sync_worker = self.sync_worker, None
        self._sync_targets = None  # and no new worker when the pages come in later
        if worker is not None and not worker.shutdown():
            logger.info("the sync thread is still closing; it finishes on its own")

    # --- receipt ------------------------------------------------------------------

    def print_last_receipt(self) -> None:
        if self.counter.last is not None:
            self.print_receipt(self.counter.last.settlement_id)

    def print_settle_up(self, settle_up_id: int) -> None:
        from desktop.ui.receipt import print_settle_up_receipt

        assert self.store is not None, "a settle-up to print means the store is open"
        path = print_settle_up_receipt(self.store, settle_up_id, self.receipts)
        self.last_receipt_path = path
        if path is None:
            self.statusBar().showMessage(self.tr("Settle-up {0} sent to the printer.").format(settle_up_id), 8000)
        else:
            self.statusBar().showMessage(
                self.tr("No printer: settle-up {0} saved as {1}").format(settle_up_id, path), 15000
            )

    def print_receipt(self, settlement_id: int) -> None:
        from desktop.ui.receipt import print_receipt

        assert self.store is not None, "a settlement to print means the store is open"
        path = print_receipt(self.store, settlement_id, self.receipts)
        self.last_receipt_path = path
        if path is None:
            self.statusBar().showMessage(self.tr("Receipt {0} sent to the printer.").format(settlement_id), 8000)
        else:
            self.statusBar().showMessage(
                self.tr("No printer: receipt {0} saved as {1}").format(settlement_id, path), 15000
            )

    # --- catalogue ----------------------------------------------------------------

    def _load_catalogue(self) -> Catalogue:
        from desktop.diagnoses import load_diagnoses
        from desktop.ui.visit import load_catalogue

        assert self.store is not None
        return load_catalogue(self.store), load_diagnoses(self.store)

    def _catalogue_loaded(self, loaded: Catalogue) -> None:
        self.catalogue = loaded
        self.counter.entry.set_catalogue(*loaded)
        self.ready.emit()

    def _catalogue_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(self.tr("Could not load the catalogue: {0}").format(error))

    # --- idle lock ----------------------------------------------------------------

    def lock(self) -> None:
        if self.store is None or (self.locked_page is not None and self.stack.currentWidget() is self.locked_page):
            return  # before the store is open nobody is signed in and nothing is shown
        from desktop.ui.sign_in import SignInDialog

        self.idle.pause()
        if self.locked_page is None:  # centred by the style sheet
            self.locked_page = label("lockedPage", self.tr("Locked. Sign in to carry on."))
            self.stack.addWidget(self.locked_page)
        self.stack.setCurrentWidget(self.locked_page)
        self.sign_in = SignInDialog(self.store, self, locked_by=self.staff)
        self.sign_in.accepted.connect(self._unlocked)
        self.sign_in.rejected.connect(self.close)
        self.sign_in.open()

    def _unlocked(self) -> None:
        staff = self.sign_in.signed_in
        assert staff is not None
        if staff != self.staff:
            self.staff = staff
            self._build_pages()
        self.stack.setCurrentWidget(self.tabs)
        self.counter.focus_card()
        self.idle.resume()
