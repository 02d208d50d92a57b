"""The signature pad: drawn by mouse or finger, cleared, accepted as a PNG."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from desktop.ui.signature_pad import STORED_SIZE, SignatureDialog, SignaturePad
from tests.ui.test_ledger_view import draw


def inked(png: bytes) -> int:
    image = QImage.fromData(png)
    assert not image.isNull()
    assert image.size() == STORED_SIZE
    white = QColor("white").rgb()
    return sum(image.pixel(x, y) != white for x in range(0, image.width(), 2) for y in range(0, image.height(), 2))


def open_pad(qtbot: Any) -> SignaturePad:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(600, 200)
    pad.show()
    qtbot.waitExposed(pad)
    return pad


def test_a_mouse_signature_becomes_a_png(qtbot: Any) -> None:
    pad = open_pad(qtbot)
    assert pad.is_empty()
    assert inked(pad.png()) == 0
    with qtbot.waitSignal(pad.changed):
        draw(qtbot, pad, [(40, 150), (120, 40), (200, 160), (320, 60), (500, 140)])
    assert not pad.is_empty()
    assert inked(pad.png()) > 50


def test_clear_wipes_the_pad(qtbot: Any) -> None:
    pad = open_pad(qtbot)
    draw(qtbot, pad, [(40, 150), (300, 60)])
    pad.clear()
    assert pad.is_empty()
    assert inked(pad.png()) == 0


def test_a_single_tap_is_not_a_signature(qtbot: Any) -> None:
    pad = open_pad(qtbot)
    qtbot.mouseClick(pad, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    assert pad.is_empty()


def test_a_finger_signs_by_touch(qtbot: Any) -> None:
    pad = open_pad(qtbot)
    device = QTest.createTouchDevice()
    QTest.touchEvent(pad, device).press(0, QPoint(30, 150)).commit()
    QTest.touchEvent(pad, device).move(0, QPoint(200, 50)).commit()
    QTest.touchEvent(pad, device).move(0, QPoint(400, 150)).commit()
    QTest.touchEvent(pad, device).release(0, QPoint(500, 80)).commit()
    assert not pad.is_empty()
    assert inked(pad.png()) > 50


def test_the_dialog_accepts_only_a_drawn_signature(qtbot: Any) -> None:
    dialog = SignatureDialog("张伟")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert not dialog.accept_button.isEnabled()
    draw(qtbot, dialog.pad, [(30, 100), (200, 40), (300, 120)])
    assert dialog.accept_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.accept_button, Qt.Key.Key_Space)
    assert dialog.png().startswith(b"\x89PNG")
