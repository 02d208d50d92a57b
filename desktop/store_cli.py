"""The store's safety commands: ``audit verify``, ``backup``, ``restore``, ``encrypt``, ``store-key``,
and the start-up check every writing command passes first.

``backup``, ``restore`` and ``encrypt`` copy or rewrite every patient's records at once: each
signs its staff member in as every writing command does (``desktop.cli_auth``), and only
an administrator may (``Permission.STORE``).

Exit statuses: 0 done (the chain holds); 2 bad input or configuration, or a sign-in
refused, with one ``{"error", "field"}`` object on standard error; 4 the store or a
backup does not check out (damaged, or the audit chain broken), with the report on standard output and what to
do on standard error. Nothing is written to a store that does not check out.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.cli_auth import Credentials
    from desktop.input_error import InputError

EXIT_BAD_INPUT = 2
EXIT_BROKEN = 4


def _fail(message: str, field: str, status: int = EXIT_BAD_INPUT, **extra: Any) -> int:
    sys.stderr.write(json.dumps({"error": message, "field": field, **extra}, ensure_ascii=False) + "\n")
    return status


def _print(data: dict[str, Any]) -> None:
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper when run
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _file(db: str) -> Path | None:
    return None if "://" in db else Path(db).expanduser().resolve()


def add_store_commands(sub: Any, signs_in: Callable[[Any, str], None]) -> None:
    """The commands' options, for ``desktop.cli``'s parser (``signs_in`` adds its sign-in options)."""
    a = sub.add_parser("audit", help="the audit chain: verify that no audited row was edited, deleted or reordered")
    a.add_argument("action", choices=["verify"])
    a.add_argument("--db", required=True, help="database file or SQLAlchemy URL")
    a.add_argument("--head", help="SEQ:DIGEST written down off the machine (day close, agency): must be in the chain")
    b = sub.add_parser("backup", help="an online backup of the store, checked, rotated")
    b.add_argument("--db", required=True, help="SQLite store file")
    b.add_argument("--to", help="backup folder, e.g. a USB stick (default: the store's backup folder)")
    signs_in(b, "making the backup (an administrator)")
    o = sub.add_parser("restore", help="restore the store from a backup, checked first, the store as it was kept")
    o.add_argument("--db", required=True, help="SQLite store file to restore into")
    o.add_argument("--from", dest="source", required=True, help="the backup file")
    signs_in(o, "restoring (an administrator: of the store, or of the backup when the store is damaged)")
    e = sub.add_parser("encrypt", help="encrypt a plain store with SQLCipher (a backup first), key in the OS keyring")
    e.add_argument("--db", required=True, help="SQLite store file")
    signs_in(e, "encrypting (an administrator)")
    t = sub.add_parser("store-key", help="the installation's store key: show it to write down, or set it from stdin")
    t.add_argument("action", choices=["show", "set"])


# --- the start-up check -----------------------------------------------------------------


def startup_check(db: str | None) -> int | None:
    """Before a command writes: None when the store checks out (or is new), else the exit status
    after saying what is wrong and what to do. A PostgreSQL store checks its chain only."""
    from db.session import default_database_path

    path = _file(db) if db is not None else default_database_path()
    if path is None:
        return _check_url(db or "")
    if not path.exists() or not path.stat().st_size:
        return None  # a new store: nothing to check yet
    from db.health import check_store

    health = check_store(path, wal=False)
    if health.ok:
        return None
    field = "audit" if health.checks.get("audit") == "failed" else "db"
    status = EXIT_BAD_INPUT if health.checks.get("key") == "failed" else EXIT_BROKEN
    return _fail(f"{health.problem}; {health.what_to_do}", field, status)


def _check_url(url: str) -> int | None:
    from db.audit_verify import verify
    from db.session import Store

    store = Store(url)
    try:
        with store.reading() as session:
            verdict = verify(session.connection(), recent=500)
    finally:
        store.dispose()
    if verdict.ok:
        return None
    first = verdict.first
    assert first is not None
    return _fail(f"the audit chain is broken: {first.message}; nothing was written", "audit", EXIT_BROKEN)


# --- audit verify -----------------------------------------------------------------------


def audit_verify_main(db: str, head: str | None) -> int:
    """``clinic-pos audit verify --db PATH [--head SEQ:DIGEST]``: the whole chain and every sealed row."""
    from db.audit import Head

    expected = None
    if head is not None:
        seq, _, digest = head.partition(":")
        if not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            return _fail(f"head: {head!r} is not SEQ:DIGEST (as printed on the day close)", "head")
        expected = Head(int(seq), digest)
    path = _file(db)
    if path is not None and not path.is_file():
        return _fail(f"db: no store at {db}", "db")
    try:
        verdict = _verify(db, path, expected)
    except Exception as exc:
        from db.at_rest import StoreKeyError

        if isinstance(exc, StoreKeyError):
            return _fail(f"db: {exc}", "db")
        raise
    if verdict is None:
        return _fail(f"db: {db} has no audit chain (not a clinic-pos store, or older than the chain)", "db")
    _print(verdict.as_json())
    if verdict.ok:
        return 0
    first = verdict.first
    assert first is not None
    return _fail(
        f"audit: the chain is broken {'' if first.seq is None else f'at entry {first.seq}'}: {first.message}",
        "audit",
        EXIT_BROKEN,
        seq=first.seq,
        entry_id=first.entry_id,
    )


def _verify(db: str, path: Path | None, expected: Any) -> Any:
    from sqlalchemy import inspect

    from db.audit_verify import verify
    from db.session import open_store

    store = open_store(db, migrate=False, read_only=path is not None)
    try:
        with store.reading() as session:
            connection = session.connection()
            if not inspect(connection).has_table("audit_head"):
                return None
            return verify(connection, expected=expected)
    finally:
        store.dispose()


# --- who may copy or replace the whole store ------------------------------------------------


def _refuse(error: InputError) -> int:
    sys.stderr.write(json.dumps(error.as_json(), ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def _signed_in(db: str, credentials: Credentials) -> InputError | None:
    """None when ``credentials`` sign in, at the store ``db``, someone the role table lets copy or
    replace the whole store; else why not. The window's check: argon2id, lockout, audit."""
    from desktop.cli_auth import authenticate, require
    from desktop.input_error import InputError
    from desktop.staff import Permission
    from desktop.store_file import open_existing

    try:
        store = open_existing(db)
        try:
            require(authenticate(store, credentials, dt.datetime.now(dt.UTC)), Permission.STORE)
        finally:
            store.dispose()
    except InputError as exc:
        return exc
    return None


def _checks_out(path: Path) -> bool:
    """Whether the store at ``path`` is a clinic store that passes the start-up check (said nowhere)."""
    from db.health import check_store
    from desktop.store_file import refuse_foreign

    if not path.is_file() or not path.stat().st_size or refuse_foreign(str(path)) is not None:
        return False
    return check_store(path, wal=False).ok


def _signed_in_on_backup(backup: Path, folder: Path, credentials: Credentials) -> InputError | None:
    """Sign in against the backup, for a store that is missing or damaged and so vouches for nobody.

    The Authenticator writes (the lockout count, an audit entry for every attempt), and a
    backup is never written: it signs in on a copy, made in the store's own folder (never a
    shared temporary one: the copy is every patient's records) and removed afterwards. The
    alternative, restoring first and putting the damaged store back on a refusal, would have
    to rebuild a damaged file byte for byte; with the copy a refusal touches nothing at all.
    The copy's counts are thrown away with it: a lockout on a backup protects nothing, as
    whoever holds the file can try passwords against its hashes anyway.
    """
    from db.backup import copy_store, store_key
    from desktop.input_error import InputError

    try:
        aside = tempfile.TemporaryDirectory(dir=folder, prefix=".clinic-pos-sign-in-")
    except OSError as exc:
        return InputError("db", f"cannot write in {folder}: {exc.strerror}")
    with aside:
        copy = Path(aside.name) / "backup.sqlite3"
        try:
            copy_store(backup, copy, store_key(backup))
        except Exception as exc:  # sqlite3's or sqlcipher3's errors, an OSError, a key not here
            return InputError("from", f"cannot sign in against the backup {backup}: {exc}")
        refused = _signed_in(str(copy), credentials)
    if refused is not None and refused.field == "db":  # the copy is the backup's: say so
        return InputError("from", refused.message.replace(str(copy), str(backup)))
    return refused


# --- backup and restore -----------------------------------------------------------------


def backup_main(db: str, to: str | None, credentials: Credentials) -> int:
    """``clinic-pos backup --db PATH [--to FOLDER]``: one checked online backup, rotated, by an administrator."""
    from db.at_rest import StoreKeyError
    from db.backup import BackupError, folder_for, make_backup

    path = _file(db)
    if path is None:
        return _fail("db: back up a PostgreSQL store with pg_dump; this command backs up a SQLite store", "db")
    if not path.is_file():
        return _fail(f"db: no store at {db}", "db")
    refused = startup_check(db)
    if refused is not None:
        return refused
    refusal = _signed_in(db, credentials)
    if refusal is not None:
        return _refuse(refusal)
    try:
        folder = Path(to).expanduser() if to else folder_for(path)
        made = make_backup(path, folder, "by-hand")
    except StoreKeyError as exc:
        return _fail(f"db: {exc}", "db")
    except BackupError as exc:
        return _fail(f"to: {exc}", "to")
    _print({"backup": made.as_json(), "folder": str(folder)})
    return 0


def restore_main(db: str, source: str, credentials: Credentials) -> int:
    """``clinic-pos restore --db PATH --from BACKUP``: checked first, the store as it was kept aside.

    An administrator of the store signs in; of the backup when the store is missing or does
    not check out (what a restore is for). A refused restore changes nothing."""
    from db.at_rest import StoreKeyError
    from db.backup import BackupError, check_file, folder_for, restore, store_key

    path = _file(db)
    if path is None:
        return _fail("db: restore a PostgreSQL store with pg_restore; this command restores a SQLite store", "db")
    backup = Path(source).expanduser()
    if not backup.is_file():
        return _fail(f"from: no backup at {source}", "from")
    if not path.parent.is_dir():
        return _fail(f"db: no folder {path.parent} to restore the store into", "db")
    if _checks_out(path):
        refusal = _signed_in(str(path), credentials)
    else:
        try:
            check_file(backup, store_key(backup))
        except StoreKeyError as exc:
            return _fail(f"from: {exc}", "from")
        except BackupError as exc:
            return _fail(f"from: {exc}; the store was left as it was", "from", EXIT_BROKEN)
        refusal = _signed_in_on_backup(backup, path.parent, credentials)
    if refusal is not None:
        return _refuse(refusal)
    try:
        folder = folder_for(path) if path.is_file() else path.parent / "backups"
        before, verdict = restore(backup, path, folder)
    except StoreKeyError as exc:
        return _fail(f"from: {exc}", "from")
    except BackupError as exc:
        return _fail(f"from: {exc}; the store was left as it was", "from", EXIT_BROKEN)
    _print(
        {
            "restored": str(path),
            "from": str(backup),
            "store_as_it_was": None if before is None else str(before.path),
            "audit": verdict.as_json(),
        }
    )
    return 0


# --- encryption at rest -------------------------------------------------------------------


def encrypt_main(db: str, credentials: Credentials) -> int:
    """``clinic-pos encrypt --db PATH``: back the plain store up, then encrypt it with this installation's key
    (an administrator)."""
    from db.at_rest import StoreKeyError, is_encrypted
    from db.backup import BackupError, folder_for, make_backup
    from db.encrypt import encrypt_in_place

    path = _file(db)
    if path is None or not path.is_file():
        return _fail(f"db: no SQLite store at {db}", "db")
    if is_encrypted(path):
        return _fail(f"db: {db} is encrypted already", "db")
    refused = startup_check(db)
    if refused is not None:
        return refused
    refusal = _signed_in(db, credentials)
    if refusal is not None:
        return _refuse(refusal)
    try:
        made = make_backup(path, folder_for(path), "before-encryption")
        health = encrypt_in_place(path)
    except StoreKeyError as exc:
        return _fail(f"db: {exc}", "db")
    except BackupError as exc:
        return _fail(f"db: {exc}; the store was left as it was", "db", EXIT_BROKEN)
    _print({"encrypted": str(path), "plain_backup": str(made.path), "checks": health.as_json()["checks"]})
    sys.stderr.write(
        f"The backup {made.path} is not encrypted: keep it locked away, or delete it once the store has been "
        "backed up encrypted.\n"
    )
    return 0


def store_key_main(action: str) -> int:
    """``clinic-pos store-key show|set``: the installation's key, to write down, or to give a new computer."""
    from db.at_rest import StoreKeyError, check_key, keep_key, stored_key

    try:
        if action == "show":
            key = stored_key()
            if key is None:
                return _fail("store-key: this computer's OS keyring holds no store key", "action")
            print(key)
            return 0
        key = check_key(sys.stdin.readline())
        keep_key(key)
    except StoreKeyError as exc:
        return _fail(f"store-key: {exc}", "action")
    _print({"stored": "the store key is in the OS keyring", "at": dt.datetime.now(dt.UTC).isoformat()})
    return 0
