"""A small demo clinic built once, and a fresh copy of it for each test that writes."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Person, Setting, Settlement, Visit
from db.session import open_store
from desktop.demo import build_demo

DEMO_TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite3"
    store = open_store(path)
    build_demo(store, today=DEMO_TODAY, people=40, days=10)
    store.dispose()
    return path


def copy_of(template: Path, target: Path) -> Path:
    """A consistent copy through SQLite's backup API (never a file copy of a WAL database)."""
    source, copy = sqlite3.connect(template), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return target


@pytest.fixture
def clinic_db(demo_template: Path, tmp_path: Path) -> Path:
    return copy_of(demo_template, tmp_path / "clinic.sqlite3")


@functools.cache
def resident(db: Path) -> int:
    """A covered Nanchang resident of the demo, settled before at T01."""
    store = open_store(db, migrate=False)
    try:
        with store.reading() as session:
            person: int | None = session.execute(
                select(Visit.person_id)
                .join(Settlement, Settlement.visit_id == Visit.id)
                .join(Person, Person.id == Visit.person_id)
                .where(Settlement.policy == "nanchang-resident", Settlement.covered.is_(True))
                .where(Person.insured.is_(True), Person.benefit_suspended.is_(False))
                .limit(1)
            ).scalar_one()
            assert person is not None
            return person
    finally:
        store.dispose()


def setting(db: Path, key: str) -> str | None:
    store = open_store(db, migrate=False)
    try:
        with store.reading() as session:
            return session.scalar(select(Setting.value).where(Setting.key == key))
    finally:
        store.dispose()
