"""Thin table models over the ledger rows and the day close; no queries, no arithmetic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor, QFont

from desktop.day_close import DayClose, OwedLine, ReversalLine, SchemeLine, SetAsideLine, SettleUpLine, Split
from desktop.ledger import LedgerRow
from desktop.money import format_amount
from desktop.official import Standing
from desktop.ui.rows_model import RowsModel

GREY = QColor("#808080")
RED = QColor("#b91c1c")
AMBER = QColor("#b45309")  # waiting on someone


def money(value: Decimal) -> str:
    return format_amount(value)


class LedgerTableModel(RowsModel[LedgerRow]):
    """The register on screen; reversed visits greyed and struck through, never hidden."""

    DIAGNOSIS = 6
    FUND, PATIENT_PAYS = 8, 9
    FIGURES = (7, 8, 9, 12)  # total, fund pays, patient pays, settlement no.: never cut short
    SIGNATURE = 10
    STATUS = 13

    def __init__(self, facility_names: dict[str, str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        names = facility_names or {}
        self._words = StatusWords.translated()
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
        return ledger_status(row, self._words)

    def _extra(self, row: LedgerRow, column: int, role: int) -> Any:
        standing = row.standing
        differs = standing is Standing.DIFFERS and _figure_differs(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if standing is Standing.SET_ASIDE and not row.reversed:  # waiting on the agency, not counted
                return AMBER if column == self.STATUS else GREY
            if row.reversed:
                return GREY
            if differs:
                return RED
            if column == self.SIGNATURE and not row.signed:
                return QColor("#b05000")
        if role == Qt.ItemDataRole.FontRole and row.reversed and column != self.STATUS:
            return self._strike
        if role == Qt.ItemDataRole.ToolTipRole and (row.reversed or differs or standing is Standing.SET_ASIDE):
            return self._status(row)
        return None


def _figure_differs(row: LedgerRow, column: int) -> bool:
    """Whether the agency's figure in this column is not the counter's."""
    if column == LedgerTableModel.FUND:
        return row.fund_fen != row.counter_fund_fen
    if column == LedgerTableModel.PATIENT_PAYS:
        return row.account_fen + row.cash_fen != row.counter_account_fen + row.counter_cash_fen
    return False


@dataclass(frozen=True, slots=True)
class StatusWords:
    """A register row's notes in the interface language, translated once on the GUI thread."""

    reversed: str
    self_pay: str
    set_aside: str
    differs: str

    @classmethod
    def translated(cls) -> StatusWords:
        translate = QCoreApplication.translate
        return cls(
            translate("LedgerTableModel", "Reversed: {reason}"),
            translate("LedgerTableModel", "Self-pay"),
            translate("LedgerTableModel", "Set aside by the agency: not counted"),
            translate("LedgerTableModel", "The agency's split; counter: fund {fund}, patient {patient}"),
        )


def ledger_status(row: LedgerRow, words: StatusWords) -> str:
    """The note a register row carries: reversed, self-pay, where it stands with the agency, the counter's figures."""
    if row.reversed:
        return words.reversed.format(reason=row.reversal_reason)
    standing = row.standing
    if standing is Standing.DIFFERS:
        counter = row.counter_split
        return words.differs.format(fund=money(counter.fund), patient=money(counter.account + counter.cash))
    # Not yet booked is the rule for a clinic offline for days, not a note for every row:
    # the totals say how many wait; a row the agency set aside is marked.
    notes = {Standing.SELF_PAY: words.self_pay, Standing.SET_ASIDE: words.set_aside}
    return notes.get(standing, "")


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
            (self.tr("Cash given back"), lambda r: money(r.cash_back), True),
        ]

    def _extra(self, row: ReversalLine, column: int, role: int) -> Any:  # noqa: ARG002
        if not row.counted and role == Qt.ItemDataRole.ForegroundRole:
            return GREY  # of a record the agency set aside: never in the totals
        return None

    def _settled_on(self, line: ReversalLine) -> str:
        day = line.settled_on.isoformat()
        return self.tr("{day} (earlier day)").format(day=day) if line.earlier_day else day


class DrawerModel(RowsModel[tuple[str, Decimal]]):
    """The cash the drawer should hold: taken, given back, settled up, and the sum."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("Cash drawer"), lambda d: d[0], False),
            (self.tr("Amount"), lambda d: money(d[1]), True),
        ]

    def show(self, close: DayClose) -> None:
        drawer = close.drawer
        self.set_rows(
            [
                (self.tr("Taken at settlements"), drawer.settled),
                (self.tr("Given back at reversals"), -drawer.reversed),
                (self.tr("Collected by settle-ups (补收)"), drawer.collected),
                (self.tr("Given back by settle-ups (退费)"), -drawer.refunded),
                (self.tr("The drawer should hold"), drawer.expected),
            ]
        )

    def _extra(self, row: tuple[str, Decimal], column: int, role: int) -> Any:  # noqa: ARG002
        if role == Qt.ItemDataRole.FontRole and row is self._rows[-1]:
            bold = QFont()
            bold.setBold(True)
            return bold
        return None


SettleUpRow = SettleUpLine | OwedLine


class SettleUpModel(RowsModel[SettleUpRow]):
    """Settle-ups done this day, then those still owed at its end (补收 +, 退费 -)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("State"), self._state, False),
            (self.tr("Settlement no."), lambda r: str(r.settlement_id), True),
            (self.tr("Patient"), lambda r: r.patient, False),
            (self.tr("Collect (+) / give back (-)"), self._amount, True),
            (self.tr("By"), lambda r: r.staff if isinstance(r, SettleUpLine) else "", False),
            (self.tr("Agency settlement no."), lambda r: r.agency_setl_id, False),
        ]

    def show(self, close: DayClose) -> None:
        self.set_rows([*close.settle_ups, *close.owed])

    def _state(self, row: SettleUpRow) -> str:
        if isinstance(row, SettleUpLine):
            return self.tr("Done at {time}").format(time=row.at.strftime("%H:%M"))
        return self.tr("Owed (settled {day})").format(day=row.settled_on.isoformat())

    def _amount(self, row: SettleUpRow) -> str:
        value = row.cash if isinstance(row, SettleUpLine) else row.owed
        return ("+" if value > 0 else "-" if value < 0 else "") + money(abs(value))

    def _extra(self, row: SettleUpRow, column: int, role: int) -> Any:  # noqa: ARG002
        if role == Qt.ItemDataRole.ForegroundRole and isinstance(row, OwedLine):
            return RED
        return None


class DayCloseSetAsideModel(RowsModel[SetAsideLine]):
    """The day's settlements the agency set aside: at the counter's figures, not counted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("Settled at"), lambda r: r.settled_at.strftime("%H:%M"), False),
            (self.tr("Settlement no."), lambda r: str(r.settlement_id), True),
            (self.tr("Patient"), lambda r: r.patient, False),
            (self.tr("Total"), lambda r: money(r.split.total), True),
            (self.tr("Fund"), lambda r: money(r.split.fund), True),
            (self.tr("Personal account"), lambda r: money(r.split.account), True),
            (self.tr("Cash"), lambda r: money(r.split.cash), True),
            (self.tr("State"), self._state, False),
        ]

    def _state(self, row: SetAsideLine) -> str:
        return self.tr("Reversed") if row.reversed else self.tr("Waiting for the agency")
