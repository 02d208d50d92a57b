"""Thin table models over the ledger rows and the day close; no queries, no arithmetic."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont

from desktop.day_close import DayClose, ReversalLine, SchemeLine, Split
from desktop.ledger import LedgerRow
from desktop.money import format_amount
from desktop.ui.rows_model import RowsModel

GREY = QColor("#808080")


def money(value: Decimal) -> str:
    return format_amount(value)


class LedgerTableModel(RowsModel[LedgerRow]):
    """The register on screen; reversed visits greyed and struck through, never hidden."""

    DIAGNOSIS = 6
    FIGURES = (7, 8, 9, 12)  # total, fund pays, patient pays, settlement no.: never cut short
    SIGNATURE = 10
    STATUS = 13

    def __init__(self, facility_names: dict[str, str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        names = facility_names or {}
        self._strike = QFont()
        self._strike.setStrikeOut(True)
        self._columns = [
            (self.tr("Date"), lambda r: r.visit_date.isoformat(), False),
            (self.tr("Clinic"), lambda r: names.get(r.facility_id, r.facility_id), False),
            (self.tr("Head of household"), lambda r: r.household_head, False),
            (self.tr("Patient"), lambda r: r.patient_name, False),
            (self.tr("Address"), lambda r: r.address, False),
            (self.tr("ID number"), lambda r: r.id_number, False),
            (self.tr("Preliminary diagnosis"), lambda r: r.diagnosis, False),
            (self.tr("Total"), lambda r: money(r.total), True),
            (self.tr("Fund pays"), lambda r: money(r.fund), True),
            (self.tr("Patient pays"), lambda r: money(r.patient_share), True),
            (self.tr("Signature"), self._signature, False),
            (self.tr("Phone"), lambda r: r.phone, False),
            (self.tr("Settlement no."), lambda r: str(r.settlement_id), True),
            (self.tr("Status"), self._status, False),
        ]

    def _signature(self, row: LedgerRow) -> str:
        return self.tr("✔ Signed") if row.signed else self.tr("Not signed")

    def _status(self, row: LedgerRow) -> str:
        return self.tr("Reversed: {reason}").format(reason=row.reversal_reason) if row.reversed else ""

    def _extra(self, row: LedgerRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.reversed:
                return GREY
            if column == self.SIGNATURE and not row.signed:
                return QColor("#b05000")
        if role == Qt.ItemDataRole.FontRole and row.reversed and column != self.STATUS:
            return self._strike
        if role == Qt.ItemDataRole.ToolTipRole and row.reversed:
            return self._status(row)
        return None


class SchemeModel(RowsModel[SchemeLine]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("Scheme"), lambda s: s.title, False),
            (self.tr("Policy version"), lambda s: s.policy_version, False),
            (self.tr("Settled"), lambda s: str(s.settled_count), True),
            (self.tr("Reversed"), lambda s: str(s.reversed_count), True),
            (self.tr("Net total"), lambda s: money(s.net.total), True),
            (self.tr("Fund"), lambda s: money(s.net.fund), True),
            (self.tr("Personal account"), lambda s: money(s.net.account), True),
            (self.tr("Cash"), lambda s: money(s.net.cash), True),
        ]


class PayerModel(RowsModel[tuple[str, Decimal, Decimal, Decimal]]):
    """Fund, personal account, cash and their total: settled, reversed, net."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("Payer"), lambda p: p[0], False),
            (self.tr("Settled"), lambda p: money(p[1]), True),
            (self.tr("Reversed"), lambda p: money(p[2]), True),
            (self.tr("Net"), lambda p: money(p[3]), True),
        ]

    def show(self, close: DayClose) -> None:
        def line(name: str, pick: Callable[[Split], Decimal]) -> tuple[str, Decimal, Decimal, Decimal]:
            return (name, pick(close.settled), pick(close.reversed), pick(close.net))

        self.set_rows(
            [
                line(self.tr("Pooling fund"), lambda s: s.fund),
                line(self.tr("Personal account"), lambda s: s.account),
                line(self.tr("Cash"), lambda s: s.cash),
                line(self.tr("Total"), lambda s: s.total),
            ]
        )


class ReversalModel(RowsModel[ReversalLine]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("Reversed at"), lambda r: r.reversed_at.strftime("%H:%M"), False),
            (self.tr("Settlement no."), lambda r: str(r.settlement_id), True),
            (self.tr("Settled on"), self._settled_on, False),
            (self.tr("Patient"), lambda r: r.patient, False),
            (self.tr("Reason"), lambda r: r.reason, False),
            (self.tr("Reversed by"), lambda r: r.staff, False),
            (self.tr("Total"), lambda r: money(r.split.total), True),
            (self.tr("Fund"), lambda r: money(r.split.fund), True),
            (self.tr("Personal account"), lambda r: money(r.split.account), True),
            (self.tr("Cash"), lambda r: money(r.split.cash), True),
        ]

    def _settled_on(self, line: ReversalLine) -> str:
        day = line.settled_on.isoformat()
        return self.tr("{day} (earlier day)").format(day=day) if line.earlier_day else day
