"""Fixtures: a clinic's store copied from one demo roster, the sandbox agency, a relay, visits."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.session import Store, open_store
from desktop.demo import build_demo
from desktop.sandbox.server import SandboxServer
from desktop.sync import Relay
from tests.sync.helpers import FIRST_DAY, PEOPLE, Visits, copy_store, relay_for, start_agency


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo roster (people, facilities, catalogue, staff; no visits), copied for each test."""
    path = tmp_path_factory.mktemp("template") / "clinic.sqlite3"
    store = open_store(path)
    build_demo(store, people=PEOPLE, days=0, today=FIRST_DAY)
    store.dispose()
    return path


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Iterator[Store]:
    clinic = copy_store(template, tmp_path / "clinic.sqlite3")
    yield clinic
    clinic.dispose()


@pytest.fixture
def agency(tmp_path: Path, store: Store) -> Iterator[SandboxServer]:
    server = start_agency(tmp_path / "agency.sqlite3", [store])
    yield server
    server.stop()


@pytest.fixture
def relay(store: Store, agency: SandboxServer) -> Iterator[Relay]:
    with relay_for(store, agency.url) as made:
        yield made


@pytest.fixture
def visits(store: Store) -> Visits:
    return Visits(store, random.Random(7))
