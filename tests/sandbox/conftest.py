"""A sandbox agency on a free loopback port, loaded with the test roster, and clinics to call it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.sandbox.server import SandboxServer
from tests.sandbox.helpers import PUBLIC_KEYS, ROSTER, TOWNSHIP, Clinic


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "agency.sqlite3")
    server.load_roster(ROSTER)
    server.load_keys(PUBLIC_KEYS)
    with server:
        yield server


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as client:
        yield client


@pytest.fixture
def clinic(sandbox: SandboxServer, http: httpx.Client) -> Clinic:
    return Clinic(sandbox.url, TOWNSHIP, http)
