"""`quote` and `quote --batch` against input meant to break them: one answer, exit 0 or 2, never a traceback.

Money and numbers are ASCII (the contract's money is "12.50"); huge integers, deep nesting, lone
surrogates and bytes that are not UTF-8 are bad input named in words, not a crash; a bad batch
line costs the lines after it nothing; no message repeats a huge value in full. Hypothesis
throws arbitrary JSON and arbitrary bytes at each reader in-process, and a few real processes
check the same from the outside.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.policy import load_book
from desktop.quote_cli import EXIT_BAD_INPUT, run_batch, run_one
from tests.policy.builders import Json
from tests.policy.test_bad_input import AMOUNTS, DATES, FULL, changed
from tests.policy.test_plain_read import paths, put

BOOK = load_book()
GOOD = json.dumps(FULL, ensure_ascii=False).encode("utf-8")


def answer(data: bytes | str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_one(data, BOOK, out, err)
    return status, out.getvalue(), err.getvalue()


def refusal(data: bytes | str) -> Json:
    status, out, err = answer(data)
    assert (status, out) == (EXIT_BAD_INPUT, "")
    lines = err.splitlines()
    assert len(lines) == 1, err
    error: Json = json.loads(lines[0])
    assert set(error) == {"error", "field"}
    return error


def batch(lines: list[bytes]) -> list[Json]:
    out = io.StringIO()
    assert run_batch([line + b"\n" for line in lines], BOOK, out) == 0
    rows = [json.loads(row) for row in out.getvalue().splitlines()]
    assert len(rows) == len(lines)
    return rows


# --- money and numbers are ASCII --------------------------------------------------------


@pytest.mark.parametrize("path", AMOUNTS)
@pytest.mark.parametrize("text", ["１２.５０", "١٢.٥٠", "12.５0", "۱۲"])
def test_money_with_digits_that_are_not_ascii_is_refused_naming_the_field(path: str, text: str) -> None:
    error = refusal(json.dumps(changed(path, text), ensure_ascii=False))
    assert error["field"] == path
    assert "ASCII" in error["error"]


@pytest.mark.parametrize("path", DATES)
def test_dates_with_full_width_digits_are_refused_naming_the_field(path: str) -> None:
    error = refusal(json.dumps(changed(path, "２０２４-０５-１０"), ensure_ascii=False))
    assert error["field"] == path
    assert "is not a date like" in error["error"]


def test_a_batch_refuses_full_width_money_too() -> None:
    rows = batch([GOOD, json.dumps(changed("visit.items.0.amount", "１２.５０"), ensure_ascii=False).encode()])
    assert rows[1]["field"] == "visit.items.0.amount"
    assert rows[1]["line"] == 2


# --- what used to be a traceback --------------------------------------------------------

BREAKERS = {
    "huge integer": GOOD.replace(b'"level": 1', b'"level": ' + b"9" * 5000),
    "deep nesting": GOOD.replace(b'"disease": null', b'"disease": ' + b"[" * 50_000 + b"]" * 50_000),
    "lone surrogate": GOOD.replace("阿莫西林胶囊".encode(), b"\\udc00"),
    "not UTF-8": GOOD.replace("阿莫西林胶囊".encode(), b"\xc3\x28"),
    "UTF-16": json.dumps(FULL).encode("utf-16"),
    "NaN": GOOD.replace(b'"level": 1', b'"level": NaN'),
    "huge float": GOOD.replace(b'"level": 1', b'"level": 1e999'),
    "nothing": b"",
}


@pytest.mark.parametrize("data", BREAKERS.values(), ids=BREAKERS.keys())
def test_each_breaker_is_bad_input(data: bytes) -> None:
    error = refusal(data)
    assert error["error"]


def test_a_lone_surrogate_names_its_field() -> None:
    assert refusal(BREAKERS["lone surrogate"])["field"] == "visit.items.0.name"


@pytest.mark.parametrize("name", [n for n in BREAKERS if n != "UTF-16"])
def test_a_breaker_in_a_batch_costs_the_lines_after_it_nothing(name: str) -> None:
    rows = batch([GOOD, BREAKERS[name], GOOD, GOOD])
    assert rows[1]["line"] == 2
    assert "error" in rows[1]
    assert rows[0] == rows[2] == rows[3]
    assert rows[0]["covered"] is True


def test_a_huge_value_is_cut_in_the_message() -> None:
    error = refusal(json.dumps(changed("policy", "x" * 100_000)))
    assert len(error["error"]) < 400
    assert "100,000 characters" in error["error"]
    amount = refusal(json.dumps(changed("visit.items.0.amount", "9" * 100_000)))
    assert len(amount["error"]) < 300
    assert "100,000 characters" in amount["error"]


def test_a_huge_key_is_cut_in_the_field() -> None:
    error = refusal(json.dumps(changed(f"patient.{'k' * 100_000}", 1)))
    assert len(error["field"]) < 60
    assert error["field"].startswith("patient.kkk")


def test_line_breaks_inside_strings_stay_inside_their_line() -> None:
    # U+2028, U+2029 and U+0085 are legal raw in JSON text, but Python's splitlines (and others) end a line there.
    odd = changed("visit.items.0.name", "阿莫\u2028西林\x85胶囊\u2029")
    rows = batch([json.dumps(odd, ensure_ascii=False).encode(), json.dumps(changed(f"x\u2028{'y'}", 1)).encode()])
    assert rows[0]["items"][0]["name"] == "阿莫\u2028西林\x85胶囊\u2029"
    assert rows[1]["field"] == "x\u2028y"


# --- hypothesis: arbitrary JSON and arbitrary bytes ---------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.sampled_from(["１２.５０", "١٢", "12.50", "2024-05-10", "\ud800", "drug", "A", "nanchang-employee"]),
)
any_json = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
FUZZ = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _encoded(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate goes in as the bytes a careless writer makes


def assert_one_answer(data: bytes) -> None:
    status, out, err = answer(data)
    assert status in (0, EXIT_BAD_INPUT)
    if status == 0:
        assert err == ""
        assert json.loads(out)["total"]
    else:
        assert out == ""
        assert set(json.loads(err)) == {"error", "field"}


@FUZZ
@given(any_json)
def test_arbitrary_json_is_answered_or_refused(value: Any) -> None:
    assert_one_answer(_encoded(value))


@FUZZ
@given(st.data(), any_json)
def test_a_good_request_with_arbitrary_json_anywhere_is_answered_or_refused(data: st.DataObject, value: Any) -> None:
    path = data.draw(st.sampled_from(paths(FULL)))
    assert_one_answer(_encoded(put(FULL, path, value)))


@FUZZ
@given(st.binary(max_size=200))
def test_arbitrary_bytes_are_answered_or_refused(data: bytes) -> None:
    assert_one_answer(data)


@FUZZ
@given(
    st.lists(st.one_of(st.binary(max_size=80).map(lambda b: b.replace(b"\n", b"")), any_json.map(_encoded)), max_size=6)
)
def test_a_batch_of_anything_answers_every_line(lines: list[bytes]) -> None:
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    rows = batch([*lines, GOOD])
    for number, row in enumerate(rows, start=1):
        assert ("error" in row and row["line"] == number) or "total" in row
    assert rows[-1]["covered"] is True


# --- a few real processes ----------------------------------------------------------------


def cli(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", "quote", *args], input=stdin, capture_output=True, check=False, timeout=60
    )


@pytest.mark.parametrize("name", ["huge integer", "deep nesting", "lone surrogate", "not UTF-8"])
def test_cli_breakers_exit_2_without_a_traceback(name: str) -> None:
    done = cli(stdin=BREAKERS[name])
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stdout == b""
    assert b"Traceback" not in done.stderr
    assert set(json.loads(done.stderr)) == {"error", "field"}


def test_cli_batch_of_breakers_answers_every_line(tmp_path: Path) -> None:
    lines = [GOOD, *(BREAKERS[n] for n in BREAKERS if n != "UTF-16"), GOOD]
    path = tmp_path / "visits.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    done = cli("--batch", str(path), stdin=b"")
    assert (done.returncode, done.stderr) == (0, b"")
    rows = [json.loads(row) for row in done.stdout.decode("utf-8").splitlines()]
    assert len(rows) == len(lines)
    assert rows[0]["covered"] is rows[-1]["covered"] is True
    assert all(row["line"] == n for n, row in enumerate(rows[1:-1], start=2))


@settings(max_examples=5, deadline=None, database=None)
@given(st.binary(min_size=1, max_size=300))
def test_cli_arbitrary_bytes_exit_0_or_2(data: bytes) -> None:
    done = cli(stdin=data)
    assert done.returncode in (0, EXIT_BAD_INPUT)
    assert b"Traceback" not in done.stderr
