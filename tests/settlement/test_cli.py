"""clinic-pos demo / settle / reverse through real processes on a real file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import Settlement, Visit
from db.session import open_store
from desktop.demo import build_demo
from tests.cli_helpers import dump, in_process, run, signed_in_env, token_for

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    store = open_store(path)
    build_demo(store, today=TODAY, people=40, days=10)
    store.dispose()
    return path


def _visit(person: int, **extra: Any) -> str:
    return json.dumps(
        {
            "facility": "T01",
            "person": {"id": person},
            "staff": "clerk",
            "visit_date": "2026-11-22",
            "items": [{"code": "FA01"}, {"code": "XA01", "quantity": "2"}, {"code": "XC01"}],
            "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}],
            **extra,
        },
        ensure_ascii=False,
    )


def _resident(db: Path) -> int:
    store = open_store(db, migrate=False)
    with store.reading() as session:
        person = session.execute(
            select(Visit.person_id)
            .join(Settlement, Settlement.visit_id == Visit.id)
            .where(Settlement.policy == "nanchang-resident", Settlement.covered.is_(True))
            .limit(1)
        ).scalar_one()
    store.dispose()
    assert person is not None
    return person


def test_demo_makes_a_working_clinic(demo_db: Path) -> None:
    store = open_store(demo_db, migrate=False)
    with store.reading() as session:
        assert (session.scalar(select(func.count()).select_from(Settlement)) or 0) > 50
        policies = set(session.scalars(select(Settlement.policy).distinct()))
    store.dispose()
    assert {"nanchang-resident", "nanchang-employee"} <= policies


def test_demo_refuses_an_existing_file(demo_db: Path) -> None:
    done = run("demo", "--db", str(demo_db))
    assert done.returncode == 2
    assert json.loads(done.stderr)["field"] == "db"


def test_settle_then_reverse(demo_db: Path) -> None:
    person = _resident(demo_db)
    done = run("settle", "--db", str(demo_db), stdin=_visit(person), env=signed_in_env(demo_db, "clerk"))
    assert done.returncode == 0, done.stderr
    settled = json.loads(done.stdout)
    assert settled["policy_version"] == "洪府厅发〔2019〕102号"
    assert settled["out_of_scope"] == "68.00"  # the class-C vitamins
    assert [i["code"] for i in settled["items"]] == ["FA01", "XA01", "XC01"]
    assert settled["diagnoses"] == [{"code": "J06.900", "name": "急性上呼吸道感染"}]
    assert "id_number" not in json.dumps(settled)
    admin = signed_in_env(demo_db, "admin")
    again = run(
        "reverse",
        "--db",
        str(demo_db),
        "--settlement",
        str(settled["settlement_id"]),
        "--reason",
        "录入错误",
        env=admin,
    )
    assert again.returncode == 0, again.stderr
    reversed_ = json.loads(again.stdout)
    assert reversed_["reversed"] is True
    assert reversed_["fund"] == settled["fund"]  # the original stays as it was
    twice = run(
        "reverse", "--db", str(demo_db), "--settlement", str(settled["settlement_id"]), "--reason", "x", env=admin
    )
    assert twice.returncode == 2
    assert json.loads(twice.stderr)["field"] == "settlement"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": [{"code": "NOPE"}]}, "items.0.code"),
        ({"items": [{"code": "XA01", "quantity": "-1"}]}, "items.0.quantity"),
        ({"items": [{"code": "XA01", "price": "1.234"}]}, "items.0.price"),
        ({"visit_date": "2026-02-30"}, "visit_date"),
        ({"person": {"id": 99999}}, "person.id"),
        ({"staff": "nobody"}, "staff"),  # the visit names someone other than who signed in
        ({"liability": "aliens"}, "liability"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_visits_exit_2_naming_the_field_and_change_nothing(
    demo_db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: dict[str, Any],
    field: str,
) -> None:
    visit = {**json.loads(_visit(_resident(demo_db))), **change}
    token = token_for(demo_db, "clerk")
    before = dump(demo_db)
    code, out, err = in_process(
        capsys, monkeypatch, "settle", "--db", str(demo_db), stdin=json.dumps(visit, ensure_ascii=False), token=token
    )
    assert (code, out) == (2, "")
    assert json.loads(err)["field"] == field
    assert dump(demo_db) == before


@pytest.mark.parametrize(
    ("change", "by", "field"),
    [
        ({"settlement": "999999"}, "admin", "settlement"),
        ({"reason": "  "}, "admin", "reason"),
        ({}, "doctor1", "staff"),  # a village doctor may settle but not reverse
    ],
)
def test_bad_reversals_exit_2_naming_the_field_and_change_nothing(
    demo_db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: dict[str, str],
    by: str,
    field: str,
) -> None:
    code, out, err = in_process(
        capsys,
        monkeypatch,
        "settle",
        "--db",
        str(demo_db),
        stdin=_visit(_resident(demo_db)),
        token=token_for(demo_db, "clerk"),
    )
    assert code == 0, err
    asked = {"settlement": str(json.loads(out)["settlement_id"]), "reason": "录入错误", **change}
    token = token_for(demo_db, by)
    before = dump(demo_db)
    code, out, err = in_process(
        capsys,
        monkeypatch,
        "reverse",
        "--db",
        str(demo_db),
        *(f"--{key}={value}" for key, value in asked.items()),
        token=token,
    )
    assert (code, out) == (2, "")
    assert json.loads(err)["field"] == field
    assert dump(demo_db) == before


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", ""])
def test_input_that_is_not_a_visit_exits_2(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    token = token_for(demo_db, "clerk")
    before = dump(demo_db)
    code, out, err = in_process(capsys, monkeypatch, "settle", "--db", str(demo_db), stdin=text, token=token)
    assert (code, out) == (2, "")
    assert json.loads(err)["field"]
    assert dump(demo_db) == before


@pytest.mark.parametrize("command", ["settle", "reverse"])
def test_a_mistyped_database_path_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    args = ["--settlement", "1", "--reason", "x"] if command == "reverse" else []
    code, _, err = in_process(capsys, monkeypatch, command, "--db", str(missing), *args, stdin=_visit(1))
    assert code == 2
    assert json.loads(err)["field"] == "db"
    assert not missing.exists()


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["reverse", "--settlement", "x", "--reason", "录入错误"], "settlement"),
        (["reverse", "--settlement", "1"], "reason"),
        (["settle", "--staff"], "staff"),
        (["check"], "id_number"),  # none of --id-number, --card, --qr
        (["check", "--id-number", "360121196006150013", "--card", "A00000001"], "card"),  # only one of them
        (["sync", "--timeout", "soon"], "timeout"),
        (["quote", "--bacth"], "bacth"),  # a typing slip
        (["credentials", "forget", "--facility", "H36010100001"], "action"),
    ],
)
def test_bad_arguments_exit_2_with_one_json_error_naming_the_option(demo_db: Path, args: list[str], field: str) -> None:
    # Scripts read one shape of error from every command, whatever was wrong.
    before = dump(demo_db)
    command, *rest = args
    done = run(command, *(["--db", str(demo_db)] if command in {"reverse", "settle", "sync", "check"} else []), *rest)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    error = json.loads(line)
    assert error["field"] == field
    assert error["error"].startswith(f"clinic-pos {command}: ") or error["error"].startswith("clinic-pos: ")
    assert dump(demo_db) == before


def test_help_is_still_argparse_text_on_standard_output() -> None:
    done = run("settle", "--help")
    assert done.returncode == 0
    assert done.stdout.startswith("usage: clinic-pos settle")
    assert done.stderr == ""
