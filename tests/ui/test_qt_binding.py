"""The Qt binding itself must survive a working day at the counter."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_qt_calls_do_not_leak_references_to_none(qtbot: QtBot) -> None:
    # PySide6 6.12.0 on Python 3.11 lost one reference to None per such call; None is not
    # immortal before 3.12, so the counter aborted ("none_dealloc") after a few hundred patients.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        label.setText("x")
    assert before - sys.getrefcount(None) < 100
