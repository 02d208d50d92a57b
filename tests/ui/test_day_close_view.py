"""The day close (日结) screen: pick the day by keys, read the totals and reversals, print."""

from __future__ import annotations

import shutil
import subprocess
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
from desktop.ui.ledger_models import (
    DayCloseSetAsideModel,
    DrawerModel,
    PayerModel,
    ReversalModel,
    SchemeModel,
    SettleUpModel,
)
from tests.core.test_day_close import MONDAY, TUESDAY, at, settle_at
from tests.factories import add_person, make_store
from tests.ui.test_ledger_view import page_count, page_text, save_as, staff, type_date
from tests.ui.test_receipt_print import Word, words_of


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
    drawer, settle_ups, set_aside = DrawerModel(), SettleUpModel(), DayCloseSetAsideModel()
    drawer.show(close)
    settle_ups.show(close)
    set_aside.set_rows(close.set_aside)
    for model in (schemes, payers, reversals, drawer, settle_ups, set_aside):
        qtmodeltester.check(model)
    assert drawer.rowCount() == 5
    assert drawer.data(drawer.index(4, 1)) == format_amount(close.drawer.expected)
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


def gray_page(pdf: Path, dpi: int, where: Path) -> tuple[int, int, bytes]:
    """Page 1 as poppler paints it: width, height and one byte of grey (0 black) a pixel."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(pdf), str(where)], check=True)
    pgm = next(where.parent.glob(f"{where.name}*.pgm")).read_bytes()
    magic, width, height, depth, pixels = pgm.split(maxsplit=4)
    assert (magic, depth) == (b"P5", b"255")
    return int(width), int(height), pixels


def inked_share(page: tuple[int, int, bytes], word: Word, dpi: int) -> float:
    """The share of the word box's pixel rows with letters' ink in them: a word cut off by its
    cell's clip is still in the PDF's text, but only a rule of the table is painted in its box."""
    width, _height, pixels = page
    scale = dpi / 72
    left, right = int(word.left * scale) + 1, int(word.right * scale) - 1
    top, bottom = int(word.top * scale) + 1, int(word.bottom * scale) - 1
    inked = 0
    for y in range(top, bottom):
        dark = sum(1 for x in range(left, right) if pixels[y * width + x] < 128)
        inked += 2 <= dark < 0.9 * (right - left)  # a full dark row is a rule, not a letter
    return inked / max(bottom - top, 1)


@pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None, reason="needs poppler")
def test_the_printed_close_shows_every_scheme_title_whole(
    qtbot: Any, week: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = open_view(qtbot, week)
    type_date(qtbot, view.day_edit, "20240507")
    titles = [view.schemes.data(view.schemes.index(row, 0)) for row in range(view.schemes.rowCount())]
    assert "南昌市城乡居民基本医疗保险普通门诊统筹暂行办法" in titles
    save_as(monkeypatch, tmp_path / "close.pdf")
    with qtbot.waitSignal(view.export.exported, timeout=10_000) as done:
        qtbot.mouseClick(view.export.export_button, Qt.MouseButton.LeftButton)
    pdf = Path(done.args[0])
    _width, _height, words = words_of(pdf)
    dpi = 150
    page = gray_page(pdf, dpi, tmp_path / "close")
    policy_header = next(word for word in words if word.text == "Policy")
    for title in titles:
        # a wrapped title is one word a line, in the first column; read top to bottom
        lines = sorted(
            (word for word in words if word.text in title and word.right <= policy_header.left),
            key=lambda word: word.top,
        )
        assert "".join(word.text for word in lines) == title
        hidden = [word.text for word in lines if inked_share(page, word, dpi) < 0.5]
        assert not hidden, f"cut off by the cell: {hidden}"
        crowded = [
            (line.text, word.text) for line in lines for word in words if word is not line and overlap(line, word)
        ]
        assert not crowded, f"printed over another cell's words: {crowded}"


def overlap(one: Word, other: Word, slack: float = 0.5) -> bool:
    """The two words' boxes share more than a hair (the lines of a paragraph touch)."""
    return (
        one.left + slack < other.right
        and other.left + slack < one.right
        and one.top + slack < other.bottom
        and other.top + slack < one.bottom
    )
