"""Bad input to `clinic-pos quote` (quote-contract.md): exit 2, nothing on stdout, one JSON error naming the field.

Most cases go through ``desktop.quote_cli.run_one`` with StringIO; a handful through a real process.
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.policy import PolicyBook
from desktop.quote_cli import EXIT_BAD_INPUT, run_batch, run_one
from tests.policy.builders import Json

MISSING = object()

FULL: Json = {
    "policy": "nanchang-employee",
    "visit_date": "2024-05-10",
    "patient": {
        "birth_date": "1960-06-15",
        "category": "general",
        "employment": "retired",
        "retired_on": "2020-06-01",
        "poverty_registered": False,
        "family_doctor": False,
        "contracted_facilities": ["T01"],
        "enrolled_on": "2000-01-01",
        "chronic_diseases": ["hypertension"],
        "benefit_suspended": False,
        "account_balance": "100.00",
    },
    "facility": {
        "id": "T01",
        "kind": "township_health_center",
        "level": 1,
        "parent_id": "T00",
        "in_city": True,
        "designated": True,
    },
    "visit": {
        "referral": False,
        "emergency": False,
        "inpatient": False,
        "liability": None,
        "disease": None,
        "items": [
            {"code": "X01", "name": "阿莫西林胶囊", "kind": "drug", "class": "A", "amount": "12.50"},
            {"code": "F01", "name": "一般诊疗费", "kind": "consultation_fee", "class": "A", "amount": "10.00"},
        ],
    },
    "year_to_date": {"deductible_met": "0.00", "fund_paid": "0.00", "fund_paid_out_of_city": "0.00"},
    "pay_from_account": True,
}


def changed(path: str, value: Any) -> Json:
    """FULL with one dotted path set to ``value`` (or removed, for MISSING)."""
    body = copy.deepcopy(FULL)
    *parents, last = path.split(".")
    node: Any = body
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is MISSING:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return body


def refused(book: PolicyBook, text: str) -> Json:
    out, err = io.StringIO(), io.StringIO()
    assert run_one(text, book, out, err) == EXIT_BAD_INPUT
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1, lines
    error: Json = json.loads(lines[0])
    assert set(error) == {"error", "field"}
    assert isinstance(error["error"], str)
    assert error["error"]
    return error


def test_the_full_example_is_accepted(book: PolicyBook) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_one(json.dumps(FULL), book, out, err) == 0
    assert err.getvalue() == ""
    assert json.loads(out.getvalue())["covered"] is True


WRONG_TYPES = [
    ("policy", 5),
    ("visit_date", 20240510),
    ("patient", "someone"),
    ("patient", []),
    ("patient.birth_date", 1960),
    ("patient.category", 1),
    ("patient.employment", True),
    ("patient.retired_on", 20200601),
    ("patient.poverty_registered", "no"),
    ("patient.family_doctor", 1),
    ("patient.contracted_facilities", "T01"),
    ("patient.contracted_facilities", {"T01": True}),
    ("patient.enrolled_on", False),
    ("patient.chronic_diseases", "hypertension"),
    ("patient.benefit_suspended", "false"),
    ("patient.account_balance", 100),
    ("patient.account_balance", 12.5),
    ("facility", ["T01"]),
    ("facility.id", 7),
    ("facility.kind", 2),
    ("facility.level", "2"),
    ("facility.level", 1.0),
    ("facility.level", True),
    ("facility.parent_id", 9),
    ("facility.in_city", "yes"),
    ("facility.designated", 0),
    ("visit", "a visit"),
    ("visit.referral", "no"),
    ("visit.emergency", 1),
    ("visit.inpatient", []),
    ("visit.liability", 3),
    ("visit.disease", ["hypertension"]),
    ("visit.items", {"kind": "drug"}),
    ("visit.items", "X01"),
    ("visit.items.0.kind", None),
    ("visit.items.0.kind", 1),
    ("visit.items.0.class", ["A"]),
    ("visit.items.0.amount", 12.5),
    ("visit.items.0.amount", 12),
    ("visit.items.0.code", 1),
    ("visit.items.0.name", {"zh": "阿莫西林"}),
    ("year_to_date", ["0.00"]),
    ("year_to_date.deductible_met", 0),
    ("year_to_date.fund_paid", True),
    ("year_to_date.fund_paid_out_of_city", 1.5),
    ("pay_from_account", "yes"),
]


@pytest.mark.parametrize(("path", "value"), WRONG_TYPES, ids=[f"{p}={v!r}" for p, v in WRONG_TYPES])
def test_wrong_type(book: PolicyBook, path: str, value: Any) -> None:
    assert refused(book, json.dumps(changed(path, value)))["field"] == path


def test_an_item_that_is_not_an_object(book: PolicyBook) -> None:
    assert refused(book, json.dumps(changed("visit.items.1", 5)))["field"] == "visit.items.1"


def test_a_contracted_facility_that_is_not_text(book: PolicyBook) -> None:
    error = refused(book, json.dumps(changed("patient.contracted_facilities", ["T01", 2])))
    assert error["field"] == "patient.contracted_facilities.1"


REQUIRED = [
    "policy",
    "visit_date",
    "patient",
    "patient.birth_date",
    "facility",
    "facility.id",
    "facility.kind",
    "visit.items.0.kind",
    "visit.items.0.class",
    "visit.items.0.amount",
    "visit.items.1.amount",
]


@pytest.mark.parametrize("path", REQUIRED)
@pytest.mark.parametrize("how", ["left out", "null"])
def test_missing_required_value(book: PolicyBook, path: str, how: str) -> None:
    body = changed(path, MISSING if how == "left out" else None)
    error = refused(book, json.dumps(body))
    assert error["field"] == path
    assert "required" in error["error"]


@pytest.mark.parametrize("path", ["policy", "facility.id"])
def test_empty_required_text(book: PolicyBook, path: str) -> None:
    assert refused(book, json.dumps(changed(path, "")))["field"] == path


AMOUNTS = [
    "patient.account_balance",
    "visit.items.0.amount",
    "visit.items.1.amount",
    "year_to_date.deductible_met",
    "year_to_date.fund_paid",
    "year_to_date.fund_paid_out_of_city",
]


@pytest.mark.parametrize("path", AMOUNTS)
@pytest.mark.parametrize(
    ("text", "words"),
    [("-1.00", "negative"), ("12.345", "more than 2 decimal"), ("1.005", "more than 2 decimal"), ("abc", "yuan")],
)
def test_bad_amount(book: PolicyBook, path: str, text: str, words: str) -> None:
    error = refused(book, json.dumps(changed(path, text)))
    assert error["field"] == path
    assert words in error["error"]


@pytest.mark.parametrize("text", ["1e3", "NaN", " 12.50", "12,50", "+1.00", "", "12."])
def test_amount_that_is_not_plain_yuan(book: PolicyBook, text: str) -> None:
    assert refused(book, json.dumps(changed("visit.items.0.amount", text)))["field"] == "visit.items.0.amount"


ENUMS = [
    ("patient.category", "child"),
    ("patient.employment", "unemployed"),
    ("facility.kind", "clinic"),
    ("facility.kind", "Hospital"),
    ("facility.level", 4),
    ("facility.level", 0),
    ("visit.liability", "insurer"),
    ("visit.items.0.kind", "pill"),
    ("visit.items.0.class", "D"),
    ("visit.items.0.class", "a"),
]


@pytest.mark.parametrize(("path", "value"), ENUMS)
def test_unknown_enum_value(book: PolicyBook, path: str, value: Any) -> None:
    assert refused(book, json.dumps(changed(path, value)))["field"] == path


@pytest.mark.parametrize("policy", ["beijing-resident", "Nanchang-Resident", "nanchang-resident "])
def test_unknown_policy(book: PolicyBook, policy: str) -> None:
    error = refused(book, json.dumps(changed("policy", policy)))
    assert error["field"] == "policy"
    assert "nanchang-resident" in error["error"], "the message lists the known policies"


DATES = ["visit_date", "patient.birth_date", "patient.retired_on", "patient.enrolled_on"]


@pytest.mark.parametrize("path", DATES)
@pytest.mark.parametrize("text", ["2024-02-30", "2023-02-29", "2024-5-10", "10/05/2024", "2024-05-10T08:00", ""])
def test_malformed_date(book: PolicyBook, path: str, text: str) -> None:
    assert refused(book, json.dumps(changed(path, text)))["field"] == path


def test_birth_after_the_visit(book: PolicyBook) -> None:
    assert refused(book, json.dumps(changed("patient.birth_date", "2024-05-11")))["field"] == "patient.birth_date"


@pytest.mark.parametrize(("policy", "day"), [("nanchang-employee", "2022-12-31"), ("nanchong-employee", "2028-01-01")])
def test_visit_date_when_the_policy_is_not_in_force(book: PolicyBook, policy: str, day: str) -> None:
    body = changed("policy", policy)
    body["visit_date"] = day
    error = refused(book, json.dumps(body))
    assert error["field"] == "visit_date"
    assert day in error["error"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("surprise", "surprise"),
        ("patient.nickname", "patient.nickname"),
        ("visit.items.0.price", "visit.items.0.price"),
    ],
)
def test_unknown_field(book: PolicyBook, path: str, field: str) -> None:
    assert refused(book, json.dumps(changed(path, 1)))["field"] == field


@pytest.mark.parametrize("text", ["", "{", "[]", '"visit"', "null", '{"policy": "nanchang-resident"} {}'])
def test_not_one_json_object(book: PolicyBook, text: str) -> None:
    assert refused(book, text)["field"] == "(input)"


# --- batch mode -------------------------------------------------------------------------


def test_batch_bad_lines_yield_errors_in_place_and_the_batch_goes_on(book: PolicyBook) -> None:
    good = json.dumps(FULL, ensure_ascii=False)
    lines = [
        good,
        json.dumps(changed("visit.items.1.amount", "1.234")),
        "not json",
        good,
        json.dumps(changed("visit_date", "2019-01-01")),
        good,
    ]
    out = io.StringIO()
    assert run_batch((line + "\n" for line in lines), book, out) == 0
    rows = [json.loads(row) for row in out.getvalue().splitlines()]
    assert len(rows) == len(lines)
    assert [row.get("line") for row in rows] == [None, 2, 3, None, 5, None]
    assert [row.get("field") for row in rows] == [None, "visit.items.1.amount", "(input)", None, "visit_date", None]
    assert rows[0] == rows[3] == rows[5]
    assert rows[0]["covered"] is True


# --- through a real process -----------------------------------------------------------------


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", "quote", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )


def assert_refused(done: subprocess.CompletedProcess[str], field: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert json.loads(lines[0])["field"] == field


def test_cli_three_decimal_amount_on_stdin() -> None:
    assert_refused(cli(stdin=json.dumps(changed("visit.items.0.amount", "12.505"))), "visit.items.0.amount")


def test_cli_unknown_policy_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(changed("policy", "beijing-resident")), encoding="utf-8")
    assert_refused(cli(str(path)), "policy")


def test_cli_not_in_force() -> None:
    assert_refused(cli(stdin=json.dumps(changed("visit_date", "2019-06-01"))), "visit_date")


def test_cli_unknown_enum_in_a_nested_item() -> None:
    assert_refused(cli(stdin=json.dumps(changed("visit.items.1.kind", "surgery"))), "visit.items.1.kind")


def test_cli_good_visit_exits_0_with_nothing_on_stderr() -> None:
    done = cli(stdin=json.dumps(FULL, ensure_ascii=False))
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["policy_version"] == "洪府办发〔2022〕93号"


def test_cli_batch_goes_on_after_a_bad_line() -> None:
    good = json.dumps(FULL, ensure_ascii=False)
    done = cli("--batch", stdin=f"{good}\n{json.dumps(changed('facility.kind', 'spa'))}\n{good}\n")
    assert (done.returncode, done.stderr) == (0, "")
    rows = [json.loads(row) for row in done.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[1] == {"error": rows[1]["error"], "field": "facility.kind", "line": 2}
    assert rows[0]["covered"] is rows[2]["covered"] is True
