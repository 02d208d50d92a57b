"""Backups with SQLite's backup API: online, checked, rotated; restores that pass every check;
and the start-up check that never writes to a damaged store."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.backup import BackupError, backups_in, make_backup, rotate
from db.health import check_store
from db.migrate import upgrade
from db.models import Settlement
from db.session import Store, open_store
from desktop.cli import main
from desktop.cli_auth import TOKEN_ENV
from desktop.settlement import DraftItem, VisitDraft, settle
from tests.cli_helpers import token_for
from tests.factories import COLD, NOW, TODAY, add_person, make_store


def _settle(store: Store, minutes: int = 0) -> int:
    visit = VisitDraft("T01", 1, 1, TODAY, (DraftItem("E01", Decimal(2)),), COLD)
    return settle(store, visit, NOW + dt.timedelta(minutes=minutes)).settlement_id


@pytest.fixture
def db(tmp_path: Path) -> Path:
    store = make_store(tmp_path)
    add_person(store, person_id=1)
    for minutes in range(3):
        _settle(store, minutes)
    store.dispose()
    return tmp_path / "clinic.sqlite3"


def _settlements(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        return int(raw.execute("SELECT count(*) FROM settlement").fetchone()[0])


def _as_admin(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Signed in as the administrator, who alone may back up or restore (tests/store/test_store_sign_in.py)."""
    monkeypatch.setenv(TOKEN_ENV, token_for(db, "admin"))


def test_a_backup_is_online_checked_and_one_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_admin(db, monkeypatch)
    store = open_store(db)
    usb = tmp_path / "usb"
    with store.writing() as session:  # a counter mid-transaction: the backup takes the last committed state
        session.execute(select(func.count()).select_from(Settlement))
        assert main(["backup", "--db", str(db), "--to", str(usb)]) == 0
    store.dispose()
    made = json.loads(capsys.readouterr().out)["backup"]
    backup = Path(made["path"])
    assert backup.parent == usb
    assert sorted(p.name for p in usb.iterdir()) == [backup.name]  # no -wal, no -shm: one file to carry
    assert _settlements(backup) == 3
    assert made["audit_entries"] > 3
    health = check_store(backup, whole_chain=True)
    assert health.ok, health.problem


def test_backups_are_rotated_and_nothing_else_in_the_folder_is_touched(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("the clinic's own file")
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for day in range(4):
        make_backup(db, folder, "day-close", start + dt.timedelta(days=day))
    removed = rotate(folder, keep=2)
    assert len(removed) == 2
    assert [p.name[11:19] for p in backups_in(folder)] == ["20261104", "20261103"]
    assert (folder / "notes.txt").exists()


def test_restore_checks_the_backup_keeps_the_store_as_it_was_and_passes_every_check(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_admin(db, monkeypatch)
    backup = make_backup(db, tmp_path / "backups", "by-hand").path
    store = open_store(db)
    _settle(store, 30)  # after the backup
    store.dispose()
    assert _settlements(db) == 4
    assert main(["restore", "--db", str(db), "--from", str(backup)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["audit"]["ok"] is True
    assert _settlements(db) == 3
    assert _settlements(Path(report["store_as_it_was"])) == 4  # the store before the restore, kept
    assert check_store(db, whole_chain=True, wal=True).ok
    assert main(["audit", "verify", "--db", str(db)]) == 0
    # The restored store takes the next settlement like any other.
    store = open_store(db)
    _settle(store, 60)
    store.dispose()
    assert main(["audit", "verify", "--db", str(db)]) == 0


def test_a_damaged_backup_is_refused_and_the_store_left_as_it_was(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_admin(db, monkeypatch)
    backup = make_backup(db, tmp_path / "backups", "by-hand").path
    with sqlite3.connect(backup) as raw:
        raw.execute("UPDATE settlement SET fund_fen = fund_fen + 1, cash_fen = cash_fen - 1 WHERE id = 1")
    before = db.read_bytes()
    assert main(["restore", "--db", str(db), "--from", str(backup)]) == 4
    assert "settlement 1 was changed" in json.loads(capsys.readouterr().err)["error"]
    assert db.read_bytes() == before


def _damage(path: Path) -> None:
    """Scribble over the settlement table's first page, as a failing disk would."""
    with sqlite3.connect(path) as raw:
        root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'settlement'").fetchone()[0]
        size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * size
    data[start : start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def test_the_start_up_check_never_writes_to_a_damaged_store_and_says_what_to_do(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_backup(db, db.parent / "backups", "day-close")
    _damage(db)
    before = db.read_bytes()
    visit = io.StringIO(json.dumps({"facility": "T01", "person": {"id": 1}, "staff": "clerk",
                                 "visit_date": TODAY.isoformat(), "items": [{"code": "E01"}],
                                 "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}]}))  # fmt: skip
    monkeypatch.setattr("sys.stdin", visit)
    assert main(["settle", "--db", str(db)]) == 4
    error = json.loads(capsys.readouterr().err)["error"]
    assert "nothing was written" in error
    assert "clinic-pos restore" in error
    assert "day-close" in error  # names the newest backup
    assert db.read_bytes() == before
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # a reader's empty WAL, nothing in it


def test_every_migration_is_preceded_by_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Store(path)
    upgrade(old.engine, "0004")
    old.dispose()
    open_store(path).dispose()
    (made,) = backups_in(tmp_path / "backups")
    assert "before-migration" in made.name
    with sqlite3.connect(made) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0004",)


def test_a_backup_folder_that_cannot_be_written_is_said_plainly(db: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(BackupError, match="cannot use the backup folder"):
        make_backup(db, blocked / "backups", "by-hand")


def test_the_window_is_told_what_is_wrong_before_it_opens_a_damaged_store(db: Path) -> None:
    from desktop.ui.opening import Location, StoreCheckError, open_clinic

    _damage(db)
    before = db.read_bytes()
    with pytest.raises(
        StoreCheckError, match=r"(damaged|malformed)(.|\n)*Nothing was written(.|\n)*clinic-pos restore"
    ):
        open_clinic(Location(str(db), build_demo=False))
    assert db.read_bytes() == before
