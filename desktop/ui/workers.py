"""Slow work off the GUI thread: a pool job hands its result back through a queued signal.

The function runs on a pool thread and must not touch a widget; the callbacks run on
the GUI thread because the mailbox, the signals' receiver, lives there.

Everything a job uses is freed on the GUI thread. Qt cannot free a QObject safely on a
thread other than its own, and a job's last reference would free one there: a widget its
work closes over, a result, an exception's traceback. So the pool thread holds a ticket
number and nothing else: the work, the callbacks and the outcome sit in ``_errands``,
which the GUI thread keeps until the job has let go of them all and posted its ticket.
One mailbox, made once on the GUI thread and kept for good, carries every ticket back.
"""

from __future__ import annotations

import functools
import itertools
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

Progress = Callable[[int, int], None]  # done, total: called on the pool thread


@dataclass(slots=True)
class _Errand:
    work: Callable[[Progress], Any]
    on_done: Callable[[Any], None]
    on_failed: Callable[[BaseException], None]
    on_progress: Progress | None
    outcome: tuple[bool, Any] | None = None  # (succeeded, result or exception), set by the job


class _Mailbox(QObject):
    ended = Signal(int)  # ticket
    progressed = Signal(int, int, int)  # ticket, done, total

    def __init__(self) -> None:
        super().__init__()
        from PySide6.QtCore import Qt  # here, not above: the window's first frame does without Qt's enums

        queued = Qt.ConnectionType.QueuedConnection
        self.ended.connect(self._deliver, queued)
        self.progressed.connect(self._progress, queued)

    @Slot(int)
    def _deliver(self, ticket: int) -> None:
        with _lock:
            errand = _errands.pop(ticket)
        assert errand.outcome is not None, "a job posts its ticket once its outcome is in"
        succeeded, value = errand.outcome
        if _owner_gone(errand.on_done):
            return  # the page that asked was closed meanwhile: nobody is left to show it to
        if succeeded:
            errand.on_done(value)
        else:
            # The frames' variables (the work's widget among them) are freed with the
            # errand, here, rather than kept in a cycle through an exception a handler keeps.
            traceback.clear_frames(value.__traceback__)
            errand.on_failed(value)

    @Slot(int, int, int)
    def _progress(self, ticket: int, done: int, total: int) -> None:
        with _lock:
            errand = _errands.get(ticket)
        if errand is not None and errand.on_progress is not None:
            errand.on_progress(done, total)


def _owner_gone(callback: Callable[..., Any]) -> bool:
    """Whether ``callback`` is a method of a Qt object whose C++ side is already deleted."""
    from shiboken6 import isValid  # here, not above: the window's first frame does without it

    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not isValid(owner)


class _Job(QRunnable):
    def __init__(self, ticket: int) -> None:
        super().__init__()
        self.ticket = ticket

    def run(self) -> None:
        _carry_out(self.ticket)  # every reference it took is gone when it returns
        _post(_mailbox().ended, self.ticket)


def _carry_out(ticket: int) -> None:
    # No local variables here: a failure's traceback reaches this frame (its caller's),
    # and an errand held here would tie the exception to itself, a cycle that Python's
    # collector frees later on whichever thread it happens to run.
    _keep(ticket, _outcome(_work_for(ticket), _progress_for(ticket)))


def _work_for(ticket: int) -> Callable[[Progress], Any]:
    with _lock:
        return _errands[ticket].work


def _keep(ticket: int, outcome: tuple[bool, Any]) -> None:
    with _lock:
        _errands[ticket].outcome = outcome


def _outcome(work: Callable[[Progress], Any], progress: Progress) -> tuple[bool, Any]:
    try:
        return True, work(progress)
    except Exception as exc:  # handed to the GUI thread, which reports it
        return False, exc


def _progress_for(ticket: int) -> Progress:
    def progress(done: int, total: int) -> None:
        _post(_mailbox().progressed, ticket, done, total)

    return progress


def _post(signal: Any, *values: int) -> None:
    try:
        signal.emit(*values)
    except RuntimeError:  # the program is closing and the mailbox is gone: nobody waits for it
        return


_lock = threading.Lock()
# Jobs not yet reported, by ticket: added to and taken from on the GUI thread only.
_errands: dict[int, _Errand] = {}
_tickets = itertools.count(1)


@functools.cache
def _mailbox() -> _Mailbox:
    """The one mailbox, made by the first job (on the GUI thread) and kept for good."""
    return _Mailbox()


def start_job(
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    on_progress: Progress | None = None,
    pool: QThreadPool | None = None,
) -> None:
    """Start ``work(progress)`` on the pool; ``on_progress`` and then one of the other
    callbacks are called on the GUI thread. Call it on the GUI thread."""
    _mailbox()  # made here, on the GUI thread, before any job can post to it
    ticket = next(_tickets)
    with _lock:
        _errands[ticket] = _Errand(work, on_done, on_failed, on_progress)
    (pool or QThreadPool.globalInstance()).start(_Job(ticket))


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    pool: QThreadPool | None = None,
) -> None:
    """Start ``work`` on the pool; call one of the callbacks on the GUI thread when it ends."""
    start_job(lambda _progress: work(), on_done, on_failed, pool=pool)


def busy() -> bool:
    """Whether any background job has yet to report (tests wait on this)."""
    return bool(_errands)
