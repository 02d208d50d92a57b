"""When the machine says no (issue 13): a store locked past the timeout, a full disk, a
read-only file or folder. Each was a 50-line traceback; each is now a plain message in the
clerk's language and its own exit status, with nothing lost, and the same command settles
once the cause is gone.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import db.session
from desktop.machine import EXIT_STATUS, Cause
from tests.cli_helpers import dump, in_process, token_for
from tests.faults import fill, page_limit, read_only, small_disk
from tests.settlement.conftest import copy_of, resident


def _visit(db: Path) -> str:
    return json.dumps(
        {
            "person": {"id": resident(db)},
            "items": [{"code": "FA01"}, {"code": "XA01", "quantity": "2"}],
            "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}],
        }
    )


def _settle(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path, visit: str, token: str
) -> tuple[int, str, str]:
    return in_process(capsys, monkeypatch, "settle", "--db", str(db), stdin=visit, token=token)


def _said_no(code: int, out: str, err: str, cause: Cause) -> dict[str, str]:
    assert (code, out) == (EXIT_STATUS[cause], ""), err
    (line,) = err.splitlines()  # one plain object, no traceback
    said: dict[str, str] = json.loads(line)
    assert said["field"] == "db"
    assert said["cause"] == cause.value
    assert "本次没有保存" in said["error"]  # in the clerk's language: nothing was saved
    return said


def test_a_store_locked_past_the_timeout(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    visit, token = _visit(clinic_db), token_for(clinic_db, "clerk")
    before = dump(clinic_db)
    monkeypatch.setattr(db.session, "BUSY_TIMEOUT_MS", 300)  # 30 s in the field; the test need not wait it out
    other = sqlite3.connect(clinic_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        said = _said_no(*_settle(capsys, monkeypatch, clinic_db, visit, token), Cause.LOCKED)
        assert "30秒" in said["error"]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dump(clinic_db) == before
    code, _, err = _settle(capsys, monkeypatch, clinic_db, visit, token)
    assert code == 0, err


def test_the_message_is_in_english_when_the_clerk_works_in_english(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = token_for(clinic_db, "clerk")
    monkeypatch.setenv("CLINIC_POS_LANG", "en")
    monkeypatch.setattr(db.session, "BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(clinic_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, _, err = _settle(capsys, monkeypatch, clinic_db, _visit(clinic_db), token)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == EXIT_STATUS[Cause.LOCKED]
    assert "still locked after 30 seconds" in json.loads(err)["error"]


def test_a_full_disk_then_space_freed(
    demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "disk") as disk:
        clinic = copy_of(demo_template, disk / "clinic.sqlite3")
        visit, token = _visit(clinic), token_for(clinic, "clerk")
        counter = sqlite3.connect(clinic)  # the counter window, open on the same store
        counter.execute("SELECT count(*) FROM settlement").fetchone()
        before = dump(clinic)
        filler = fill(disk)
        for _ in range(3):  # each try refused the same way, nothing half-written
            said = _said_no(*_settle(capsys, monkeypatch, clinic, visit, token), Cause.DISK_FULL)
            assert "磁盘已满" in said["error"]
        filler.unlink()
        assert dump(clinic) == before
        code, _, err = _settle(capsys, monkeypatch, clinic, visit, token)
        assert code == 0, err
        assert counter.execute("SELECT count(*) FROM settlement").fetchone()[0] == before_count(before) + 1
        counter.close()


def before_count(dumped: list[str]) -> int:
    return sum(line.startswith('INSERT INTO "settlement"') for line in dumped)


def test_a_full_disk_by_sqlites_page_limit(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where no small disk can be mounted: SQLite's own limit answers as a full disk does. The
    # store fills as the day goes on; the settlement that does not fit is refused whole.
    visit, token = _visit(clinic_db), token_for(clinic_db, "clerk")
    with page_limit(monkeypatch, clinic_db):
        for _ in range(100):
            before = dump(clinic_db)
            code, out, err = _settle(capsys, monkeypatch, clinic_db, visit, token)
            if code != 0:
                break
        _said_no(code, out, err, Cause.DISK_FULL)
    assert dump(clinic_db) == before
    code, _, err = _settle(capsys, monkeypatch, clinic_db, visit, token)
    assert code == 0, err


@pytest.mark.parametrize("folder", [False, True], ids=["read-only file", "read-only folder"])
def test_a_read_only_store(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, folder: bool
) -> None:
    visit, token = _visit(clinic_db), token_for(clinic_db, "clerk")
    before = dump(clinic_db)
    with read_only(clinic_db, folder=folder):
        said = _said_no(*_settle(capsys, monkeypatch, clinic_db, visit, token), Cause.READ_ONLY)
        assert "只读" in said["error"]
        reversal = in_process(
            capsys, monkeypatch, "reverse", "--db", str(clinic_db), "--settlement", "1", "--reason", "录入错误",
            token=token,
        )  # fmt: skip
        _said_no(*reversal, Cause.READ_ONLY)
    assert dump(clinic_db) == before
    code, _, err = _settle(capsys, monkeypatch, clinic_db, visit, token)
    assert code == 0, err
