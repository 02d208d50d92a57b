"""The secret in a real OS keyring: a private D-Bus session with gnome-keyring's Secret Service.

This is the keyring a Linux counter uses; the other tests stand in for it with a test
backend. ``scripts/system-deps.sh`` installs gnome-keyring and D-Bus.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring.core
import pytest
from keyring.backends import SecretService

from db.session import Store
from desktop.sandbox.server import SandboxServer
from desktop.sync.credentials import KeyringCredentials
from tests.cli_helpers import signed_in_env
from tests.sync.helpers import FIRST_DAY, SECRETS, Visits, agency_settlements
from tests.sync.test_cli import clinic_pos

CODE = "H36012100101"


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A D-Bus session bus and an unlocked gnome-keyring on it; the environment to reach them."""
    if shutil.which("dbus-daemon") is None or shutil.which("gnome-keyring-daemon") is None:
        pytest.skip("needs dbus-daemon and gnome-keyring-daemon (scripts/system-deps.sh installs them)")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        check=True,
    )
    address, pid = bus.stdout.split()
    env = {"DBUS_SESSION_BUS_ADDRESS": address, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    daemon = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize"],
        input="a-login-password",
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    keyring_pid = next(
        (line.split("=", 1)[1] for line in daemon.stdout.splitlines() if line.startswith("GNOME_KEYRING_PID=")), None
    )
    before = keyring.core.get_keyring()
    # This process has test backends registered (tests/sync/keyring_backend.py): name the
    # real one. A fresh process on this bus detects it by itself (the second test).
    keyring.core.set_keyring(SecretService.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield env
    finally:
        keyring.core.set_keyring(before)  # the bus is going: back to what the rest of the run had
        for process in (keyring_pid, pid):
            if process:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(process), signal.SIGTERM)


def test_the_secret_service_is_accepted_and_keeps_the_secret(secret_service: dict[str, str]) -> None:
    credentials = KeyringCredentials()
    assert credentials.backend_name == "keyring.backends.SecretService.Keyring"
    credentials.store(CODE, SECRETS[CODE])
    assert KeyringCredentials().secret_for(CODE) == SECRETS[CODE]


def test_sync_signs_with_the_secret_from_the_secret_service(
    secret_service: dict[str, str], store: Store, agency: SandboxServer, visits: Visits, tmp_path: Path
) -> None:
    settled = visits.days(FIRST_DAY, 1, 3)
    signed_in = signed_in_env(tmp_path / "clinic.sqlite3", "admin")
    env = {key: value for key, value in signed_in.items() if key != "PYTHON_KEYRING_BACKEND"} | secret_service
    for code, secret in SECRETS.items():
        stored = clinic_pos(
            "credentials",
            "set",
            "--facility",
            code,
            "--db",
            str(tmp_path / "clinic.sqlite3"),
            env=env,
            stdin=secret,
        )
        assert stored.returncode == 0, stored.stderr
        assert json.loads(stored.stdout)["keyring"] == "keyring.backends.SecretService.Keyring"
    done = clinic_pos("sync", "--db", str(tmp_path / "clinic.sqlite3"), "--agency", agency.url, env=env)
    assert done.returncode == 0, done.stderr
    assert len(agency_settlements(agency)) == len(settled)
    assert not list(tmp_path.glob("**/*secret*"))  # nothing written beside the store
