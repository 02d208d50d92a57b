"""At the counter a fraction of a pack is refused as it is typed, in the item box and in the table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.session import Store
from tests.ui.conftest import Keyboard, card_in, covered_resident, open_window


@pytest.mark.usefixtures("chinese")
def test_a_fraction_of_a_pack_is_refused_where_it_is_typed(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store)
    entry = window.counter.entry
    keys = Keyboard(qtbot)
    card_in(qtbot, keys, covered_resident(store).id_number)
    keys.press(Qt.Key.Key_Return)  # on from the diagnosis box
    keys.type("amx*1.5")
    keys.press(Qt.Key.Key_Return)
    visit = window.counter.visit
    assert visit is not None
    assert visit.lines == []
    assert entry.message.text() == "数量 1.5 不行：阿莫西林胶囊只能按整盒出售"
    assert entry.item.text() == "amx*1.5"  # kept, to be put right

    entry.item.selectAll()
    keys.type("amx*2")
    keys.press(Qt.Key.Key_Return)
    assert [line.quantity for line in visit.lines] == [Decimal(2)]
    assert not entry.message.isVisible()

    # Sold by the gram: a fraction is what a prescription takes.
    keys.type("hqyp*15.5")
    keys.press(Qt.Key.Key_Return)
    assert [line.quantity for line in visit.lines] == [Decimal(2), Decimal("15.5")]

    # The pack's quantity edited in the table: the same refusal, the line as it was.
    entry.lines.setFocus()
    entry.lines.setCurrentIndex(entry.lines_model.index(0, entry.lines_model.QUANTITY))
    keys.press(Qt.Key.Key_F2)
    keys.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keys.type("2.5")
    keys.press(Qt.Key.Key_Return)
    assert visit.lines[0].quantity == Decimal(2)
    assert entry.message.text() == "数量 2.5 不行：阿莫西林胶囊只能按整盒出售"
