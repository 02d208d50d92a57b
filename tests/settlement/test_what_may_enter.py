"""What may enter a settlement (issue 13): each input that settled, or broke a command, before.

Every case runs ``clinic-pos`` as a script would, signed in, and checks the refusal (exit
2, one ``{"error", "field"}`` object naming the field, nothing on standard output) and
that the database is exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.models import AuditEntry, VisitItem
from db.session import open_store
from desktop.settings import MAX_AMOUNT
from desktop.settlement.draft import SettlementError
from desktop.settlement.entry_checks import check_amount
from tests.cli_helpers import dump, in_process, run, token_for
from tests.settlement.conftest import copy_of, resident


def visit(person: Any, **extra: Any) -> dict[str, Any]:
    return {
        "person": person,
        "items": [{"code": "FA01"}, {"code": "XA01", "quantity": "2"}],
        "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}],
        **extra,
    }


@pytest.fixture(scope="module")
def unchanged_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for the tests whose every command is refused: each proves it stays as it was."""
    return copy_of(demo_template, tmp_path_factory.mktemp("refusing") / "clinic.sqlite3")


_TOKENS: dict[tuple[Path, str], str] = {}


def _token(db: Path, who: str) -> str:
    if (db, who) not in _TOKENS:
        _TOKENS[db, who] = token_for(db, who)
    return _TOKENS[db, who]


def refused(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    stdin: str | bytes,
    *args: str,
    by: str = "clerk",
) -> dict[str, str]:
    """Settle ``stdin``; it must be refused with the database unchanged. The error object."""
    token = _token(db, by)
    before = dump(db)
    code, out, err = in_process(capsys, monkeypatch, "settle", "--db", str(db), *args, stdin=stdin, token=token)
    assert (code, out) == (2, ""), err
    (line,) = err.splitlines()
    error: dict[str, str] = json.loads(line)
    assert set(error) == {"error", "field"}
    assert len(error["error"]) < 400  # a huge input is cut, not repeated
    assert dump(db) == before
    return error


def settles(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path, data: dict[str, Any], *args: str
) -> dict[str, Any]:
    code, out, err = in_process(
        capsys, monkeypatch, "settle", "--db", str(db), *args, stdin=json.dumps(data), token=token_for(db, "clerk")
    )
    assert code == 0, err
    settled: dict[str, Any] = json.loads(out)
    return settled


# --- identifiers are exactly the type the README says -----------------------------------


@pytest.mark.parametrize(
    ("person", "field"),
    [
        ({"id": True}, "person.id"),  # settled for person 1
        ({"id": 3.0}, "person.id"),  # settled for person 3
        ({"id": "3"}, "person.id"),
        ({"id": [1]}, "person.id"),  # a traceback
        ({"id": {"n": 1}}, "person.id"),  # a traceback
        ({"id": 10**30}, "person.id"),  # a traceback (too large for 64 bits)
        ({"id": 0}, "person.id"),
        ({"id_number": 360121196006150013}, "person.id_number"),  # an ID number as a JSON number
        ({"psn_no": 12345}, "person.psn_no"),
        ({"card": ["A00000001"]}, "person.card"),
        ({"card": "A" * 100_000}, "person.card"),
        ({"psn_no": "3601\u0000"}, "person.psn_no"),
    ],
)
def test_identifiers_are_exactly_their_type_or_refused(
    unchanged_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, person: Any, field: str
) -> None:
    error = refused(capsys, monkeypatch, unchanged_db, json.dumps(visit(person)))
    assert error["field"] == field


# --- quantities, prices and amounts -----------------------------------------------------


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"code": "XA01", "quantity": str(10**15)}, "items.0.quantity"),  # settled 12,500,000,000,000,000.00
        ({"code": "XA01", "quantity": str(10**25)}, "items.0.quantity"),  # overflowed 64 bits: a traceback
        ({"code": "XA01", "quantity": "1e400"}, "items.0.quantity"),  # a traceback
        ({"code": "XA01", "quantity": "NaN"}, "items.0.quantity"),
        ({"code": "XA01", "quantity": "１２"}, "items.0.quantity"),  # full-width digits
        ({"code": "XA01", "quantity": "1000"}, "items.0.quantity"),  # past the default limit of 999
        ({"code": "XA01", "quantity": 2}, "items.0.quantity"),
        ({"code": "XA01", "price": "5000.01"}, "items.0.price"),  # past the default limit
        ({"code": "XA01", "price": "１２.５０"}, "items.0.price"),
        ({"code": "XA01", "price": 12.5}, "items.0.price"),
    ],
)
def test_quantities_and_prices_within_their_limits(
    unchanged_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, item: Any, field: str
) -> None:
    error = refused(capsys, monkeypatch, unchanged_db, json.dumps(visit({"id": resident(unchanged_db)}, items=[item])))
    assert error["field"] == field


def test_more_lines_than_any_visit_has_are_refused(
    unchanged_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    many = [{"code": "FA01"}] * 201
    assert refused(capsys, monkeypatch, unchanged_db, json.dumps(visit({"id": 1}, items=many)))["field"] == "items"


def test_every_amount_fits_the_agencys_numeric_16_2() -> None:
    check_amount("items", MAX_AMOUNT)
    with pytest.raises(SettlementError):
        check_amount("items", MAX_AMOUNT + 1)


@pytest.mark.parametrize(("price", "why"), [("0", "zero"), ("25.00", "far from"), ("6.00", "far from")])
def test_a_price_far_from_the_catalogues_needs_confirming_and_the_audit_keeps_it(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, price: str, why: str
) -> None:
    # XA01 is 12.50 in the catalogue; more than 50% either way (a setting) asks.
    data = visit({"id": resident(clinic_db)}, items=[{"code": "XA01", "price": price}])
    error = refused(capsys, monkeypatch, clinic_db, json.dumps(data))
    assert error["field"] == "items.0.price"
    assert why in error["error"]
    assert "12.50" in error["error"]
    assert "--confirm-prices" in error["error"]
    settled = settles(capsys, monkeypatch, clinic_db, data, "--confirm-prices")
    store = open_store(clinic_db, migrate=False)
    with store.reading() as session:
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "settle", AuditEntry.entity_id == str(settled["settlement_id"])
            )
        ).one()
        price_fen = session.scalar(select(VisitItem.price_fen).where(VisitItem.visit_id == settled["visit_id"]))
    store.dispose()
    assert json.loads(entry.detail)["prices_confirmed"] == [
        {"line": 1, "code": "XA01", "price": f"{float(price):.2f}", "catalogue_price": "12.50"}
    ]
    assert price_fen == round(float(price) * 100)


def test_a_price_near_the_catalogues_needs_no_confirmation(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = visit({"id": resident(clinic_db)}, items=[{"code": "XA01", "price": "15.00"}])
    settled = settles(capsys, monkeypatch, clinic_db, data)
    assert settled["total"] == "15.00"


# --- text the agency can take ----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"diagnoses": [{"code": "J" * 1000, "name": "急性上呼吸道感染"}]}, "diagnoses.0.code"),  # the interface: 20
        ({"diagnoses": [{"code": "J06.900", "name": "名" * 100_000}]}, "diagnoses.0.name"),  # the interface: 100
        ({"diagnoses": [{"code": "J06.900", "name": "感冒\u0007"}]}, "diagnoses.0.name"),
        ({"items": [{"code": "X" * 51}]}, "items.0.code"),  # the column: 50
        ({"disease": "d" * 31}, "disease"),  # 2204 dise_codg: 30
        ({"facility": "T" * 21}, "facility"),
        ({"diagnoses": [{"code": "J06.900", "name": "感冒"}] * 100}, "diagnoses"),  # diag_srt_no: 2 digits
    ],
)
def test_text_longer_than_the_agency_accepts_is_refused_before_anything_is_written(
    unchanged_db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: dict[str, Any],
    field: str,
) -> None:
    error = refused(capsys, monkeypatch, unchanged_db, json.dumps(visit({"id": resident(unchanged_db)}, **change)))
    assert error["field"] == field


def test_a_reason_longer_than_its_column_is_refused(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settled = settles(capsys, monkeypatch, clinic_db, visit({"id": resident(clinic_db)}))
    token = token_for(clinic_db, "admin")
    before = dump(clinic_db)
    for reason in ("冲" * 40_000, "冲" * 201):
        code, out, err = in_process(
            capsys,
            monkeypatch,
            "reverse",
            "--db",
            str(clinic_db),
            "--settlement",
            str(settled["settlement_id"]),
            "--reason",
            reason,
            token=token,
        )
        assert (code, out) == (2, "")
        error = json.loads(err)
        assert error["field"] == "reason"
        assert len(error["error"]) < 300
    assert dump(clinic_db) == before


# --- tracebacks that are now a clear refusal --------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ('{"person": {"id": 1}}'.encode("utf-16"), "(input)"),  # a visit file saved as UTF-16
        (b'{"person": {"id": 1}, "staff": "\xff"}', "(input)"),  # invalid UTF-8
        ("[" * 100_000 + "]" * 100_000, "(input)"),  # nested 100,000 deep
        ('{"person": {"id": 1}, "staff": "\\ud800"}', "staff"),  # a lone surrogate
        ("", "(input)"),
    ],
)
def test_bytes_that_are_no_visit_are_refused(
    unchanged_db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: str | bytes,
    field: str,
) -> None:
    assert refused(capsys, monkeypatch, unchanged_db, data)["field"] == field


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["reverse", "--settlement", "1" * 23, "--reason", "录入错误"], "settlement"),
        (["reverse", "--settlement", "0", "--reason", "录入错误"], "settlement"),
        (["reverse", "--settlement", "١٢", "--reason", "录入错误"], "settlement"),
        (["check", "--card", "A00000001", "--stale-days", "9" * 20], "stale_days"),
        (["check", "--card", "A00000001", "--stale-days", "٣"], "stale_days"),
        (["check", "--card", "A00000001", "--date", "0001-01-01"], "date"),  # before any policy
        (["check", "--card", "A00000001", "--date", "9999-12-31"], "date"),  # years ahead
    ],
)
def test_options_that_broke_a_command_are_refused_naming_the_option(
    unchanged_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], field: str
) -> None:
    before = dump(unchanged_db)
    command, *rest = args
    code, out, err = in_process(capsys, monkeypatch, command, "--db", str(unchanged_db), *rest)
    assert (code, out) == (2, "")
    assert json.loads(err)["field"] == field
    assert dump(unchanged_db) == before


def test_a_reason_with_a_byte_that_is_not_utf8_is_refused(clinic_db: Path) -> None:
    # Through a real process: the shell hands Python the raw byte 0xFF as an argument.
    import subprocess
    import sys

    from tests.cli_helpers import signed_in_env

    env = signed_in_env(clinic_db, "admin")
    before = dump(clinic_db)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.cli",
            "reverse",
            "--db",
            str(clinic_db),
            "--settlement",
            "1",
            "--reason",
            b"\xff",
        ],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    error = json.loads(done.stderr)
    assert error["field"] == "reason"
    assert "0xFF" in error["error"]
    assert dump(clinic_db) == before


@pytest.mark.parametrize("visit_date", ["1900-01-01", "2017-12-31", "2099-01-01", "9999-12-31"])
def test_a_visit_date_outside_a_sane_window_is_refused_with_the_field(
    unchanged_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, visit_date: str
) -> None:
    data = visit({"id": resident(unchanged_db)}, visit_date=visit_date)
    assert refused(capsys, monkeypatch, unchanged_db, json.dumps(data))["field"] == "visit_date"


@pytest.mark.parametrize("command", ["settle", "check", "reverse", "sync", "sign-in", "settings"])
@pytest.mark.parametrize("content", [b"", b"this is a spreadsheet, not a database\n", b"SQLite format 3"])
def test_a_file_that_is_no_clinic_database_is_refused_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str, content: bytes
) -> None:
    path = tmp_path / "not-a-clinic.sqlite3"
    path.write_bytes(content)
    args = {
        "settle": [],
        "check": ["--card", "A00000001"],
        "reverse": ["--settlement", "1", "--reason", "x"],
        "sync": [],
        "sign-in": ["--staff", "clerk"],
        "settings": [],
    }[command]
    code, out, err = in_process(capsys, monkeypatch, command, "--db", str(path), *args, stdin="{}")
    assert (code, out) in ((2, ""), (14, "")), err  # 14: SQLite's header and nothing after it, a damaged file
    assert json.loads(err)["field"] == "db"
    assert path.read_bytes() == content  # no schema given, nothing written
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_sqlite_file_of_another_program_is_not_made_a_clinic(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE contacts (name TEXT)")
    other.commit()
    other.close()
    before = path.read_bytes()
    done = run("settle", "--db", str(path), stdin="{}")
    assert done.returncode == 2
    assert "not a clinic-pos one" in json.loads(done.stderr)["error"]
    assert path.read_bytes() == before


def test_the_lengths_are_the_national_interfaces_and_the_columns() -> None:
    # Read from the shared spec's own tables, so a length copied wrong into the code fails here.
    import re

    from desktop.settlement.entry_checks import COLUMNS, INTERFACE, LENGTHS
    from tests.conftest import SHARED

    spec = (SHARED / "spec" / "national-interface-fields.md").read_text(encoding="utf-8")
    for kind, sent in INTERFACE.items():
        column: int = COLUMNS[kind].type.length
        if sent is None:
            assert LENGTHS[kind] == column
            continue
        where, length = sent
        infno, field = where.split()[0], where.split(".")[-1]
        section = spec[spec.index(f"## {infno}") :]
        section = section[: section.index("\n## ", 1)]
        row = re.search(rf"\| `{field}` \| [^|]+ \| 字符型 \| (\d+) \|", section)
        assert row is not None, where
        assert int(row.group(1)) == length, where
        assert LENGTHS[kind] == min(length, column)
