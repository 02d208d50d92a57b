"""Thin Qt models over what the sync set aside and what the agency split otherwise.

Rows are ``desktop.sync.outbox``'s own records; the models only word and format them.
Names are masked (``desktop.privacy``): the page lists many people at once, often with
a queue looking on, and the settlement number finds the visit when the full name is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from typing_extensions import override

from desktop.money import format_amount, from_fen
from desktop.privacy import mask_name
from desktop.ui.models import AnyIndex

if TYPE_CHECKING:
    from desktop.sync.outbox import Difference, SetAsideRecord

_NO_INDEX = QModelIndex()
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
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


class SetAsideModel(QAbstractTableModel):
    """Records the agency refused, each with its error, oldest first."""

    ENTRY, MESSAGE, SETTLEMENT, VISIT_DATE, PATIENT, ATTEMPTS, ERROR = range(7)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SetAsideRecord] = []
        self._titles = [self.tr("Record"), self.tr("Message"), self.tr("Settlement"), self.tr("Visit date"),
                        self.tr("Patient"), self.tr("Tries"), self.tr("The agency's reason")]  # fmt: skip

    def set_rows(self, rows: Sequence[SetAsideRecord]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> SetAsideRecord:
        return self._rows[row]

    @override
    def rowCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._titles)

    @override
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self._titles[section] if 0 <= section < len(self._titles) else None

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.ERROR:
            return row.error  # a long error is cut off in its cell
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ERROR:
            return _DIFFERS
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.ENTRY, self.SETTLEMENT, self.ATTEMPTS):
            return int(_RIGHT.value)
        return None

    def _text(self, row: SetAsideRecord, column: int) -> str:
        texts = {
            self.ENTRY: str(row.entry_id),
            self.MESSAGE: message_text(row.infno),
            self.SETTLEMENT: str(row.settlement_id),
            self.VISIT_DATE: row.visit_date.isoformat(),
            self.PATIENT: mask_name(row.person_name),
            self.ATTEMPTS: str(row.attempts),
            self.ERROR: row.error,
        }
        return texts.get(column, "")


class DifferencesModel(QAbstractTableModel):
    """Settlements the agency booked with another split: the counter's figures beside the agency's."""

    SETTLEMENT, VISIT_DATE, PATIENT = range(3)
    FUND_LOCAL, FUND_AGENCY, ACCOUNT_LOCAL, ACCOUNT_AGENCY, CASH_LOCAL, CASH_AGENCY = range(3, 9)
    OWED = 9  # what the patient still owes (+) or gets back (-): the figure the clerk acts on
    # Each money column: which of (fund, account, cash), and whether the agency's figure.
    PAIRS: ClassVar[dict[int, tuple[int, bool]]] = {
        FUND_LOCAL: (0, False),
        FUND_AGENCY: (0, True),
        ACCOUNT_LOCAL: (1, False),
        ACCOUNT_AGENCY: (1, True),
        CASH_LOCAL: (2, False),
        CASH_AGENCY: (2, True),
    }

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Difference] = []
        self._titles = [self.tr("Settlement"), self.tr("Visit date"), self.tr("Patient"),
                        self.tr("Fund (counter)"), self.tr("Fund (agency)"),
                        self.tr("Account (counter)"), self.tr("Account (agency)"),
                        self.tr("Cash (counter)"), self.tr("Cash (agency)"),
                        self.tr("Patient owes (+) / gets back (-)")]  # fmt: skip
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[Difference]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Difference:
        return self._rows[row]

    @override
    def rowCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._titles)

    @override
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self._titles[section] if 0 <= section < len(self._titles) else None

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        pair = self.PAIRS.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column, pair)
        if column == self.OWED:
            owed = row.agency[2] - row.local[2]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_RIGHT.value)
            if role == Qt.ItemDataRole.FontRole and owed:
                return self._bold
            return None
        if pair is None:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT.value)
        differs = row.local[pair[0]] != row.agency[pair[0]]
        # The agency's figure is the official one: where it differs it is the one to read out.
        if role == Qt.ItemDataRole.ForegroundRole and differs and pair[1]:
            return _DIFFERS
        if role == Qt.ItemDataRole.FontRole and differs and pair[1]:
            return self._bold
        return None

    def _text(self, row: Difference, column: int, pair: tuple[int, bool] | None) -> str:
        if pair is not None:
            which, agency = pair
            return _amount((row.agency if agency else row.local)[which])
        if column == self.OWED:
            owed = row.agency[2] - row.local[2]
            return ("+" if owed > 0 else "-" if owed < 0 else "") + _amount(abs(owed))
        texts = {
            self.SETTLEMENT: str(row.settlement_id),
            self.VISIT_DATE: row.visit_date.isoformat(),
            self.PATIENT: mask_name(row.person_name),
        }
        return texts.get(column, "")
