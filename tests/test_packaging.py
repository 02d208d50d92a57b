"""The frozen program: built with PyInstaller from packaging/clinic-pos.spec, then run away
from the source tree by packaging/release.sh (a quote, a demo store, a check, the agency)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_release_builds_and_the_built_program_works(tmp_path: Path) -> None:
    env = {**os.environ, "CLINIC_POS_DIST": str(tmp_path / "dist"), "CLINIC_POS_PYTHON": sys.executable}
    done = subprocess.run(
        ["bash", str(REPO / "packaging" / "release.sh")],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "built and checked:" in done.stdout
    assert list((tmp_path / "dist").glob("clinic-pos-*.tar.gz"))
