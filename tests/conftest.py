"""Shared fixtures: where the golden cases live, and the shipped policy book."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.policy import PolicyBook, load_book

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CASES = SHARED / "cases"


@pytest.fixture(scope="session")
def book() -> PolicyBook:
    return load_book()
