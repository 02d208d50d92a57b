"""Who may copy or replace the whole store (issue 13, "Who may act"): ``backup``, ``restore`` and
``encrypt`` sign their staff member in as every writing command does, and only an
administrator may. Before, anyone at the keyboard could carry off or overwrite every
patient's ID numbers and diagnoses."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from db.at_rest import is_encrypted
from db.backup import backups_in, make_backup
from db.models import Staff
from db.session import open_store
from desktop.settlement import DraftItem, VisitDraft, settle
from tests.cli_helpers import in_process, password_file
from tests.factories import COLD, NOW, TODAY, add_person, make_store
from tests.store.test_at_rest import memory_keyring  # noqa: F401  # the fixture, for encrypt

COMMANDS = {
    "backup": ["backup"],
    "encrypt": ["encrypt"],
    "restore": ["restore", "--from"],  # the backup's path follows
}
# Only what a sign-in writes may change on a refusal: its audit entry and the lockout count.
SIGN_IN_WRITES = ('INSERT INTO "audit_log"', 'INSERT INTO "audit_head"', 'INSERT INTO "setting"')


def _hash(password: str) -> str:
    return PasswordHasher().hash(password)


def _settle(db: Path, minutes: int = 0) -> None:
    store = open_store(db)
    visit = VisitDraft("T01", 1, 1, TODAY, (DraftItem("E01", Decimal(2)),), COLD)
    settle(store, visit, NOW + dt.timedelta(minutes=minutes))
    store.dispose()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store whose clerk and administrator have real passwords (their usernames), one settlement."""
    store = make_store(tmp_path)
    add_person(store, person_id=1)
    with store.writing() as session:  # through the ORM, which seals the changed rows in the audit chain
        for staff in session.scalars(select(Staff).where(Staff.username.in_(["clerk", "admin"]))):
            staff.password_hash = _hash(staff.username)
    store.dispose()
    _settle(tmp_path / "clinic.sqlite3")
    return tmp_path / "clinic.sqlite3"


def _records(db: Path) -> list[str]:
    """Every row but what a sign-in itself writes."""
    raw = sqlite3.connect(db)
    try:
        return [line for line in raw.iterdump() if not line.startswith(SIGN_IN_WRITES)]
    finally:
        raw.close()


def _settlements(db: Path) -> int:
    with sqlite3.connect(db) as raw:
        return int(raw.execute("SELECT count(*) FROM settlement").fetchone()[0])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _args(command: str, db: Path, backup: Path, *signing_in: str) -> list[str]:
    extra = [str(backup)] if command == "restore" else []
    return [*COMMANDS[command], *extra, "--db", str(db), *signing_in]


@pytest.mark.usefixtures("memory_keyring")
@pytest.mark.parametrize("command", list(COMMANDS))
def test_only_a_signed_in_administrator_may_copy_or_replace_the_store(
    command: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = make_backup(db, tmp_path / "usb", "by-hand").path
    _settle(db, 30)  # the store moves on: a restore would take this settlement away
    backup_sha, before = _sha(backup), db.read_bytes()
    wrong = password_file(tmp_path, "guess", "wrong")

    code, out, err = in_process(capsys, monkeypatch, *_args(command, db, backup))
    assert (code, out) == (2, "")
    assert json.loads(err) == {"error": json.loads(err)["error"], "field": "staff"}
    assert "--staff" in json.loads(err)["error"]
    assert db.read_bytes() == before  # nobody signed in: not a byte written

    records = _records(db)
    clerk = password_file(tmp_path, "clerk", "clerk")
    for who, secret, said in (("admin", wrong, "wrong username or password"), ("clerk", clerk, "may not back up")):
        code, out, err = in_process(
            capsys, monkeypatch, *_args(command, db, backup, "--staff", who, "--password-file", str(secret))
        )
        assert (code, out) == (2, ""), err
        assert json.loads(err)["field"] == "staff"
        assert said in json.loads(err)["error"]
        assert _records(db) == records  # the sign-in's audit entry and count only
    assert backups_in(tmp_path / "backups") == []
    assert not is_encrypted(db)
    assert _settlements(db) == 2
    assert _sha(backup) == backup_sha

    admin = password_file(tmp_path, "admin", "admin")
    code, out, err = in_process(
        capsys, monkeypatch, *_args(command, db, backup, "--staff", "admin", "--password-file", str(admin))
    )
    assert code == 0, err
    if command == "backup":
        assert Path(json.loads(out)["backup"]["path"]).is_file()
    elif command == "encrypt":
        assert is_encrypted(db)
    else:
        assert _settlements(db) == 1
    assert _sha(backup) == backup_sha


@pytest.mark.parametrize("store_is", ["missing", "damaged"])
def test_a_store_that_vouches_for_nobody_is_restored_by_an_administrator_of_the_backup(
    store_is: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = make_backup(db, tmp_path / "usb", "by-hand").path
    backup_sha = _sha(backup)
    if store_is == "missing":
        db.unlink()
    else:
        from tests.store.test_backup import _damage

        _damage(db)
    before = db.read_bytes() if db.exists() else None
    readers = {f"{db.name}-shm", f"{db.name}-wal"}  # a reader's files: SQLite's, not the command's
    folder = sorted({p.name for p in tmp_path.iterdir()} - readers)

    def restore(*signing_in: str) -> tuple[int, str, str]:
        return in_process(capsys, monkeypatch, "restore", "--db", str(db), "--from", str(backup), *signing_in)

    clerk, wrong = password_file(tmp_path, "clerk", "c"), password_file(tmp_path, "guess", "w")
    refusals = [
        (),
        ("--staff", "clerk", "--password-file", str(clerk)),
        ("--staff", "admin", "--password-file", str(wrong)),
    ]
    for signing_in in refusals:
        code, out, err = restore(*signing_in)
        assert (code, out) == (2, ""), err
        assert json.loads(err)["field"] == "staff"
        assert (db.read_bytes() if db.exists() else None) == before  # a refused restore changes nothing
        assert _sha(backup) == backup_sha  # nor the backup: the sign-in ran on a copy, now gone
        left = {p.name for p in tmp_path.iterdir()} - {"c", "w"} - readers
        assert sorted(left) == folder
        wal = db.with_name(db.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0  # a reader's empty WAL, nothing in it

    admin = password_file(tmp_path, "admin", "a")
    code, out, err = restore("--staff", "admin", "--password-file", str(admin))
    assert code == 0, err
    assert json.loads(out)["audit"]["ok"] is True
    assert _settlements(db) == 1
    assert _sha(backup) == backup_sha
    assert not list(tmp_path.glob(".clinic-pos-sign-in-*"))
