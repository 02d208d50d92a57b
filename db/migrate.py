"""Alembic, driven from code: the migrations ship inside the package and run at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

VERSIONS = Path(__file__).with_name("migrations") / "versions"


class MigrationError(RuntimeError):
    pass


def newest_revision() -> str:
    """The head, read from the file names: revisions are numbered 0001, 0002, … (a test holds
    Alembic to the same answer), so start-up need not import Alembic to know it."""
    return max(path.name.split("_", 1)[0] for path in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def is_current(engine: Engine) -> bool:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == newest_revision()


def alembic_config(connection: Connection | None = None) -> Config:
    import sys

    from alembic.config import Config

    # The stream as it is now: Config's default is sys.stdout as it was when alembic was first imported.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema in one transaction.

    SQLite alters a table by copying it (batch mode), which a table referenced by foreign
    keys only survives with enforcement off; it is switched off outside the transaction
    (SQLite ignores the pragma inside one), checked before commit, and switched back on.
    """
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]  # a sqlite3 connection
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise MigrationError(f"the upgrade would break foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]  # a sqlite3 connection
