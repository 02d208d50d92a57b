"""Thin Qt models: each adapts a list of core objects for a view and nothing more."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from typing_extensions import override

from desktop.diagnoses import DiagnosisChoice
from desktop.money import format_amount
from desktop.privacy import Masking
from desktop.ui.i18n import CHINA
from desktop.ui.rows_model import RowsModel
from desktop.ui.visit import CatalogueEntry, EntryError, Line, parse_price, parse_quantity

if TYPE_CHECKING:
    from desktop.official import Figures
    from desktop.ui.settlements import SettlementRow

AnyIndex = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _quantity_text(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"


class MatchesModel(QAbstractListModel):
    """Catalogue entries matching what the clerk typed, best first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[CatalogueEntry] = []

    def set_entries(self, entries: Sequence[CatalogueEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> CatalogueEntry:
        return self._entries[row]

    @override
    def rowCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._entries)

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{entry.code}  {entry.name}  {format_amount(entry.price)}/{entry.unit}  [{entry.pinyin}]"
        if role == Qt.ItemDataRole.EditRole:
            return entry.code
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Class {0} · {1}").format(entry.item_class, entry.kind)
        return None


class DiagnosisMatchesModel(QAbstractListModel):
    """Diagnoses matching what the clerk typed in the diagnosis box, best first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._choices: list[DiagnosisChoice] = []

    def set_entries(self, choices: Sequence[DiagnosisChoice]) -> None:
        self.beginResetModel()
        self._choices = list(choices)
        self.endResetModel()

    def entry(self, row: int) -> DiagnosisChoice:
        return self._choices[row]

    @override
    def rowCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._choices)

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._choices):
            return None
        choice = self._choices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{choice.code}  {choice.name}  [{choice.initials}]"
        if role == Qt.ItemDataRole.EditRole:
            return choice.code
        return None


class VisitLinesModel(QAbstractTableModel):
    """The lines of the visit being entered; quantity and price are edited in place."""

    CODE, NAME, QUANTITY, PRICE, AMOUNT, CLASS = range(6)
    EDITABLE = (QUANTITY, PRICE)
    refused = Signal(object)  # the EntryError of a cell typed wrong; the line stays as it was

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[Line] = []
        # Asked for on every paint of the header: translated once.
        self._titles = [self.tr("Code"), self.tr("Item"), self.tr("Qty"), self.tr("Price"), self.tr("Amount"),
                        self.tr("Class")]  # fmt: skip
        self._edit: Callable[[int, int, str], None] | None = None
        self.last_error: EntryError | None = None

    def set_lines(self, lines: Sequence[Line]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def set_line(self, row: int, line: Line) -> None:
        """One line edited in its cell: changed in place, as a reset would pull the editor from under the view."""
        self._lines[row] = line
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def on_edit(self, edit: Callable[[int, int, str], None]) -> None:
        """Who applies an edit (row, column, text) to the visit; the model only passes it on."""
        self._edit = edit

    @override
    def rowCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._lines)

    @override
    def columnCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else 6

    @override
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return self._titles[section] if 0 <= section < len(self._titles) else None

    @override
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in self.EDITABLE else base

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.QUANTITY, self.PRICE, self.AMOUNT):
            return int(_RIGHT.value)
        if role == Qt.ItemDataRole.ForegroundRole and line.entry.item_class == "C":
            return QColor("#b45309")
        return None

    def _text(self, line: Line, column: int) -> str:
        texts = {
            self.CODE: line.entry.code,
            self.NAME: line.entry.name,
            self.QUANTITY: _quantity_text(line.quantity),
            self.PRICE: format_amount(line.price),
            self.AMOUNT: format_amount(line.amount),
            self.CLASS: {"A": self.tr("A"), "B": self.tr("B"), "C": self.tr("C (self-pay)")}[line.entry.item_class],
        }
        return texts.get(column, "")

    @override
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in self.EDITABLE:
            return False
        if self._edit is None:
            return False
        try:
            # Checked here so a bad cell is refused before the visit changes.
            (parse_quantity if index.column() == self.QUANTITY else parse_price)(str(value))
            self._edit(index.row(), index.column(), str(value))
        except EntryError as exc:
            self.last_error = exc
            self.refused.emit(exc)
            return False
        self.last_error = None
        return True


class SettlementsModel(RowsModel["SettlementRow"]):
    """The day's settlements at their official figures (the agency's once booked), the
    counter's in the tool tip where they differ; reversed ones stay, struck through and marked."""

    NUMBER, TIME, PATIENT, ID_NUMBER, TOTAL, FUND, ACCOUNT, CASH, SETTLE_UP, STATE = range(10)
    FIGURES: ClassVar[dict[int, str]] = {FUND: "fund", ACCOUNT: "account", CASH: "cash"}

    def __init__(self, parent: QObject | None = None, *, full_id: bool = False) -> None:
        super().__init__(parent)
        self.full_id = full_id
        self._strike = QFont()
        self._strike.setStrikeOut(True)
        self._bold = QFont()
        self._bold.setBold(True)
        self._columns = [
            # The number the banner, the receipt and the reversal dialog give: the clerk finds it here.
            (self.tr("No."), lambda r: str(r.settlement_id), True),
            (self.tr("Time"), lambda r: r.settled_at.astimezone(CHINA).strftime("%H:%M"), False),
            (self.tr("Patient"), lambda r: r.patient_name, False),
            (self.tr("ID number"), self._id_number, False),
            (self.tr("Total"), lambda r: format_amount(r.total), True),
            (self.tr("Fund"), lambda r: format_amount(r.fund), True),
            (self.tr("Account"), lambda r: format_amount(r.account), True),
            (self.tr("Cash"), lambda r: format_amount(r.cash), True),
            (self.tr("Settle-up"), self._settle_up, True),
            (self.tr("State"), self._state, False),
        ]

    def _state(self, row: SettlementRow) -> str:
        return state_text(row)

    def _settle_up(self, row: SettlementRow) -> str:
        return settle_up_text(row.figures)

    def _id_number(self, row: SettlementRow) -> str:
        return Masking(self.full_id).id_number(row.id_number)

    def _extra(self, row: SettlementRow, column: int, role: int) -> Any:
        if row.reversed:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#b91c1c")
            if role == Qt.ItemDataRole.FontRole and column != self.STATE:
                return self._strike
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Reversed: {0}").format(row.reversal_reason)
            return None
        figure = self.FIGURES.get(column)
        differs = figure is not None and _differs(row, figure)
        owed = column == self.SETTLE_UP and bool(row.owed)
        if role == Qt.ItemDataRole.ForegroundRole:
            if differs or owed:
                return QColor("#b91c1c")
            if column == self.STATE and row.figures.waiting:
                return QColor("#b45309")
        if role == Qt.ItemDataRole.FontRole and (differs or owed):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and differs and figure is not None:
            counter = format_amount(getattr(row.figures.counter, figure))
            return self.tr("The agency's figure; the counter charged {0}").format(counter)
        return None


def _differs(row: SettlementRow, figure: str) -> bool:
    agency = row.figures.agency
    return agency is not None and getattr(agency, figure) != getattr(row.figures.counter, figure)


STATES = {
    "self_pay": QT_TRANSLATE_NOOP("SettlementsModel", "Self-pay"),
    "waiting": QT_TRANSLATE_NOOP("SettlementsModel", "Waiting for the agency"),
    "set_aside": QT_TRANSLATE_NOOP("SettlementsModel", "Set aside by the agency: waiting"),
    "booked": QT_TRANSLATE_NOOP("SettlementsModel", "Settled"),
    "differs": QT_TRANSLATE_NOOP("SettlementsModel", "Settled by the agency at its own split"),
}


def state_text(row: SettlementRow) -> str:
    """Where a settlement stands, as the clerk reads it: never "settled" before the agency booked it."""
    if row.reversed:
        return QCoreApplication.translate("SettlementsModel", "Reversed: {0}").format(row.reversal_reason)
    return QCoreApplication.translate("SettlementsModel", str(STATES[row.figures.standing.value]))


def settle_up_text(figures: Figures) -> str:
    """The settle-up owed (to collect or give back) or done; empty where there is none."""

    translate = QCoreApplication.translate
    done, owed = figures.settled_up, figures.owed
    if done > 0:
        return translate("SettlementsModel", "Collected {0}").format(format_amount(done))
    if done < 0:
        return translate("SettlementsModel", "Refunded {0}").format(format_amount(-done))
    if owed > 0:
        return translate("SettlementsModel", "To collect {0}").format(format_amount(owed))
    if owed < 0:
        return translate("SettlementsModel", "To refund {0}").format(format_amount(-owed))
    return ""
