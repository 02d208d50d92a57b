"""The 目录对照 page as an administrator uses it: choose an item, see the lines like it, Enter maps it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import delete, select

from db.models import CatalogueMapping
from db.session import Store
from desktop.auth import SignedIn
from desktop.demo import NATIONAL
from desktop.ui.mapping_models import CandidatesModel, MappingsModel
from desktop.ui.mapping_page import MappingPage, find_candidates, load_mappings
from tests.ui.conftest import wait_for_workers

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
ADMIN = SignedIn(1, "admin", "赵建国", "admin", "T01")
CLERK = SignedIn(2, "clerk", "王丽华", "clerk", "T01")


def test_the_models_pass_the_model_tester(qtmodeltester: Any, store: Store) -> None:
    items = MappingsModel()
    items.set_rows(load_mappings(store))
    qtmodeltester.check(items)
    lines = CandidatesModel()
    lines.set_rows(find_candidates(store, "XA01", ""))
    qtmodeltester.check(lines)


def test_an_administrator_maps_an_unmapped_item_with_the_keyboard(qtbot: Any, store: Store) -> None:
    with store.writing() as session:
        session.execute(delete(CatalogueMapping).where(CatalogueMapping.code == "XB02"))
    page = MappingPage(store, ADMIN, lambda: NOW)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    wait_for_workers(qtbot)
    first = page.chosen_item()
    assert first is not None
    assert (first.code, first.state) == ("XB02", "unmapped")  # what needs doing comes first
    assert "1" in page.summary.text()
    wait_for_workers(qtbot)
    qtbot.waitUntil(lambda: page.candidates.rowCount() > 0, timeout=5000)
    assert page.chosen_candidate().name == "盐酸氨溴索口服溶液"  # type: ignore[union-attr]
    qtbot.keyClicks(page.search, "axs")  # pinyin initials
    wait_for_workers(qtbot)
    qtbot.waitUntil(lambda: page.candidates.rowCount() > 0, timeout=5000)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    with store.reading() as session:
        mapping = session.get(CatalogueMapping, "XB02")
        assert mapping is not None
        assert (mapping.national_code, mapping.state, mapping.reviewed_by) == ("XR05CBA099X002010201557", "reviewed", 1)
    assert "XB02" in page.message.text()


def test_a_clerk_sees_the_mapping_but_cannot_change_it(qtbot: Any, store: Store) -> None:
    page = MappingPage(store, CLERK, lambda: NOW)
    qtbot.addWidget(page)
    assert page.review_button is None
    page.refresh()
    wait_for_workers(qtbot)
    page.review_selected()
    assert "administrator" in page.message.text()
    with store.reading() as session:
        reviewed = session.scalars(select(CatalogueMapping.state)).all().count("reviewed")
    assert reviewed == sum(code is not None for code, *_ in NATIONAL)  # as the demo left it
