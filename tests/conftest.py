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


DEMO_TODAY = __import__("datetime").date(2025, 1, 1)  # the demo's visits: 2024, January to December


@pytest.fixture(scope="session")
def demo_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A year of the full demo (the catchment and the antibiotic habit included), built once a run."""
    from db.session import open_store
    from desktop.demo import build_demo

    path = tmp_path_factory.mktemp("demo-year") / "clinic.sqlite3"
    store = open_store(path)
    build_demo(store, today=DEMO_TODAY, showcase=True)
    store.dispose()
    return path
