"""Bad input to `clinic-pos fund` (fund-contract.md): exit 2, nothing on stdout, one JSON error naming the field.

Most cases go through ``desktop.fund.cli.run_one`` on bytes; a handful through a real process.
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from typing import Any

import pytest

from desktop.fund.cli import EXIT_BAD_INPUT, run_batch, run_one
from desktop.policy import PolicyBook
from tests.fund.builders import Json, signing

MISSING = object()

FULL: Json = {
    "policy": "nanchang-resident",
    "year": 2024,
    "as_of": "2024-06-30",
    "signings": [signing("A", birth="1950-03-01", since="2019-05-01"), signing("B", to="2024-05-17", end="moved")],
    "fund_paid": {"2024-01": "12.50", "2024-02": None},
    "quality_score": "90",
    "per_head": "45.50",
    "carried_in": "120.00",
}


def changed(path: str, value: Any, body: Json = FULL) -> Json:
    """``body`` with one dotted path set to ``value`` (or removed, for MISSING)."""
    body = copy.deepcopy(body)
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


def refused(book: PolicyBook, data: bytes | str) -> Json:
    out, err = io.StringIO(), io.StringIO()
    raw = data.encode() if isinstance(data, str) else data
    assert run_one(raw, book, out, err) == EXIT_BAD_INPUT
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1, lines
    error: Json = json.loads(lines[0])
    assert set(error) == {"error", "field"}
    assert error["error"].startswith(error["field"])
    return error


def field_of(book: PolicyBook, body: Any) -> str:
    return str(refused(book, json.dumps(body, ensure_ascii=False))["field"])


def test_the_full_example_is_accepted(book: PolicyBook) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_one(json.dumps(FULL).encode(), book, out, err) == 0
    assert err.getvalue() == ""
    assert json.loads(out.getvalue())["budget"] == "301.42"  # 226 + 181 × 5 ÷ 12 (75.42)


BAD_VALUES = [
    ("policy", 5),
    ("policy", ""),
    ("policy", "nowhere-resident"),
    ("policy", "nanchang-employee"),  # no capitation fund
    ("year", "2024"),
    ("year", 2024.0),
    ("year", True),
    ("year", 10**30),
    ("year", 1900),
    ("year", 2019),  # before the policy was in force
    ("as_of", "2024-6-30"),
    ("as_of", "2024-02-30"),
    ("as_of", "２０２４-06-30"),
    ("signings", {"A": {}}),
    ("signings", "A"),
    ("signings.0", "A"),
    ("signings.0.person", 7),
    ("signings.0.person", " "),
    ("signings.0.from", "01/05/2019"),
    ("signings.0.to", "2019-04-30"),  # before from
    ("signings.0.birth_date", 1950),
    ("signings.0.birth_date", "2020-01-01"),  # after the signing began
    ("signings.0.start", "renewed"),
    ("signings.0.end", "left"),
    ("signings.0.end", "moved"),  # an end kind with no end date
    ("fund_paid", ["12.50"]),
    ("fund_paid.2024-01", 12.5),
    ("fund_paid.2024-01", "12.505"),
    ("fund_paid.2024-01", "-1.00"),
    ("fund_paid.2024-01", "1e3"),
    ("fund_paid.2024-01", "１２.50"),  # full-width digits
    ("fund_paid.2024-01", "١٢.٥٠"),  # Arabic-Indic digits, which Decimal would read
]


@pytest.mark.parametrize(("path", "value"), BAD_VALUES, ids=[f"{p}={v!r}" for p, v in BAD_VALUES])
def test_bad_value(book: PolicyBook, path: str, value: Any) -> None:
    assert field_of(book, changed(path, value)) == path


@pytest.mark.parametrize(
    ("key", "field"),
    [("2023-12", "fund_paid.2023-12"), ("2024-13", "fund_paid.2024-13"), ("May", "fund_paid.May")],
)
def test_a_month_that_is_not_of_the_year(book: PolicyBook, key: str, field: str) -> None:
    assert field_of(book, changed(f"fund_paid.{key}", "1.00")) == field


@pytest.mark.parametrize(
    ("policy", "path", "value"),
    [
        ("shaoguan-resident", "quality_score", "101"),
        ("shaoguan-resident", "quality_score", 90),
        ("shaoguan-resident", "quality_score", "ninety"),
        ("shaoguan-resident", "quality_score", "９０"),
        ("hunan-resident", "per_head", "45.5.0"),
        ("hunan-resident", "per_head", 45.5),
        ("hunan-resident", "carried_in", "-120.00"),
    ],
)
def test_a_policys_own_fields(book: PolicyBook, policy: str, path: str, value: Any) -> None:
    assert field_of(book, changed(path, value, changed("policy", policy))) == path


@pytest.mark.parametrize("path", ["policy", "year", "signings", "signings.0.person", "signings.0.from"])
@pytest.mark.parametrize("how", ["left out", "null"])
def test_missing_required_value(book: PolicyBook, path: str, how: str) -> None:
    error = refused(book, json.dumps(changed(path, MISSING if how == "left out" else None)))
    assert error["field"] == path
    assert "required" in error["error"]


def test_nanchang_needs_the_birth_date(book: PolicyBook) -> None:
    assert field_of(book, changed("signings.0.birth_date", MISSING)) == "signings.0.birth_date"


def test_unknown_fields_are_named(book: PolicyBook) -> None:
    assert field_of(book, {**FULL, "budget": "1.00"}) == "budget"
    assert field_of(book, changed("signings.0.village", "V01")) == "signings.0.village"


def test_one_person_with_two_birth_dates(book: PolicyBook) -> None:
    body = changed("signings.1", signing("A", birth="1951-03-01", since="2024-01-01"))
    assert field_of(book, body) == "signings.1.birth_date"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"policy": "nanchang-resident",', "not valid JSON"),
        (b"\xff\xfe{\x00}\x00", "UTF-16"),
        (b'{"policy": "\xe4\xb8"}', "not UTF-8"),
        (b'{"year": ' + b"9" * 5000 + b"}", "digits"),
        (b'{"year": NaN}', "NaN"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
        (b'{"policy": "\\ud800"}', "lone surrogate"),
    ],
)
def test_input_that_is_not_a_request(book: PolicyBook, data: bytes, says: str) -> None:
    assert says in refused(book, data)["error"]


def test_a_bad_line_answers_in_its_place_and_the_batch_goes_on(book: PolicyBook) -> None:
    good = json.dumps(FULL).encode()
    lines = [good + b"\n", b"{\n", b"\xff\xfe\n", json.dumps(changed("year", "x")).encode() + b"\n", good + b"\n"]
    out = io.StringIO()
    assert run_batch(lines, book, out) == 0
    rows = [json.loads(row) for row in out.getvalue().splitlines()]
    assert len(rows) == 5
    assert rows[0] == rows[4]
    assert rows[0]["budget"] == "301.42"
    assert [(row["line"], row["field"]) for row in rows[1:4]] == [(2, "(input)"), (3, "(input)"), (4, "year")]


def test_the_command_refuses_with_status_2_and_nothing_on_stdout() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "fund"],
        input=json.dumps(changed("signings.0.from", "yesterday")).encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stdout == b""
    assert json.loads(done.stderr)["field"] == "signings.0.from"


def test_a_file_that_cannot_be_read(tmp_path: Any) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "fund", str(tmp_path / "absent.json")],
        capture_output=True,
        check=False,
    )
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stdout == b""
    assert json.loads(done.stderr)["field"] == "(input)"
