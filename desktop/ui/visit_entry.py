"""Visit entry, keyboard first: diagnosis, then items by code, pinyin initials or name.

Matches show in a list under the item box rather than a popup: a popup takes the
keyboard and covers the quote the clerk is reading out. Up and Down move through the
matches, Enter adds the highlighted one; ``amx*2`` adds two. Delete in the table
removes a line; quantity and price are edited in the table (F2).

Built in two steps (see ``desktop.ui.main_window``): the boxes and the empty table for
the window's first frame, then ``finish_building`` gives the table and the matches their
models, the diagnosis its completer and the keys their filter. The models answer Qt in
Python with Qt's own enums (roles, orientations), and the first of those to be touched
costs ~25 ms to load; none of it is needed before a patient's card is read. For the
same reason the visit's arithmetic (``desktop.ui.visit``) is imported where it is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QFormLayout, QLineEdit, QListView, QTableView, QVBoxLayout, QWidget

from desktop.ui.widgets import label, named

if TYPE_CHECKING:
    from PySide6.QtCore import QStringListModel

    from desktop.settlement.draft import DiagnosisLine
    from desktop.ui.models import MatchesModel, VisitLinesModel
    from desktop.ui.visit import CatalogueEntry, EntryError, VisitInProgress


class VisitEntry(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue: list[CatalogueEntry] = []
        self.known_diagnoses: list[DiagnosisLine] = []
        self.visit: VisitInProgress | None = None

        self.finished = False
        # The layout first, then each box into it: top down, as the window is built.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        layout.addLayout(form)
        self.diagnosis = named(QLineEdit(), "diagnosis")
        self.diagnosis.setPlaceholderText(self.tr("ICD code or name, e.g. J06"))
        self.diagnosis.returnPressed.connect(self._diagnosis_entered)
        self.diagnosis.editingFinished.connect(self.take_diagnosis)
        form.addRow(self.tr("&Diagnosis"), self.diagnosis)

        self.item = named(QLineEdit(), "itemSearch")
        self.item.setPlaceholderText(self.tr("Item: code, pinyin initials or name; amx*2 for two"))
        self.item.textEdited.connect(self._show_matches)
        self.item.returnPressed.connect(self._add_match)
        form.addRow(self.tr("&Item"), self.item)

        self.matches = named(QListView(), "matches")
        self.matches.setMaximumHeight(140)
        self.matches.hide()
        layout.addWidget(self.matches)
        self.message = label("entryMessage", wrap=True)
        self.message.hide()
        layout.addWidget(self.message)
        self.lines = named(QTableView(), "visitLines")
        self.lines.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.lines.verticalHeader().setDefaultSectionSize(26)
        layout.addWidget(self.lines, 1)
        self.setEnabled(False)
        self.matches_model: MatchesModel
        self.lines_model: VisitLinesModel
        self._diagnosis_names: QStringListModel

    def finish_building(self) -> None:
        """The second step: the models, the completer and the keys (see the module's docstring)."""
        if self.finished:
            return
        self.finished = True
        from PySide6.QtCore import QStringListModel, Qt
        from PySide6.QtWidgets import QCompleter, QHeaderView

        from desktop.ui.models import MatchesModel, VisitLinesModel

        self._diagnosis_names = QStringListModel(self)
        completer = QCompleter(self._diagnosis_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.diagnosis.setCompleter(completer)
        self.matches_model = MatchesModel(self)
        self.matches.setModel(self.matches_model)
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines_model = VisitLinesModel(self)
        self.lines_model.on_edit(self._edit_line)
        self.lines.setModel(self.lines_model)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VisitLinesModel.NAME, QHeaderView.ResizeMode.Stretch)
        from desktop.ui.visit_keys import VisitKeys

        self.keys = VisitKeys(self)

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
            from desktop.ui.visit import parse_diagnosis

            self.visit.diagnosis = parse_diagnosis(self.diagnosis.text(), self.known_diagnoses)

    def _diagnosis_entered(self) -> None:
        self.take_diagnosis()
        if self.visit is not None and self.visit.diagnosis is not None:
            self.diagnosis.setText(f"{self.visit.diagnosis.code} {self.visit.diagnosis.name}".strip())
        self.item.setFocus()

    # --- items ----------------------------------------------------------------------

    def _show_matches(self, text: str) -> None:
        from desktop.ui.visit import search

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
        from desktop.ui.visit import EntryError, split_quantity

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
        from desktop.ui.visit import parse_price, parse_quantity

        assert self.visit is not None
        if column == self.lines_model.QUANTITY:
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

    def move_match(self, step: int) -> bool:
        """Up (-1) or Down (1) through the matches; False when there are none."""
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
