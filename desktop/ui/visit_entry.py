"""Visit entry, keyboard first: diagnosis, then items by code, pinyin initials or name.

Matches show in a list under the item box rather than a popup: a popup takes the
keyboard and covers the quote the clerk is reading out. Up and Down move through the
matches, Enter adds the highlighted one; ``amx*2`` adds two. Delete in the table
removes a line; quantity and price are edited in the table (F2).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from desktop.ui.models import MatchesModel, VisitLinesModel
from desktop.ui.visit import (
    CatalogueEntry,
    EntryError,
    VisitInProgress,
    parse_diagnosis,
    parse_price,
    parse_quantity,
    search,
    split_quantity,
)
from desktop.ui.widgets import label, named

if TYPE_CHECKING:
    from desktop.settlement.draft import DiagnosisLine


class VisitEntry(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue: list[CatalogueEntry] = []
        self.known_diagnoses: list[DiagnosisLine] = []
        self.visit: VisitInProgress | None = None

        self.diagnosis = named(QLineEdit(), "diagnosis")
        self.diagnosis.setPlaceholderText(self.tr("ICD code or name, e.g. J06"))
        self._diagnosis_names = QStringListModel(self)
        completer = QCompleter(self._diagnosis_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.diagnosis.setCompleter(completer)
        self.diagnosis.returnPressed.connect(self._diagnosis_entered)
        self.diagnosis.editingFinished.connect(self.take_diagnosis)

        self.item = named(QLineEdit(), "itemSearch")
        self.item.setPlaceholderText(self.tr("Item: code, pinyin initials or name; amx*2 for two"))
        self.item.textEdited.connect(self._show_matches)
        self.item.returnPressed.connect(self._add_match)
        self.item.installEventFilter(self)

        self.matches_model = MatchesModel(self)
        self.matches = named(QListView(), "matches")
        self.matches.setModel(self.matches_model)
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.matches.setMaximumHeight(140)
        self.matches.hide()

        self.lines_model = VisitLinesModel(self)
        self.lines_model.on_edit(self._edit_line)
        self.lines = named(QTableView(), "visitLines")
        self.lines.setModel(self.lines_model)
        self.lines.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
        )
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VisitLinesModel.NAME, QHeaderView.ResizeMode.Stretch)
        self.lines.verticalHeader().setDefaultSectionSize(26)
        self.lines.installEventFilter(self)

        self.message = label("entryMessage", wrap=True)
        self.message.hide()

        form = QFormLayout()
        form.addRow(self.tr("&Diagnosis"), self.diagnosis)
        form.addRow(self.tr("&Item"), self.item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.matches)
        layout.addWidget(self.message)
        layout.addWidget(self.lines, 1)
        self.setEnabled(False)

    # --- what the counter hands in --------------------------------------------------

    def set_catalogue(self, entries: Sequence[CatalogueEntry], diagnoses: Sequence[DiagnosisLine]) -> None:
        self.catalogue = list(entries)
        self.known_diagnoses = list(diagnoses)
        self._diagnosis_names.setStringList([f"{d.code} {d.name}" for d in diagnoses])

    def start(self, visit: VisitInProgress) -> None:
        self.visit = visit
        self.setEnabled(True)
        self.diagnosis.clear()
        self.item.clear()
        self._say("")
        self.matches.hide()
        self._refresh_lines()

    def stop(self) -> None:
        self.visit = None
        self.diagnosis.clear()
        self.item.clear()
        self.matches.hide()
        self._say("")
        self.lines_model.set_lines([])
        self.setEnabled(False)

    # --- diagnosis ------------------------------------------------------------------

    def take_diagnosis(self) -> None:
        if self.visit is not None:
            self.visit.diagnosis = parse_diagnosis(self.diagnosis.text(), self.known_diagnoses)

    def _diagnosis_entered(self) -> None:
        self.take_diagnosis()
        if self.visit is not None and self.visit.diagnosis is not None:
            self.diagnosis.setText(f"{self.visit.diagnosis.code} {self.visit.diagnosis.name}".strip())
        self.item.setFocus()

    # --- items ----------------------------------------------------------------------

    def _show_matches(self, text: str) -> None:
        typed, _, _ = text.partition("*")
        found = search(self.catalogue, typed)
        self.matches_model.set_entries(found)
        self.matches.setVisible(bool(found))
        if found:
            self.matches.setCurrentIndex(self.matches_model.index(0, 0))
        self._say(
            "" if found or not typed.strip() else self.tr("Nothing in the catalogue matches “{0}”.").format(typed)
        )

    def _add_match(self) -> None:
        if self.visit is None:
            return
        text = self.item.text()
        if not text.strip():
            return
        try:
            typed, quantity = split_quantity(text)
        except EntryError as exc:
            self._say(self._entry_message(exc))
            return
        if self.matches_model.rowCount() == 0:
            self._show_matches(typed)
        current = self.matches.currentIndex()
        if self.matches_model.rowCount() == 0:
            return
        entry = self.matches_model.entry(current.row() if current.isValid() else 0)
        row = self.visit.add(entry, quantity)
        self.item.clear()
        self.matches.hide()
        self.matches_model.set_entries([])
        self._say("")
        self._refresh_lines()
        self.lines.selectRow(row)
        self.item.setFocus()

    def _edit_line(self, row: int, column: int, text: str) -> None:
        assert self.visit is not None
        if column == VisitLinesModel.QUANTITY:
            self.visit.set_quantity(row, parse_quantity(text))
        else:
            self.visit.set_price(row, parse_price(text))
        self._refresh_lines()

    def remove_selected(self) -> None:
        if self.visit is None:
            return
        rows = sorted({i.row() for i in self.lines.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            self.visit.remove(row)
        self._refresh_lines()

    def _refresh_lines(self) -> None:
        self.lines_model.set_lines([] if self.visit is None else self.visit.lines)
        self.changed.emit()

    # --- keys -----------------------------------------------------------------------

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.item and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                return self._move_match(-1 if event.key() == Qt.Key.Key_Up else 1)
            if watched is self.lines and event.key() == Qt.Key.Key_Delete:
                self.remove_selected()
                return True
        return super().eventFilter(watched, event)

    def _move_match(self, step: int) -> bool:
        count = self.matches_model.rowCount()
        if count == 0:
            return False
        row = (self.matches.currentIndex().row() + step) % count
        self.matches.setCurrentIndex(self.matches_model.index(row, 0))
        return True

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _entry_message(self, error: EntryError) -> str:
        return self.tr("Quantity: {0}").format(error.message)
