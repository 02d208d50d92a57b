"""The counter's first frame does without Qt's enums in Python; the second step brings them.

Creating the ~100 enums of PySide's ``Qt`` namespace costs ~25 ms, a sixth of the start
(benchmarks/startup.py). Nothing on the way to the first frame may touch ``Qt``: this
test says which module did, in a fresh interpreter, before the start-up benchmark does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROBE = """
import enum, json, sys, traceback
made, first = [], []
create = enum.EnumType._create_
def watched(cls, name, *args, **kwargs):
    if name == "AlignmentFlag" and not first:  # one of the Qt namespace's own
        first.append("".join(traceback.format_stack(limit=12)))
    made.append(name)
    return create(cls, name, *args, **kwargs)
enum.EnumType._create_ = watched
sys.path.insert(0, {repo!r})
from desktop.ui.app import Launcher, make_application
Launcher._open_when_shown = lambda self, waited_ms=0: None  # the second step by hand, below
app = make_application()
launcher = Launcher(app, "unused.sqlite3")
window = launcher.start()
app.processEvents()
before = {{"qt_enums": "AlignmentFlag" in made, "finished": window.finished, "where": first[0] if first else ""}}
window.finish_building()
model = window.counter.entry.lines.model() is not None
after = {{"qt_enums": "AlignmentFlag" in made, "actions": len(window.actions()), "model": model}}
print(json.dumps({{"before": before, "after": after}}))
"""


def test_the_first_frame_does_without_qt_enums_and_the_second_step_brings_them() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(repo=str(REPO))],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert not found["before"]["qt_enums"], (
        "the Qt namespace was loaded before the first frame:\n" + found["before"]["where"]
    )
    assert not found["before"]["finished"]
    assert found["after"]["qt_enums"]  # needed by the models: loaded in the second step
    assert found["after"]["model"]
    assert found["after"]["actions"] >= 5  # settle, print, next patient, lock, pages
