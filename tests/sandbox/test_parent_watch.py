"""A sandbox started for a counter stops when the counter is gone, however it went."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.factories import REPO_ENV

SPAWN = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-m", "desktop.sandbox.server", "--port", "0", "--db", sys.argv[1],
                          "--parent-pid", str(__import__("os").getpid())], stdout=subprocess.PIPE, text=True)
print(child.pid, child.stdout.readline().strip(), flush=True)
__import__("time").sleep(60)
"""


def test_the_sandbox_outlives_its_parent_by_a_second_at_most(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", SPAWN, str(tmp_path / "agency.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
        env=REPO_ENV,
    )
    assert parent.stdout is not None
    pid, listening = parent.stdout.readline().split(" ", 1)
    assert listening.startswith("listening on http://127.0.0.1:")
    parent.kill()  # kill -9: no chance to stop its child
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = subprocess.run(["kill", "-0", pid], capture_output=True, check=False).returncode == 0
        if not alive:
            return
        time.sleep(0.1)
    subprocess.run(["kill", pid], check=False)
    raise AssertionError("the sandbox kept running after its parent was killed")
