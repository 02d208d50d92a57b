"""Typing an item to seeing the new quote, through the widgets. Target: under 50 ms.

Each sample types an item's pinyin initials into the item box and presses Enter, then
processes the event queue; the clock stops when the quote's total shows the new sum.
Runs on a demo database with the year of visits behind the patient.

    .venv/bin/python benchmarks/quote_latency.py [--items 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from db.models import Person
    from db.session import open_store
    from desktop.auth import staff_by_username
    from desktop.demo import build_demo
    from desktop.ui.app import make_application
    from desktop.ui.main_window import CounterWindow
    from desktop.ui.workers import busy

    app = make_application()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "demo.sqlite3")
        build_demo(store)
        staff = staff_by_username(store, "clerk")
        assert staff is not None
        window = CounterWindow(store, staff)
        window.show()
        while window.catalogue is None or busy():
            app.processEvents()
        with store.reading() as session:
            person = session.scalars(select(Person).where(Person.policy == "nanchang-resident")).first()
            assert person is not None
        counter = window.counter
        QTest.keyClicks(counter.card, person.id_number)
        QTest.keyClick(counter.card, Qt.Key.Key_Return)
        samples = []
        for typed in (["yb", "amx", "xcg", "blg", "ncg"] * args.items)[: args.items]:
            before = counter.quote.amounts["total"].text()
            started = time.perf_counter()
            QTest.keyClicks(counter.entry.item, typed)
            QTest.keyClick(counter.entry.item, Qt.Key.Key_Return)
            QApplication.processEvents()
            assert counter.quote.amounts["total"].text() != before
            samples.append(time.perf_counter() - started)
        window.idle.pause()
        window.close()
        store.dispose()
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"item typed to new quote: median {statistics.median(samples) * 1000:.1f} ms, "
          f"95th percentile {p95 * 1000:.1f} ms, worst {samples[-1] * 1000:.1f} ms "
          f"over {len(samples)} items (target < 50 ms)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
