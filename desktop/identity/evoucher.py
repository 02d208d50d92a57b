"""The e-voucher (医保电子凭证) QR code as a keyboard-wedge scanner types it.

The scanner "types" the code's text followed by Enter into whatever field has focus. The
national code's payload is opaque to the clinic: the agency's 1101 resolves it online.
Here the text is cleaned and checked for shape only, and the token extracted, so that a
product barcode, a half-scanned code or an ID number scanned into the wrong field is
caught at once. Accepted shapes (what scanners and vendor apps are seen to emit):

* the bare token: letters, digits and ``- _ . + / =`` (base64 and URL-safe alphabets),
  16 to 50 characters (50 is the length of ``mdtrt_cert_no``, where the token travels);
* ``key=value`` pairs separated by ``&`` or ``;``, or a URL whose query carries them,
  with the token under ``ecQrCode``, ``qrCode``, ``ecToken``, ``token`` or ``code``;
* a JSON object with the token under one of those keys.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from desktop.identity.id_number import IdNumberError, validate_id_number
from desktop.identity.reads import CardKind, CardRead, ReaderError, ReaderProblem

TOKEN_MIN, TOKEN_MAX = 16, 50
_TOKEN = re.compile(rf"[A-Za-z0-9._+/=-]{{{TOKEN_MIN},{TOKEN_MAX}}}")
_KEYS = ("ecqrcode", "qrcode", "ectoken", "token", "code")
_KEYED = re.compile(r"(?:^|[?&;])(?:ecqrcode|qrcode|ectoken|token|code)=", re.IGNORECASE)
_PRODUCT_BARCODE = re.compile(r"\d{8}|\d{12,14}")  # EAN-8, UPC-A, EAN-13, ITF-14 on a drug box


def parse_evoucher(scanned: str) -> str:
    """The e-voucher token in what the scanner typed, or ``ReaderError`` (BAD_SCAN) saying why not."""
    text = unicodedata.normalize("NFKC", scanned).strip()
    if not text:
        raise _bad("扫码内容为空，请重新扫码", "nothing was scanned")
    token = _from_json(text) if text[0] in "{[" else _from_pairs(text)
    if token is None:
        token = text
    return _checked(token.strip())


def _from_json(text: str) -> str | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise _bad("二维码内容不完整，请重新扫码", "the scanned JSON is cut short or malformed") from None
    if not isinstance(data, dict):
        raise _bad("这不是医保电子凭证二维码", "the scanned JSON is not an object")
    found = {str(k).lower(): v for k, v in data.items()}
    for key in _KEYS:
        if isinstance(found.get(key), str):
            return str(found[key])
    raise _bad("二维码中没有电子凭证令牌，请确认扫的是医保码", f"no token under any of {list(_KEYS)}")


def _from_pairs(text: str) -> str | None:
    query = urlsplit(text).query if "://" in text else text
    if _KEYED.search(query) is None:
        if "://" in text:
            raise _bad(
                "这是一个网址，不是医保电子凭证二维码", f"a web address with no token under any of {list(_KEYS)}"
            )
        return None  # a bare token (base64 padding may end it with '=')
    # Split by hand: parse_qsl would turn a base64 '+' into a space.
    parts = (part.partition("=") for part in re.split(r"[&;]", query))
    pairs = {key.strip().lower(): unquote(value) for key, _eq, value in parts}
    return next(pairs[key] for key in _KEYS if key in pairs)


def _checked(token: str) -> str:
    if _PRODUCT_BARCODE.fullmatch(token):
        raise _bad("扫到的是商品条码，请扫患者手机上的医保码", "that is a product barcode, not an e-voucher")
    if _looks_like_id_number(token):
        raise _bad("扫到的是身份证号，请在身份证号处输入", "that is a resident ID number, not an e-voucher")
    if len(token) < TOKEN_MIN:
        raise _bad("医保码内容太短，可能没扫完整，请重新扫码", f"the token is {len(token)} characters, too short")
    if len(token) > TOKEN_MAX:
        raise _bad("医保码内容太长，不是有效的电子凭证", f"the token is {len(token)} characters, at most {TOKEN_MAX}")
    if _TOKEN.fullmatch(token) is None:
        raise _bad(
            "医保码含有无效字符，请检查扫码枪是否处于中文输入法",
            "the token has characters other than letters, digits and - _ . + / =",
        )
    return token


def _looks_like_id_number(token: str) -> bool:
    try:
        validate_id_number(token)
    except IdNumberError:
        return False
    return True


def _bad(chinese: str, english: str) -> ReaderError:
    return ReaderError(ReaderProblem.BAD_SCAN, chinese, english)


class ScannerReader:
    """A keyboard-wedge scanner: ``scanned`` returns the next line it typed (Enter stripped)."""

    def __init__(self, scanned: Callable[[], str]) -> None:
        self._scanned = scanned

    def read(self) -> CardRead:
        return CardRead(CardKind.EVOUCHER, parse_evoucher(self._scanned()))
