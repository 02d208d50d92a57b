"""Signing an envelope: ``cainfo`` over the canonical body, ``signtype`` naming the method.

The sandbox agency accepts HMAC-SHA256 keyed with the facility's secret. Real provincial
gateways want SM2 signatures with SM3 digests under a certificate the agency issues; a
gateway signer implements ``Signer`` with that key (kept in the OS keyring) and nothing
else changes. No SM2 signer ships here: a fake one would pass the sandbox and fail the
province.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any, Protocol

from desktop.agency.wire import ProtocolError, encode

HMAC_SHA256 = "HMAC-SHA256"


class SignatureError(ProtocolError):
    """A message whose ``cainfo`` does not match its body (or that is not signed at all)."""


class Signer(Protocol):
    """One signing method: its ``signtype`` name, how to sign a body and how to check a signature."""

    @property
    def signtype(self) -> str: ...

    def sign(self, body: bytes) -> str: ...

    def verify(self, body: bytes, signature: str) -> bool: ...


class HmacSigner:
    """HMAC-SHA256 with the facility's shared secret, as the sandbox agency checks it."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str | bytes) -> None:
        key = secret.encode("utf-8") if isinstance(secret, str) else secret
        if len(key) < 16:
            raise ValueError("a facility secret needs at least 16 bytes")
        self._secret = key

    @property
    def signtype(self) -> str:
        return HMAC_SHA256

    def sign(self, body: bytes) -> str:
        return hmac.new(self._secret, body, hashlib.sha256).hexdigest()

    def verify(self, body: bytes, signature: str) -> bool:
        return hmac.compare_digest(self.sign(body), signature)


def signing_body(envelope: Mapping[str, Any]) -> bytes:
    """What a signature covers: the whole envelope except ``cainfo``, in canonical form.

    ``signtype`` is inside, so a signature cannot be replayed under a weaker method.
    """
    return encode({key: value for key, value in envelope.items() if key != "cainfo"})


def sign_envelope(envelope: Mapping[str, Any], signer: Signer) -> dict[str, Any]:
    signed = {**envelope, "signtype": signer.signtype}
    signed["cainfo"] = signer.sign(signing_body(signed))
    return signed


def verify_envelope(envelope: Mapping[str, Any], signer: Signer) -> None:
    """Raise ``SignatureError`` unless the envelope carries a good signature of the signer's kind."""
    signature = envelope.get("cainfo")
    if not isinstance(signature, str) or not signature:
        raise SignatureError("cainfo", "the message is not signed")
    if envelope.get("signtype") != signer.signtype:
        raise SignatureError("signtype", f"{envelope.get('signtype')!r} is not {signer.signtype}")
    if not signer.verify(signing_body(envelope), signature):
        raise SignatureError("cainfo", "the signature does not match the message (wrong secret or altered body)")
