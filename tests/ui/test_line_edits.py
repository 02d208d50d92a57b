"""A quantity or price typed wrong in the visit's table: refused, said in the clerk's language, the line kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.session import Store
from tests.ui.conftest import Keyboard, card_in, covered_resident, open_window


@pytest.mark.usefixtures("chinese")
def test_a_bad_quantity_typed_in_the_table_is_refused_and_said_in_chinese(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    entry = window.counter.entry
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, covered_resident(store).id_number)
    keys.press(Qt.Key.Key_Return)  # the diagnosis box, whatever it holds
    keys.type("amx")
    keys.press(Qt.Key.Key_Return)
    assert window.counter.visit is not None
    (line,) = window.counter.visit.lines
    total = window.counter.quote.amounts["total"].text()

    entry.lines.setFocus()
    entry.lines.setCurrentIndex(entry.lines_model.index(0, entry.lines_model.QUANTITY))
    keys.press(Qt.Key.Key_F2)  # edit the cell
    keys.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keys.type("0")
    keys.press(Qt.Key.Key_Return)
    assert window.counter.visit.lines == [line]  # unchanged
    assert window.counter.quote.amounts["total"].text() == total
    assert entry.message.isVisible()
    assert entry.message.text() == "数量：0 须大于 0 且不超过 999"

    keys.press(Qt.Key.Key_F2)
    keys.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keys.type("2")
    keys.press(Qt.Key.Key_Return)
    assert window.counter.visit.lines[0].quantity == Decimal(2)
    assert not entry.message.isVisible()  # the mistake mended, its message goes
