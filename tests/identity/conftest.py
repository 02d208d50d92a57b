from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db.session import Store
from tests.identity.roster import make_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = make_store(tmp_path)
    yield made
    made.dispose()
