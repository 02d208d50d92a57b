"""The pages behind the counter show what it has just settled, on the counter's day, as
soon as the clerk turns to them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from db.session import Store
from desktop.settlement import reverse
from desktop.ui.day_close_view import DayCloseView
from desktop.ui.ledger_view import LedgerView
from tests.ui.conftest import NOW, TODAY, Keyboard, open_window, settle_by_keys


def test_the_ledger_and_the_day_close_show_the_visit_just_settled(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store, extra_pages=True)
    ledger = window.extra_pages["LedgerView"]
    close = window.extra_pages["DayCloseView"]
    assert isinstance(ledger, LedgerView)
    assert isinstance(close, DayCloseView)
    assert ledger.day_edit.date().toPython() == TODAY  # the counter's day, not the machine's
    assert close.day() == TODAY
    assert close.close_ is not None
    settled_before = close.close_.settled_count
    assert window.who.text().endswith("· 南昌县幽兰镇卫生院")  # the clinic by its name, not its id

    keys = Keyboard(qtbot)
    settlement_id = settle_by_keys(qtbot, window, store)
    keys.press(Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is ledger
    shown = {ledger.model.row_at(row).settlement_id for row in range(ledger.model.rowCount())}
    assert settlement_id in shown

    keys.press(Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is close
    assert close.close_.settled_count == settled_before + 1

    # Reversed meanwhile (at another counter, say): both pages say so when next shown.
    reverse(store, settlement_id, "录入错误", staff_id=1, now=NOW)
    keys.press(Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    rows = [ledger.model.row_at(r) for r in range(ledger.model.rowCount())]
    (row,) = [r for r in rows if r.settlement_id == settlement_id]
    assert row.reversed
    keys.press(Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert settlement_id in {line.settlement_id for line in close.close_.reversals}
