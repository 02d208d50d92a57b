"""The facility's signing secret for the agency, kept in the OS keyring and nowhere else.

Never in a file, the database or a log. A keyring backend that keeps secrets in plain
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

SERVICE = "clinic-pos"
MIN_SECRET_LENGTH = 16

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
    """Where the relay gets each facility's signing secret."""

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
    return f"agency-secret:{fixmedins_code}"


class KeyringCredentials:
    """Secrets in the OS keyring, under the service ``clinic-pos``, one per facility code."""

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
                f"no agency secret for facility {fixmedins_code} in the OS keyring; "
                f"store it with `clinic-pos credentials set --facility {fixmedins_code}`"
            )
        return secret

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
    if len(secret.encode("utf-8")) < MIN_SECRET_LENGTH:
        raise CredentialsError(f"an agency secret has at least {MIN_SECRET_LENGTH} bytes")


class FixedCredentials:
    """Secrets held in memory only: the demo's own sandbox agency, and tests."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        self._secrets = dict(secrets)

    def secret_for(self, fixmedins_code: str) -> str:
        secret = self._secrets.get(fixmedins_code)
        if secret is None:
            raise CredentialsError(f"no agency secret for facility {fixmedins_code}")
        return secret
