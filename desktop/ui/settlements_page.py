"""Today's settlements: reprint a receipt, or reverse (冲正) one with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView, QVBoxLayout, QWidget

from db.session import Store
from desktop.auth import SignedIn
from desktop.settlement import SettlementError, reverse
from desktop.settlement.service import CHINA
from desktop.staff import Permission, may
from desktop.ui.models import SettlementsModel
from desktop.ui.reverse_dialog import ReverseDialog
from desktop.ui.settlements import SettlementRow, settlements_on
from desktop.ui.widgets import label, named
from desktop.ui.workers import run_in_background


class SettlementsPage(QWidget):
    def __init__(
        self,
        store: Store,
        staff: SignedIn,
        clock: Callable[[], dt.datetime],
        print_receipt: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.staff = staff
        self.clock = clock
        self.print_receipt = print_receipt
        self.may_reverse = may(staff.role, Permission.REVERSE)
        self.dialog: ReverseDialog | None = None
        self.model = SettlementsModel(self, full_id=may(staff.role, Permission.SEE_FULL_ID))
        self.table = named(QTableView(), "settlementsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.reverse_button = named(QPushButton(self.tr("Reverse… (Ctrl+R)")), "reverseButton")
        self.reverse_button.clicked.connect(self.reverse_selected)
        self.reverse_button.setEnabled(self.may_reverse)
        if not self.may_reverse:
            self.reverse_button.setToolTip(self.tr("Your role may not reverse settlements; ask the township clerk."))
        self.print_button = named(QPushButton(self.tr("Reprint receipt (Ctrl+P)")), "reprintButton")
        self.print_button.clicked.connect(self._reprint)
        for keys, slot in (("Ctrl+R", self.reverse_selected), ("Ctrl+P", self._reprint)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            # Only while this page is shown (a hidden page's actions take no keys), wherever
            # the focus is on it: on the counter Ctrl+P prints the last receipt.
            action.triggered.connect(slot)
            self.addAction(action)
        self.message = label("settlementsMessage", wrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.reverse_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        day = self.clock().astimezone(CHINA).date()
        facility = self.staff.facility_id
        run_in_background(lambda: settlements_on(self.store, facility, day), self._show, self._failed)

    def _show(self, rows: list[SettlementRow]) -> None:
        self.model.set_rows(rows)
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(self.tr("Could not load the settlements: {0}").format(error))

    def selected(self) -> SettlementRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _reprint(self) -> None:
        row = self.selected()
        if row is not None:
            self.print_receipt(row.settlement_id)

    def reverse_selected(self) -> None:
        row = self.selected()
        if row is None or not self.may_reverse:
            return
        if row.reversed:
            self.message.setText(self.tr("Settlement {0} is already reversed.").format(row.settlement_id))
            return
        self.dialog = ReverseDialog(row, self)
        self.dialog.accepted.connect(lambda: self._reverse(row, self.dialog.reason.text()))
        self.dialog.open()

    def _reverse(self, row: SettlementRow, reason: str) -> None:
        try:
            reverse(self.store, row.settlement_id, reason, self.staff.staff_id, self.clock())
        except SettlementError as exc:
            self.message.setText(self.tr("Not reversed: {0}").format(exc.message))
            return
        except Exception as exc:
            from desktop.ui.settle_guard import machine_says

            said = machine_says(exc, self.store)
            if said is None:
                raise
            self.message.setText(self.tr("Not reversed: {0}").format(said))
            return
        self.message.setText(self.tr("Settlement {0} reversed.").format(row.settlement_id))
        self.refresh()
