"""Reading JSON that cannot break a command: every bad input becomes an ``InputError``.

``clinic-pos`` commands read JSON from files, standard input and batch lines written by
other programs. Whatever arrives — bytes that are not UTF-8, a file saved as UTF-16, an
integer of thousands of digits, nesting thousands deep, ``NaN``, a lone surrogate escape
that no UTF-8 output can carry — is refused here with a message naming where it is, so
the reader of each contract only ever sees well-formed values.

Messages never repeat a huge input in full: ``show`` cuts text and says how long it was.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from typing import Any

from desktop.input_error import InputError, field_name, show

__all__ = ["INPUT", "InputError", "decode", "lines", "load_bytes", "loads", "show"]

INPUT = "(input)"
# No field of any contract needs more: money is at most 12 digits of yuan, ids are short.
# Python itself refuses past 4,300 digits, with a ValueError from deep inside json.
MAX_INTEGER_DIGITS = 40
MAX_NUMBER_CHARACTERS = 60
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def decode(data: bytes, field: str = INPUT) -> str:
    """Bytes read from a file or standard input as UTF-8 text (a leading BOM is dropped)."""
    if data.startswith(_UTF32_BOMS):  # checked first: UTF-32 LE begins with UTF-16 LE's mark
        raise InputError(field, "is UTF-32 text; save it as UTF-8")
    if data.startswith(_UTF16_BOMS):
        raise InputError(field, "is UTF-16 text; save it as UTF-8")
    if b"\x00" in data[:4]:  # JSON text never holds NUL: ASCII saved as UTF-16 interleaves it
        raise InputError(field, "is UTF-16 text without a byte order mark; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex().upper()
        raise InputError(field, f"is not UTF-8 text: byte 0x{bad} at byte {exc.start + 1:,}") from None


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _RefusedError(f"has a number of {len(digits):,} digits; no field takes more than {MAX_INTEGER_DIGITS}")
    return int(digits)


def _number(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARACTERS:
        raise _RefusedError(f"has a number {len(text):,} characters long")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _RefusedError(f"has a number too large to read: {show(text)}")
    return value


def _constant(name: str) -> Any:
    raise _RefusedError(f"has {name}, which is not JSON")


class _RefusedError(ValueError):
    """Raised from inside ``json``'s hooks; turned into an ``InputError`` by ``loads``."""


def loads(text: str, field: str = INPUT) -> Any:
    """One JSON value from text; ``InputError`` naming ``field`` (or the offending path) when it
    is not JSON, is nested too deep, holds a number no field could take, or a lone surrogate."""
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_number, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError(field, f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except _RefusedError as exc:
        raise InputError(field, str(exc)) from None
    except RecursionError:
        raise InputError(field, "is nested too deep to be any contract's JSON") from None
    if "\\u" in text:  # a surrogate can only come in as an escape: UTF-8 text cannot hold one
        _refuse_surrogates(value, field)
    return value


def load_bytes(data: bytes, field: str = INPUT) -> Any:
    """One JSON value from raw bytes (a file's or standard input's whole content)."""
    return loads(decode(data, field), field)


def _refuse_surrogates(value: Any, field: str) -> None:
    """A lone surrogate (``"\\ud800"``) in any string or key, named by its dotted path."""
    pending: list[tuple[Any, str]] = [(value, "")]
    while pending:
        current, path = pending.pop()
        if isinstance(current, str):
            if _has_surrogate(current):
                raise InputError(
                    path or field, "holds a lone surrogate escape (\\ud800–\\udfff), which is no character"
                )
        elif isinstance(current, dict):
            for key, child in current.items():
                child_path = f"{path}.{field_name(key)}" if path else field_name(key)
                if _has_surrogate(key):
                    raise InputError(path or field, "has a key with a lone surrogate escape, which is no character")
                pending.append((child, child_path))
        elif isinstance(current, list):
            pending.extend((child, f"{path}.{index}" if path else str(index)) for index, child in enumerate(current))


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def lines(source: Iterable[bytes]) -> Iterator[tuple[int, str | InputError]]:
    """Numbered lines of a JSON Lines stream read as bytes, each decoded on its own: a line
    that is not UTF-8 is an error in its place, and the lines after it are still read."""
    for number, raw in enumerate(source, start=1):
        try:
            yield number, decode(raw.rstrip(b"\r\n"), INPUT)
        except InputError as exc:
            yield number, exc
