"""clinic-pos check: JSON out, masked; bad input exits 2 naming the field; the database untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from db.models import Setting
from desktop.identity.cli import main
from tests.factories import REPO_ENV
from tests.identity.roster import NOW, add_person, add_year_to_date, make_store

QR_TOKEN = "E36A7F0C2B9D4E51A8C3"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    store = make_store(tmp_path)
    add_person(
        store, 1, policy="shaoguan-resident", region="440205", signed_at=("T10",), cards=(("ssc", "G00000001", True),)
    )
    add_year_to_date(store, 1, 2024, 0, 1250)
    add_person(store, 2, cards=(("evoucher", QR_TOKEN, True),))
    with store.writing() as session:
        session.add(Setting(key="facility_id", value="T10"))
    store.dispose()
    return tmp_path / "clinic.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.identity.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=REPO_ENV,
        check=False,
    )


def person_number(db: Path, person_id: int) -> str:
    from db.models import Person
    from db.session import open_store

    store = open_store(db, migrate=False)
    with store.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        number = person.id_number
    store.dispose()
    return number


def test_a_check_by_id_number_prints_masked_json(db: Path) -> None:
    number = person_number(db, 1)
    before = _digest(db)
    done = run_cli("--db", str(db), "--id-number", number, "--facility", "T10", "--date", "2024-05-10")
    assert done.returncode == 0, done.stderr
    assert number not in done.stdout
    out: dict[str, Any] = json.loads(done.stdout)
    assert out["found"] is True
    assert out["refused"] is False
    assert out["read"] == {"kind": "id_number", "number": number[:4] + "*" * 10 + number[-4:]}
    person = out["person"]
    assert person["id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert person["cap"] == "300.00"
    assert person["cap_left"] == "287.50"
    assert person["year_to_date"] == {
        "year": 2024,
        "deductible_met": "0.00",
        "fund_paid": "12.50",
        "fund_paid_out_of_city": "0.00",
    }
    assert person["signed_facilities"][0]["name"] == "曲江镇卫生院"
    assert _digest(db) == before


def test_an_invalid_id_number_exits_2_naming_the_field(db: Path) -> None:
    number = person_number(db, 1)
    wrong = number[:-1] + ("1" if number[-1] == "0" else "0")
    before = _digest(db)
    done = run_cli("--db", str(db), "--id-number", wrong)
    assert done.returncode == 2
    assert done.stdout == ""
    error = json.loads(done.stderr)
    assert error["field"] == "id_number"
    assert "校验位" in error["error"]
    assert wrong not in done.stderr
    assert _digest(db) == before


def test_an_unknown_card_is_a_not_found_result(db: Path) -> None:
    done = run_cli("--db", str(db), "--card", "Z99999999", "--date", "2024-05-10")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["found"] is False
    assert out["person"] is None
    assert out["facility"] == {"id": "T10", "name": "曲江镇卫生院"}  # this installation's, from the settings
    assert [f["code"] for f in out["findings"]] == ["not_on_roster"]


def test_a_scanned_qr_code_finds_its_person(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["--db", str(db), "--qr", f"ecQrCode={QR_TOKEN}\r\n", "--facility", "T01", "--date", "2024-05-10"], now=NOW
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["person"]["id"] == 2
    assert out["read"] == {"kind": "evoucher", "number": "E36A************A8C3"}
    assert QR_TOKEN not in json.dumps(out)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--qr", "6901234567892"], "qr"),
        (["--card", "  "], "card"),
        (["--card", "G00000001", "--date", "10/05/2024"], "date"),
        (["--card", "G00000001", "--facility", "X99"], "facility"),
        (["--card", "G00000001", "--stale-days", "seven"], "stale_days"),
        (["--id-number", "3601211960"], "id_number"),
    ],
)
def test_bad_input_names_the_field(db: Path, capsys: pytest.CaptureFixture[str], args: list[str], field: str) -> None:
    before = _digest(db)
    assert main(["--db", str(db), *args], now=NOW) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    error = json.loads(captured.err)
    assert error["field"] == field
    assert error["error"].startswith(f"{field}: ")
    assert _digest(db) == before


def test_a_missing_database_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    assert main(["--db", str(missing), "--card", "G00000001"], now=NOW) == 2
    assert json.loads(capsys.readouterr().err)["field"] == "db"
    assert not missing.exists()


def test_without_a_facility_setting_the_facility_is_required(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_store(tmp_path)
    store.dispose()
    assert main(["--db", str(tmp_path / "clinic.sqlite3"), "--card", "G00000001"], now=NOW) == 2
    assert json.loads(capsys.readouterr().err)["field"] == "facility"


def test_the_day_defaults_to_today_in_china(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    late_evening_utc = dt.datetime(2024, 5, 9, 17, 0, tzinfo=dt.UTC)  # 01:00 on 10 May in Beijing
    assert main(["--db", str(db), "--card", "G00000001"], now=late_evening_utc) == 0
    assert json.loads(capsys.readouterr().out)["date"] == "2024-05-10"
