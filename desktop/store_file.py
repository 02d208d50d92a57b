"""Opening the clinic's own store for a command, and nothing else.

A command pointed at the wrong file must refuse it before anything is written there:
a mistyped path is not created, an empty file is not given a schema, and a file that is
not SQLite, or is SQLite but some other program's, is not "upgraded" into a clinic. Each
refusal is an ``InputError`` naming ``db``. Only a clinic-pos store is opened (and
brought up to the newest schema, as every command does).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from db.migrate import newest_revision
from db.session import Store, open_store
from desktop.json_input import show
from desktop.policy.codec import InputError

SQLITE_HEADER = b"SQLite format 3\x00"
ENCRYPTED_PAGE = 4096  # SQLCipher 4's page: an encrypted store is whole pages of noise
# Tables every clinic-pos store has had since its first migration.
_OURS = frozenset({"alembic_version", "facility", "person", "staff", "settlement"})


def open_existing(db: str) -> Store:
    """The clinic's store at ``db`` (a path or a SQLAlchemy URL), or ``InputError("db", …)``."""
    from db.at_rest import StoreKeyError

    if "://" not in db:
        check_file(Path(db).expanduser())
    try:
        return open_store(db)
    except StoreKeyError as exc:
        raise InputError("db", str(exc)) from None


def refuse_foreign(db: str) -> InputError | None:
    """Why ``db`` is a file no command may open as a clinic store, or None (a URL, or ours)."""
    if "://" in db:
        return None
    try:
        check_file(Path(db).expanduser())
    except InputError as exc:
        return exc
    return None


def check_file(path: Path) -> None:
    """Refuse, without writing to it, a path that is not a clinic-pos SQLite store.

    Call it before this process opens the store: it reads the file's first bytes, and
    closing any descriptor of a file drops every POSIX lock the process holds on it,
    SQLite's included.
    """
    if not path.exists():
        raise InputError("db", f"no database file at {show(str(path), 200)}")
    if path.is_dir():
        raise InputError("db", f"{show(str(path), 200)} is a folder, not a database file")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_HEADER))
    if not head:
        raise InputError("db", f"{show(str(path), 200)} is empty: it is not a clinic database, and was left as it is")
    if head != SQLITE_HEADER:
        if _may_be_encrypted(path):
            return  # a store encrypted at rest: opening it with the key says whether it is one
        raise InputError(
            "db",
            f"{show(str(path), 200)} is not a SQLite database file, nor a store encrypted with this computer's key",
        )
    tables, revision = _look_inside(path)
    if not tables >= _OURS:
        raise InputError("db", f"{show(str(path), 200)} is a SQLite database, but not a clinic-pos one")
    if revision is not None and revision > newest_revision():
        raise InputError(
            "db", f"was made by a newer clinic-pos (schema {revision}; this one knows up to {newest_revision()})"
        )


def _may_be_encrypted(path: Path) -> bool:
    """Whether the file could be a store SQLCipher encrypted: whole pages of it, and SQLCipher here."""
    from db.at_rest import sqlcipher_available

    size = path.stat().st_size
    return size >= ENCRYPTED_PAGE and size % ENCRYPTED_PAGE == 0 and sqlcipher_available()


def _look_inside(path: Path) -> tuple[set[str], str | None]:
    """The file's tables and schema revision, read without writing (SQLite's read-only mode)."""
    connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in tables:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = None if found is None else str(found[0])
        return tables, revision
    finally:
        connection.close()
