"""Today's settlements: reprint a receipt, settle up (补收 / 退费) what the agency's split left owed,
settle a self-pay visit again as insured, or reverse (冲正) one with a reason.

Each settlement shows its official figures and where it stands with the agency: a record
the agency set aside or has not booked yet is never shown as settled.
"""

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
from desktop.ui.reverse_dialog import ReverseDialog, money_back_text
from desktop.ui.settle_up_dialog import SettleUpDialog, ask_settle_up
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
        *,
        print_settle_up: Callable[[int], None] | None = None,
        settle_as_insured: Callable[[SettlementRow], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.staff = staff
        self.clock = clock
        self.print_receipt = print_receipt
        self.print_settle_up = print_settle_up
        self.settle_as_insured = settle_as_insured
        self.may_reverse = may(staff.role, Permission.REVERSE)
        self.may_settle_up = may(staff.role, Permission.SETTLE_UP)
        self.dialog: ReverseDialog | None = None
        self.settle_up_dialog: SettleUpDialog | None = None
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
        self.settle_up_button = named(QPushButton(self.tr("Settle up… (Ctrl+U)")), "settleUpButton")
        self.settle_up_button.clicked.connect(self.settle_up_selected)
        self.insured_button = named(QPushButton(self.tr("Settle as insured… (Ctrl+I)")), "settleAsInsuredButton")
        self.insured_button.setToolTip(
            self.tr("A self-pay patient whose insurance card turned up: settle the visit as insured instead.")
        )
        self.insured_button.clicked.connect(self.settle_selected_as_insured)
        keys: list[tuple[str, Callable[[], None]]] = [
            ("Ctrl+R", self.reverse_selected),
            ("Ctrl+P", self._reprint),
            ("Ctrl+U", self.settle_up_selected),
            ("Ctrl+I", self.settle_selected_as_insured),
        ]
        for keys_text, slot in keys:
            action = QAction(self)
            action.setShortcut(QKeySequence(keys_text))
            # Only while this page is shown (a hidden page's actions take no keys), wherever
            # the focus is on it: on the counter Ctrl+P prints the last receipt.
            action.triggered.connect(slot)
            self.addAction(action)
        self.message = label("settlementsMessage", wrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.settle_up_button)
        buttons.addWidget(self.insured_button)
        buttons.addWidget(self.reverse_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Each action's button is live only where it applies to the selected settlement."""
        row = self.selected()
        self.settle_up_button.setEnabled(self.may_settle_up and row is not None and bool(row.owed))
        standing_self_pay = row is not None and row.self_pay and not row.reversed
        self.insured_button.setEnabled(self.settle_as_insured is not None and standing_self_pay)

    def refresh(self) -> None:
        day = self.clock().astimezone(CHINA).date()
        facility = self.staff.facility_id
        run_in_background(lambda: settlements_on(self.store, facility, day), self._show, self._failed)

    def _show(self, rows: list[SettlementRow]) -> None:
        kept = self.selected()
        self.model.set_rows(rows)
        numbers = [row.settlement_id for row in rows]
        if kept is not None and kept.settlement_id in numbers:
            self.table.selectRow(numbers.index(kept.settlement_id))
        elif rows:
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

    def settle_up_selected(self) -> None:
        row = self.selected()
        if row is None or not self.may_settle_up:
            return
        self.settle_up_dialog = ask_settle_up(
            self,
            self.store,
            self.staff.staff_id,
            self.clock,
            row,
            self.print_settle_up,
            self.message.setText,
            self.refresh,
        )

    def settle_selected_as_insured(self) -> None:
        row = self.selected()
        if row is None or self.settle_as_insured is None:
            return
        if not row.self_pay or row.reversed:
            self.message.setText(self.tr("Only a self-pay settlement that stands can be settled again as insured."))
            return
        self.settle_as_insured(row)

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
        self.message.setText(self.tr("Settlement {0} reversed. {1}").format(row.settlement_id, money_back_text(row)))
        self.refresh()
