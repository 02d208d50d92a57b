"""The facility's SM2 private key for signing to the agency, kept in the OS keyring and nowhere else.

The key pair is the facility's: ``clinic-pos credentials generate`` makes one in the
keyring and prints the public key to register with the agency, or ``credentials set``
takes one the agency (or its CA) issued, as PEM on standard input. The private key is
never in a file, the database or a log. A keyring backend that keeps secrets in plain
text, or one that stores nothing (the ``fail`` and ``null`` backends a machine without
a keyring service gets), is refused with a message saying what to install: a counter
that quietly wrote its secret to a text file would leak it to anyone who copies the
disk. Where keyring chains several backends, the best acceptable one is used directly,
so a plain-text backend further down the chain never receives the secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import keyring
import keyring.backend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringError

from desktop.agency.signing import KeyFormatError, check_private_key, generate_private_key, public_key_pem

SERVICE = "clinic-pos"

# Backends by module and class name: keyrings.alt need not be installed to be refused.
REFUSED_BACKENDS = {
    "keyring.backends.fail.Keyring": "no OS keyring service is available on this machine",
    "keyring.backends.null.Keyring": "the null keyring stores nothing",
    "keyrings.alt.file.PlaintextKeyring": "it keeps secrets in a plain-text file",
    "keyrings.alt.file.EncryptedKeyring": "its key file sits beside the secrets",
    "keyrings.alt.Gnome.Keyring": "it is the deprecated GNOME 2 keyring",
}
INSTALL_HINT = (
    "use the system's keyring (Windows Credential Manager, macOS Keychain, or on Linux a Secret "
    "Service such as gnome-keyring or KeePassXC)"
)


class CredentialsError(Exception):
    """A secret cannot be read or kept safely; the message says what to do."""


class Credentials(Protocol):
    """Where the relay gets each facility's signing key (SM2 private key, PKCS#8 PEM)."""

    def secret_for(self, fixmedins_code: str) -> str: ...


def _name(backend: keyring.backend.KeyringBackend) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def refusal(backend: keyring.backend.KeyringBackend) -> str | None:
    """Why this backend may not hold the secret, or None when it may."""
    reason = REFUSED_BACKENDS.get(_name(backend))
    if reason is None and "plaintext" in _name(backend).lower():
        reason = "it keeps secrets in plain text"
    return reason


def safe_backend(backend: keyring.backend.KeyringBackend | None = None) -> keyring.backend.KeyringBackend:
    """The backend to keep secrets in, or ``CredentialsError`` naming why none is acceptable."""
    chosen = backend if backend is not None else keyring.get_keyring()
    candidates = list(chosen.backends) if isinstance(chosen, ChainerBackend) else [chosen]
    reasons = []
    for candidate in candidates:
        reason = refusal(candidate)
        if reason is None:
            return candidate
        reasons.append(f"{_name(candidate)}: {reason}")
    found = "; ".join(reasons) or f"{_name(chosen)} chains no backends"
    raise CredentialsError(f"refusing to keep the agency secret: {found}. Instead, {INSTALL_HINT}.")


def _account(fixmedins_code: str) -> str:
    return f"agency-sm2-key:{fixmedins_code}"


class KeyringCredentials:
    """Private keys in the OS keyring, under the service ``clinic-pos``, one per facility code."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = safe_backend(backend)

    @property
    def backend_name(self) -> str:
        return _name(self._backend)

    def secret_for(self, fixmedins_code: str) -> str:
        try:
            secret = self._backend.get_password(SERVICE, _account(fixmedins_code))
        except KeyringError as exc:
            raise CredentialsError(f"the OS keyring did not answer: {exc}") from None
        if not secret:
            raise CredentialsError(
                f"no agency signing key for facility {fixmedins_code} in the OS keyring; make one with "
                f"`clinic-pos credentials generate --facility {fixmedins_code}` (and register its public key "
                "with the agency) or give the agency's with `clinic-pos credentials set`"
            )
        return secret

    def public_key(self, fixmedins_code: str) -> str:
        """The public half of the facility's key, as PEM: what the agency registers."""
        return public_key_pem(self.secret_for(fixmedins_code))

    def generate(self, fixmedins_code: str) -> str:
        """A new key pair in the keyring; its public key. An existing key is replaced only by ``store``."""
        try:
            existing = self._backend.get_password(SERVICE, _account(fixmedins_code))
        except KeyringError as exc:
            raise CredentialsError(f"the OS keyring did not answer: {exc}") from None
        if existing:
            raise CredentialsError(
                f"facility {fixmedins_code} already has a signing key; the agency knows its public key. "
                "Give a replacement with `clinic-pos credentials set` once the agency has the new one"
            )
        secret = generate_private_key()
        self.store(fixmedins_code, secret)
        return public_key_pem(secret)

    def store(self, fixmedins_code: str, secret: str) -> None:
        check_secret(secret)
        try:
            self._backend.set_password(SERVICE, _account(fixmedins_code), secret)
        except KeyringError as exc:
            raise CredentialsError(f"the OS keyring refused the secret: {exc}") from None

    def forget(self, fixmedins_code: str) -> None:
        try:
            self._backend.delete_password(SERVICE, _account(fixmedins_code))
        except KeyringError as exc:
            raise CredentialsError(f"no secret for facility {fixmedins_code} to forget: {exc}") from None


def check_secret(secret: str) -> None:
    """An SM2 private key as unencrypted PKCS#8 PEM, or ``CredentialsError`` saying what it is not."""
    try:
        check_private_key(secret)
    except KeyFormatError as exc:
        raise CredentialsError(f"the agency signing key must be an SM2 private key in PEM: {exc}") from None


class FixedCredentials:
    """Keys held in memory only: the demo's own sandbox agency, and tests."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        self._secrets = dict(secrets)

    def secret_for(self, fixmedins_code: str) -> str:
        secret = self._secrets.get(fixmedins_code)
        if secret is None:
            raise CredentialsError(f"no agency signing key for facility {fixmedins_code}")
        return secret
