"""The catalogue mapping page (目录对照): each of the clinic's items beside its national code.

The agency pays for an item only by its national code, so every item the counter sells
needs one: the list shows unmapped items first, then those the program proposed from the
downloaded catalogue (by name and pinyin) and nobody has checked, then the reviewed ones
with whether the agency holds them yet. Choosing an item offers the national lines that
look like it; typing searches the whole catalogue by name, pinyin initials or code.
Enter (or 确认对照) makes the chosen line the item's, reviewed by the signed-in member of
staff, if they may (``MAP_CATALOGUE``: administrators). Visits set aside for an unmapped
item go again from the sync page once it is mapped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.staff import Permission, may
from desktop.ui.mapping_models import CandidatesModel, MappingsModel
from desktop.ui.widgets import label, named
from desktop.ui.workers import run_in_background

if TYPE_CHECKING:
    from db.session import Store
    from desktop.auth import SignedIn
    from desktop.catalogue_mapping import Candidate, Mapping


def load_mappings(store: Store) -> list[Mapping]:
    from desktop.catalogue_mapping import mappings

    with store.reading() as session:
        return mappings(session.connection())


def find_candidates(store: Store, code: str | None, text: str) -> list[Candidate]:
    from desktop.catalogue_mapping import candidates_for, search

    with store.reading() as session:
        if text.strip():
            return search(session, text)
        return [] if code is None else candidates_for(session, code)


def _table(name: str, model: MappingsModel | CandidatesModel) -> QTableView:
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


class MappingPage(QWidget):
    mapped = Signal(str)  # an item's mapping was reviewed: set-aside visits may go again

    def __init__(
        self, store: Store, staff: SignedIn, clock: Callable[[], dt.datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.staff = staff
        self.clock = clock
        self.may_map = may(staff.role, Permission.MAP_CATALOGUE)
        self._asked = 0  # searches started; only the latest one's answer is shown
        self._answered = 0
        self.items = MappingsModel(self)
        self.items_table = _table("mappingTable", self.items)
        self.items_table.selectionModel().selectionChanged.connect(lambda *_: self._find())
        self.summary = label("mappingSummary", wrap=True)
        self.search = named(QLineEdit(), "nationalSearch")
        self.search.setPlaceholderText(self.tr("Search the national catalogue: name, pinyin initials or code"))
        self.search.textChanged.connect(lambda _text: self._find())
        self.search.returnPressed.connect(self.review_selected)
        self.candidates = CandidatesModel(self)
        self.candidates_table = _table("candidatesTable", self.candidates)
        # Enter on a line, or a double click (activated); Ctrl+Return stays the window's 结算 key.
        self.candidates_table.activated.connect(lambda _index: self.review_selected())
        self.message = label("mappingMessage", wrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        self.review_button: QPushButton | None = None
        if self.may_map:
            self.review_button = named(QPushButton(self.tr("Confirm mapping (Enter)")), "reviewButton")
            self.review_button.clicked.connect(self.review_selected)
            buttons.addWidget(self.review_button)
        hint = label(
            "syncHint",
            self.tr(
                "The agency pays for an item only by its national code (医保目录对照). Choose an item, then the "
                "national line that is the same thing; the next sync tells the agency (3301)."
            ),
            wrap=True,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(hint)
        layout.addWidget(self.items_table, 3)
        layout.addWidget(self.search)
        layout.addWidget(self.candidates_table, 2)
        layout.addLayout(buttons)

    # --- what is shown ------------------------------------------------------------

    def refresh(self) -> None:
        store = self.store
        run_in_background(lambda: load_mappings(store), self._show, self._failed)

    def _show(self, rows: list[Mapping]) -> None:
        chosen = self.chosen_item()
        self.items.set_rows(rows)
        waiting = sum(r.state != "reviewed" for r in rows)
        self.summary.setText(self.tr("{0} items, {1} without a reviewed national code.").format(len(rows), waiting))
        codes = [r.code for r in rows]
        self.items_table.selectRow(codes.index(chosen.code) if chosen is not None and chosen.code in codes else 0)
        self._find()  # a model reset keeps the selection's row: say what fits the item now chosen

    def _failed(self, error: BaseException) -> None:
        self.message.setText(self.tr("Could not read the catalogue mapping: {0}").format(error))

    def chosen_item(self) -> Mapping | None:
        rows = self.items_table.selectionModel().selectedRows()
        return self.items.row_at(rows[0].row()) if rows else None

    def chosen_candidate(self) -> Candidate | None:
        rows = self.candidates_table.selectionModel().selectedRows()
        if rows:
            return self.candidates.row_at(rows[0].row())
        return self.candidates.row_at(0) if self.candidates.rowCount() else None

    def _find(self) -> None:
        store, item, text = self.store, self.chosen_item(), self.search.text()
        code = None if item is None else item.code
        self._asked += 1
        asked = self._asked
        run_in_background(lambda: find_candidates(store, code, text), lambda f: self._offer(asked, f), self._failed)

    def _offer(self, asked: int, found: list[Candidate]) -> None:
        if asked != self._asked:
            return  # an earlier keystroke's search, overtaken by a later one
        self._answered = asked
        self.candidates.set_rows(found)
        item = self.chosen_item()
        current = None if item is None else item.national_code
        codes = [c.code for c in found]
        if found:
            self.candidates_table.selectRow(codes.index(current) if current in codes else 0)

    # --- review -------------------------------------------------------------------

    def searching(self) -> bool:
        """Whether the candidates shown are not yet the latest search's (tests wait on it)."""
        return self._answered != self._asked

    def review_selected(self) -> None:
        if not self.may_map:
            self.message.setText(self.tr("Only an administrator maps the catalogue."))
            return
        item, line = self.chosen_item(), None if self.searching() else self.chosen_candidate()
        if item is None or line is None:
            self.message.setText(self.tr("Choose an item and the national line it is."))
            return
        from desktop.catalogue_mapping import MappingError, review

        try:
            review(self.store, item.code, line.code, self.staff.staff_id, self.clock())
        except MappingError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(self.tr("{0} {1} is now {2} {3}.").format(item.code, item.name, line.code, line.name))
        self.search.clear()
        self.mapped.emit(item.code)
        self.refresh()
