"""Locking the counter after a while without a key or a click."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication
from typing_extensions import override

_ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin})


class IdleLock(QObject):
    """Emits ``idle`` after ``minutes`` without input anywhere in the application."""

    idle = Signal()

    def __init__(
        self, minutes: float, parent: QObject | None = None, *, on_input: Callable[[], None] | None = None
    ) -> None:
        super().__init__(parent)
        # Told of every key and click: this filter sees them all already, and a second
        # application-wide filter would cost Python time on every event of the window.
        self.on_input = on_input
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.idle)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer.start()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            if self.timer.isActive():
                self.timer.start()
            if self.on_input is not None:
                self.on_input()
        return False

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        self.timer.start()
