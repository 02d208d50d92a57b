"""Every golden case in ../shared/cases/quote/ through the Python API and the CLI, field for field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.policy import PolicyBook
from desktop.quote_cli import quote_json
from tests.conftest import CASES

QUOTE_CASES = sorted((CASES / "quote").glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _assert_matches(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    for key, value in expected.items():
        assert actual[key] == value, f"{key}: expected {value!r}, got {actual[key]!r}"


def test_the_shared_cases_are_there() -> None:
    assert len(QUOTE_CASES) >= 9, f"no golden cases found under {CASES}"


@pytest.mark.parametrize("path", QUOTE_CASES, ids=lambda p: p.stem)
def test_case_through_python(path: Path, book: PolicyBook) -> None:
    case = _load(path)
    result = quote_json(case["input"], book)
    _assert_matches(case["expected"], result)
    assert result["explanation"], "every quote explains itself"


@pytest.mark.parametrize("path", QUOTE_CASES, ids=lambda p: p.stem)
def test_case_through_cli(path: Path) -> None:
    case = _load(path)
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "quote"],
        input=json.dumps(case["input"], ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    _assert_matches(case["expected"], json.loads(done.stdout))


def test_all_cases_in_one_batch() -> None:
    cases = [_load(path) for path in QUOTE_CASES]
    lines = "".join(json.dumps(case["input"], ensure_ascii=False) + "\n" for case in cases)
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "quote", "--batch"],
        input=lines,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    rows = done.stdout.splitlines()
    assert len(rows) == len(cases)
    for case, row in zip(cases, rows, strict=True):
        _assert_matches(case["expected"], json.loads(row))
