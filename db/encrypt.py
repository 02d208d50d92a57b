"""Turning a plain store into one encrypted with SQLCipher, in place, after a backup.

SQLCipher's ``sqlcipher_export`` writes the whole store into a new encrypted file (the
backup API cannot copy between a plain and an encrypted file); the new file is checked
(integrity, pragmas, the whole audit chain) before it takes the store's name.
"""

from __future__ import annotations

from pathlib import Path

from db.at_rest import check_key, keep_key, new_key, stored_key
from db.backup import BackupError
from db.health import Health, check_store


def installation_key() -> str:
    """This installation's store key, made and kept in the OS keyring the first time."""
    key = stored_key()
    if key is None:
        key = new_key()
        keep_key(key)
    return check_key(key)


def encrypt_in_place(path: Path) -> Health:
    import sqlcipher3

    key = installation_key()
    fresh = path.with_name(path.name + ".encrypting")
    fresh.unlink(missing_ok=True)
    plain = sqlcipher3.connect(str(path), isolation_level=None)  # SQLCipher with no key reads a plain file
    try:
        plain.execute("PRAGMA busy_timeout = 30000")
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(fresh), f"x'{key}'"))
        plain.execute("BEGIN IMMEDIATE")  # no counter writes while the copy is taken
        plain.execute("SELECT sqlcipher_export('encrypted')")
        plain.execute("COMMIT")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    converted = sqlcipher3.connect(str(fresh), isolation_level=None)
    try:
        converted.execute(f"PRAGMA key = \"x'{key}'\"")
        converted.execute("PRAGMA journal_mode = WAL")
    finally:
        converted.close()
    health = check_store(fresh, key=key, whole_chain=True, wal=True)
    if not health.ok:
        fresh.unlink(missing_ok=True)
        raise BackupError(f"the encrypted copy does not check out ({health.problem})")
    for leftover in ("-wal", "-shm"):
        path.with_name(path.name + leftover).unlink(missing_ok=True)
    fresh.replace(path)
    return health
