"""Every public case in ../shared/cases/fund/ through the Python API, the CLI and one batch, whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.fund import fund
from desktop.fund.cli import fund_json, read_request
from desktop.policy import PolicyBook
from tests.conftest import CASES

FUND_CASES = sorted((CASES / "fund").glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _cli(*args: str, text: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", "fund", *args],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_the_shared_cases_are_there() -> None:
    assert len(FUND_CASES) >= 4, f"no fund cases found under {CASES}"


@pytest.mark.parametrize("path", FUND_CASES, ids=lambda p: p.stem)
def test_case_through_python(path: Path, book: PolicyBook) -> None:
    case = _load(path)
    assert fund_json(case["input"], book) == case["expected"]


@pytest.mark.parametrize("path", FUND_CASES, ids=lambda p: p.stem)
def test_case_through_the_typed_api(path: Path, book: PolicyBook) -> None:
    case = _load(path)
    position = fund(read_request(case["input"], book), book)
    assert f"{position.budget:f}" == case["expected"]["budget"]
    assert len(position.months) == 12


@pytest.mark.parametrize("path", FUND_CASES, ids=lambda p: p.stem)
def test_case_through_cli(path: Path) -> None:
    case = _load(path)
    done = _cli(text=json.dumps(case["input"], ensure_ascii=False))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout) == case["expected"]


def test_all_cases_in_one_batch() -> None:
    cases = [_load(path) for path in FUND_CASES]
    lines = "".join(json.dumps(case["input"], ensure_ascii=False) + "\n" for case in cases)
    done = _cli("--batch", text=lines)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert [json.loads(row) for row in rows] == [case["expected"] for case in cases]
