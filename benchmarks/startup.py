"""Process start to the counter window shown and ready for a card, beside a bare PySide6 window.

Both run as fresh processes in the same run, alternately, on the same machine; the
counter starts through its real launcher (``desktop.ui.app.Launcher``) on a full demo
database (a township centre, 300 people, a year of visits), signed in as the demo clerk.

The counter starts in two stages. "Ready for a card" is the first: the window shown with
the card box focused, taking keystrokes (a card typed then is held until the store is
open). The second, "store ready", is printed too so nothing is hidden: the store open,
its migrations checked, the catalogue loaded, a held card checkable. Target: the first
under 1.5 times the bare window.

The first frame has the whole counter but for the visit table's models, the diagnosis
completer and the keyboard shortcuts, which follow at once (``CounterWindow.finish_building``;
they need Qt's enums in Python, ~25 ms to load). When that is done is printed as well
("counter complete"), beside the first frame's time.

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
# An installed program starts from compiled bytecode (pip compiles on install); where
# PYTHONDONTWRITEBYTECODE is set, every run would compile the sources again instead.
# The bytecode goes to a folder of its own, not into the source tree.
PYCACHE = Path(tempfile.gettempdir()) / "clinic-pos-startup-pyc"


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


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
    if app.focusWidget() is not box:  # keys go to the box once the window is active
        QTimer.singleShot(0, ready)
        return
    print("READY", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""

COUNTER = """
import sys
sys.path.insert(0, {repo!r})
from PySide6.QtCore import QTimer
from desktop.ui.app import Launcher, make_application
app = make_application()
launcher = Launcher(app, {db!r}, sign_in_as="clerk")
window = launcher.start()
def shown():
    if app.focusWidget() is not window.counter.card:  # keys go to the card box once the window is active
        QTimer.singleShot(0, shown)
        return
    print("SHOWN", flush=True)
    QTimer.singleShot(0, built)
def built():
    if not window.finished:
        QTimer.singleShot(0, built)
        return
    print("BUILT", flush=True)
def ready():
    assert window.store is not None and window.catalogue is not None
    print("READY", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
window.ready.connect(lambda: QTimer.singleShot(0, ready))
app.exec()
"""


def times_to(code: str) -> tuple[float, float, float]:
    """Seconds from process start to the window shown (SHOWN), complete (BUILT) and everything ready (READY)."""
    started = time.perf_counter()
    command = [sys.executable, "-c", code]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO, env=environment())
    assert process.stdout is not None
    shown = built = None
    for line in process.stdout:
        if line.startswith("SHOWN"):
            shown = time.perf_counter() - started
        elif line.startswith("BUILT"):
            built = time.perf_counter() - started
        elif line.startswith("READY"):
            ready = time.perf_counter() - started
            process.wait(timeout=30)
            shown = ready if shown is None else shown
            return shown, shown if built is None else built, ready
    raise RuntimeError(f"the window never became ready (exit {process.wait()})")


def ms(seconds: list[float]) -> str:
    median, low, high = (round(x * 1000) for x in (statistics.median(seconds), min(seconds), max(seconds)))
    return f"median {median} ms (min {low}, max {high})"


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
        times_to(BARE)  # warm the file cache for both
        times_to(counter)
        bare_times, shown_times, built_times, ready_times = [], [], [], []
        for _ in range(args.runs):
            bare_times.append(times_to(BARE)[0])
            shown, built, ready = times_to(counter)
            shown_times.append(shown)
            built_times.append(built)
            ready_times.append(ready)
    bare = statistics.median(bare_times)
    print(f"bare PySide6 window:                  {ms(bare_times)} over {args.runs} runs")
    print(f"counter shown, card box focused:      {ms(shown_times)}")
    print(f"counter complete (models, shortcuts): {ms(built_times)}")
    print(f"counter store ready (catalogue in):   {ms(ready_times)}")
    platform = os.environ["QT_QPA_PLATFORM"]
    print(f"ratio shown/bare: {statistics.median(shown_times) / bare:.2f} (target < 1.5) on platform {platform}")
    print(f"ratio complete/bare: {statistics.median(built_times) / bare:.2f}")
    print(f"ratio store ready/bare: {statistics.median(ready_times) / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
