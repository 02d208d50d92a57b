"""Slow work off the GUI thread: a pool job hands its result back through a queued signal.

The function runs on a pool thread and must not touch a widget; the callbacks run on
the GUI thread because the carrier object, the signals' receiver, lives there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class Carrier(QObject):
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None]) -> None:
        super().__init__()
        from PySide6.QtCore import Qt  # here, not above: the window's first frame does without Qt's enums

        self._on_done = on_done
        self._on_failed = on_failed
        self.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._deliver_failure, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _deliver(self, value: Any) -> None:
        _running.discard(self)
        self._on_done(value)

    @Slot(object)
    def _deliver_failure(self, error: Any) -> None:
        _running.discard(self)
        self._on_failed(error)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], carrier: Carrier) -> None:
        super().__init__()
        self.work = work
        self.carrier = carrier

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # handed to the GUI thread, which reports it
            _hand_back(self.carrier.failed, exc)
        else:
            _hand_back(self.carrier.done, result)


def _hand_back(signal: Any, value: Any) -> None:
    try:
        signal.emit(value)
    except RuntimeError:  # the program is closing and the carrier is gone: nobody waits for it
        return


# Carriers of jobs still running: nothing else holds them while the pool works.
_running: set[Carrier] = set()


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    pool: QThreadPool | None = None,
) -> Carrier:
    """Start ``work`` on the pool; call one of the callbacks on the GUI thread when it ends."""
    carrier = Carrier(on_done, on_failed)
    _running.add(carrier)
    (pool or QThreadPool.globalInstance()).start(_Job(work, carrier))
    return carrier


def busy() -> bool:
    """Whether any background job has yet to report (tests wait on this)."""
    return bool(_running)
