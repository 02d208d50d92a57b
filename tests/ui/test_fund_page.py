"""The 基金 page on a year of the demo: the figures the fund engine gives, the chart, the warnings,
printing and export; for administrators only."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from sqlalchemy import select, update

from db.models import Staff
from db.session import Store, open_store
from desktop.fund.from_store import fund_position
from desktop.money import format_amount
from desktop.ui import pdf_export
from desktop.ui.fund_page import FundPage, load_view
from tests.reports.workbooks import read_workbook
from tests.ui.conftest import open_window, wait_for_workers

TODAY = dt.date(2024, 12, 15)


@pytest.fixture
def year_store(demo_year: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "clinic.sqlite3"
    shutil.copy(demo_year, path)
    opened = open_store(path)
    yield opened
    opened.dispose()


def staff(store: Store, username: str) -> Staff:
    with store.reading() as session:
        found = session.scalar(select(Staff).where(Staff.username == username))
    assert found is not None
    return found


def opened_page(qtbot: Any, store: Store) -> FundPage:
    page = FundPage(store, staff(store, "admin"), today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 820)
    page.show()
    qtbot.waitUntil(lambda: page.watched is not None, timeout=30_000)
    wait_for_workers(qtbot)
    return page


def test_the_page_shows_the_engines_figures_and_the_warnings(qtbot: Any, year_store: Store, chinese: None) -> None:
    page = opened_page(qtbot, year_store)
    _scope, position = fund_position(year_store, "T01", 2024, as_of=TODAY)
    assert page.view is not None
    assert page.view.position == position
    assert page.figures["budget"].text() == format_amount(position.budget)
    assert position.projection is not None
    assert page.figures["projected"].text().startswith(format_amount(position.projection.projected))
    december = position.months[11]
    assert december.limit is not None
    assert page.figures["limit"].text() == format_amount(december.limit)
    assert page.chart.position == position
    assert page.chart.elapsed == 11  # December is under way
    assert page.year.value() == 2024
    # November's warnings: the village doctor who gave 头孢克肟 at every visit from mid-November.
    texts = [page.alerts.data(page.alerts.index(row, 4)) for row in range(page.alerts.rowCount())]
    assert any("幽兰镇前湖村卫生室" in text and "抗菌药物使用率" in text for text in texts)
    assert page.tr("{0}: {1} warnings (so far); {2}: {3} warnings") != "{0}: {1} warnings (so far); {2}: {3} warnings"
    image = page.chart.grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 4).name() != "#ffffff"  # the chart is drawn


def test_the_warnings_model_is_a_proper_model(qtbot: Any, qtmodeltester: Any, year_store: Store) -> None:
    page = opened_page(qtbot, year_store)
    assert page.alerts.rowCount() > 0
    qtmodeltester.check(page.alerts)


def test_printed_and_exported_with_the_chart(qtbot: Any, year_store: Store, tmp_path: Path) -> None:
    page = opened_page(qtbot, year_store)
    pdf = tmp_path / "fund.pdf"
    assert pdf_export.write_pdf(page._prepare_report()(), pdf) >= 2
    if shutil.which("pdfimages"):
        listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
        assert len(listed.stdout.splitlines()) > 2  # the chart went in as a picture
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "门诊统筹基金运行情况" in words
        assert "H36012100101" in words
    report = page.report()
    assert report is not None
    workbook = tmp_path / "fund.xlsx"
    task = page.write_workbook(report, workbook)
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    _heading, tables = read_workbook(workbook, ["二、逐月额度与发生", "预警（2024-11）"])
    assert len(tables["二、逐月额度与发生"].rows) == 12
    assert tables["预警（2024-11）"].rows


def test_a_past_year_is_shown_whole(year_store: Store) -> None:
    view = load_view(year_store, "T01", 2024, dt.date(2025, 3, 1))
    assert view.elapsed == 12
    assert view.month == 12


def test_a_facility_without_a_fund_says_so(qtbot: Any, year_store: Store) -> None:
    with year_store.writing() as session:
        session.execute(update(Staff).where(Staff.username == "doctor1").values(role="admin"))
    page = FundPage(year_store, staff(year_store, "doctor1"), today=TODAY)  # V01: no resident signs a village clinic
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: "—" in page.figures["budget"].text(), timeout=20_000)
    assert page.view is None
    assert "V01" in page.policy.text()
    assert page.chart.image(QSize(300, 200)).width() == 300


@pytest.mark.parametrize(("username", "sees"), [("admin", True), ("clerk", False), ("doctor1", False)])
def test_only_administrators_get_the_fund_page(qtbot: Any, store: Store, username: str, sees: bool) -> None:
    window = open_window(qtbot, store, username, extra_pages=True)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert any(title.startswith(("Fund", "基金")) for title in titles) is sees
    wait_for_workers(qtbot)
    window.stop_sync()
