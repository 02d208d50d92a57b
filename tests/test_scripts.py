"""scripts/venv.sh, which run.sh and check.sh install with: once per pyproject.toml, saying so."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Stands in for the environment's Python: answers -V, logs every pip call, and fails when asked to.
FAKE_PYTHON = """#!/usr/bin/env bash
if [ "$1" = "-V" ]; then echo "Python 3.11.2"; exit 0; fi
echo "$*" >> "$(dirname "$0")/../calls.log"
[ -f "$(dirname "$0")/../fail" ] && exit 1
exit 0
"""


def project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "venv.sh", tmp_path / "scripts" / "venv.sh")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "clinic-pos"\n', encoding="utf-8")
    bin_ = tmp_path / ".venv" / "bin"
    bin_.mkdir(parents=True)
    for name, text in (("python", FAKE_PYTHON), ("clinic-pos", "#!/bin/sh\n")):
        (bin_ / name).write_text(text, encoding="utf-8")
        (bin_ / name).chmod(0o755)
    return tmp_path


def install(root: Path, *extras: str) -> tuple[int, list[str], str]:
    done = subprocess.run(
        ["bash", str(root / "scripts" / "venv.sh"), *extras], capture_output=True, text=True, check=False
    )
    log = root / ".venv" / "calls.log"
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return done.returncode, calls, done.stderr


def test_the_install_runs_once_per_pyproject_and_says_what_it_does(tmp_path: Path) -> None:
    root = project(tmp_path)
    status, calls, said = install(root)
    assert status == 0
    assert calls == ["-m pip install -q --disable-pip-version-check -e ."]
    assert "installing clinic-pos" in said
    assert "installed in" in said

    assert install(root) == (0, [], "")  # nothing changed: straight on, silently

    status, calls, _ = install(root, "test")  # the test tools are their own install
    assert calls == ["-m pip install -q --disable-pip-version-check -e .[test]"]
    assert install(root, "test")[1] == []

    with (root / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write('dependencies = ["pypinyin"]\n')
    assert install(root)[1] == ["-m pip install -q --disable-pip-version-check -e ."]


def test_a_failed_install_is_tried_again_next_time(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / ".venv" / "fail").touch()
    status, calls, _ = install(root)
    assert status != 0
    assert len(calls) == 1
    (root / ".venv" / "fail").unlink()
    assert install(root)[1] == ["-m pip install -q --disable-pip-version-check -e ."]
    (root / ".venv" / "bin" / "clinic-pos").unlink()  # an environment broken since: installed again
    assert len(install(root)[1]) == 1
