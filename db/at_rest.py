"""The store encrypted at rest with SQLCipher, its key in the OS keyring.

An encrypted file shows nothing but noise to whoever copies it: no name, no ID number,
no diagnosis. The key is 256 random bits, one per installation, kept in the OS keyring
under the service ``clinic-pos`` (the same rules as the agency secret: a keyring that
would keep it in plain text is refused). It is handed to SQLCipher as a raw key, so
opening a connection costs no key derivation; the store's backups are encrypted with the
same key, so a backup restores on this computer, or on another one given the key.
"""

from __future__ import annotations

import secrets
from pathlib import Path

SERVICE = "clinic-pos"
ACCOUNT = "store-key"
PLAIN_HEADER = b"SQLite format 3\x00"
KEY_HEX = 64


class StoreKeyError(Exception):
    """The store is encrypted and cannot be opened with what this computer holds; the message says what to do."""


def is_encrypted(path: Path) -> bool:
    """Whether the file is a store encrypted with SQLCipher (not plain SQLite, not empty)."""
    try:
        with path.open("rb") as file:
            header = file.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return False
    return len(header) == len(PLAIN_HEADER) and header != PLAIN_HEADER


def check_key(key: str) -> str:
    text = key.strip().lower()
    if len(text) != KEY_HEX or any(c not in "0123456789abcdef" for c in text):
        raise StoreKeyError(f"a store key is {KEY_HEX} hexadecimal characters (256 bits)")
    return text


def key_pragma(key: str) -> str:
    """SQLCipher's raw-key form: no passphrase derivation on each connection."""
    return f"PRAGMA key = \"x'{check_key(key)}'\""


def new_key() -> str:
    return secrets.token_hex(KEY_HEX // 2)


def _backend() -> object:
    from desktop.sync.credentials import CredentialsError, safe_backend

    try:
        return safe_backend()
    except CredentialsError as exc:
        raise StoreKeyError(str(exc).replace("the agency secret", "the store's key")) from None


def stored_key() -> str | None:
    """This installation's store key from the OS keyring, or None when it has none."""
    from keyring.errors import KeyringError

    backend = _backend()
    try:
        key: str | None = backend.get_password(SERVICE, ACCOUNT)  # type: ignore[attr-defined]
    except KeyringError as exc:
        raise StoreKeyError(f"the OS keyring did not answer: {exc}") from None
    return key


def keep_key(key: str) -> None:
    from keyring.errors import KeyringError

    backend = _backend()
    try:
        backend.set_password(SERVICE, ACCOUNT, check_key(key))  # type: ignore[attr-defined]
    except KeyringError as exc:
        raise StoreKeyError(f"the OS keyring refused the store's key: {exc}") from None


def key_for(path: Path) -> str:
    """The key that opens the encrypted store at ``path``, or ``StoreKeyError`` saying what to do."""
    key = stored_key()
    if key is None:
        raise StoreKeyError(
            f"the store {path} is encrypted and this computer's OS keyring holds no key for it: "
            "give it the installation's key with `clinic-pos store-key set` (an administrator has it on paper)"
        )
    return key


def sqlcipher_available() -> bool:
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True
