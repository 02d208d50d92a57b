"""The sync status in the status bar: online or not, records waiting, set aside, last success.

The sync relay calls ``set_online`` and ``refresh``; a timer refreshes the counts too.
Counting runs on the pool: the outbox of a busy centre is a large table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QWidget

from desktop.ui.i18n import CHINA
from desktop.ui.widgets import label
from desktop.ui.workers import run_in_background

if TYPE_CHECKING:
    from db.session import Store

LAST_SUCCESS_KEY = "sync.last_success"
REFRESH_MS = 15_000


@dataclass(frozen=True, slots=True)
class SyncFigures:
    waiting: int
    set_aside: int
    last_success: dt.datetime | None


def sync_figures(store: Store) -> SyncFigures:
    from sqlalchemy import func, select

    from db.models import OutboxEntry, Setting

    with store.reading() as session:
        rows = session.execute(
            select(OutboxEntry.state, func.count())
            .where(OutboxEntry.state.in_(("pending", "set_aside")))
            .group_by(OutboxEntry.state)
        )
        counts: dict[str, int] = {str(state): int(count) for state, count in rows}
        stamp = session.scalar(select(Setting.value).where(Setting.key == LAST_SUCCESS_KEY))
    last = None
    if stamp:
        last = dt.datetime.fromisoformat(stamp)
        last = last if last.tzinfo else last.replace(tzinfo=dt.UTC)
    return SyncFigures(counts.get("pending", 0), counts.get("set_aside", 0), last)


class SyncStatus(QWidget):
    def __init__(self, store: Store | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.online = False
        self.figures: SyncFigures | None = None
        self.line = label("syncLine")
        self.state = label("syncState")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 12, 0)  # clear of the size grip
        layout.addWidget(self.state)
        layout.addWidget(self.line)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._show()

    @Slot(bool)
    def set_online(self, online: bool) -> None:
        self.online = online
        self._show()

    def attach(self, store: Store) -> None:
        self.store = store
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        store = self.store
        if store is not None:  # until the store is open there is nothing to count
            run_in_background(lambda: sync_figures(store), self._got, self._failed)

    def _got(self, figures: SyncFigures) -> None:
        self.figures = figures
        self._show()

    def _failed(self, error: BaseException) -> None:
        self.line.setText(self.tr("Sync status unavailable: {0}").format(error))

    def _show(self) -> None:
        self.state.setText(self.tr("● Online") if self.online else self.tr("○ Offline"))
        if self.state.property("online") != self.online:
            self.state.setProperty("online", self.online)
            if self.state.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
                # The style sheet colours by this property; a widget styled already is
                # styled again. Not before: QWidget.style() costs ~20 ms at start-up.
                self.state.style().unpolish(self.state)
                self.state.style().polish(self.state)
        f = self.figures
        if f is None:
            self.line.setText(self.tr("Counting records waiting…"))
            return
        last = (
            self.tr("never") if f.last_success is None else f.last_success.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
        )
        self.line.setText(
            self.tr("Waiting: {0} · Set aside: {1} · Last success: {2}").format(f.waiting, f.set_aside, last)
        )
