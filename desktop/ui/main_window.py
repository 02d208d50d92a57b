"""The counter window: counter, today's settlements, ledger and day close as tabs; sync status below.

Shown in two stages so the clerk can start at once: the window with its card box first,
built from Qt-only modules; then ``attach`` hands in the open store and the signed-in
staff (from a worker, see ``desktop.ui.app``), and the pages that read the store join.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QTabWidget, QWidget

from desktop.ui.counter_page import CounterPage, utc_now
from desktop.ui.opening import import_ahead
from desktop.ui.sync_status import SyncStatus
from desktop.ui.visit import CatalogueEntry, load_catalogue, load_diagnoses
from desktop.ui.widgets import label
from desktop.ui.workers import run_in_background

if TYPE_CHECKING:
    from db.session import Store
    from desktop.auth import SignedIn
    from desktop.settlement.draft import DiagnosisLine
    from desktop.ui.idle_lock import IdleLock
    from desktop.ui.settlements_page import SettlementsPage

logger = logging.getLogger(__name__)

Catalogue = tuple[list[CatalogueEntry], list["DiagnosisLine"]]
# Pages built by the ledger helper; the window shows them when they are installed.
EXTRA_PAGES = (("desktop.ui.ledger_view", "LedgerView"), ("desktop.ui.day_close_view", "DayCloseView"))
# Imported by a worker, off the GUI thread: what a card check and a settlement need (with
# the store), then what the pages behind the store need (once the counter takes cards).
CARD_CHECK_MODULES = ("desktop.ui.standing", "desktop.identity", "desktop.settlement")
PAGE_MODULES = (
    "desktop.ui.settlements_page",
    "desktop.ui.sign_in",
    "desktop.ui.receipt",
    *(module for module, _ in EXTRA_PAGES),
)


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
        self.extra_pages: dict[str, QWidget] = {}
        self.setWindowTitle(self.tr("Clinic counter"))
        self.stack = QStackedWidget()
        self.locked_page = label("lockedPage", self.tr("Locked. Sign in to carry on."))
        self.locked_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(self.stack)
        self.sync = SyncStatus()
        self.who = label("whoIsSignedIn")
        self.statusBar().addWidget(self.who)
        self.statusBar().addPermanentWidget(self.sync)
        self.idle_minutes = idle_minutes
        self.idle: IdleLock  # set once someone is signed in: before that there is nothing to lock
        self._build_pages()
        self._build_actions()
        if store is not None and staff is not None:
            self.attach(store, staff)

    def attach(self, store: Store, staff: SignedIn, catalogue: Catalogue | None = None) -> None:
        """The store is open and ``staff`` signed in; ``catalogue`` when a worker loaded it already."""
        from desktop.ui.idle_lock import IdleLock

        self.store = store
        self.staff = staff
        self.idle = IdleLock(self.idle_minutes, self)
        self.idle.idle.connect(self.lock)
        self.sync.attach(store)
        self.counter.attach(store, staff)
        if catalogue is not None:
            self._catalogue_loaded(catalogue)
        else:
            run_in_background(self._load_catalogue, self._catalogue_loaded, self._catalogue_failed)
        # The other pages join once their modules are imported, so the GUI thread never waits on it.
        run_in_background(lambda: import_ahead(PAGE_MODULES), self._pages_imported, self._pages_imported)

    def _pages_imported(self, _result: object) -> None:
        if self.settlements is None and self.store is not None:
            self._add_store_pages()

    # --- pages --------------------------------------------------------------------

    def _build_pages(self) -> None:
        while self.stack.count():
            old = self.stack.widget(0)
            assert old is not None
            self.stack.removeWidget(old)
            old.deleteLater()
        self.settlements = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pages")
        self.counter = CounterPage(clock=self.clock)
        self.counter.settled.connect(self._after_settle)
        self.tabs.addTab(self.counter, self.tr("Counter"))
        self.tabs.currentChanged.connect(self._page_shown)
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.locked_page)
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
        self.settlements = SettlementsPage(self.store, self.staff, self.clock, self.print_receipt)
        self.tabs.addTab(self.settlements, self.tr("Today's settlements"))
        self.extra_pages = {}
        titles = {"LedgerView": self.tr("Ledger"), "DayCloseView": self.tr("Day close")}
        for module_name, class_name in EXTRA_PAGES if self.with_extra_pages else ():
            page = self._extra_page(module_name, class_name)
            if page is not None:
                self.extra_pages[class_name] = page
                self.tabs.addTab(page, titles[class_name])
        self.who.setText(self._who())

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
            if class_name == "DayCloseView":
                page: QWidget = view(self.store, self.staff.facility_id, row)
            else:
                page = view(self.store, row)
        except Exception as exc:  # a broken page must not keep the counter from opening
            logger.exception("could not open %s", class_name)
            return label("brokenPage", self.tr("This page could not be opened: {0}").format(exc), wrap=True)
        return page

    def _who(self) -> str:
        if self.staff is None:
            return self.tr("Opening the clinic's records…")
        roles = {"clerk": self.tr("Clerk"), "village_doctor": self.tr("Village doctor"), "admin": self.tr("Admin")}
        return self.tr("{0} ({1}) · {2}").format(
            self.staff.name, roles.get(self.staff.role, self.staff.role), self.staff.facility_id
        )

    def _page_shown(self, index: int) -> None:
        if self.settlements is not None and self.tabs.widget(index) is self.settlements:
            self.settlements.refresh()

    # --- keys ---------------------------------------------------------------------

    def _build_actions(self) -> None:
        self._action(self.tr("Settle"), ["F12", "Ctrl+Return", "Ctrl+Enter"], self._settle, "settleAction")
        self._action(self.tr("Print receipt"), ["Ctrl+P"], self.print_last_receipt, "printAction")
        self._action(self.tr("Next patient"), ["Escape"], self._next_patient, "nextPatientAction")
        self._action(self.tr("Lock"), ["Ctrl+L"], self.lock, "lockAction")
        for number in range(4):
            self._action(self.tr("Page {0}").format(number + 1), [f"Ctrl+{number + 1}"], self._go(number), "")

    def _action(self, text: str, keys: list[str], slot: Callable[[], None], name: str) -> QAction:
        action = QAction(text, self)
        if name:
            action.setObjectName(name)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _go(self, index: int) -> Callable[[], None]:
        def go() -> None:
            if index < self.tabs.count():
                self.tabs.setCurrentIndex(index)

        return go

    def _settle(self) -> None:
        self.tabs.setCurrentWidget(self.counter)
        self.counter.settle_visit()

    def _next_patient(self) -> None:
        if self.tabs.currentWidget() is self.counter:
            self.counter.visit = None
            self.counter.entry.stop()
            self.counter.quote.clear()
            self.counter.patient.clear()
            self.counter.settle_button.setEnabled(False)
            self.counter.focus_card()

    def _after_settle(self, settlement_id: int) -> None:
        self.sync.refresh()
        self.statusBar().showMessage(self.tr("Settlement {0} saved.").format(settlement_id), 8000)

    # --- receipt ------------------------------------------------------------------

    def print_last_receipt(self) -> None:
        if self.counter.last is not None:
            self.print_receipt(self.counter.last.settlement_id)

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
        if self.stack.currentWidget() is self.locked_page or self.store is None:
            return  # before the store is open nobody is signed in and nothing is shown
        from desktop.ui.sign_in import SignInDialog

        self.idle.pause()
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
