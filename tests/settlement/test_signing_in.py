"""Who may act (issue 13): the command line signs its staff member in, as the window does.

Before, ``settle``, ``reverse`` and ``sync`` acted as whatever ``--staff`` they were given,
with no password, and the audit credited that person; doctor1 of V01 settled at T01.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import select as io_select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import AuditEntry, Settlement, Staff
from db.session import open_store
from desktop.auth import Authenticator, SignInError
from desktop.sign_in_tokens import TokenError, check
from tests.cli_helpers import dump, in_process, password_file, token_for
from tests.factories import REPO_ENV
from tests.settlement.conftest import copy_of, resident


def visit(person: int, **extra: object) -> str:
    return json.dumps(
        {
            "person": {"id": person},
            "items": [{"code": "FA01"}],
            "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}],
            **extra,
        }
    )


def audit(db: Path, *actions: str) -> list[AuditEntry]:
    store = open_store(db, migrate=False)
    try:
        with store.reading() as session:
            return list(session.scalars(select(AuditEntry).where(AuditEntry.action.in_(actions))))
    finally:
        store.dispose()


def settled_by(db: Path, settlement_id: int) -> int:
    store = open_store(db, migrate=False)
    try:
        with store.reading() as session:
            staff = session.scalar(select(Settlement.staff_id).where(Settlement.id == settlement_id))
            assert staff is not None
            return staff
    finally:
        store.dispose()


def test_a_writing_command_without_a_sign_in_is_refused_and_changes_nothing(clinic_db: Path) -> None:
    before = dump(clinic_db)
    # No terminal to ask at (a new session has none), no password file, no token.
    for args in (["settle", "--staff", "clerk"], ["reverse", "--settlement", "1", "--reason", "x"]):
        done = subprocess.run(
            [sys.executable, "-m", "desktop.cli", args[0], "--db", str(clinic_db), *args[1:]],
            input=visit(resident(clinic_db)).encode(),
            capture_output=True,
            env=REPO_ENV,
            start_new_session=True,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert json.loads(done.stderr)["field"] in {"staff", "password"}
    assert dump(clinic_db) == before


def test_the_password_file_signs_in_and_the_audit_credits_that_person(
    clinic_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = password_file(tmp_path, "clerk")
    code, out, err = in_process(
        capsys, monkeypatch, "settle", "--db", str(clinic_db), "--staff", "clerk", "--password-file", str(secret),
        stdin=visit(resident(clinic_db)),
    )  # fmt: skip
    assert code == 0, err
    assert settled_by(clinic_db, json.loads(out)["settlement_id"]) == 2  # the demo's clerk
    (signed,) = audit(clinic_db, "sign_in")
    assert signed.staff_id == 2
    assert json.loads(signed.detail)["via"] == "command line"


def test_a_wrong_password_is_refused_counted_and_locks_out_as_the_window_does(
    clinic_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = password_file(tmp_path, "guess")
    settlements = _settlements(clinic_db)
    for _ in range(5):
        code, out, err = in_process(
            capsys, monkeypatch, "settle", "--db", str(clinic_db), "--staff", "admin", "--password-file", str(wrong),
            stdin=visit(resident(clinic_db)),
        )  # fmt: skip
        assert (code, out) == (2, "")
        assert json.loads(err)["field"] == "staff"
    assert "too many wrong passwords" in json.loads(err)["error"]
    # The same count as the window's: now the right password is refused too, in the window as here.
    store = open_store(clinic_db, migrate=False)
    with pytest.raises(SignInError, match="Too many"):
        Authenticator(store).sign_in("admin", "admin", dt.datetime.now(dt.UTC))
    store.dispose()
    right = password_file(tmp_path, "admin", "right")
    code, _, err = in_process(
        capsys, monkeypatch, "settle", "--db", str(clinic_db), "--staff", "admin", "--password-file", str(right),
        stdin=visit(resident(clinic_db)),
    )  # fmt: skip
    assert code == 2
    assert "too many" in err
    assert _settlements(clinic_db) == settlements
    refusals = audit(clinic_db, "sign_in_refused", "sign_in_locked")
    assert len(refusals) == 7
    assert {json.loads(r.detail)["via"] for r in refusals} == {"command line", "window"}


def _settlements(db: Path) -> int:
    store = open_store(db, migrate=False)
    try:
        with store.reading() as session:
            return len(session.scalars(select(Settlement.id)).all())
    finally:
        store.dispose()


def test_a_password_file_others_can_read_is_refused(
    clinic_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = password_file(tmp_path, "clerk")
    secret.chmod(0o644)
    before = dump(clinic_db)
    code, _, err = in_process(
        capsys, monkeypatch, "settle", "--db", str(clinic_db), "--staff", "clerk", "--password-file", str(secret),
        stdin=visit(resident(clinic_db)),
    )  # fmt: skip
    assert code == 2
    error = json.loads(err)
    assert error["field"] == "password_file"
    assert "chmod 600" in error["error"]
    assert dump(clinic_db) == before


def test_the_password_is_asked_at_the_terminal_not_read_from_the_visit(clinic_db: Path) -> None:
    # A pseudo-terminal as the command's controlling terminal: getpass asks there, unechoed,
    # while the visit still comes on standard input.
    leader, follower = os.openpty()
    visit_file = clinic_db.with_name("visit.json")
    visit_file.write_text(visit(resident(clinic_db)), encoding="utf-8")
    take_terminal = (
        "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0);"
        "os.execv(sys.executable, [sys.executable, '-m', 'desktop.cli', *sys.argv[1:]])"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", take_terminal, "settle", "--db", str(clinic_db), "--staff", "clerk", str(visit_file)],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**REPO_ENV, "CLINIC_POS_LANG": "en"},
        start_new_session=True,
    )
    os.close(follower)
    asked = _read_until(leader, b"Password for clerk: ")
    os.write(leader, b"clerk\n")
    out, err = child.communicate(timeout=60)
    shown = _read_until(leader, b"never", seconds=0.5)
    os.close(leader)
    assert b"Password for clerk: " in asked
    assert child.returncode == 0, err
    assert b"clerk" not in shown  # not echoed
    assert settled_by(clinic_db, json.loads(out)["settlement_id"]) == 2


def _read_until(fd: int, wanted: bytes, seconds: float = 30) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = io_select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 1024)
            except OSError:  # the other end has closed
                break
    return seen


def test_a_sign_in_token_acts_until_signed_out(
    clinic_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = password_file(tmp_path, "clerk")
    db = ["--db", str(clinic_db)]
    code, out, err = in_process(capsys, monkeypatch, "sign-in", *db, "--staff", "clerk", "--password-file", str(secret))
    assert code == 0, err
    answer = json.loads(out)
    token = answer["token"]
    assert dt.datetime.fromisoformat(answer["expires_at"]) <= dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    assert token.encode() not in clinic_db.read_bytes()  # the file keeps only its SHA-256
    code, out, err = in_process(capsys, monkeypatch, "settle", *db, stdin=visit(resident(clinic_db)), token=token)
    assert code == 0, err
    assert settled_by(clinic_db, json.loads(out)["settlement_id"]) == 2
    code, _, err = in_process(
        capsys, monkeypatch, "settle", *db, "--staff", "admin", stdin=visit(resident(clinic_db)), token=token
    )
    assert code == 2
    assert json.loads(err)["field"] == "staff"  # the token is clerk's, not admin's
    code, _, err = in_process(capsys, monkeypatch, "sign-out", *db, token=token)
    assert code == 0, err
    code, _, err = in_process(capsys, monkeypatch, "settle", *db, stdin=visit(resident(clinic_db)), token=token)
    assert code == 2
    error = json.loads(err)
    assert error["field"] == "token"
    assert "signed out" in error["error"]
    assert [e.action for e in audit(clinic_db, "token_issued", "token_revoked")] == ["token_issued", "token_revoked"]
    # A token made two days on clears the lapsed one; each entry sealed the token rows it wrote.
    token_for(clinic_db, "clerk", dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    code, _, err = in_process(capsys, monkeypatch, "audit", "verify", *db)
    assert code == 0, err
    with sqlite3.connect(clinic_db) as raw:
        assert raw.execute("select count(*) from sign_in_token").fetchone() == (1,)
        raw.execute("update sign_in_token set staff_id = 1")
    code, out, _ = in_process(capsys, monkeypatch, "audit", "verify", *db)
    assert code == 4
    assert json.loads(out)["first_broken"]["table"] == "sign_in_token"  # a token re-pointed at the administrator


def test_a_token_lapses_and_dies_with_its_staff_member(
    clinic_db: Path,
    demo_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = dt.datetime.now(dt.UTC)
    token = token_for(clinic_db, "clerk", now)
    store = open_store(clinic_db, migrate=False)
    try:
        assert check(store, token, now + dt.timedelta(minutes=29)).username == "clerk"
        with pytest.raises(TokenError, match="expired"):
            check(store, token, now + dt.timedelta(minutes=30))
        with pytest.raises(TokenError, match="not a sign-in token"):
            check(store, token[:-1], now)
        with pytest.raises(TokenError, match="not known"):
            check(store, token[:-1] + ("A" if token[-1] != "A" else "B"), now)
        with store.writing() as session:
            clerk = session.scalars(select(Staff).where(Staff.username == "clerk")).one()
            clerk.active = False
        with pytest.raises(TokenError, match="no longer active"):
            check(store, token, now)
    finally:
        store.dispose()
    other = copy_of(demo_template, tmp_path / "other.sqlite3")
    # A token works only in the store it was made in.
    code, _, err = in_process(capsys, monkeypatch, "settle", "--db", str(other), stdin="{}", token=token)
    assert code == 2
    assert "not known to this database" in json.loads(err)["error"]


@pytest.mark.parametrize(
    ("who", "facility", "field"),
    [
        ("doctor1", "T01", "facility"),  # doctor1 of V01 settled at T01
        ("doctor1", "V02", "facility"),
        ("clerk", "V01", "facility"),  # the centre's clerk does not settle a village clinic's visit
    ],
)
def test_staff_act_only_where_they_belong(
    clinic_db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    who: str,
    facility: str,
    field: str,
) -> None:
    token = token_for(clinic_db, who)
    before = dump(clinic_db)
    code, out, err = in_process(
        capsys,
        monkeypatch,
        "settle",
        "--db",
        str(clinic_db),
        stdin=visit(resident(clinic_db), facility=facility),
        token=token,
    )
    assert (code, out) == (2, "")
    assert json.loads(err)["field"] == field
    assert dump(clinic_db) == before


def test_the_village_doctor_settles_at_home_and_the_centre_reverses_it(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doctor = token_for(clinic_db, "doctor1")
    code, out, err = in_process(
        capsys, monkeypatch, "settle", "--db", str(clinic_db), stdin=visit(resident(clinic_db)), token=doctor
    )
    assert code == 0, err
    settled = json.loads(out)
    assert settled["facility"] == "V01"  # the signed-in staff member's own, by default
    reverse = ["reverse", "--db", str(clinic_db), "--settlement", str(settled["settlement_id"]), "--reason", "录入错误"]
    code, _, err = in_process(capsys, monkeypatch, *reverse, token=doctor)
    assert code == 2
    assert json.loads(err)["field"] == "staff"  # a village doctor does not reverse
    code, out, err = in_process(capsys, monkeypatch, *reverse, token=token_for(clinic_db, "clerk"))
    assert code == 0, err  # 一体化管理: the township centre's clerk corrects its village clinic's
    assert json.loads(out)["reversed"] is True


def test_a_centre_clerk_does_not_reverse_at_another_centres_clinic(tmp_path: Path) -> None:
    from desktop.settlement import DraftItem, SettlementError, VisitDraft, reverse, settle
    from tests.factories import COLD, NOW, TODAY, add_person, make_store

    store = make_store(tmp_path)
    add_person(store, person_id=1, policy="shaoguan-resident", signed_at="T10")
    done = settle(store, VisitDraft("T10", 1, 4, TODAY, (DraftItem("X01"),), COLD), NOW)
    with pytest.raises(SettlementError) as refused:
        reverse(store, done.settlement_id, "录入错误", 1, NOW)  # the clerk of T01
    assert refused.value.field == "settlement"
    store.dispose()
