"""The sync status in the status bar: online or not (and why not), records waiting, set aside, last success.

The sync worker hands in each run's report (``show_report``), says when a run starts and
ends (``set_running``) and why there is no sync at all (``show_unavailable``: no agency
address, no usable keyring, …). A timer counts the outbox too, every few seconds while
a run is sending (a first upload takes minutes: the clerk sees the count go down), less
often otherwise. Counting runs on the pool: the outbox of a busy centre is a large table.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QWidget

from desktop.ui.i18n import CHINA
from desktop.ui.widgets import label
from desktop.ui.workers import run_in_background

if TYPE_CHECKING:
    from db.session import Store
    from desktop.sync import SyncReport

LAST_SUCCESS_KEY = "sync.last_success"
REFRESH_MS = 15_000
REFRESH_WHILE_SENDING_MS = 2_000
SENDING_SHOWN_AFTER_MS = 1_000
UNREACHABLE = "unreachable"  # a run that ended without the agency answering


class SyncFigures(NamedTuple):  # not a dataclass: the window's first frame does without that module
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
        self.reported = False  # whether any run has reported yet
        self.sending = False
        self.why_offline = ""  # a ``desktop.ui.sync_setup.Why`` value, or UNREACHABLE; "" when not known
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
        self.running = False
        self.sending_timer = QTimer(self)
        self.sending_timer.setSingleShot(True)
        self.sending_timer.setInterval(SENDING_SHOWN_AFTER_MS)
        self.sending_timer.timeout.connect(self._still_running)
        self._show()

    @Slot(bool)
    def set_online(self, online: bool) -> None:
        self.online = online
        if online:
            self.why_offline = ""
        self._show()

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        """A run started or ended. Shown only once it has lasted a moment: most runs find
        nothing to send and end in a blink, and a label flickering every half minute would
        draw the clerk's eye for nothing."""
        self.running = running
        if running:
            self.sending_timer.start()
            return
        self.sending_timer.stop()
        self.sending = False
        self.timer.setInterval(REFRESH_MS)
        self._show()
        self.refresh()

    def _still_running(self) -> None:
        if self.running:
            self.sending = True
            self.timer.setInterval(REFRESH_WHILE_SENDING_MS)
            self._show()

    def show_report(self, report: SyncReport) -> None:
        # A run with nothing to send or ask makes no call, and its report says "not online"
        # for want of an answer: no news is not bad news, so the line keeps what it knew.
        called = report.online or report.failed_calls > 0
        online = report.online if called else (self.online if self.reported else report.ran_through)
        self.reported = True
        self.why_offline = "" if online else UNREACHABLE
        self.state.setToolTip("" if online else report.last_error)
        self.set_online(online)
        self.refresh()  # the last success, and what settled meanwhile

    def show_unavailable(self, why: str, detail: str) -> None:
        self.why_offline = why
        self.state.setToolTip(detail)
        self.set_online(False)

    def attach(self, store: Store) -> None:
        self.store = store
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        store = self.store
        if store is not None:  # until the store is open there is nothing to count
            run_in_background(lambda: sync_figures(store), self._got, self._failed)

    def _got(self, figures: SyncFigures) -> None:
        from shiboken6 import isValid

        if not isValid(self.state):  # the window closed while the figures were read
            return
        self.figures = figures
        self._show()

    def _failed(self, error: BaseException) -> None:
        from shiboken6 import isValid

        if not isValid(self.line):
            return
        self.line.setText(self.tr("Sync status unavailable: {0}").format(error))

    def _state_text(self) -> str:
        if self.sending:
            return self.tr("↻ Sending…")
        if self.online:
            return self.tr("● Online")
        reason = self.reason_text(self.why_offline)
        return self.tr("○ Offline: {0}").format(reason) if reason else self.tr("○ Offline")

    def reason_text(self, why: str) -> str:
        """Why there is no sync, in a few plain words; "" when none is known."""
        reasons = {
            "no_address": self.tr("no agency address configured"),
            "bad_address": self.tr("the agency address is not valid"),
            "no_keyring": self.tr("no usable OS keyring for the agency secret"),
            "no_secret": self.tr("no agency secret in the OS keyring"),
            "busy": self.tr("another sync is running"),
            "demo_agency": self.tr("the demo agency did not start"),
            UNREACHABLE: self.tr("the agency does not answer"),
            "failed": self.tr("sync failed"),
        }
        return reasons.get(why, "")

    def _show(self) -> None:
        self.state.setText(self._state_text())
        mood = "sending" if self.sending else "online" if self.online else "offline"
        if self.state.property("mood") != mood:
            self.state.setProperty("mood", mood)
            if self.state.isVisible():
                # The style sheet colours by this property; a widget styled already is
                # styled again. Not before it is shown: it is styled then anyway, and
                # QWidget.style() costs ~20 ms at start-up.
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
