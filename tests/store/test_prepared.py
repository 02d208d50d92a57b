"""Prepared statements store and read exactly what SQLAlchemy's execute() would, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError

from db.models import AuditEntry, Facility, Staff, Visit
from db.prepared import Prepared
from db.session import Store, open_store

_AUDIT = Prepared(
    insert(AuditEntry), ("at", "staff_id", "action", "entity", "entity_id", "detail", "seq", "rows", "digest")
)


def test_prepared_insert_round_trips_typed_values(tmp_path: Path) -> None:
    store = open_store(tmp_path / "clinic.sqlite3")
    at = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with store.write_connection() as connection:
        _AUDIT.run(
            connection,
            {"at": at, "staff_id": None, "action": "a", "entity": "e", "entity_id": "1", "detail": "{}"}
            | {"seq": -1, "rows": "{}", "digest": ""},
        )
        connection.execute(
            insert(AuditEntry),
            {"at": at, "action": "b", "entity": "e", "entity_id": "2", "seq": -2, "rows": "{}", "digest": ""},
        )
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


def _store_with_a_facility(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "clinic.sqlite3")
    with store.writing() as session:
        session.add(
            Facility(id="T01", code="H36010100001", name="卫生院", kind="township_health_center", admdvs="360101")
        )
    return store


_FACILITY = Prepared(
    select(Facility.id, Facility.in_city, Facility.suspended_on).where(Facility.id == bindparam("id")), ("id",)
)
_STAFF = Prepared(
    insert(Staff).returning(Staff.id, Staff.active),
    ("username", "name", "role", "facility_id", "password_hash", "active"),
)
_CLERK = {"username": "clerk", "name": "王", "role": "clerk", "facility_id": "T01", "password_hash": "x", "active": 1}


def test_rows_come_back_typed_as_execute_reads_them(tmp_path: Path) -> None:
    store = _store_with_a_facility(tmp_path)
    with store.writing() as session:
        facility = session.get(Facility, "T01")
        assert facility is not None
        facility.suspended_on = dt.date(2026, 3, 1)
    with store.reading() as session:
        connection = session.connection()
        row = _FACILITY.one(connection, {"id": "T01"})
        expected = connection.execute(select(Facility.id, Facility.in_city, Facility.suspended_on)).one()
        assert _FACILITY.one_or_none(connection, {"id": "NOPE"}) is None
    assert tuple(row) == tuple(expected) == ("T01", True, dt.date(2026, 3, 1))
    assert row.in_city is True  # a bool, not SQLite's 1
    store.dispose()


def test_returning_gives_the_new_row(tmp_path: Path) -> None:
    store = _store_with_a_facility(tmp_path)
    with store.write_connection() as connection:
        first = _STAFF.one(connection, _CLERK)
        second = _STAFF.one(connection, {**_CLERK, "username": "clerk2"})
    assert (second.id - first.id, first.active) == (1, True)
    store.dispose()


def _add_staff(store: Store, *rows: dict[str, object]) -> None:
    with store.write_connection() as connection:
        for row in rows:
            _STAFF.one(connection, row)


def test_driver_errors_are_sqlalchemys_and_roll_back_with_the_transaction(tmp_path: Path) -> None:
    store = _store_with_a_facility(tmp_path)
    with pytest.raises(IntegrityError):
        _add_staff(store, _CLERK, _CLERK)  # the same username twice
    with pytest.raises(IntegrityError):
        _add_staff(store, {**_CLERK, "facility_id": "NOPE"})  # foreign keys are enforced
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Staff)) == 0  # the first clerk went with the rollback
    store.dispose()


def test_a_statement_on_a_connection_not_yet_in_a_transaction_begins_one(tmp_path: Path) -> None:
    # As execute() autobegins: the write must not commit on its own.
    store = _store_with_a_facility(tmp_path)
    with store.engine.connect() as connection:
        _STAFF.one(connection, _CLERK)
        assert connection.in_transaction()
        connection.rollback()
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Staff)) == 0
    store.dispose()


def test_parameters_must_match_the_statement(tmp_path: Path) -> None:
    store = _store_with_a_facility(tmp_path)
    wrong = Prepared(select(Facility.id).where(Facility.id == bindparam("id")), ("id", "typo"))
    with store.reading() as session, pytest.raises(TypeError, match="typo"):
        wrong.all(session.connection(), {"id": "T01", "typo": 1})
    store.dispose()
