"""The schema comes from Alembic: an empty file upgrades to head, and the models add nothing more."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from db.migrate import alembic_config
from db.models import Base
from db.session import open_store


def test_empty_database_upgrades_to_head(tmp_path: Path) -> None:
    store = open_store(tmp_path / "clinic.sqlite3")
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with store.engine.connect() as connection:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == head
    store.dispose()


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    store = open_store(tmp_path / "clinic.sqlite3")
    with store.engine.begin() as connection:
        command.check(alembic_config(connection))  # raises when autogenerate would write anything
    store.dispose()


def test_upgrade_twice_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    open_store(path).dispose()
    open_store(path).dispose()


def test_sqlite_file_has_the_field_pragmas(tmp_path: Path) -> None:
    store = open_store(tmp_path / "clinic.sqlite3")
    with store.reading() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()
    raw = sqlite3.connect(tmp_path / "clinic.sqlite3")
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()


def test_constraint_names_follow_the_convention(tmp_path: Path) -> None:
    store = open_store(tmp_path / "clinic.sqlite3")
    inspector = inspect(store.engine)
    checks = {c["name"] for c in inspector.get_check_constraints("settlement")}
    assert "ck_settlement_split_adds_up" in checks
    foreign = {f["name"] for f in inspector.get_foreign_keys("visit")}
    assert "fk_visit_person_id_person" in foreign
    store.dispose()


def test_a_populated_older_database_upgrades_with_its_records_intact(tmp_path: Path) -> None:
    # Batch mode copies tables: a table other rows point at must survive the copy.
    from db.migrate import upgrade
    from db.session import Store

    path = tmp_path / "old.sqlite3"
    old = Store(path)
    upgrade(old.engine, "0001")
    with old.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO facility (id, code, name, kind, level, admdvs, in_city, designated_resident,"
            " designated_employee) VALUES ('T01', 'H36012100101', '卫生院', 'township_health_center', 1, '360121',"
            " 1, 1, 1)"
        )
        connection.exec_driver_sql(
            "INSERT INTO person (id, psn_no, id_number, name, gender, birth_date, phone, address, household_head,"
            " policy, insutype, insuplc_admdvs, category, employment, poverty_registered, benefit_suspended, insured,"
            " account_balance_fen, roster_updated_at) VALUES (1, 'P1', '360121196006150013', '张三', '1',"
            " '1960-06-15', '', '', '', 'nanchang-resident', '390', '360121', 'general', 'active', 0, 0, 1, 0,"
            " '2026-11-01 00:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO card (person_id, kind, number, card_sn, valid) VALUES (1, 'ssc', 'A1', '', 1)"
        )
    old.dispose()
    store = open_store(path)
    with store.reading() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("SELECT name, residence_facility_id FROM person").one() == ("张三", None)
        assert connection.exec_driver_sql("SELECT person_id FROM card").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()


def test_the_head_read_from_file_names_is_alembics() -> None:
    from db.migrate import VERSIONS, newest_revision

    script = ScriptDirectory.from_config(alembic_config())
    assert newest_revision() == script.get_current_head()
    for path in VERSIONS.glob("[0-9]*_*.py"):
        revision = script.get_revision(path.name.split("_", 1)[0])
        assert revision is not None, f"{path.name}: its revision id must be its number"
