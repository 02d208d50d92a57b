"""Process start to the counter window shown and ready for a card, beside a bare PySide6 window.

Both run as fresh processes in the same run, alternately, on the same machine; the
counter opens a full demo database (a township centre, 300 people, a year of visits).
"Ready" means the window is exposed, the card box has the focus and the catalogue is
loaded. Target: the counter under 1.5 times the bare window.

    .venv/bin/python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
box = QLineEdit()
window.setCentralWidget(box)
window.resize(1280, 760)
window.show()
box.setFocus()
def ready():
    print("READY", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""

COUNTER = """
import sys
sys.path.insert(0, {repo!r})
from PySide6.QtCore import QTimer
from db.session import open_store
from desktop.auth import staff_by_username
from desktop.ui.app import make_application
from desktop.ui.main_window import CounterWindow
app = make_application()
store = open_store({db!r})
window = CounterWindow(store, staff_by_username(store, "clerk"))
window.resize(1280, 760)
def ready():
    assert app.focusWidget() is window.counter.card
    print("READY", flush=True)
    app.quit()
window.ready.connect(lambda: QTimer.singleShot(0, ready))
window.show()
window.counter.focus_card()
app.exec()
"""


def time_to_ready(code: str) -> float:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("READY"):
            elapsed = time.perf_counter() - started
            process.wait(timeout=30)
            return elapsed
    raise RuntimeError(f"the window never became ready (exit {process.wait()})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "demo.sqlite3")
        sys.path.insert(0, str(REPO))
        from db.session import open_store
        from desktop.demo import build_demo

        store = open_store(db)
        build_demo(store)
        store.dispose()
        counter = COUNTER.format(repo=str(REPO), db=db)
        time_to_ready(BARE)  # warm the file cache for both
        time_to_ready(counter)
        bare_times, counter_times = [], []
        for _ in range(args.runs):
            bare_times.append(time_to_ready(BARE))
            counter_times.append(time_to_ready(counter))
    bare, ours = statistics.median(bare_times), statistics.median(counter_times)
    print(f"bare PySide6 window: median {bare * 1000:.0f} ms over {args.runs} runs")
    print(f"counter window:      median {ours * 1000:.0f} ms over {args.runs} runs")
    print(f"ratio: {ours / bare:.2f} (target < 1.5) on platform {os.environ['QT_QPA_PLATFORM']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
