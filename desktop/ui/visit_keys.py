"""The visit entry's own keys: Up and Down through the matches, Delete for the selected lines.

An event filter on the diagnosis box, the item box and the line table. Its own module, imported once the
counter's first frame is up (``VisitEntry.finish_building``): a Qt override needs
``typing_extensions.override`` and Qt's key enums, which the first frame does without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt
from typing_extensions import override

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

    from desktop.ui.visit_entry import VisitEntry

_KEY_PRESS = QEvent.Type.KeyPress
_UP, _DOWN, _DELETE = Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Delete


class VisitKeys(QObject):
    def __init__(self, entry: VisitEntry) -> None:
        super().__init__(entry)
        self.entry = entry
        entry.diagnosis.installEventFilter(self)
        entry.item.installEventFilter(self)
        entry.lines.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != _KEY_PRESS:  # the filter sees every event of both: the cheap test first
            return False
        key = cast("QKeyEvent", event).key()  # PySide hands a key press in as a QKeyEvent
        if watched in (self.entry.item, self.entry.diagnosis) and key in (_UP, _DOWN):
            return self.entry.move_match(-1 if key == _UP else 1)
        if watched is self.entry.lines and key == _DELETE:
            self.entry.remove_selected()
            return True
        return False
