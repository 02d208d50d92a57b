"""The agency secret lives in the OS keyring; plain-text and failing keyrings are refused."""

from __future__ import annotations

import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from desktop.agency.signing import generate_private_key, public_key_pem
from desktop.sync.credentials import SERVICE, CredentialsError, KeyringCredentials, safe_backend
from tests.sync.keyring_backend import MemoryKeyring

CODE = "H36012100101"
KEY = generate_private_key()


def _fail() -> KeyringBackend:
    return keyring.backends.fail.Keyring()  # type: ignore[no-untyped-call]


def _null() -> KeyringBackend:
    return keyring.backends.null.Keyring()  # type: ignore[no-untyped-call]


def _named(module: str, name: str) -> KeyringBackend:
    """A backend whose class carries the name of one that must be refused (keyrings.alt is not installed)."""
    kind = type(name, (MemoryKeyring,), {"__module__": module, "__qualname__": name})
    backend: KeyringBackend = kind()
    return backend


def _chain(*backends: KeyringBackend) -> ChainerBackend:
    """A chain of the given backends (the real one chains whatever this machine has)."""
    kind = type("Chain", (ChainerBackend,), {"backends": list(backends)})
    chain: ChainerBackend = kind()
    return chain


@pytest.mark.parametrize(
    ("backend", "why"),
    [
        (_fail(), "no OS keyring"),
        (_null(), "stores nothing"),
        (_named("keyrings.alt.file", "PlaintextKeyring"), "plain-text file"),
        (_named("some.vendor", "PlaintextVault"), "plain text"),
    ],
)
def test_a_keyring_that_would_leak_or_lose_the_secret_is_refused(backend: KeyringBackend, why: str) -> None:
    with pytest.raises(CredentialsError, match=why) as refused:
        KeyringCredentials(backend)
    assert "Secret Service" in str(refused.value)  # says what to install instead


def test_in_a_chain_the_plaintext_backend_never_sees_the_secret() -> None:
    plain, safe = _named("keyrings.alt.file", "PlaintextKeyring"), MemoryKeyring()
    chain = _chain(plain, safe)
    assert safe_backend(chain) is safe
    KeyringCredentials(chain).store(CODE, KEY)
    assert safe.get_password(SERVICE, f"agency-sm2-key:{CODE}") == KEY
    assert plain.get_password(SERVICE, f"agency-sm2-key:{CODE}") is None


def test_a_chain_of_only_refused_backends_is_refused() -> None:
    chain = _chain(_fail())
    with pytest.raises(CredentialsError, match=r"fail\.Keyring"):
        safe_backend(chain)


def test_keys_are_kept_per_facility_and_a_missing_one_says_how_to_make_it() -> None:
    credentials = KeyringCredentials(MemoryKeyring())
    credentials.store(CODE, KEY)
    assert credentials.secret_for(CODE) == KEY
    assert credentials.public_key(CODE) == public_key_pem(KEY)
    with pytest.raises(CredentialsError, match="clinic-pos credentials generate --facility H36012100102"):
        credentials.secret_for("H36012100102")
    credentials.forget(CODE)
    with pytest.raises(CredentialsError):
        credentials.secret_for(CODE)


def test_a_generated_key_pair_stays_in_the_keyring_and_is_never_replaced_by_another() -> None:
    backend = MemoryKeyring()
    credentials = KeyringCredentials(backend)
    public = credentials.generate(CODE)
    assert public.startswith("-----BEGIN PUBLIC KEY-----")
    assert public_key_pem(credentials.secret_for(CODE)) == public
    with pytest.raises(CredentialsError, match="already has a signing key"):
        credentials.generate(CODE)


def test_what_is_not_an_sm2_private_key_is_refused_before_it_is_stored() -> None:
    backend = MemoryKeyring()
    for wrong in ("a-shared-secret-of-old", public_key_pem(KEY)):
        with pytest.raises(CredentialsError, match="SM2 private key"):
            KeyringCredentials(backend).store(CODE, wrong)
    assert backend.secrets == {}
