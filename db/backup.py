"""Online backups with SQLite's backup API, checked, rotated, to a folder that may be a USB stick.

Never a file copy: a copy of a live WAL store can miss what is still in its ``-wal``
file, or catch a page mid-write. The backup API copies a consistent snapshot while the
counter keeps working. Each backup is written under a temporary name, checked (SQLite's
integrity check and the whole audit chain), made a single self-contained file (rollback
journal, not WAL, so a USB stick holds one file per backup), and only then given its
name. An encrypted store's backups are encrypted with the same key.

A restore goes the same way in reverse: the backup is checked first, the store as it is
is backed up, and the backup is copied into the store with the backup API, so other
connections see the restored store, never a half-copied file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.at_rest import is_encrypted, key_for, key_pragma

KEEP = 14  # backups kept in a folder: two weeks of day closes
BACKUP_FOLDER_KEY = "backup.folder"
_NAME = re.compile(r"^clinic-pos-(\d{8}-\d{6}-\d{6})-([a-z-]+)\.sqlite3$")


class BackupError(Exception):
    """A backup or restore that could not be made or does not check out; the message says why."""


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    reason: str
    audit_entries: int
    head: str | None

    def as_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "reason": self.reason, "audit_entries": self.audit_entries, "head": self.head}


def _connect(path: Path, key: str | None, *, read_only: bool = False) -> Any:
    """A raw connection to a store file (SQLCipher's driver when it is encrypted)."""
    target = f"file:{path}?mode=ro" if read_only else str(path)
    if key is None:
        connection = sqlite3.connect(target, uri=read_only, isolation_level=None)
    else:
        import sqlcipher3

        connection = sqlcipher3.connect(target, uri=read_only, isolation_level=None)
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(key_pragma(key))
    connection.execute("PRAGMA busy_timeout = 30000")
    return connection


def store_key(path: Path) -> str | None:
    return key_for(path) if is_encrypted(path) else None


def default_folder(store_path: Path) -> Path:
    return store_path.parent / "backups"


def folder_for(store_path: Path) -> Path:
    """Where automatic backups go: the folder set in the store (``backup.folder``), or beside it."""
    key = store_key(store_path)
    try:
        connection = _connect(store_path, key, read_only=True)
        try:
            row = connection.execute("SELECT value FROM setting WHERE key = ?", (BACKUP_FOLDER_KEY,)).fetchone()
        finally:
            connection.close()
    except (sqlite3.Error, ImportError):
        row = None
    except Exception as exc:  # sqlcipher3's errors are its own classes
        if type(exc).__module__.startswith("sqlcipher3"):
            row = None
        else:
            raise
    return Path(row[0]) if row else default_folder(store_path)


def make_backup(store_path: Path, folder: Path, reason: str, now: dt.datetime | None = None) -> Backup:
    """Back the store up into ``folder`` (created if missing), check the copy, rotate; the backup made."""
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"a backup's reason is lowercase words joined by hyphens, not {reason!r}")
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot use the backup folder {folder}: {exc.strerror}") from None
    final = folder / f"clinic-pos-{stamp}-{reason}.sqlite3"
    partial = final.with_name(final.name + ".partial")
    key = store_key(store_path)
    try:
        copy_store(store_path, partial, key)
        checked = check_file(partial, key)
        _sync(partial)
        partial.replace(final)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the backup to {folder} failed: {exc}") from None
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    rotate(folder)
    if checked is None:  # a store older than the audit chain
        return Backup(final, reason, 0, None)
    return Backup(final, reason, checked.entries, None if checked.head is None else checked.head.text)


def store_file(url_database: str | None) -> Path | None:
    """The SQLite file behind an engine's URL database part, or None (PostgreSQL, memory)."""
    if not url_database or url_database == ":memory:":
        return None
    return Path(url_database.removeprefix("file:").split("?", 1)[0])


def back_up(engine_url: Any, reason: str) -> Backup | None:
    """An automatic backup of the store an engine opens, to its backup folder; None for a store that is not a file."""
    path = store_file(engine_url.database) if engine_url.get_backend_name() == "sqlite" else None
    if path is None or not path.is_file():
        return None
    return make_backup(path, folder_for(path), reason)


def copy_store(source: Path, target: Path, key: str | None) -> None:
    """The backup API from ``source`` into ``target`` (both with ``key``), then one file in rollback mode."""
    target.unlink(missing_ok=True)
    src = _connect(source, key, read_only=True)
    try:
        dst = _connect(target, key)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _sync(path: Path) -> None:
    """On a USB stick especially: the bytes are on the device before the backup is given its name."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def backups_in(folder: Path) -> list[Path]:
    """This program's backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if _NAME.match(p.name)]
    return sorted(found, key=lambda p: _NAME.match(p.name).group(1), reverse=True)  # type: ignore[union-attr]


def rotate(folder: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest ``keep`` backups (never anything else in the folder); those removed."""
    removed = backups_in(folder)[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    for leftover in folder.glob("clinic-pos-*.sqlite3.partial"):
        with contextlib.suppress(OSError):
            leftover.unlink()
    return removed


def check_file(path: Path, key: str | None) -> Any:
    """SQLite's integrity check and the whole audit chain on a store file, opened read-only."""
    from db.health import check_store

    report = check_store(path, key=key, whole_chain=True)
    if not report.ok:
        raise BackupError(f"{path} does not check out: {report.problem}")
    return report.verdict


def restore(backup: Path, store_path: Path, folder: Path) -> tuple[Backup | None, Any]:
    """Check ``backup``, back up the store as it is (when it opens), and copy the backup into it."""
    if not backup.is_file():
        raise BackupError(f"no backup at {backup}")
    key = store_key(backup)
    check_file(backup, key)
    before = None
    if store_path.exists() and store_path.stat().st_size:
        with contextlib.suppress(BackupError):  # a damaged store is what a restore is for
            before = make_backup(store_path, folder, "before-restore")
    if _same_key(store_path, key):
        _copy_into(backup, store_path, key)  # into the live file: its WAL and readers stay consistent
    else:
        fresh = store_path.with_name(store_path.name + ".restoring")
        copy_store(backup, fresh, key)
        for leftover in ("-wal", "-shm"):
            store_path.with_name(store_path.name + leftover).unlink(missing_ok=True)
        fresh.replace(store_path)
    _set_wal(store_path, key)
    return before, check_file(store_path, key)


def _same_key(store_path: Path, key: str | None) -> bool:
    """Whether the store opens with the backup's key (or both are plain): then the backup API writes into it."""
    if not store_path.exists() or not store_path.stat().st_size:
        return False
    try:
        return store_key(store_path) == key and check_opens(store_path, key)
    except Exception:  # no key for it here, or not a store at all: replaced whole
        return False


def check_opens(path: Path, key: str | None) -> bool:
    connection = _connect(path, key, read_only=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception:  # sqlite3's or sqlcipher3's own error classes
        return False
    finally:
        connection.close()
    return True


def _copy_into(source: Path, target: Path, key: str | None) -> None:
    src = _connect(source, key, read_only=True)
    try:
        dst = _connect(target, key)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _set_wal(path: Path, key: str | None) -> None:
    connection = _connect(path, key)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
