"""One action per key on every page: each page's keys are walked, and Qt's own shortcut map says who gets each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcutEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from typing_extensions import override

from db.session import Store
from desktop.ui.main_window import PAGES, CounterWindow
from tests.ui.conftest import Keyboard, open_window, settle_by_keys, wait_for_workers


class ShortcutSpy(QObject):
    """Takes every shortcut Qt dispatches before it reaches its action or widget: who, and whether ambiguous."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[QObject, bool]] = []

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut:
            assert isinstance(event, QShortcutEvent)
            self.seen.append((watched, event.isAmbiguous()))
            return True  # nothing runs: the walk only asks who would
        return False


def keys_of(window: CounterWindow) -> set[str]:
    """Every key any action of the window answers, and every Alt+letter a label or button offers."""
    found = {k.toString() for a in window.findChildren(QAction) for k in a.shortcuts()}
    texts = [w.text() for w in window.findChildren(QLabel)] + [w.text() for w in window.findChildren(QAbstractButton)]
    for text in texts:
        at = text.find("&")
        if 0 <= at < len(text) - 1 and text[at + 1] != "&":
            found.add(f"Alt+{text[at + 1].upper()}")
    return found - {""}


def press(qtbot: Any, target: QWidget, sequence: str) -> None:
    combination = QKeySequence(sequence)[0]  # type: ignore[index]  # PySide's stubs lack __getitem__
    qtbot.keyClick(target, combination.key(), combination.keyboardModifiers())
    QApplication.processEvents()


@pytest.mark.usefixtures("chinese")
def test_no_key_is_ambiguous_on_any_page(qtbot: Any, store: Store) -> None:
    window = open_window(qtbot, store, "admin", extra_pages=True)  # the administrator has every page, 基金 too
    qtbot.waitUntil(lambda: window.tabs.count() == PAGES, timeout=5000)
    # The page keys are on screen, each on its tab.
    assert [window.tabs.tabText(i).split()[-1] for i in range(PAGES)] == [f"Ctrl+{n}" for n in range(1, PAGES + 1)]
    keys = keys_of(window)
    assert {"Ctrl+P", "Ctrl+R", "F5", "F12", "Ctrl+1", "Ctrl+5", "Alt+D"} <= keys
    spy = ShortcutSpy()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(spy)
    try:
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            page = window.tabs.widget(index)
            assert page is not None
            wait_for_workers(qtbot)
            page.setFocus()
            target = QApplication.focusWidget() or page
            for sequence in sorted(keys):
                spy.seen.clear()
                press(qtbot, target, sequence)
                takers = [type(w).__name__ + ":" + w.objectName() for w, _ in spy.seen]
                where = f"{window.tabs.tabText(index)}: {sequence} → {takers}"
                assert len(spy.seen) <= 1, where
                assert not any(ambiguous for _, ambiguous in spy.seen), where
    finally:
        app.removeEventFilter(spy)


def test_ctrl_p_prints_the_last_receipt_on_the_counter_and_the_chosen_one_on_todays(
    qtbot: Any, store: Store, tmp_path: Path
) -> None:
    window = open_window(qtbot, store, tmp_path=tmp_path)
    qtbot.waitUntil(lambda: window.settlements is not None, timeout=5000)
    first = settle_by_keys(qtbot, window, store)
    second = settle_by_keys(qtbot, window, store)
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.last_receipt_path is not None
    assert Path(window.last_receipt_path).name == f"receipt-{second}.pdf"

    keys.press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # today's settlements
    page = window.settlements
    assert page is not None
    assert window.tabs.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() >= 2, timeout=5000)
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).settlement_id == first)
    page.table.selectRow(row)
    keys.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # once "Ambiguous shortcut overload"
    assert Path(window.last_receipt_path).name == f"receipt-{first}.pdf"
