"""The counter when a settlement is held back: a price to confirm beside the catalogue's, and
the machine saying no (a locked store, a full disk), with the visit kept on screen to settle
once the cause is gone.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from sqlalchemy import func, select

import db.session
from db.models import AuditEntry, Settlement
from db.session import Store, open_store
from desktop.ui.main_window import CounterWindow
from desktop.ui.models import VisitLinesModel
from tests.faults import fill, small_disk
from tests.ui.conftest import covered_resident, open_window, type_diagnosis

SHOTS = Path("/work/shots/i13a")


def start_visit(qtbot: Any, window: CounterWindow, store: Store, *items: str) -> None:
    """Card, diagnosis, items: the visit on screen, not yet settled."""
    qtbot.keyClicks(window.counter.card, covered_resident(store).id_number)
    qtbot.keyClick(window.counter.card, Qt.Key.Key_Return)
    type_diagnosis(qtbot, window, "J06")
    for item in items:
        qtbot.keyClicks(window.counter.entry.item, item)
        qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_Return)


def activate(qtbot: Any, window: CounterWindow) -> None:
    """The counter's keys again after a modal question (offscreen leaves no window active)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def visit_on_screen(window: CounterWindow) -> bool:
    return window.counter.visit is not None


def settlements(store: Store) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Settlement)) or 0)


def answer_price_question(qtbot: Any, button: str, seen: list[str]) -> None:
    """When the question shows, note its text and press ``button`` (by object name)."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(f"{box.text()}\n{box.informativeText()}")
        if SHOTS.is_dir() and len(seen) == 1:
            box.grab().save(str(SHOTS / "price-confirmation.png"))
        found = box.findChild(QPushButton, button)
        assert found is not None
        found.click()

    QTimer.singleShot(0, answer)


def test_a_price_of_zero_is_asked_with_the_catalogue_price_and_kept_in_the_audit(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    start_visit(qtbot, window, store, "xa01")
    lines = window.counter.entry.lines_model
    assert lines.setData(lines.index(0, VisitLinesModel.PRICE), "0")
    before = settlements(store)
    seen: list[str] = []
    answer_price_question(qtbot, "changeThePrice", seen)
    qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_F12)
    assert "12.50" in seen[0]  # the catalogue price beside the one typed
    assert "0.00" in seen[0]
    assert settlements(store) == before  # not settled, and the visit is still there to correct
    assert window.counter.visit is not None
    assert len(window.counter.visit.lines) == 1
    activate(qtbot, window)
    assert window.focusWidget() is window.counter.entry.lines  # at the price, to correct it
    assert window.counter.entry.lines.currentIndex().column() == VisitLinesModel.PRICE
    answer_price_question(qtbot, "settleAtThisPrice", seen)
    qtbot.keyClick(window.counter.entry.lines, Qt.Key.Key_F12)
    assert settlements(store) == before + 1
    assert window.counter.last is not None
    with store.reading() as session:
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "settle", AuditEntry.entity_id == str(window.counter.last.settlement_id)
            )
        ).one()
    confirmed = json.loads(entry.detail)["prices_confirmed"]
    assert confirmed == [{"line": 1, "code": "XA01", "price": "0.00", "catalogue_price": "12.50"}]


def test_a_self_pay_visit_is_held_to_the_same_price_question(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    start_visit(qtbot, window, store, "xa01")
    qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_F8)  # the patient pays for themselves this time
    assert window.counter.visit is not None
    assert window.counter.visit.self_pay
    lines = window.counter.entry.lines_model
    assert lines.setData(lines.index(0, VisitLinesModel.PRICE), "0")
    before = settlements(store)
    seen: list[str] = []
    answer_price_question(qtbot, "settleAtThisPrice", seen)
    qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_F12)
    assert "12.50" in seen[0]
    assert settlements(store) == before + 1
    assert window.counter.last is not None
    with store.reading() as session:
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "settle_self_pay", AuditEntry.entity_id == str(window.counter.last.settlement_id)
            )
        ).one()
    confirmed = json.loads(entry.detail)["prices_confirmed"]
    assert confirmed == [{"line": 1, "code": "XA01", "price": "0.00", "catalogue_price": "12.50"}]


def test_a_price_changed_again_must_be_confirmed_again(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    start_visit(qtbot, window, store, "xa01")
    visit = window.counter.visit
    assert visit is not None
    lines = window.counter.entry.lines_model
    assert lines.setData(lines.index(0, VisitLinesModel.PRICE), "99.00")
    visit.confirm_price(0)
    assert lines.setData(lines.index(0, VisitLinesModel.PRICE), "98.00")
    assert not visit.lines[0].price_confirmed


@pytest.fixture
def impatient_store(demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A store that gives up waiting for a lock after 0.3 s instead of 30."""
    monkeypatch.setattr(db.session, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "clinic.sqlite3"
    shutil.copy(demo_file, path)
    opened = open_store(path)
    yield opened
    opened.dispose()


def test_a_locked_store_is_said_plainly_and_the_visit_settles_once_free(
    qtbot: Any, impatient_store: Store, tmp_path: Path
) -> None:
    store = impatient_store
    window = open_window(qtbot, store)
    start_visit(qtbot, window, store, "fa01", "xa01")
    before = settlements(store)
    other = sqlite3.connect(tmp_path / "clinic.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the store
    try:
        qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_F12)
        banner = window.counter.banner
        assert banner.isVisible()
        assert "locked" in banner.text()
        assert "Nothing was saved" in banner.text()
        assert banner.property("mood") == "refused"
        assert window.counter.visit is not None
        assert [line.entry.code for line in window.counter.visit.lines] == ["FA01", "XA01"]  # nothing typed again
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert settlements(store) == before
    qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_F12)
    assert settlements(store) == before + 1
    assert window.counter.visit is None


def test_a_full_disk_in_the_clerks_language_then_settled_once_space_is_freed(
    qtbot: Any, demo_file: Path, tmp_path: Path, chinese: None
) -> None:
    with small_disk(tmp_path / "disk") as disk:
        path = disk / "clinic.sqlite3"
        source, copy = sqlite3.connect(demo_file), sqlite3.connect(path)
        source.backup(copy)
        source.close()
        copy.close()
        store = open_store(path)
        try:
            window = open_window(qtbot, store)
            start_visit(qtbot, window, store, "fa01", "xa01")
            before = settlements(store)
            filler = fill(disk)
            qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_F12)
            banner = window.counter.banner
            assert "磁盘已满" in banner.text()
            assert "本次没有保存" in banner.text()
            assert window.counter.visit is not None
            if SHOTS.is_dir():
                window.grab().save(str(SHOTS / "disk-full-counter.png"))
            filler.unlink()
            qtbot.keyClick(window.counter.entry.item, Qt.Key.Key_F12)
            assert settlements(store) == before + 1
            assert not visit_on_screen(window)
            window.close()
        finally:
            store.dispose()
