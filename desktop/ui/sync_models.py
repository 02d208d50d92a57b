"""Thin Qt models over what the sync set aside and what the agency split otherwise.

Rows are ``desktop.sync.outbox``'s own records; the models only word and format them.
Names are masked (``desktop.privacy``): the page lists many people at once, often with
a queue looking on, and the settlement number finds the visit when the full name is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor, QFont

from desktop.money import format_amount, from_fen
from desktop.privacy import mask_name
from desktop.ui.rows_model import RowsModel

if TYPE_CHECKING:
    from desktop.sync.outbox import Difference, SetAsideRecord

_DIFFERS = QColor("#b91c1c")

# The national interface's transactions (医保信息平台接口), as the clerk knows them.
MESSAGES = {
    "2201": QT_TRANSLATE_NOOP("SyncModels", "Registration"),
    "2203": QT_TRANSLATE_NOOP("SyncModels", "Visit details"),
    "2204": QT_TRANSLATE_NOOP("SyncModels", "Fee details"),
    "2207": QT_TRANSLATE_NOOP("SyncModels", "Settlement"),
    "2208": QT_TRANSLATE_NOOP("SyncModels", "Settlement cancelled"),
    "2601": QT_TRANSLATE_NOOP("SyncModels", "Reversal"),
}


def message_text(infno: str) -> str:
    name = MESSAGES.get(infno)
    return f"{infno} {QCoreApplication.translate('SyncModels', str(name))}" if name else infno


def _amount(fen: int) -> str:
    return format_amount(from_fen(fen))


class SetAsideModel(RowsModel["SetAsideRecord"]):
    """Records the agency refused, each with its error, oldest first."""

    ENTRY, MESSAGE, SETTLEMENT, VISIT_DATE, PATIENT, ATTEMPTS, ERROR = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = [
            (self.tr("Record"), lambda r: str(r.entry_id), True),
            (self.tr("Message"), lambda r: message_text(r.infno), False),
            (self.tr("Settlement"), lambda r: str(r.settlement_id), True),
            (self.tr("Visit date"), lambda r: r.visit_date.isoformat(), False),
            (self.tr("Patient"), lambda r: mask_name(r.person_name), False),
            (self.tr("Tries"), lambda r: str(r.attempts), True),
            (self.tr("The agency's reason"), lambda r: r.error, False),
        ]

    def _extra(self, row: SetAsideRecord, column: int, role: int) -> Any:
        if column != self.ERROR:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.error  # a long error is cut off in its cell
        return _DIFFERS if role == Qt.ItemDataRole.ForegroundRole else None


def _owed(row: Difference) -> int:
    """What the patient still owes (+) or gets back (-): the figure the clerk acts on."""
    return row.agency[2] - row.local[2]


class DifferencesModel(RowsModel["Difference"]):
    """Settlements the agency booked with another split: the counter's figures beside the agency's."""

    SETTLEMENT, VISIT_DATE, PATIENT = range(3)
    FUND_LOCAL, FUND_AGENCY, ACCOUNT_LOCAL, ACCOUNT_AGENCY, CASH_LOCAL, CASH_AGENCY = range(3, 9)
    OWED = 9
    SETTLED_UP = 10

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bold = QFont()
        self._bold.setBold(True)
        self.settled_up: dict[int, int] = {}  # settlement → cash settled up, in fen: + collected, - given back
        self._columns = [
            (self.tr("Settlement"), lambda r: str(r.settlement_id), False),
            (self.tr("Visit date"), lambda r: r.visit_date.isoformat(), False),
            (self.tr("Patient"), lambda r: mask_name(r.person_name), False),
            (self.tr("Fund (counter)"), lambda r: _amount(r.local[0]), True),
            (self.tr("Fund (agency)"), lambda r: _amount(r.agency[0]), True),
            (self.tr("Account (counter)"), lambda r: _amount(r.local[1]), True),
            (self.tr("Account (agency)"), lambda r: _amount(r.agency[1]), True),
            (self.tr("Cash (counter)"), lambda r: _amount(r.local[2]), True),
            (self.tr("Cash (agency)"), lambda r: _amount(r.agency[2]), True),
            (self.tr("Patient owes (+) / gets back (-)"), _owed_text, True),
            (self.tr("Settled up"), self._settled_up_text, False),
        ]

    def set_settled_up(self, settled_up: dict[int, int]) -> None:
        """What the settle-ups moved, by settlement; read with the rows, set before them."""
        self.settled_up = dict(settled_up)

    def _settled_up_text(self, row: Difference) -> str:
        done = self.settled_up.get(row.settlement_id, 0)
        if done > 0:
            return self.tr("Collected {0}").format(_amount(done))
        if done < 0:
            return self.tr("Given back {0}").format(_amount(-done))
        return self.tr("Not yet") if _owed(row) else ""

    def _extra(self, row: Difference, column: int, role: int) -> Any:
        if column == self.OWED:
            still_owed = _owed(row) and row.settlement_id not in self.settled_up
            return self._bold if role == Qt.ItemDataRole.FontRole and still_owed else None
        # The agency's figure is the official one: where it differs it is the one to read out.
        agency_figure = {self.FUND_AGENCY: 0, self.ACCOUNT_AGENCY: 1, self.CASH_AGENCY: 2}.get(column)
        if agency_figure is None or row.local[agency_figure] == row.agency[agency_figure]:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _DIFFERS
        return self._bold if role == Qt.ItemDataRole.FontRole else None


def _owed_text(row: Difference) -> str:
    owed = _owed(row)
    return ("+" if owed > 0 else "-" if owed < 0 else "") + _amount(abs(owed))
