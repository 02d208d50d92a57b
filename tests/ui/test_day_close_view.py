"""The day close (日结) screen: pick the day by keys, read the totals and reversals, print."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.session import Store
from desktop.day_close import day_close
from desktop.money import format_amount
from desktop.settlement import reverse
from desktop.ui.day_close_view import DayCloseView
from desktop.ui.ledger_models import PayerModel, ReversalModel, SchemeModel
from tests.core.test_day_close import MONDAY, TUESDAY, at, settle_at
from tests.factories import add_person, make_store
from tests.ui.test_ledger_view import page_count, page_text, save_as, staff, type_date


@pytest.fixture
def week(tmp_path: Path) -> Iterator[Store]:
    store = make_store(tmp_path)
    add_person(store, person_id=1)
    add_person(store, person_id=2, policy="nanchang-employee", balance_fen=50_000)
    monday = settle_at(store, 2, at(MONDAY, 10))
    settle_at(store, 1, at(TUESDAY, 9))
    settle_at(store, 2, at(TUESDAY, 11))
    reverse(store, monday, "收费项目录错", 3, at(TUESDAY, 15))
    yield store
    store.dispose()


def open_view(qtbot: Any, store: Store) -> DayCloseView:
    view = DayCloseView(store, "T01", staff(store, 3))
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=3000)
    return view


def test_the_models_pass_the_model_tester(qtmodeltester: Any, week: Store) -> None:
    close = day_close(week, "T01", TUESDAY)
    schemes, payers, reversals = SchemeModel(), PayerModel(), ReversalModel()
    schemes.set_rows(close.schemes)
    payers.show(close)
    reversals.set_rows(close.reversals)
    for model in (schemes, payers, reversals):
        qtmodeltester.check(model)
    assert payers.rowCount() == 4
    assert reversals.data(reversals.index(0, 2)) == "2024-05-06 (earlier day)"


def test_pick_a_day_and_read_the_close(qtbot: Any, week: Store) -> None:
    view = open_view(qtbot, week)
    type_date(qtbot, view.day_edit, "20240507")
    close = day_close(week, "T01", TUESDAY)
    assert view.close_ == close
    assert "2 settled, 1 reversed" in view.summary.text()
    assert f"net {format_amount(close.net.total)}" in view.summary.text()
    payers = view.payers
    assert [payers.data(payers.index(row, 0)) for row in range(4)] == [
        "Pooling fund",
        "Personal account",
        "Cash",
        "Total",
    ]
    assert payers.data(payers.index(3, 3)) == format_amount(close.net.total)
    assert payers.data(payers.index(1, 2)) == format_amount(close.reversed.account)
    reversals = view.reversals
    assert reversals.rowCount() == 1
    assert reversals.data(reversals.index(0, 4)) == "收费项目录错"
    assert reversals.data(reversals.index(0, 5)) == "赵院长"
    assert view.schemes.rowCount() == 2
    type_date(qtbot, view.day_edit, "20240501")
    assert view.reversals.rowCount() == 0
    assert "0 settled, 0 reversed" in view.summary.text()


def test_export_the_close_as_pdf(qtbot: Any, week: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    view = open_view(qtbot, week)
    type_date(qtbot, view.day_edit, "20240507")
    save_as(monkeypatch, tmp_path / "close.pdf")
    with qtbot.waitSignal(view.export.exported, timeout=10_000) as done:
        qtbot.mouseClick(view.export.export_button, Qt.MouseButton.LeftButton)
    path, pages = done.args
    assert pages == page_count(Path(path)) == 1
    if shutil.which("pdftotext"):
        text = page_text(Path(path), 1)
        assert "Day close (日结), 2024-05-07" in text
        assert "收费项目录错" in text
        assert "Closed by: 赵院长" in text


def test_print_is_offered_only_where_a_printer_exists(qtbot: Any, week: Store) -> None:
    from PySide6.QtPrintSupport import QPrinterInfo

    view = open_view(qtbot, week)
    assert view.export.print_button.isEnabled() == bool(QPrinterInfo.availablePrinterNames())
