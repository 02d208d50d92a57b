"""``clinic-agency-sandbox`` as a process: start, answer, stop cleanly; logs without personal data."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.agency import decode
from desktop.agency.messages import SignIn
from desktop.privacy import mask_id_number
from desktop.sandbox.server import SandboxServer
from tests.factories import REPO_ENV
from tests.sandbox.helpers import PUBLIC_KEYS, RESIDENT, RESIDENT_ID, ROSTER, TOWNSHIP, Clinic


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    roster, secrets = tmp_path / "roster.json", tmp_path / "keys.json"
    roster.write_text(json.dumps(ROSTER, ensure_ascii=False), encoding="utf-8")
    secrets.write_text(json.dumps(PUBLIC_KEYS), encoding="utf-8")
    return {"db": tmp_path / "agency.sqlite3", "roster": roster, "secrets": secrets}


def start(files: dict[str, Path], *extra: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop.sandbox.server",
            "--port",
            "0",
            "--db",
            str(files["db"]),
            "--roster",
            str(files["roster"]),
            "--key-file",
            str(files["secrets"]),
            "--seed",
            "1",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=REPO_ENV,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("listening on http://127.0.0.1:"), line + process.stderr.read() if process.stderr else ""
    return process, line.split()[-1]


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Wait for the process to end by itself; its exit status and standard error (pipes closed)."""
    _, stderr = process.communicate(timeout=10)
    return process.returncode, stderr


@pytest.fixture
def running(files: dict[str, Path]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, url = start(files)
    yield process, url
    if process.poll() is None:
        process.kill()
    process.communicate()


def test_sigterm_stops_the_process_cleanly_and_keeps_what_was_booked(
    running: tuple[subprocess.Popen[str], str], files: dict[str, Path]
) -> None:
    process, url = running
    with httpx.Client(timeout=5) as http:
        clinic = Clinic(url, TOWNSHIP, http)
        info = clinic.settle(RESIDENT, [("XA01", "2", "12.50")])
        assert clinic.send(SignIn("clerk", "10.0.0.1")).ok
        process.send_signal(signal.SIGTERM)
        code, stderr = finish(process)
    assert code == 0
    with sqlite3.connect(files["db"]) as check:
        assert check.execute("SELECT setl_id FROM settlement").fetchall() == [(info.setl_id,)]
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "infno=2207" in stderr
    assert RESIDENT not in stderr
    assert RESIDENT_ID not in stderr
    assert mask_id_number(RESIDENT) in stderr
    assert "Traceback" not in stderr


def test_the_admin_shutdown_page_stops_the_process(running: tuple[subprocess.Popen[str], str]) -> None:
    process, url = running
    response = httpx.post(f"{url}/_admin/shutdown", content=b"{}")
    assert response.json() == {"stopping": True}
    assert finish(process)[0] == 0


def test_command_line_misbehaviour_is_the_starting_config(files: dict[str, Path]) -> None:
    process, url = start(files, "--fail-rate", "0.5", "--slow-ms", "10", "--reject", RESIDENT, "X1")
    try:
        config = decode(httpx.get(f"{url}/_admin/config").content)
        assert (config["fail_rate"], config["slow_ms"], config["reject"], config["seed"]) == (
            0.5,
            10,
            sorted([RESIDENT, "X1"]),
            1,
        )
    finally:
        process.terminate()
        assert finish(process)[0] == 0


def test_a_bad_roster_stops_the_start_naming_the_field(files: dict[str, Path]) -> None:
    broken = dict(ROSTER, persons=[{**ROSTER["persons"][0], "policy": "atlantis-resident"}])
    files["roster"].write_text(json.dumps(broken), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "desktop.sandbox.server", "--db", str(files["db"]), "--roster", str(files["roster"])],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=REPO_ENV,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert json.loads(result.stderr.strip().splitlines()[-1])["field"] == "persons[0].policy"


def test_stop_returns_promptly_with_idle_keep_alive_connections(tmp_path: Path) -> None:
    server = SandboxServer(tmp_path / "agency.sqlite3").start()
    with httpx.Client() as http:
        assert http.get(f"{server.url}/_admin/health").json() == {"ok": True}
        started = time.perf_counter()
        server.stop()
        assert time.perf_counter() - started < 2
        with pytest.raises(httpx.TransportError):
            http.get(f"{server.url}/_admin/health")


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "clinic-agency-sandbox"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0
    assert "--drop-after-commit-rate" in result.stdout
