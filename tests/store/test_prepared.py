"""Prepared writes store exactly what SQLAlchemy's execute() would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from db.models import AuditEntry, Visit
from db.prepared import Prepared
from db.session import open_store

_AUDIT = Prepared(insert(AuditEntry), ("at", "staff_id", "action", "entity", "entity_id", "detail"))


def test_prepared_insert_round_trips_typed_values(tmp_path: Path) -> None:
    store = open_store(tmp_path / "clinic.sqlite3")
    at = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with store.write_connection() as connection:
        _AUDIT.run(
            connection, {"at": at, "staff_id": None, "action": "a", "entity": "e", "entity_id": "1", "detail": "{}"}
        )
        connection.execute(insert(AuditEntry), {"at": at, "action": "b", "entity": "e", "entity_id": "2"})
    with store.reading() as session:
        rows = session.execute(select(AuditEntry.at, AuditEntry.action).order_by(AuditEntry.id)).all()
    assert [r.at for r in rows] == [at, at]  # both stored as the same UTC instant
    assert rows[0].at.tzinfo is not None
    store.dispose()


def test_a_column_left_to_a_python_default_is_refused(tmp_path: Path) -> None:
    store = open_store(tmp_path / "clinic.sqlite3")
    partial = Prepared(insert(Visit), ("facility_id", "person_id", "staff_id", "visit_date"))
    with store.write_connection() as connection, pytest.raises(TypeError, match="explicitly"):
        partial.run(connection, {})
    store.dispose()
