"""The demo clinic's own agency: the sandbox started as a child process on loopback.

With nothing configured the counter opens on the demo clinic, and a newcomer should see
sync work too. So the demo gets a sandbox agency of its own: a separate process (its
adjudication and JSON work would otherwise hold the window's GIL), on a free loopback
port, with its own SQLite file beside the demo database, seeded with the demo's roster.

Each start draws a fresh SM2 key pair per facility. The public keys reach the sandbox
through a temporary file (``--key-file``, deleted as soon as the sandbox says it is
listening), as a facility registers its key with the agency; the private keys reach the
relay through ``FixedCredentials`` and are never written anywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from db.models import Facility
from db.session import Store
from desktop.agency.msgid import CHINA
from desktop.agency.signing import generate_private_key, public_key_pem
from desktop.sandbox.from_store import roster_from_store
from desktop.sync.credentials import FixedCredentials

log = logging.getLogger("clinic.sync.demo")

LISTENING = "listening on "
START_TIMEOUT = 30.0  # seconds for the sandbox to load the roster and listen
STOP_TIMEOUT = 5.0


class DemoAgencyError(Exception):
    """The demo's sandbox agency did not start; the message says why."""


@dataclass
class DemoAgency:
    """A running sandbox agency for the demo clinic; ``stop`` ends it."""

    url: str
    process: subprocess.Popen[str]
    database: Path
    log_file: Path
    _secrets: dict[str, str] = field(repr=False)

    def credentials(self) -> FixedCredentials:
        return FixedCredentials(self._secrets)

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Ask the sandbox to stop cleanly (calls in flight finish, its file is closed); kill it if it will not."""
        if not self.running():
            self._close_pipe()
            return
        try:
            import httpx

            httpx.post(f"{self.url}/_admin/shutdown", timeout=min(timeout, 2.0))
        except Exception:  # it may be wedged; terminate() below stops it anyway
            log.info("the demo agency did not take the shutdown call; terminating it", exc_info=True)
            self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("the demo agency did not stop within %.0f s; killing it", timeout)
            self.process.kill()
            self.process.wait(timeout)
        self._close_pipe()

    def _close_pipe(self) -> None:
        if self.process.stdout is not None:
            self.process.stdout.close()


def agency_database(clinic_database: Path) -> Path:
    """``…/clinic-pos.sqlite3`` → ``…/clinic-pos.agency.sqlite3``."""
    return clinic_database.with_name(f"{clinic_database.stem}.agency.sqlite3")


def sandbox_command() -> list[str]:
    """``clinic-agency-sandbox`` from this interpreter's environment, or the same program as a module."""
    if getattr(sys, "frozen", False):  # one executable: the agency is its subcommand (packaging/launch.py)
        return [sys.executable, "agency-sandbox"]
    folder = Path(sys.executable).parent
    for name in ("clinic-agency-sandbox", "clinic-agency-sandbox.exe"):
        script = folder / name
        if script.is_file():
            return [str(script)]
    return [sys.executable, "-m", "desktop.sandbox.server"]


def facility_codes(store: Store) -> list[str]:
    with store.reading() as session:
        return list(session.scalars(select(Facility.code).order_by(Facility.code)))


def start_demo_agency(
    store: Store,
    clinic_database: Path,
    *,
    today: dt.date | None = None,
    command: Sequence[str] | None = None,
    timeout: float = START_TIMEOUT,
) -> DemoAgency:
    """Start the sandbox for ``store`` and wait until it listens; ``DemoAgencyError`` if it does not."""
    database = agency_database(clinic_database)
    log_file = database.with_suffix(".log")
    day = today or dt.datetime.now(CHINA).date()
    drawn = {code: generate_private_key() for code in facility_codes(store)}
    registered = {code: public_key_pem(key) for code, key in drawn.items()}
    roster = roster_from_store(store, day)
    with _private_file(registered) as key_file, _private_file(roster) as roster_file:
        arguments = [
            *(command or sandbox_command()),
            *("--host", "127.0.0.1", "--port", "0", "--db", str(database)),
            *("--roster", str(roster_file), "--key-file", str(key_file), "--log-level", "WARNING"),
            *("--parent-pid", str(os.getpid())),  # a counter killed outright takes its agency with it
        ]
        with log_file.open("a", encoding="utf-8") as errors:
            process = subprocess.Popen(  # noqa: S603 — our own program, arguments built here
                arguments,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                encoding="utf-8",
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # no console window on Windows
            )
        assert process.stdout is not None
        # The files are read before the sandbox listens; they go the moment it does.
        url = _wait_for_address(process.stdout, timeout)
    if url is None:
        _end(process)
        raise DemoAgencyError(f"the demo agency did not start: {_tail(log_file) or 'no message'} (see {log_file})")
    log.info("demo agency listening on %s (database %s)", url, database)
    return DemoAgency(url, process, database, log_file, drawn)


@contextlib.contextmanager
def _private_file(content: Any) -> Iterator[Path]:
    """A temporary JSON file only this user can read (mkstemp makes it 0600), deleted on leaving."""
    handle, name = tempfile.mkstemp(prefix="clinic-demo-agency-", suffix=".json")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(content, file, ensure_ascii=False)
        yield path
    finally:
        path.unlink(missing_ok=True)


def _wait_for_address(stdout: IO[str], timeout: float) -> str | None:
    """The sandbox's ``listening on URL`` line, read on a helper thread so a wedged start cannot hang us."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stdout:
            lines.put(line)
            if line.startswith(LISTENING):
                return
        lines.put("")  # end of output: the sandbox exited

    threading.Thread(target=read, name="demo-agency-start", daemon=True).start()
    deadline = time.monotonic() + timeout
    try:
        while True:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.001))
            if not line:
                return None
            if line.startswith(LISTENING):
                return line.removeprefix(LISTENING).strip()
    except queue.Empty:
        return None


def _end(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(STOP_TIMEOUT)
    if process.stdout is not None:
        process.stdout.close()


def _tail(path: Path, lines: int = 3) -> str:
    try:
        return " ".join(path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return ""
