"""The store's health, checked before anything is written to it: integrity, pragmas, the audit chain.

Everything here opens the file read-only, so a damaged store is never written to by the
check, and a store that fails it is not opened for writing at all: the counter and the
command line say what is wrong and what to do instead (restore the newest backup that
checks out, keep the damaged file for the auditor).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from db.at_rest import StoreKeyError, is_encrypted, key_for

RECENT_ENTRIES = 500  # the start-up check walks this many of the newest audit entries


@dataclass(slots=True)
class Health:
    ok: bool = True
    problem: str = ""
    what_to_do: str = ""
    verdict: Any = None  # db.audit_verify.Verdict, when the chain was walked
    checks: dict[str, str] = field(default_factory=dict)

    def fail(self, check: str, problem: str, what_to_do: str) -> Health:
        self.ok, self.problem, self.what_to_do = False, problem, what_to_do
        self.checks[check] = "failed"
        return self

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"ok": self.ok, "checks": self.checks}
        if not self.ok:
            found.update({"problem": self.problem, "what_to_do": self.what_to_do})
        if self.verdict is not None:
            found["audit"] = self.verdict.as_json()
        return found


def _restore_advice(path: Path) -> str:
    from db.backup import backups_in, folder_for

    folder = folder_for(path)
    newest = backups_in(folder)
    where = f"the newest is {newest[0]}" if newest else f"none found in {folder}"
    return (
        f"nothing was written to it. Copy {path} aside for the auditor, then restore the newest backup that "
        f"checks out: clinic-pos restore --db {path} --from BACKUP ({where})"
    )


def check_store(path: Path, *, key: str | None = None, whole_chain: bool = False, wal: bool = False) -> Health:
    """Integrity, pragmas and the audit chain of the SQLite store at ``path``, read-only.

    ``wal``: the file must be in WAL mode (the live store; a backup is one file in rollback mode).
    """
    health = Health()
    if not path.is_file():
        return health.fail("file", f"no store at {path}", "check the path given with --db")
    try:
        if key is None and is_encrypted(path):
            key = key_for(path)
    except StoreKeyError as exc:
        return health.fail("key", str(exc), "give this computer the store's key")
    from db.session import Store, key_opens

    store = Store(path, key=key, read_only=True)
    try:
        if key is not None:
            key_opens(store, path)
    except StoreKeyError as exc:
        return health.fail("key", str(exc), "give this computer the store's key")
    try:
        return _check(store, path, health, whole_chain=whole_chain, wal=wal)
    finally:
        store.dispose()


def _check(store: Any, path: Path, health: Health, *, whole_chain: bool, wal: bool) -> Health:
    from sqlalchemy.exc import DatabaseError

    try:
        with store.reading() as session:
            connection = session.connection()
            found = (
                connection.exec_driver_sql("PRAGMA integrity_check" if whole_chain else "PRAGMA quick_check")
                .scalars()
                .all()
            )
            if found != ["ok"]:
                return health.fail(
                    "integrity", f"the store {path} is damaged: {'; '.join(found[:3])}", _restore_advice(path)
                )
            health.checks["integrity"] = "ok"
            problem = _pragmas(connection, wal)
            if problem:
                return health.fail("pragmas", f"the store {path}: {problem}", _restore_advice(path))
            health.checks["pragmas"] = "ok"
            if not inspect(connection).has_table("audit_head"):
                health.checks["audit"] = "not yet chained (older schema: chained at its upgrade)"
                return health
            from db.audit_verify import verify

            health.verdict = verdict = verify(connection, recent=None if whole_chain else RECENT_ENTRIES)
            if not verdict.ok:
                first = verdict.first
                assert first is not None
                return health.fail(
                    "audit", f"the audit chain of {path} is broken: {first.message}", _restore_advice(path)
                )
            health.checks["audit"] = "ok"
    except DatabaseError as exc:
        return health.fail("integrity", f"the store {path} cannot be read: {exc.orig}", _restore_advice(path))
    return health


def _pragmas(connection: Any, wal: bool) -> str:
    journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    if wal and journal != "wal":
        return f"journal mode is {journal}, not WAL"
    if connection.exec_driver_sql("PRAGMA foreign_keys").scalar() != 1:
        return "foreign keys are not enforced"
    if connection.exec_driver_sql("PRAGMA synchronous").scalar() != 2:
        return "synchronous is not FULL"
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        return f"{len(broken)} rows point at rows that are gone (first: {tuple(broken[0])})"
    return ""
