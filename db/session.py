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
from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from db.at_rest import StoreKeyError, check_key, is_encrypted, key_for
from db.prepared import driver_execute

APP_NAME = "clinic-pos"
BUSY_TIMEOUT_MS = 30_000


def default_database_path() -> Path:
    """The per-user data folder's database file (created on first use)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "clinic-pos.sqlite3"


def database_url(path_or_url: str | Path) -> str:
    text = str(path_or_url)
    return text if "://" in text else f"sqlite:///{Path(text).expanduser().resolve()}"


def make_engine(path_or_url: str | Path, *, key: str | None = None, read_only: bool = False) -> Engine:
    """The engine for a path or URL; with ``key``, a SQLite file encrypted with SQLCipher
    (``db.at_rest``); ``read_only`` opens a SQLite file so that nothing can be written to it."""
    url = database_url(path_or_url)
    if url.startswith("sqlite"):
        target = url.removeprefix("sqlite:///")
        if target and target != ":memory:" and not read_only:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        driver = "sqlite" if key is None else "sqlite+pysqlcipher"
        password = None if key is None else f"x'{check_key(key)}'"  # SQLCipher's raw key: no derivation
        database, query = (f"file:{target}", {"mode": "ro", "uri": "true"}) if read_only else (target, {})
        # pysqlcipher's own default is one connection per thread; the window's workers want pysqlite's pool.
        engine = create_engine(
            URL.create(driver, password=password, database=database, query=query),
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
            **({"poolclass": QueuePool} if key is not None and target != ":memory:" else {}),
        )
        _configure_sqlite(engine, read_only=read_only, encrypted=key is not None)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine, *, read_only: bool, encrypted: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if encrypted:  # a wrong key is our StoreKeyError to tell, not SQLCipher's log lines on stderr
            cursor.execute("PRAGMA cipher_log_level = NONE")
        if not read_only:  # the journal mode is kept in the file: setting it writes
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

    def __init__(self, path_or_url: str | Path, *, key: str | None = None, read_only: bool = False) -> None:
        self.engine = make_engine(path_or_url, key=key, read_only=read_only)
        self.encrypted = key is not None
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else self.engine
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self._writer, expire_on_commit=False)
        from db.audit import seal_session_writes  # the models, which importing this module must not load

        seal_session_writes(self._write)

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


def open_store(
    path_or_url: str | Path | None = None, *, migrate: bool = True, read_only: bool = False, key: str | None = None
) -> Store:
    """Open (and by default upgrade to the newest schema) the store at a path or URL.

    An encrypted file is opened with the key in the OS keyring (``db.at_rest``); ``key``
    names it instead, or creates a new file encrypted. A key that does not open the file
    is ``StoreKeyError``, saying what to do.
    """
    where = path_or_url if path_or_url is not None else default_database_path()
    file = None if "://" in str(where) else Path(where).expanduser()
    if key is None and file is not None and is_encrypted(file):
        key = key_for(file)
    try:
        store = Store(where, key=key, read_only=read_only)
    except ImportError:
        raise StoreKeyError(
            f"the store {file} is encrypted and SQLCipher is not installed: install sqlcipher3-binary"
        ) from None
    if key is not None:
        key_opens(store, file)
    if migrate and not read_only:
        from db.migrate import is_current, upgrade

        if not is_current(store.engine):
            if file is not None and _has_schema(store):
                from db.backup import folder_for, make_backup

                make_backup(file, folder_for(file), "before-migration")
            upgrade(store.engine)
    return store


def _has_schema(store: Store) -> bool:
    """A store with records to lose (not a new, empty file): backed up before it is migrated."""
    from sqlalchemy import inspect

    with store.engine.connect() as connection:
        return inspect(connection).has_table("alembic_version")


def key_opens(store: Store, file: Path | None) -> None:
    """Read the schema once: SQLCipher tells a wrong key only when the first page is read."""
    try:
        with store.engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except DatabaseError as exc:
        store.dispose()
        if "not a database" not in str(exc.orig):
            raise
        raise StoreKeyError(
            f"the key in this computer's OS keyring does not open the store {file}: it was encrypted with "
            "another installation's key. Give this computer that key with `clinic-pos store-key set`, "
            "or open the store on the computer that made it"
        ) from None
