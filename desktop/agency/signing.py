"""Signing an envelope with SM2 over SM3 (国密): ``cainfo`` over the canonical body, ``signtype`` "SM2".

The interface's ``signtype`` is 字符型 10 and its tables suggest SM2/SM3; provincial
gateways verify an SM2 signature (GB/T 32918.2, SM3 digest with the signer's Z value
for the default user id ``1234567812345678``) under the key pair the facility registered
with the agency. ``cainfo`` carries the signature as base64 of ``r || s`` (32 bytes
each), the plain form the gateways' own SDKs produce.

The library is ``tongsuopy``, the Python binding of Tongsuo (铜锁, the OpenAtom
Foundation's OpenSSL fork certified for the national algorithms): C code, constant-time,
nonces from the OS's random source, with the same API as ``cryptography``. ``gmssl`` is
pure Python and draws SM2's nonce from ``random.choice`` (a Mersenne Twister, whose
outputs can be predicted; a predictable nonce gives away the private key);
``cryptography`` has SM3 and SM4 but no SM2. See the README's sync section.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec
from tongsuopy.crypto.exceptions import InvalidSignature

from desktop.agency.wire import ProtocolError, encode

SM2 = "SM2"
_HALF = 32  # bytes of r, and of s


class SignatureError(ProtocolError):
    """A message whose ``cainfo`` does not match its body (or that is not signed at all)."""


class KeyFormatError(ValueError):
    """Text that is not an SM2 key of the kind asked for."""


class Signer(Protocol):
    """One signing method: its ``signtype`` name, how to sign a body and how to check a signature."""

    @property
    def signtype(self) -> str: ...

    def sign(self, body: bytes) -> str: ...

    def verify(self, body: bytes, signature: str) -> bool: ...


def generate_private_key() -> str:
    """A new SM2 private key, as PKCS#8 PEM text (what the OS keyring keeps)."""
    key = ec.generate_private_key(ec.SM2())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    text: str = pem.decode("ascii")
    return text


def _private_key(pem: str) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise KeyFormatError(f"not an unencrypted PEM private key: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SM2):
        raise KeyFormatError("the private key is not an SM2 key")
    return key


def _public_key(pem: str) -> ec.EllipticCurvePublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise KeyFormatError(f"not a PEM public key: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SM2):
        raise KeyFormatError("the public key is not an SM2 key")
    return key


def public_key_pem(private_pem: str) -> str:
    """The public half of a private key, as SubjectPublicKeyInfo PEM (what the agency registers)."""
    public = _private_key(private_pem).public_key()
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    text: str = pem.decode("ascii")
    return text


def _verify(public: ec.EllipticCurvePublicKey, body: bytes, signature: str) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(raw) != 2 * _HALF:
        return False
    der = encode_dss_signature(int.from_bytes(raw[:_HALF], "big"), int.from_bytes(raw[_HALF:], "big"))
    try:
        public.verify(der, body, ec.ECDSA(hashes.SM3()))
    except InvalidSignature:
        return False
    return True


class Sm2Signer:
    """Signs with the facility's SM2 private key (from the OS keyring)."""

    __slots__ = ("_key",)

    def __init__(self, private_pem: str) -> None:
        self._key = _private_key(private_pem)

    @property
    def signtype(self) -> str:
        return SM2

    def sign(self, body: bytes) -> str:
        r, s = decode_dss_signature(self._key.sign(body, ec.ECDSA(hashes.SM3())))
        return base64.b64encode(r.to_bytes(_HALF, "big") + s.to_bytes(_HALF, "big")).decode("ascii")

    def verify(self, body: bytes, signature: str) -> bool:
        return _verify(self._key.public_key(), body, signature)


class Sm2Verifier:
    """Checks signatures with a facility's registered public key; it cannot sign."""

    __slots__ = ("_key",)

    def __init__(self, public_pem: str) -> None:
        self._key = _public_key(public_pem)

    @property
    def signtype(self) -> str:
        return SM2

    def sign(self, body: bytes) -> str:  # noqa: ARG002 — the Signer protocol's shape
        raise TypeError("a public key verifies; it does not sign")

    def verify(self, body: bytes, signature: str) -> bool:
        return _verify(self._key, body, signature)


def check_public_key(pem: str) -> str:
    """``pem`` if it is an SM2 public key; ``KeyFormatError`` saying what it is not."""
    _public_key(pem)
    return pem


def check_private_key(pem: str) -> str:
    _private_key(pem)
    return pem


def signing_body(envelope: Mapping[str, Any]) -> bytes:
    """What a signature covers: the whole envelope except ``cainfo``, in canonical form.

    ``signtype`` is inside, so a signature cannot be replayed under another method.
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
        raise SignatureError("cainfo", "the signature does not match the message (another key, or an altered body)")
