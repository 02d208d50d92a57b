"""The ledger (门诊台账) screen driven as a village doctor or clerk would: keys, clicks, a finger."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QWidget
from sqlalchemy import select, update

from db.models import Person, Staff, Visit
from db.session import Store
from desktop.ledger import LedgerQuery, Period, ledger_rows
from desktop.settlement import DiagnosisLine, DraftItem, reverse
from desktop.ui import pdf_export
from desktop.ui.ledger_models import LedgerTableModel
from desktop.ui.ledger_view import LedgerView
from desktop.ui.pdf_export import Progress, Report
from desktop.ui.rows_model import ROW_ROLE
from tests.core.test_ledger import describe, fill_year, visit
from tests.factories import NOW, add_person, make_store
from tests.ui.conftest import type_chinese
from tests.ui.test_receipt_print import counter_look

__all__ = ["counter_look"]


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Store]:
    """May 2024 at the centre T01 and its village clinic V01; one visit reversed."""
    store = make_store(tmp_path)
    for person_id, name, head, phone in (
        (1, "张伟", "张建国", "13812345678"),
        (2, "李秀英", "李秀英", "13900001111"),
        (3, "王磊", "王德明", "13700002222"),
    ):
        add_person(store, person_id=person_id)
        describe(store, person_id, name=name, head=head, address=f"青山镇东村{person_id}号", phone=phone)
    visit(store, 1, dt.date(2024, 5, 2), facility="V01")
    visit(store, 2, dt.date(2024, 5, 2), facility="V01", diagnoses=(DiagnosisLine("I10.x00", "原发性高血压"),))
    wrong = visit(store, 3, dt.date(2024, 5, 3), facility="V01")
    reverse(store, wrong, "录入错误", 1, NOW)
    visit(store, 3, dt.date(2024, 5, 9), facility="V01")
    visit(store, 1, dt.date(2024, 5, 9))
    yield store
    store.dispose()


def staff(store: Store, staff_id: int) -> Staff:
    with store.reading() as session:
        row = session.get(Staff, staff_id)
        assert row is not None
        return row


DOCTOR, CLERK = 2, 1  # the village doctor at V01; the centre's clerk at T01


def open_view(qtbot: Any, store: Store, staff_id: int) -> LedgerView:
    view = LedgerView(store, staff(store, staff_id))
    qtbot.addWidget(view)
    view.resize(1300, 600)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()  # keys go to the focused field of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=3000)
    return view


def type_date(qtbot: Any, editor: QWidget, digits: str) -> None:
    """Into a date field the way a clerk does: tab in (the year is selected), then the digits."""
    editor.clearFocus()
    editor.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(editor, digits)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def shown(view: LedgerView, column: int) -> list[str]:
    model = view.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def click_row(qtbot: Any, view: LedgerView, row: int) -> None:
    rect = view.table.visualRect(view.model.index(row, 3))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_model_passes_the_model_tester(qtmodeltester: Any, clinic: Store) -> None:
    model = LedgerTableModel({"V01": "青山镇东村卫生室"})
    model.set_rows(ledger_rows(clinic, LedgerQuery("V01", Period.month(2024, 5))))
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    struck = model.data(model.index(2, 3), Qt.ItemDataRole.FontRole)
    assert isinstance(struck, QFont)
    assert struck.strikeOut()
    assert model.data(model.index(2, LedgerTableModel.STATUS)) == "Reversed: 录入错误"
    assert model.data(model.index(0, 3), ROW_ROLE).patient_name == "张伟"


def test_browse_a_day_then_the_month_by_keyboard(qtbot: Any, clinic: Store) -> None:
    view = open_view(qtbot, clinic, DOCTOR)
    type_date(qtbot, view.day_edit, "20240502")
    assert view.day_edit.date().toString("yyyy-MM-dd") == "2024-05-02"
    assert shown(view, 3) == ["张伟", "李秀英"]
    view.mode.setFocus()
    qtbot.keyClick(view.mode, Qt.Key.Key_Down)
    assert view.by_month()
    assert view.month_edit.isVisible()
    assert not view.day_edit.isVisible()
    assert shown(view, 0) == ["2024-05-02", "2024-05-02", "2024-05-03", "2024-05-09"]
    assert "3 visits (1 reversed, not counted)" in view.totals_label.text()
    type_date(qtbot, view.month_edit, "202404")
    assert view.model.rowCount() == 0


def test_the_month_fields_arrows_step_months_across_the_year(qtbot: Any, clinic: Store) -> None:
    view = open_view(qtbot, clinic, DOCTOR)
    view.mode.setCurrentIndex(1)
    type_date(qtbot, view.month_edit, "202405")
    view.month_edit.setFocus(Qt.FocusReason.TabFocusReason)  # the cursor in the year, as a clerk tabs in
    qtbot.keyClick(view.month_edit, Qt.Key.Key_Up)
    assert view.month_edit.date().toString("yyyy-MM") == "2024-06"  # once 2025-05
    for _ in range(7):
        qtbot.keyClick(view.month_edit, Qt.Key.Key_Up)
    assert view.month_edit.date().toString("yyyy-MM") == "2025-01"
    qtbot.keyClick(view.month_edit, Qt.Key.Key_Down)
    assert view.month_edit.date().toString("yyyy-MM") == "2024-12"
    view.month_edit.stepDown()  # the arrow button
    assert view.month_edit.date().toString("yyyy-MM") == "2024-11"


def test_the_village_doctor_and_the_clerk_see_numbers_masked(qtbot: Any, clinic: Store) -> None:
    # Only the administrator, who keeps the roster, sees full ID numbers (desktop.staff).
    doctor = open_view(qtbot, clinic, DOCTOR)
    type_date(qtbot, doctor.day_edit, "20240502")
    assert shown(doctor, 5)[0] == "3601**********0001"
    assert shown(doctor, 11)[0] == "138****5678"
    clerk = open_view(qtbot, clinic, CLERK)
    type_date(qtbot, clerk.day_edit, "20240509")
    assert shown(clerk, 5) == ["3601**********0001"]
    assert shown(clerk, 11) == ["138****5678"]


def test_the_centre_can_include_its_village_clinics(qtbot: Any, clinic: Store) -> None:
    view = open_view(qtbot, clinic, CLERK)
    type_date(qtbot, view.day_edit, "20240509")
    assert view.villages.isVisible()
    assert view.table.isColumnHidden(1)
    qtbot.mouseClick(view.villages, Qt.MouseButton.LeftButton, pos=QPoint(5, view.villages.height() // 2))
    assert view.villages.isChecked()
    assert not view.table.isColumnHidden(1)
    assert shown(view, 1) == ["青山镇东村卫生室", "青山镇卫生院"]


def test_the_filter_by_name_id_tail_and_diagnosis(qtbot: Any, clinic: Store) -> None:
    view = open_view(qtbot, clinic, DOCTOR)
    view.mode.setCurrentIndex(1)
    type_date(qtbot, view.month_edit, "202405")
    qtbot.mouseClick(view.filter, Qt.MouseButton.LeftButton)
    type_chinese(view.filter, "高血压")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=2000)
    assert shown(view, 3) == ["李秀英"]
    view.filter.selectAll()
    qtbot.keyClicks(view.filter, "0003")
    qtbot.keyClick(view.filter, Qt.Key.Key_Return)  # Return filters at once
    assert shown(view, 3) == ["王磊", "王磊"]
    assert shown(view, LedgerTableModel.STATUS) == ["Reversed: 录入错误", ""]  # reversals stay in sight
    view.filter.selectAll()
    qtbot.keyClick(view.filter, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=2000)


def draw(qtbot: Any, pad: QWidget, points: list[tuple[int, int]]) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for point in points[1:-1]:
        qtbot.mouseMove(pad, QPoint(*point))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def test_take_a_signature_on_screen_and_keep_it_with_the_visit(qtbot: Any, clinic: Store) -> None:
    view = open_view(qtbot, clinic, DOCTOR)
    type_date(qtbot, view.day_edit, "20240502")
    assert not view.sign_button.isEnabled()
    click_row(qtbot, view, 1)
    assert view.sign_button.isEnabled()
    qtbot.mouseClick(view.sign_button, Qt.MouseButton.LeftButton)
    dialog = view.signature_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert not dialog.accept_button.isEnabled()
    draw(qtbot, dialog.pad, [(30, 100), (80, 60), (140, 120), (220, 70), (300, 110)])
    assert dialog.accept_button.isEnabled()
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert not dialog.accept_button.isEnabled()
    draw(qtbot, dialog.pad, [(30, 100), (90, 50), (160, 120), (260, 80)])
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.signature_dialog() is None, timeout=2000)

    assert shown(view, LedgerTableModel.SIGNATURE) == ["Not signed", "✔ Signed"]
    assert "李秀英" in view.message.text()
    assert not view.sign_button.isEnabled()  # a signature on file is never replaced
    with clinic.reading() as session:
        png = session.scalar(
            select(Visit.signature_png).join(Person, Person.id == Visit.person_id).where(Person.name == "李秀英")
        )
    assert png is not None
    assert png.startswith(b"\x89PNG")


def test_a_reversed_visit_is_not_signed(qtbot: Any, clinic: Store) -> None:
    view = open_view(qtbot, clinic, DOCTOR)
    type_date(qtbot, view.day_edit, "20240503")
    click_row(qtbot, view, 0)
    assert not view.sign_button.isEnabled()
    qtbot.mouseDClick(
        view.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.table.visualRect(view.model.index(0, LedgerTableModel.SIGNATURE)).center(),
    )
    assert view.signature_dialog() is None


def page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
        assert found is not None
        return int(found.group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The file dialog answers with ``path``, as if the clerk had typed it."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_args, **_kw: (str(path), "")))


def test_export_the_month_as_pdf_pages_for_signing_and_filing(
    qtbot: Any, clinic: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with clinic.writing() as session:
        first = session.scalar(select(Visit.id).order_by(Visit.id))
        session.execute(update(Visit).where(Visit.id == first).values(signature_png=signature_png()))
    view = open_view(qtbot, clinic, DOCTOR)
    type_date(qtbot, view.day_edit, "20240509")
    target = tmp_path / "ledger-may"
    save_as(monkeypatch, target)
    with qtbot.waitSignal(view.export.exported, timeout=10_000) as done:
        qtbot.mouseClick(view.export.export_button, Qt.MouseButton.LeftButton)
    path, pages = done.args
    assert path == str(tmp_path / "ledger-may.pdf")
    assert pages == page_count(Path(path)) == 1
    assert not view.export.progress.isVisible()
    assert "1 pages written" in view.export.message.text()
    if shutil.which("pdftotext"):
        text = page_text(Path(path), 1)
        assert "Outpatient ledger (门诊台账), 2024-05" in text
        assert "Page 1 of 1" in text
        assert "360101196006150001" in text  # the filing copy needs the full number (第十三条)
        assert "Visits: 3; reversed (not counted): 1" in text
        assert "Reversed:" in text


def signature_png() -> bytes:
    from desktop.ui.signature_pad import SignaturePad

    pad = SignaturePad()
    pad.resize(480, 160)
    return pad.png()


@pytest.fixture
def busy_year(tmp_path: Path) -> Iterator[Store]:
    store = make_store(tmp_path, "busy.sqlite3")
    fill_year(store, 4000)
    yield store
    store.dispose()


def test_a_long_export_runs_off_the_gui_thread_with_progress(
    qtbot: Any, busy_year: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = open_view(qtbot, busy_year, CLERK)
    view.villages.setChecked(True)
    type_date(qtbot, view.day_edit, "20230115")
    save_as(monkeypatch, tmp_path / "january.pdf")
    # The export holds after its first page until the GUI thread has ticked three times:
    # the ticks then come only if the GUI thread runs while the pages are being written
    # (on the GUI thread the export would time out waiting). Just counting ticks over the
    # ~150 ms export failed one run in ten: the table's repaint for the date typed above
    # was still pending, and a Python model sharing the interpreter lock with the export
    # can take as long as the whole export to repaint.
    gui_ran = threading.Event()
    gate: list[bool] = []
    worker_threads: set[int] = set()
    real_write_pdf = pdf_export.write_pdf

    def gated_write_pdf(report: Report, path: Path, progress: Progress | None = None) -> int:
        def on_page(done: int, total: int) -> None:
            worker_threads.add(threading.get_ident())
            if progress is not None:
                progress(done, total)
            if done == 1:
                gate.append(gui_ran.wait(timeout=10))

        return real_write_pdf(report, path, on_page)

    monkeypatch.setattr(pdf_export, "write_pdf", gated_write_pdf)
    ticks: list[int] = []
    progress_seen: list[tuple[int, int]] = []
    view.export.export_button.setFocus()

    def tick() -> None:
        if view.export.is_busy():
            ticks.append(1)
            if len(ticks) >= 3:
                gui_ran.set()

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(tick)
    heartbeat.start()
    view.export.progress.valueChanged.connect(
        lambda value: progress_seen.append((value, view.export.progress.maximum()))
    )
    with qtbot.waitSignal(view.export.exported, timeout=30_000) as done:
        qtbot.keyClick(view.export.export_button, Qt.Key.Key_Space)
        assert view.export.is_busy()
        assert view.export.progress.isVisible()
        assert not view.export.export_button.isEnabled()
        QApplication.processEvents()
    heartbeat.stop()
    path, pages = done.args
    rows = ledger_rows(busy_year, LedgerQuery("T01", Period.month(2023, 1), include_villages=True))
    assert pages == page_count(Path(path)) == -(-len(rows) // 14)  # fourteen rows to a landscape page
    assert gate == [True], "the GUI thread stood still while the pages were written"
    assert threading.get_ident() not in worker_threads
    assert progress_seen[-1] == (pages, pages)
    if shutil.which("pdftotext"):
        last = page_text(Path(path), pages)
        assert f"Page {pages} of {pages}" in last
        assert "household" in last  # headers on every page ("Head of household", wrapped)
        assert "Clinic" in last
        assert "Total" in last


# --- the columns: figures whole, the spare room to the diagnosis, the clerk's widths kept --


def elided(view: LedgerView, column: int) -> list[str]:
    """The cells of ``column`` too wide for it: the delegate would cut them to "13…"."""
    table, model = view.table, view.model
    style = table.style()
    # the item delegate's text margins either side, and the grid line the cell gives up
    padding = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    padding += int(table.showGrid())
    cut = []
    for row in range(model.rowCount()):
        index = model.index(row, column)
        font = index.data(Qt.ItemDataRole.FontRole) or table.font()
        text = str(index.data())
        if table.columnWidth(column) < QFontMetrics(font).horizontalAdvance(text) + padding:
            cut.append(text)
    return cut


FIGURES = (7, 8, 9)  # Total, Fund pays, Patient pays
DIAGNOSIS = 6


@pytest.fixture
def big_month(clinic: Store) -> Store:
    """May with one visit late in the month dearer than any on the 2nd: its figures are wider."""
    visit(clinic, 2, dt.date(2024, 5, 20), facility="V01", items=(DraftItem("X01", Decimal(100)),))
    return clinic


@pytest.mark.usefixtures("counter_look")
def test_no_figure_is_cut_short_in_the_month(qtbot: Any, big_month: Store) -> None:
    view = open_view(qtbot, big_month, DOCTOR)
    type_date(qtbot, view.day_edit, "20240502")  # the columns are first sized on a cheap day
    view.mode.setCurrentIndex(1)
    assert view.model.rowCount() == 5
    assert max(shown(view, 7), key=len) == "1250.00"
    for column in FIGURES:
        assert not elided(view, column), view.model.headerData(column, Qt.Orientation.Horizontal)


@pytest.mark.usefixtures("counter_look")
def test_the_diagnosis_takes_the_spare_room_not_the_status(qtbot: Any, big_month: Store) -> None:
    view = open_view(qtbot, big_month, DOCTOR)
    view.mode.setCurrentIndex(1)
    type_date(qtbot, view.month_edit, "202405")
    view.resize(1500, 600)  # room to spare, even for the English headers
    table = view.table
    qtbot.waitUntil(lambda: table.viewport().width() > 1400, timeout=2000)
    shown_columns = [c for c in range(view.model.columnCount()) if not table.isColumnHidden(c)]
    assert sum(table.columnWidth(c) for c in shown_columns) == table.viewport().width()  # no gap, no scroll
    status = LedgerTableModel.STATUS
    assert table.columnWidth(status) <= max(
        table.sizeHintForColumn(status), table.horizontalHeader().sectionSizeHint(status)
    )
    assert not elided(view, DIAGNOSIS)
    assert table.columnWidth(DIAGNOSIS) > table.sizeHintForColumn(DIAGNOSIS)  # the spare room went there
    wider = table.columnWidth(DIAGNOSIS)
    view.resize(view.width() + 100, view.height())
    qtbot.waitUntil(lambda: table.columnWidth(DIAGNOSIS) == wider + 100, timeout=2000)


def drag_edge(qtbot: Any, view: LedgerView, column: int, by: int) -> None:
    """The clerk drags the right edge of a column's header, as with a mouse."""
    header = view.table.horizontalHeader()
    edge = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) - 1, header.height() // 2)
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=edge)
    qtbot.mouseMove(header.viewport(), edge + QPoint(by // 2, 0))
    qtbot.mouseMove(header.viewport(), edge + QPoint(by, 0))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=edge + QPoint(by, 0))


@pytest.mark.usefixtures("counter_look")
def test_a_width_the_clerk_dragged_stays(qtbot: Any, big_month: Store) -> None:
    view = open_view(qtbot, big_month, DOCTOR)
    type_date(qtbot, view.day_edit, "20240502")
    table = view.table
    address, diagnosis = 4, DIAGNOSIS
    before = table.columnWidth(address)
    drag_edge(qtbot, view, address, 60)
    assert table.columnWidth(address) == before + 60
    view.mode.setCurrentIndex(1)  # the month: wider figures, other rows
    view.resize(view.width() - 80, view.height())
    qtbot.waitUntil(lambda: table.viewport().width() < 1250, timeout=2000)
    assert table.columnWidth(address) == before + 60
    for column in FIGURES:
        assert not elided(view, column)
    drag_edge(qtbot, view, diagnosis, -30)
    kept = table.columnWidth(diagnosis)
    type_date(qtbot, view.month_edit, "202405")
    view.resize(view.width() + 80, view.height())
    QApplication.processEvents()
    assert table.columnWidth(diagnosis) == kept
