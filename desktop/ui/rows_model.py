"""The one table model the pages share: a list of frozen core rows, a column per function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from typing_extensions import override

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
ROW_ROLE = Qt.ItemDataRole.UserRole
_NO_INDEX = QModelIndex()

T = TypeVar("T")
# A column: its header, the row's text in it, and whether it holds a figure (right-aligned).
Column = tuple[str, Callable[[T], str], bool]


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of one frozen type; each column a header and a function of the row.

    Subclasses set ``_columns`` and answer any further role (colour, font, tool tip) in
    ``_extra``; they hold no state of their own beyond the rows.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        self._columns: list[Column[T]] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T:
        return self._rows[row]

    @override
    def rowCount(self, parent: Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._columns)

    @override
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section][0] if 0 <= section < len(self._columns) else None
        return str(section + 1)

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._columns):
            return None
        row = self._rows[index.row()]
        _header, text, numeric = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if numeric else LEFT
        if role == ROW_ROLE:
            return row
        return self._extra(row, index.column(), role)

    def _extra(self, row: T, column: int, role: int) -> Any:  # noqa: ARG002
        return None
