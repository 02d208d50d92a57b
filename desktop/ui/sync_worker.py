"""The sync relay on a thread of its own, on a schedule, for the window.

One long-lived thread (not the pool: a first upload takes minutes and would starve the
pool's page loads) runs ``Relay.run()`` every ``interval`` seconds, and soon after each
settlement. A failed run has already waited out the relay's own backoff, so the thread
just sleeps until the next cycle. Everything the thread learns goes back through queued
signals to this object, which lives on the GUI thread: the thread never touches a widget.

The thread opens the relay itself (the agency client, and for the demo the sandbox
process) so neither the imports nor the process start cost the GUI thread anything.
``shutdown`` sets the relay's stop event, which cuts short any call or wait, and the
thread closes the client and stops the demo's agency on its way out.

The worker belongs to the application, not to the window, and is freed (``deleteLater``)
on the GUI thread once its thread has ended and been joined. The thread holds the worker
(its target is the worker's own method) and may outlive the window's wait on closing:
were the window's reference the last but one, the thread would free the worker, a
QObject with a timer, on the wrong thread, which corrupts Qt's memory.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget
from typing_extensions import override

from desktop.ui.pace import Pace
from desktop.ui.sync_setup import Target, Targets, Unavailable, Why, make_relay

if TYPE_CHECKING:
    from db.session import Store
    from desktop.sync import Relay, SyncReport

log = logging.getLogger("clinic.ui.sync")

INTERVAL_S = 30.0
SOON_MS = 1500  # after a settlement: the receipt prints first, and a quick second visit joins the same run
JOIN_S = 3.0  # the window waits this long on closing; the thread finishes on its own after that
THREAD_NAME = "sync-relay"


class SyncWorker(QObject):
    reported = Signal(object)  # SyncReport, on the GUI thread
    unavailable = Signal(object)  # Unavailable: why there is no sync (no address, no keyring, …)
    running = Signal(bool)

    # Emitted on the worker thread; queued to this object's own thread, the GUI's.
    _reported_there = Signal(object)
    _unavailable_there = Signal(object)
    _running_there = Signal(bool)
    _ended_there = Signal()  # the thread's last word

    def __init__(
        self,
        store: Store,
        operator: tuple[str, str],
        targets: Targets,
        *,
        interval_s: float = INTERVAL_S,
        soon_ms: int = SOON_MS,
        pace: Pace | None = None,
    ) -> None:
        super().__init__(QCoreApplication.instance())  # outlives the window: see the module's docstring
        self.store = store
        self.pace = pace or Pace(quiet_s=0)  # full speed unless the window says when the clerk types
        self.operator = operator  # (username, name): the Operator is made on the thread
        self.targets = targets
        self.interval_s = interval_s
        self.busy = False
        self.target: Target | None = None  # where the relay talks to, once the thread has chosen
        self._stop = threading.Event()  # also the relay's: set, it ends a run promptly
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=THREAD_NAME)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(soon_ms)
        self._soon.timeout.connect(self.sync_now)
        queued = Qt.ConnectionType.QueuedConnection
        self._reported_there.connect(self._deliver_report, queued)
        self._unavailable_there.connect(self._deliver_unavailable, queued)
        self._running_there.connect(self._deliver_running, queued)
        self._ended_there.connect(self._ended, queued)
        self._thread_ended = False

    # --- the GUI thread's side ------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    @Slot()
    def sync_now(self) -> None:
        self._wake.set()

    def sync_soon(self) -> None:
        self._soon.start()

    def alive(self) -> bool:
        return self._thread.is_alive()

    def shutdown(self, wait_s: float = JOIN_S) -> bool:
        """Stop the relay and the thread; whether the thread ended within ``wait_s``."""
        self._soon.stop()
        self._stop.set()
        self._wake.set()
        if self._thread.ident is None or self._thread_ended:  # never started, or its end already heard
            self.deleteLater()
            return True
        self._thread.join(wait_s)  # however it goes, the thread's last word frees the worker
        return not self._thread.is_alive()

    @Slot()
    def _ended(self) -> None:
        self._thread.join()  # the thread is past its last word: it lets go of the worker at once
        self._thread_ended = True
        if self._stop.is_set():
            self.deleteLater()

    @Slot(object)
    def _deliver_report(self, report: SyncReport) -> None:
        self.reported.emit(report)

    @Slot(object)
    def _deliver_unavailable(self, problem: Unavailable) -> None:
        self.unavailable.emit(problem)

    @Slot(bool)
    def _deliver_running(self, running: bool) -> None:
        self.busy = running
        self.running.emit(running)

    # --- the worker thread ----------------------------------------------------------

    def _loop(self) -> None:
        relay: Relay | None = None
        target: Target | None = None
        try:
            while not self._stop.is_set():
                relay, target = self._cycle(relay, target)
                self._wake.wait(self.interval_s)
                self._wake.clear()
        finally:
            _close(relay, target)
            self._hand(self._ended_there)

    def _cycle(self, relay: Relay | None, target: Target | None) -> tuple[Relay | None, Target | None]:
        if target is not None and not target.alive():
            log.warning("the agency process ended; starting it again")
            _close(relay, target)
            relay = target = None
        if relay is None:
            try:
                target = self.target = self.targets(self.store)
                relay = self._open(target)
            except Unavailable as problem:
                self._hand(self._unavailable_there, problem)
                return None, None
            except Exception as exc:  # shown in the status bar; the next cycle tries again
                log.exception("could not set up the sync")
                self._hand(self._unavailable_there, Unavailable(Why.FAILED, str(exc)))
                _close(None, target)
                return None, None
        if self._stop.is_set():
            return relay, target
        return self._run(relay, target)

    def _open(self, target: Target) -> Relay:
        from desktop.sync.sessions import Operator

        try:
            return make_relay(self.store, target, Operator(*self.operator), self._stop, self.pace)
        except ValueError as exc:  # the stored address is not an http(s) address
            target.close()
            raise Unavailable(Why.BAD_ADDRESS, str(exc)) from None

    def _run(self, relay: Relay, target: Target | None) -> tuple[Relay | None, Target | None]:
        from desktop.sync.credentials import CredentialsError
        from desktop.sync.lease import SyncBusyError

        self._hand(self._running_there, True)
        try:
            report = relay.run()
        except SyncBusyError as exc:
            self._hand(self._unavailable_there, Unavailable(Why.BUSY, str(exc)))
            return relay, target
        except CredentialsError as exc:
            why = Why.NO_SECRET if "no agency secret" in str(exc) else Why.NO_KEYRING
            self._hand(self._unavailable_there, Unavailable(why, str(exc)))
            return relay, target
        except Exception as exc:  # a fault in one run must not end syncing for the day
            log.exception("sync run failed")
            self._hand(self._unavailable_there, Unavailable(Why.FAILED, str(exc)))
            _close(relay, target)
            return None, None
        finally:
            self._hand(self._running_there, False)
        if not self._stop.is_set():  # a run cut short by closing has nothing to show
            self._hand(self._reported_there, report)
        return relay, target

    def _hand(self, signal: Any, *values: object) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the window is gone: nobody is listening any more
            return


class StopOnClose(QObject):
    """Calls ``stop`` when ``window`` is closed. An event filter here rather than the
    window's own ``closeEvent``: a Qt override in the window's module would import
    typing_extensions before its first frame (~4 ms of start-up, benchmarks/startup.py)."""

    def __init__(self, window: QWidget, stop: Callable[[], None]) -> None:
        super().__init__(window)
        self._stop = stop
        window.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._stop()
        return False


def _close(relay: Relay | None, target: Target | None) -> None:
    for close in (relay.close if relay else None, target.close if target else None):
        if close is None:
            continue
        try:
            close()
        except Exception:  # closing down: say so and go on
            log.warning("could not close the sync cleanly", exc_info=True)
