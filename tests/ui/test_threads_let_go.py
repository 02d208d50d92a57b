"""What the window hands to another thread is freed on the GUI thread.

Qt cannot free a QObject safely on a thread other than its own; freeing one there
corrupts memory, and the program dies later somewhere innocent (a segfault in a QObject
constructor). In Python the thread that lets go of the last reference frees the object,
so no thread but the GUI's may hold the last one.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

import pytest

from db.session import Store
from desktop.sync import FixedCredentials
from desktop.ui.sync_setup import Target
from desktop.ui.sync_worker import SyncWorker
from desktop.ui.workers import run_in_background
from tests.ui.conftest import wait_for_workers


class Thing:
    """Anything a thread's work may hold: a widget it closes over, a result, a model."""


def watched(freed_on: list[int]) -> Thing:
    """A thing that notes the thread it is freed on."""
    thing = Thing()
    weakref.finalize(thing, lambda: freed_on.append(threading.get_ident()))
    return thing


def work_over(thing: Thing, *, fails: bool) -> Callable[[], Thing]:
    def work() -> Thing:
        if fails:  # the exception's traceback holds this frame, and the frame the thing
            raise LookupError("no such record")
        return thing  # the result is the thing

    return work


@pytest.mark.parametrize("fails", [False, True], ids=["done", "failed"])
def test_a_background_job_leaves_its_work_and_outcome_to_the_gui_thread(qtbot: Any, fails: bool) -> None:
    freed_on: list[int] = []
    outcomes: list[str] = []
    run_in_background(
        work_over(watched(freed_on), fails=fails),
        lambda _result: outcomes.append("done"),
        lambda _error: outcomes.append("failed"),
    )
    wait_for_workers(qtbot)
    assert outcomes == ["failed" if fails else "done"]
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)
    assert freed_on == [threading.get_ident()]


def test_a_sync_worker_whose_thread_outlives_the_closing_is_freed_on_the_gui_thread(qtbot: Any, store: Store) -> None:
    freed_on: list[int] = []
    agency_answers = threading.Event()

    def slow_agency(_store: Store) -> Target:  # the first step hangs past the window's wait
        agency_answers.wait(10)
        return Target("http://127.0.0.1:9/", FixedCredentials({}))  # never called: the worker is stopping

    before = set(threading.enumerate())
    worker = SyncWorker(store, ("clerk", "Clerk"), slow_agency)
    weakref.finalize(worker, lambda: freed_on.append(threading.get_ident()))
    worker.start()
    (thread,) = set(threading.enumerate()) - before
    assert not worker.shutdown(wait_s=0.05)  # the window closes and stops waiting
    del worker  # as the window lets go of it: the thread holds the worker now
    agency_answers.set()
    thread.join(10)
    assert not thread.is_alive()
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)
    assert freed_on == [threading.get_ident()]


def test_an_outcome_for_a_page_closed_meanwhile_is_dropped(qtbot: Any) -> None:
    import shiboken6
    from PySide6.QtWidgets import QLabel

    shown: list[str] = []

    class Page(QLabel):
        def show_figures(self, result: str) -> None:
            shown.append(result)
            self.setText(result)  # on a deleted page: "Internal C++ object already deleted"

    page = Page()
    release = threading.Event()
    run_in_background(lambda: release.wait(5) and "figures", page.show_figures, lambda _error: None)
    shiboken6.delete(page)  # the window closed while the figures were read
    release.set()
    wait_for_workers(qtbot)
    assert shown == []
