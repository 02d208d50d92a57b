"""Opening the store: the engine with SQLite's pragmas, and read and write sessions.

Writes on SQLite begin with ``BEGIN IMMEDIATE`` so that two counters settling the same
patient queue for the write lock instead of both reading the same year-to-date figures;
reads begin deferred so a long ledger query never holds up a settlement.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from db.prepared import driver_execute

APP_NAME = "clinic-pos"
BUSY_TIMEOUT_MS = 30_000


def default_database_path() -> Path:
    """The per-user data folder's database file (created on first use)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "clinic-pos.sqlite3"


def database_url(path_or_url: str | Path) -> str:
    text = str(path_or_url)
    return text if "://" in text else f"sqlite:///{Path(text).expanduser().resolve()}"


def make_engine(path_or_url: str | Path) -> Engine:
    url = database_url(path_or_url)
    if url.startswith("sqlite"):
        target = url.removeprefix("sqlite:///")
        if target and target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        # Straight to the driver: every transaction, a settlement's included, starts here.
        driver_execute(connection, f"BEGIN {mode}")


class Store:
    """The clinic's database: ``reading()`` for queries, ``writing()`` for one write transaction."""

    def __init__(self, path_or_url: str | Path) -> None:
        self.engine = make_engine(path_or_url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else self.engine
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self._writer, expire_on_commit=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """One Core transaction without the ORM session, for the settlement's hot path."""
        with self._writer.begin() as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(path_or_url: str | Path | None = None, *, migrate: bool = True) -> Store:
    """Open (and by default upgrade to the newest schema) the store at a path or URL."""
    store = Store(path_or_url if path_or_url is not None else default_database_path())
    if migrate:
        from db.migrate import is_current, upgrade

        if not is_current(store.engine):
            upgrade(store.engine)
    return store
