"""Reversing (冲正) from today's list: the original stays, marked; only allowed roles may."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db.models import Reversal, Settlement
from db.session import Store
from desktop.ui.main_window import CounterWindow
from desktop.ui.models import SettlementsModel
from desktop.ui.reverse_dialog import ReverseDialog
from desktop.ui.settlements_page import SettlementsPage
from tests.ui.conftest import open_window, settle_by_keys, wait_for_workers


def settlements_page(window: CounterWindow) -> SettlementsPage:
    assert window.settlements is not None, "the page joins once the store is open"
    return window.settlements


def test_clerk_reverses_with_a_reason_and_the_original_stays_marked(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    settlement_id = settle_by_keys(qtbot, window, store)
    qtbot.keyClick(window.counter.card, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.settlements
    assert window.tabs.currentWidget() is page
    wait_for_workers(qtbot)
    page.table.setFocus()
    assert page.selected() is not None
    assert page.selected().settlement_id == settlement_id  # type: ignore[union-attr]  # newest first
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.reason, "wrong item")  # QTest types Latin-1 only; an IME types Chinese
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    wait_for_workers(qtbot)

    with store.reading() as session:
        reversal = session.scalar(select(Reversal).where(Reversal.settlement_id == settlement_id))
        assert reversal is not None
        assert reversal.reason == "wrong item"
        assert session.get(Settlement, settlement_id) is not None
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).settlement_id == settlement_id)
    state = page.model.index(row, SettlementsModel.STATE)
    assert state.data() == page.model.tr("Reversed: {0}").format("wrong item")
    assert page.model.index(row, SettlementsModel.NUMBER).data() == str(settlement_id)
    assert page.model.index(row, SettlementsModel.TOTAL).data(Qt.ItemDataRole.FontRole).strikeOut()


def test_an_empty_reason_is_refused_in_the_dialog(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    settle_by_keys(qtbot, window, store)
    page = settlements_page(window)
    window.tabs.setCurrentWidget(page)
    wait_for_workers(qtbot)
    row = page.selected()
    assert row is not None
    dialog = ReverseDialog(row, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    QApplication.processEvents()
    # The question keeps every line it wraps to when the error line comes under it.
    assert dialog.what.height() >= dialog.what.heightForWidth(dialog.what.width())
    dialog.reject()


def test_a_village_doctor_settles_but_may_not_reverse(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store, "doctor1")
    page = settlements_page(window)
    window.tabs.setCurrentWidget(page)
    wait_for_workers(qtbot)
    assert not page.reverse_button.isEnabled()
    assert page.reverse_button.toolTip()
    # Nor does a village doctor see full ID numbers on screen (desktop.staff: SEE_FULL_ID).
    assert not window.counter.patient.full_id
