"""The demo's own sandbox agency: a child process on loopback, a fresh secret per run, stopped with the window."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QApplication

from db.models import Setting
from db.session import Store
from desktop.sync.cli import AGENCY_URL_KEY
from desktop.sync.demo_agency import DemoAgencyError, agency_database, start_demo_agency
from desktop.ui.sync_setup import choose_target, is_demo_clinic, make_relay
from tests.sync.keyring_backend import MemoryKeyring
from tests.ui.conftest import TODAY, first_start, wait_for_workers


def leftover_secret_files() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob("clinic-demo-agency-*.json"))


def test_the_demo_agency_runs_apart_on_loopback_and_its_secret_file_is_gone(store: Store, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic-pos.sqlite3"
    agency = start_demo_agency(store, clinic, today=TODAY)
    try:
        assert agency.url.startswith("http://127.0.0.1:")
        assert agency.running()
        assert agency.database == agency_database(clinic) == tmp_path / "clinic-pos.agency.sqlite3"
        assert agency.database.exists()
        assert httpx.get(f"{agency.url}/_admin/health").json() == {"ok": True}
        assert not leftover_secret_files()  # read by the sandbox, then deleted
        import threading

        from desktop.sync.sessions import Operator
        from desktop.ui.sync_setup import Target

        target = Target(agency.url, agency.credentials(), agency)
        with make_relay(store, target, Operator("clerk", "王丽华"), threading.Event()) as relay:
            report = relay.run()
        assert report.complete
        assert report.waiting == 0
        assert report.settlements_booked > 0
    finally:
        agency.stop()
    assert not agency.running()
    assert agency.process.returncode == 0  # stopped cleanly, not killed


def test_a_second_run_draws_new_secrets(store: Store, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic-pos.sqlite3"
    first = start_demo_agency(store, clinic, today=TODAY)
    first.stop()
    second = start_demo_agency(store, clinic, today=TODAY)
    try:
        assert first.credentials().secret_for("H36012100101") != second.credentials().secret_for("H36012100101")
    finally:
        second.stop()


def test_a_sandbox_that_cannot_start_says_why(store: Store, tmp_path: Path) -> None:
    with pytest.raises(DemoAgencyError, match="did not start"):
        start_demo_agency(store, tmp_path / "clinic.sqlite3", command=["python3", "-c", "import sys; sys.exit(3)"])
    assert not leftover_secret_files()


def test_only_the_default_data_file_of_the_demo_clinic_gets_a_sandbox(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.sync_setup import Unavailable, Why

    assert is_demo_clinic(store)
    with pytest.raises(Unavailable) as named:
        choose_target(None)(store)  # opened with --db: no sandbox, whatever the store holds
    assert named.value.why is Why.NO_ADDRESS
    with store.writing() as session:
        session.merge(Setting(key=AGENCY_URL_KEY, value="http://agency.example:8080/"))
    default_file = tmp_path / "clinic-pos.sqlite3"
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)  # a machine without a keyring service
    with pytest.raises(Unavailable) as refused:  # an address is configured: the real agency, with the keyring
        choose_target(default_file)(store)
    assert refused.value.why is Why.NO_KEYRING
    monkeypatch.setattr(keyring, "get_keyring", MemoryKeyring)  # one that would do
    chosen = choose_target(default_file)(store)
    assert chosen.url == "http://agency.example:8080/"
    assert chosen.demo is None  # never the sandbox once an agency is configured


def test_first_start_uploads_the_demo_to_its_own_agency_and_stops_it_on_close(
    qtbot: Any, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _launcher, window, target = first_start(qtbot, qapp, tmp_path, monkeypatch)  # the launcher kept alive
    status = window.sync

    def uploaded() -> bool:
        return status.online and status.figures is not None and status.figures.waiting == 0 and not status.running

    qtbot.waitUntil(uploaded, timeout=120_000)
    wait_for_workers(qtbot)
    worker = window.sync_worker
    assert worker is not None
    assert worker.target is not None
    demo = worker.target.demo
    assert demo is not None
    assert demo.database == target.with_name("clinic-pos.agency.sqlite3")
    assert status.state.text() == status.tr("● Online")
    window.close()
    qtbot.waitUntil(lambda: not worker.alive(), timeout=30_000)
    assert not demo.running()
    assert window.store is not None
    window.store.dispose()
