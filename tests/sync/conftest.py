"""Fixtures: a clinic's store copied from one demo roster, the sandbox agency, a relay, visits."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.session import Store
from desktop.sandbox.server import SandboxServer
from desktop.sync import Relay
from tests.sync.helpers import Visits, copy_store, relay_for, start_agency, template_store


@pytest.fixture(scope="session")
def template() -> Path:
    """One demo roster (people, facilities, catalogue, staff; no visits), copied for each test."""
    return template_store()


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
