"""``clinic-pos sync`` and ``clinic-pos credentials`` as real processes, and a sync killed mid-run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from db.models import OutboxEntry, Setting, Settlement
from db.session import Store
from desktop.sandbox.server import SandboxServer
from desktop.sync.cli import AGENCY_URL_KEY
from tests.cli_helpers import signed_in_env
from tests.sync.helpers import FIRST_DAY, SECRETS, Visits, agency_settlements

TOWNSHIP, VILLAGES = "H36012100101", ("H36012100102", "H36012100103", "H36012100104")


@pytest.fixture
def keyring_env(store: Store, tmp_path: Path) -> dict[str, str]:
    """A child process's environment with a test keyring (CI machines have no OS keyring),
    signed in as the administrator."""
    return {
        **signed_in_env(tmp_path / "clinic.sqlite3", "admin"),
        "PYTHON_KEYRING_BACKEND": "tests.sync.keyring_backend.FileKeyring",
        "CLINIC_POS_TEST_KEYRING": str(tmp_path / "keyring.json"),
    }


def clinic_pos(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def store_secrets(env: dict[str, str], db: Path) -> None:
    for code, secret in SECRETS.items():
        done = clinic_pos("credentials", "set", "--facility", code, "--db", str(db), env=env, stdin=secret)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["stored"] == code


def test_sync_prints_what_it_sent_received_set_aside_and_what_differs(
    store: Store, agency: SandboxServer, visits: Visits, keyring_env: dict[str, str], tmp_path: Path
) -> None:
    settled = visits.days(FIRST_DAY, 1, 5)
    store_secrets(keyring_env, tmp_path / "clinic.sqlite3")
    db = str(tmp_path / "clinic.sqlite3")
    done = clinic_pos("sync", "--db", db, "--agency", agency.url, env=keyring_env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["complete"] is True
    assert report["sent"]["2207"] == len(settled)
    assert report["received"]["settlements_booked"] == len(settled)
    assert report["set_aside"] == []
    assert report["differs"] == []
    assert all(r["matches"] for r in report["reconciliation"])
    with store.reading() as session:  # the address is remembered: the next sync needs no --agency
        assert session.scalar(select(Setting.value).where(Setting.key == AGENCY_URL_KEY)) == agency.url
    again = clinic_pos("sync", "--db", db, env=keyring_env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["sent"] == {}


def test_sync_offline_exits_3_with_the_records_still_waiting(
    store: Store, visits: Visits, keyring_env: dict[str, str], tmp_path: Path
) -> None:
    settled = visits.days(FIRST_DAY, 1, 2)
    store_secrets(keyring_env, tmp_path / "clinic.sqlite3")
    done = clinic_pos(
        "sync", "--db", str(tmp_path / "clinic.sqlite3"), "--agency", "http://127.0.0.1:9", "--give-up-after", "1",
        env=keyring_env,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    assert report["online"] is False
    assert report["waiting"] == 4 * len(settled)


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        ((), "agency", "--agency URL"),
        (("--agency", "agency.example"), "agency", "http"),
        (("--agency", "http://127.0.0.1:9", "--staff", "nobody"), "staff", "nobody"),
        (("--agency", "http://127.0.0.1:9", "--timeout", "0"), "timeout", "more than zero"),
    ],
)
def test_bad_sync_input_exits_2_naming_the_field(
    store: Store, keyring_env: dict[str, str], tmp_path: Path, args: tuple[str, ...], field: str, words: str
) -> None:
    done = clinic_pos("sync", "--db", str(tmp_path / "clinic.sqlite3"), *args, env=keyring_env)
    assert done.returncode == 2
    assert done.stdout == ""
    error = json.loads(done.stderr)
    assert error["field"] == field
    assert words in error["error"]


def test_without_an_os_keyring_sync_refuses_and_sends_nothing(
    store: Store, agency: SandboxServer, visits: Visits, tmp_path: Path
) -> None:
    visits.days(FIRST_DAY, 1, 2)
    bare = {
        **signed_in_env(tmp_path / "clinic.sqlite3", "admin"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    done = clinic_pos("sync", "--db", str(tmp_path / "clinic.sqlite3"), "--agency", agency.url, env=bare)
    assert done.returncode == 2
    error = json.loads(done.stderr)
    assert error["field"] == "keyring"
    assert "refusing to keep the agency secret" in error["error"]
    assert agency_settlements(agency) == []


def test_a_missing_secret_is_named_and_nothing_goes_unsigned(
    store: Store, agency: SandboxServer, visits: Visits, keyring_env: dict[str, str], tmp_path: Path
) -> None:
    visits.days(FIRST_DAY, 1, 2)
    done = clinic_pos("sync", "--db", str(tmp_path / "clinic.sqlite3"), "--agency", agency.url, env=keyring_env)
    assert done.returncode == 2
    assert "clinic-pos credentials generate --facility" in json.loads(done.stderr)["error"]
    assert agency_settlements(agency) == []
    check = clinic_pos("credentials", "check", "--facility", TOWNSHIP, env=keyring_env)
    assert check.returncode == 2


def test_a_sync_killed_mid_run_loses_and_duplicates_nothing(
    store: Store, agency: SandboxServer, visits: Visits, keyring_env: dict[str, str], tmp_path: Path
) -> None:
    settled = visits.days(FIRST_DAY, 2, 20)
    store_secrets(keyring_env, tmp_path / "clinic.sqlite3")
    httpx.post(f"{agency.url}/_admin/config", json={"slow_ms": 15}).raise_for_status()
    db = tmp_path / "clinic.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "sync", "--db", str(db), "--agency", agency.url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=keyring_env,
    )
    try:
        _wait_until(lambda: len(agency_settlements(agency)) >= 8, child)
        os.kill(child.pid, signal.SIGKILL)  # mid-run: answers in hand not yet written
    finally:
        child.wait(timeout=30)
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()
    with store.reading() as session:
        done_before = session.scalar(select(func.count()).where(OutboxEntry.state == "done"))
    assert 0 <= (done_before or 0) < 4 * len(settled)
    booked_before = len(agency_settlements(agency))
    assert 8 <= booked_before < len(settled)

    httpx.post(f"{agency.url}/_admin/config", json={"slow_ms": 0}).raise_for_status()
    again = clinic_pos("sync", "--db", str(db), env=keyring_env)
    assert again.returncode == 0, again.stderr
    booked = agency_settlements(agency)
    assert len(booked) == len(settled)
    assert len({b["msgid"] for b in booked}) == len(settled)
    with store.reading() as session:
        assert session.scalar(select(func.count()).where(OutboxEntry.state != "done")) == 0


def _wait_until(condition: object, child: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert child.poll() is None, "the sync ended before it could be killed"
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("the sync never got that far")


def test_check_online_resolves_an_evoucher_through_the_agency(
    store: Store, agency: SandboxServer, keyring_env: dict[str, str], tmp_path: Path
) -> None:
    from db.models import Person
    from desktop.sandbox.from_store import roster_from_store

    with store.reading() as session:
        person = session.scalars(select(Person).where(Person.insured.is_(True))).first()
        assert person is not None
    with store.writing() as session:
        session.merge(Setting(key=AGENCY_URL_KEY, value=agency.url))
    entry = next(p for p in roster_from_store(store, FIRST_DAY)["persons"] if p["psn_no"] == person.psn_no)
    entry["cards"].append({"mdtrt_cert_type": "01", "mdtrt_cert_no": "EcQr7Hq2LmN9xTpW4vZs8KdA3fJbY6u"})
    agency.load_roster({"persons": [entry]})
    store_secrets(keyring_env, tmp_path / "clinic.sqlite3")
    db = str(tmp_path / "clinic.sqlite3")
    offline = clinic_pos("check", "--db", db, "--qr", "EcQr7Hq2LmN9xTpW4vZs8KdA3fJbY6u", env=keyring_env)
    assert offline.returncode == 0, offline.stderr
    assert json.loads(offline.stdout)["person"] is None  # the roster cannot read a QR token
    online = clinic_pos("check", "--db", db, "--qr", "EcQr7Hq2LmN9xTpW4vZs8KdA3fJbY6u", "--online", env=keyring_env)
    assert online.returncode == 0, online.stderr
    found = json.loads(online.stdout)
    assert found["online"]["answered"] is True
    assert found["online"]["known"] is True
    assert found["person"]["name"] == person.name  # the e-voucher resolved to the person it stands for
    assert person.id_number not in online.stdout  # the ID number stays masked
    with store.writing() as session:  # the line is down: the offline check stands alone
        session.merge(Setting(key=AGENCY_URL_KEY, value="http://127.0.0.1:9"))
    silent = clinic_pos("check", "--db", db, "--card", f"A{person.id:08d}", "--online", env=keyring_env)
    assert silent.returncode == 0, silent.stderr
    answer = json.loads(silent.stdout)
    assert answer["online"]["answered"] is False
    assert answer["person"]["name"] == person.name


def test_records_set_aside_exit_5_with_them_in_the_report(
    store: Store, agency: SandboxServer, visits: Visits, keyring_env: dict[str, str], tmp_path: Path
) -> None:
    settled = visits.days(FIRST_DAY, 1, 3)
    with store.reading() as session:
        victim = session.scalar(select(Settlement.msgid).where(Settlement.id == settled[0]))
    httpx.post(f"{agency.url}/_admin/config", json={"reject": [victim]}).raise_for_status()
    store_secrets(keyring_env, tmp_path / "clinic.sqlite3")
    done = clinic_pos("sync", "--db", str(tmp_path / "clinic.sqlite3"), "--agency", agency.url, env=keyring_env)
    assert done.returncode == 5, done.stderr
    report = json.loads(done.stdout)
    assert (report["complete"], report["exit_status"], report["set_aside_in_all"]) == (False, 5, 1)
    assert [s["settlement"] for s in report["set_aside"]] == [settled[0]]


def test_a_key_pair_is_generated_into_the_keyring_and_its_public_half_printed(
    keyring_env: dict[str, str], tmp_path: Path
) -> None:
    db = str(tmp_path / "clinic.sqlite3")
    clerk = clinic_pos(
        "credentials", "generate", "--facility", TOWNSHIP, "--db", db, env=keyring_env | signed_in_env(db, "clerk")
    )
    assert (clerk.returncode, json.loads(clerk.stderr)["field"]) == (2, "staff")  # an administrator's
    made = clinic_pos("credentials", "generate", "--facility", TOWNSHIP, "--db", db, env=keyring_env)
    assert made.returncode == 0, made.stderr
    public = json.loads(made.stdout)["public_key"]
    assert public.startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in made.stdout
    checked = clinic_pos("credentials", "check", "--facility", TOWNSHIP, env=keyring_env)
    assert json.loads(checked.stdout)["public_key"] == public
    again = clinic_pos("credentials", "generate", "--facility", TOWNSHIP, "--db", db, env=keyring_env)
    assert again.returncode == 2
    assert "already has a signing key" in json.loads(again.stderr)["error"]


def test_the_catalogue_mapping_and_practitioner_codes_from_the_command_line(
    store: Store, keyring_env: dict[str, str], tmp_path: Path
) -> None:
    db = str(tmp_path / "clinic.sqlite3")
    found = json.loads(clinic_pos("catalogue", "search", "--db", db, "--text", "amxl", env=keyring_env).stdout)
    assert {c["national"] for c in found[:2]} == {"XJ01CAA040A001010100451", "XJ01CRA040A001010100223"}
    refused = clinic_pos(
        "catalogue", "map", "--db", db, "--item", "XA01", "--national", "250101015000000", "--staff", "admin",
        env=keyring_env,
    )  # fmt: skip
    assert refused.returncode == 2
    assert json.loads(refused.stderr)["field"] == "national"  # a service's code for a drug
    clerk = clinic_pos(
        "catalogue", "map", "--db", db, "--item", "XA01", "--national", "XJ01CRA040A001010100223",
        env=keyring_env | signed_in_env(db, "clerk"),
    )  # fmt: skip
    assert json.loads(clerk.stderr)["field"] == "staff"
    assert "may not" in json.loads(clerk.stderr)["error"]
    mapped = clinic_pos(
        "catalogue", "map", "--db", db, "--item", "XA01", "--national", "XJ01CRA040A001010100223", "--staff", "admin",
        env=keyring_env,
    )  # fmt: skip
    assert json.loads(mapped.stdout)["national"] == "XJ01CRA040A001010100223"
    listed = json.loads(clinic_pos("catalogue", "list", "--db", db, env=keyring_env).stdout)
    assert {m["item"]: m["state"] for m in listed}["XA01"] == "reviewed"
    code = clinic_pos(
        "staff", "practitioner", "--db", db, "--user", "clerk", "--code", "d360121000199", "--staff", "admin",
        env=keyring_env,
    )  # fmt: skip
    assert code.returncode == 0, code.stderr
    assert {s["user"]: s["practitioner"] for s in json.loads(code.stdout)}["clerk"] == "D360121000199"
    wrong = clinic_pos(
        "staff", "practitioner", "--db", db, "--user", "clerk", "--code", "clerk1", "--staff", "admin", env=keyring_env
    )
    assert json.loads(wrong.stderr)["field"] == "code"


def test_a_signing_key_is_set_only_by_the_facilitys_own_or_its_centres_administrator(
    store: Store, keyring_env: dict[str, str], tmp_path: Path
) -> None:
    from db.models import Staff

    db = str(tmp_path / "clinic.sqlite3")
    with store.writing() as session:  # an administrator of a village clinic sharing the centre's store
        session.add(
            Staff(username="admin_v01", name="东山村管理员", role="admin", facility_id="V01", password_hash="x")
        )
    theirs = keyring_env | signed_in_env(db, "admin_v01")
    refused = clinic_pos("credentials", "generate", "--facility", "T01", "--db", db, env=theirs)
    assert (refused.returncode, json.loads(refused.stderr)["field"]) == (2, "facility")
    assert "admin_v01" in json.loads(refused.stderr)["error"]
    own = clinic_pos("credentials", "generate", "--facility", "V01", "--db", db, env=theirs)
    assert own.returncode == 0, own.stderr
    centre = clinic_pos("credentials", "generate", "--facility", VILLAGES[1], "--db", db, env=keyring_env)
    assert centre.returncode == 0, centre.stderr  # the centre's administrator, for one of its clinics
