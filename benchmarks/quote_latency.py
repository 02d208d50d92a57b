"""Typing an item to seeing the new quote, through the widgets. Target: under 50 ms.

Each sample types an item's pinyin initials into the item box and presses Enter, then
processes the event queue; the clock stops when the quote's total shows the new sum.
Runs on a demo database with the year of visits behind the patient.

``--while-uploading`` measures the same while the demo's first upload runs: the window
syncs with the demo's own sandbox agency (a child process, as when the counter starts
with nothing configured) and sends the year of records nobody has sent, on its worker
thread, in this process. The clerk pauses between items as at a real counter, and the
event loop's lateness is measured in those pauses too. It also says how many records
went up meanwhile: the upload gives way to the typing (desktop.ui.pace), not the
other way round.

    .venv/bin/python benchmarks/quote_latency.py [--items 60] [--while-uploading]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PAUSE_S = 0.3  # between items while uploading: a clerk reads the quote out


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(int(len(ordered) * share) - 1, 0)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--while-uploading", action="store_true", help="measure during the demo's first upload")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO))
    from db.session import open_store
    from desktop.auth import staff_by_username
    from desktop.demo import build_demo
    from desktop.ui.app import make_application
    from desktop.ui.main_window import CounterWindow
    from desktop.ui.workers import busy

    app = make_application()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.sqlite3"
        store = open_store(path)
        build_demo(store)
        staff = staff_by_username(store, "clerk")
        assert staff is not None
        window = CounterWindow(store, staff)
        window.show()
        while window.catalogue is None or busy():
            app.processEvents()
        waiting_before = start_upload(window, path) if args.while_uploading else 0
        samples, lateness = type_items(window, args.items, pauses=args.while_uploading)
        window.idle.pause()
        waiting_after = waiting_now(window)
        worker = window.sync_worker
        window.close()  # stops the relay and the demo's agency
        while worker is not None and worker.alive():  # before the store and its folder go
            time.sleep(0.05)
        store.dispose()
    during = " during the first upload" if args.while_uploading else ""
    print(f"item typed to new quote{during}: median {statistics.median(samples) * 1000:.1f} ms, "
          f"95th percentile {percentile(samples, 0.95) * 1000:.1f} ms, worst {max(samples) * 1000:.1f} ms "
          f"over {len(samples)} items (target < 50 ms)")  # fmt: skip
    if args.while_uploading:
        print(f"event loop late by: median {statistics.median(lateness):.1f} ms, 95th percentile "
              f"{percentile(lateness, 0.95):.1f} ms, worst {max(lateness):.1f} ms over {len(lateness)} ticks; "
              f"records waiting went from {waiting_before} to {waiting_after}")  # fmt: skip
    return 0


def start_upload(window: Any, path: Path) -> int:
    """Sync with the demo's own agency, as a first start does; the records waiting once it is sending."""
    from PySide6.QtWidgets import QApplication

    from desktop.ui.sync_setup import choose_target

    window.start_sync(choose_target(path))  # the demo clinic in its own file: its own agency
    while not window.sync.sending:  # a run under way for a second: the upload, not a blink
        QApplication.processEvents()
        time.sleep(0.01)
    return waiting_now(window)


def waiting_now(window: Any) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.workers import busy

    window.sync.refresh()
    while busy():
        QApplication.processEvents()
    return int(window.sync.figures.waiting) if window.sync.figures is not None else 0


def type_items(window: Any, items: int, *, pauses: bool) -> tuple[list[float], list[float]]:
    """Seconds from each item typed to its quote shown; with ``pauses``, the event loop's lateness between."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from db.models import Person

    with window.store.reading() as session:
        person = session.scalars(select(Person).where(Person.policy == "nanchang-resident")).first()
        assert person is not None
    counter = window.counter
    QTest.keyClicks(counter.card, person.id_number)
    QTest.keyClick(counter.card, Qt.Key.Key_Return)
    samples: list[float] = []
    lateness: list[float] = []
    for typed in (["yb", "amx", "xcg", "blg", "ncg"] * items)[:items]:
        before = counter.quote.amounts["total"].text()
        started = time.perf_counter()
        QTest.keyClicks(counter.entry.item, typed)
        QTest.keyClick(counter.entry.item, Qt.Key.Key_Return)
        QApplication.processEvents()
        assert counter.quote.amounts["total"].text() != before
        samples.append(time.perf_counter() - started)
        if pauses:
            lateness.extend(pause(PAUSE_S))
    return samples, lateness


def pause(seconds: float, tick_s: float = 0.01) -> list[float]:
    """Let ``seconds`` pass in the event loop, as between a clerk's items; how late each 10 ms tick came (ms)."""
    from PySide6.QtCore import QEventLoop, QTimer

    late: list[float] = []
    last = time.perf_counter()
    ends = last + seconds

    def tick() -> None:
        nonlocal last
        now = time.perf_counter()
        late.append(max((now - last - tick_s) * 1000, 0.0))
        last = now
        if now >= ends:
            loop.quit()

    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(int(tick_s * 1000))
    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    timer.stop()
    return late


if __name__ == "__main__":
    sys.exit(main())
