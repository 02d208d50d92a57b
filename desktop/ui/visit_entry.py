"""Visit entry, keyboard first: diagnosis, then items by code, pinyin initials or name.

A settlement needs a diagnosis (the agency refuses a visit's 2203 without one), so the
card check leaves the keyboard in the diagnosis box. For a returning patient the counter
offers the last diagnosis there (上次诊断), selected: Enter keeps it, typing replaces
it. It is only ever used if the clerk keeps it, so it is offered only while the clerk
is still at the untouched box; one that comes later waits until the box is asked for
again (an F12 refused for want of a diagnosis).

Matches show in a list under the boxes rather than a popup: a popup takes the keyboard
and covers the quote the clerk is reading out. The diagnosis box finds diagnoses by
code, pinyin initials (``jxsh``) or a fragment of the name (``感冒``), from the shipped
and downloaded catalogues and what the clinic wrote before (``desktop.diagnoses``); the
item box finds catalogue items the same way. Up and Down move through the matches of
the box being typed in, Enter takes the highlighted one; ``amx*2`` adds two. Delete in
the table removes a line; quantity and price are edited in the table (F2).

Built in two steps (see ``desktop.ui.main_window``): the boxes and the empty table for
the window's first frame, then ``finish_building`` gives the table and the matches their
models and the keys their filter. The models answer Qt in
Python with Qt's own enums (roles, orientations), and the first of those to be touched
costs ~25 ms to load; none of it is needed before a patient's card is read. For the
same reason the visit's arithmetic (``desktop.ui.visit``) is imported where it is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QFormLayout, QLineEdit, QListView, QTableView, QVBoxLayout, QWidget

from desktop.ui.doctor_choice import DoctorChoice
from desktop.ui.widgets import label, named

if TYPE_CHECKING:
    from desktop.diagnoses import DiagnosisChoice
    from desktop.settlement.draft import DiagnosisLine
    from desktop.ui.models import DiagnosisMatchesModel, MatchesModel, VisitLinesModel
    from desktop.ui.visit import CatalogueEntry, EntryError, VisitInProgress


class VisitEntry(QWidget):
    changed = Signal()
    diagnosed = Signal()  # the visit has a diagnosis from the box

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue: list[CatalogueEntry] = []
        self.known_diagnoses: list[DiagnosisChoice] = []
        self.visit: VisitInProgress | None = None
        self.suggested: DiagnosisLine | None = None  # this patient's last diagnosis, once read
        self._typed_diagnosis = False  # the clerk typed in the box during this visit

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
        self.diagnosis.textEdited.connect(self._diagnosis_typed)
        form.addRow(self.tr("&Diagnosis"), self.diagnosis)
        # Says the text in the box is a suggestion, not yet the visit's diagnosis. Emptied
        # rather than hidden, its line kept, so the item box stays put as the clerk reaches
        # for it (a hidden row of a form layout gives up its line).
        self.suggestion_hint = label("suggestionHint")
        self.suggestion_hint.setMinimumHeight(self.suggestion_hint.fontMetrics().lineSpacing())
        form.addRow("", self.suggestion_hint)
        # The diagnosing doctor, filled by the counter once the staff's facility is known.
        self.doctor = DoctorChoice()
        form.addRow(self.tr("Ph&ysician"), self.doctor)

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
        self.diagnosis_matches: DiagnosisMatchesModel  # the list shows one or the other
        self.lines_model: VisitLinesModel

    def finish_building(self) -> None:
        """The second step: the models, the completer and the keys (see the module's docstring)."""
        if self.finished:
            return
        self.finished = True
        self.doctor.finish_building()
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QHeaderView

        from desktop.ui.models import DiagnosisMatchesModel, MatchesModel, VisitLinesModel

        self.diagnosis_matches = DiagnosisMatchesModel(self)
        self.matches_model = MatchesModel(self)
        self.matches.setModel(self.matches_model)
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines_model = VisitLinesModel(self)
        self.lines_model.on_edit(self._edit_line)
        self.lines_model.refused.connect(lambda error: self._say(self._entry_message(error)))
        self.lines.setModel(self.lines_model)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VisitLinesModel.NAME, QHeaderView.ResizeMode.Stretch)
        from desktop.ui.visit_keys import VisitKeys

        self.keys = VisitKeys(self)

    # --- what the counter hands in --------------------------------------------------

    def set_catalogue(self, entries: Sequence[CatalogueEntry], diagnoses: Sequence[DiagnosisChoice]) -> None:
        self.catalogue = list(entries)
        self.known_diagnoses = list(diagnoses)

    def start(self, visit: VisitInProgress) -> None:
        self.visit = visit
        self.setEnabled(True)
        self.doctor.to_preselected()
        self._forget_diagnosis()
        self.item.clear()
        self._say("")
        self._hide_matches()
        self._refresh_lines()

    def stop(self) -> None:
        self.visit = None
        self._forget_diagnosis()
        self.item.clear()
        self._hide_matches()
        self._say("")
        self.lines_model.set_lines([])
        self.setEnabled(False)

    # --- diagnosis ------------------------------------------------------------------

    def focus_diagnosis(self) -> None:
        self.diagnosis.setFocus()

    def suggest(self, line: DiagnosisLine) -> None:
        """The patient's last diagnosis has been read: offered if the clerk is still at the empty box."""
        self.suggested = line
        if self.window().focusWidget() is self.diagnosis and not self._typed_diagnosis:
            self.offer_suggestion()

    def offer_suggestion(self) -> None:
        """Into the empty box, selected, with the hint: Enter keeps it, typing replaces it."""
        if self.suggested is None or self.diagnosis.text().strip():
            return
        from desktop.ui.visit import diagnosis_text

        self.diagnosis.setText(diagnosis_text(self.suggested))
        self.diagnosis.selectAll()
        self._hint(True)

    def keep_diagnosis(self, line: DiagnosisLine) -> None:
        """The visit's diagnosis given, not offered (a visit brought back to settle again)."""
        from desktop.ui.visit import diagnosis_text

        self.suggested = line
        self.diagnosis.setText(diagnosis_text(line))
        self.take_diagnosis()

    def take_diagnosis(self) -> None:
        if self.visit is None:
            return
        from desktop.ui.visit import diagnosis_text, parse_diagnosis

        text = self.diagnosis.text()
        if self.suggested is not None and text.strip() == diagnosis_text(self.suggested):
            # Kept as read, code and all, even when the completer's list does not hold it.
            self.visit.diagnosis = self.suggested
        else:
            self.visit.diagnosis = parse_diagnosis(text, self.known_diagnoses)
        if self.visit.diagnosis is not None:
            self._hint(False)  # kept: the visit's diagnosis now, no longer a suggestion
            self.diagnosed.emit()

    def _diagnosis_entered(self) -> None:
        """Enter: the highlighted match when the list shows some, else the box as typed."""
        from desktop.ui.visit import diagnosis_text

        row = self._highlighted(self.diagnosis_matches)
        if row is not None:  # parsed back into the same code and name
            self.diagnosis.setText(self.diagnosis_matches.entry(row).text)
        self._hide_matches()
        self.take_diagnosis()
        if self.visit is not None and self.visit.diagnosis is not None:
            self.diagnosis.setText(diagnosis_text(self.visit.diagnosis))
        self.item.setFocus()

    def _diagnosis_typed(self, text: str) -> None:
        from desktop.diagnoses import search

        self._typed_diagnosis = True
        self._hint(False)
        self.diagnosis_matches.set_entries(search(self.known_diagnoses, text))
        self._list(self.diagnosis_matches)

    def _hint(self, shown: bool) -> None:
        self.suggestion_hint.setText(self.tr("Last diagnosis: Enter keeps it, typing replaces it") if shown else "")

    def _forget_diagnosis(self) -> None:
        """A new patient (or none): nothing of the last one's diagnosis stays."""
        self.suggested = None
        self._typed_diagnosis = False
        self.diagnosis.clear()
        self._hint(False)

    # --- items ----------------------------------------------------------------------

    def _show_matches(self, text: str) -> None:
        from desktop.ui.visit import search

        typed, _, _ = text.partition("*")
        found = search(self.catalogue, typed)
        self.matches_model.set_entries(found)
        self._list(self.matches_model)
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
        if self.matches.model() is not self.matches_model or self.matches_model.rowCount() == 0:
            self._show_matches(typed)
        row = self._highlighted(self.matches_model)
        if row is None:
            return
        entry = self.matches_model.entry(row)
        try:
            row = self.visit.add(entry, quantity)
        except EntryError as exc:  # a fraction of a pack: the typing stays, to be put right
            self._say(self._entry_message(exc))
            return
        self.item.clear()
        self._hide_matches()
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
        self._say("")
        self.lines_model.set_line(row, self.visit.lines[row])
        self.changed.emit()

    def focus_price(self, row: int) -> None:
        """The line's price, ready to be corrected (F2 edits it)."""
        self.lines.setFocus()
        self.lines.setCurrentIndex(self.lines_model.index(row, self.lines_model.PRICE))

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
        """Up (-1) or Down (1) through the matches shown; False when there are none."""
        model = self.matches.model()
        count = 0 if model is None or not self.matches.isVisible() else model.rowCount()
        if count == 0:
            return False
        row = (self.matches.currentIndex().row() + step) % count
        self.matches.setCurrentIndex(model.index(row, 0))
        return True

    def _list(self, model: MatchesModel | DiagnosisMatchesModel) -> None:
        """Show ``model``'s matches in the list under the boxes, the first highlighted."""
        if self.matches.model() is not model:
            self.matches.setModel(model)
        found = model.rowCount() > 0
        self.matches.setVisible(found)
        if found:
            self.matches.setCurrentIndex(model.index(0, 0))

    def _highlighted(self, model: MatchesModel | DiagnosisMatchesModel) -> int | None:
        """The row highlighted in ``model`` while the list shows it; None otherwise."""
        if self.matches.model() is not model or model.rowCount() == 0:
            return None
        current = self.matches.currentIndex()
        return current.row() if current.isValid() else 0

    def _hide_matches(self) -> None:
        self.matches.hide()
        self.matches_model.set_entries([])
        self.diagnosis_matches.set_entries([])

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _entry_message(self, error: EntryError) -> str:
        texts = {
            ("quantity", "not_a_number"): self.tr("Quantity: {0} is not a number"),
            ("quantity", "out_of_range"): self.tr("Quantity: {0} must be more than 0 and at most 999"),
            ("quantity", "too_fine"): self.tr("Quantity: {0} has more than 3 decimals"),
            ("quantity", "whole_units"): self.tr("Quantity: {0} will not do, {1} is sold only in whole {2}"),
            ("price", "not_a_number"): self.tr("Price: {0} is not an amount"),
            ("price", "out_of_range"): self.tr("Price: {0} cannot be less than zero"),
            ("price", "too_fine"): self.tr("Price: {0} has more than two decimals (whole fen)"),
        }
        entry = error.entry
        name, unit = ("", "") if entry is None else (entry.name, entry.unit or self.tr("units"))
        return texts.get((error.field, error.problem), error.message).format(error.typed, name, unit)
