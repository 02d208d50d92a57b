"""Bodies on the wire: JSON whose numbers are ``Decimal``, written the same way every time.

The interface types money as 数值型 16,2 (and counts 16,4, prices 16,6), so amounts go
out as JSON numbers — ``12.50``, never ``"12.50"`` — written from ``Decimal`` text and
read back with ``parse_float=Decimal``: no float ever carries money. The canonical form
(sorted keys, no spaces, UTF-8) is what a signature covers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


class ProtocolError(ValueError):
    """A message or reply that breaks the interface: what is wrong and which field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def encode(value: Any) -> bytes:
    """The canonical UTF-8 JSON of ``value``: sorted keys, compact, decimals as written."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts).encode("utf-8")


def _write(value: Any, parts: list[str]) -> None:
    if isinstance(value, Mapping):
        parts.append("{")
        for index, key in enumerate(sorted(value)):
            if not isinstance(key, str):
                raise TypeError(f"object keys must be text, not {type(key).__name__}")
            if index:
                parts.append(",")
            parts.append(json.dumps(key, ensure_ascii=False))
            parts.append(":")
            _write(value[key], parts)
        parts.append("}")
    elif isinstance(value, list | tuple):
        parts.append("[")
        for index, entry in enumerate(value):
            if index:
                parts.append(",")
            _write(entry, parts)
        parts.append("]")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a finite number")
        parts.append(f"{value:f}")
    elif isinstance(value, float):
        raise TypeError("floats never go on the wire; use Decimal")
    elif value is None or isinstance(value, bool | int | str):
        parts.append(json.dumps(value, ensure_ascii=False))
    else:
        raise TypeError(f"cannot put {type(value).__name__} on the wire")


def decode(body: bytes | str) -> dict[str, Any]:
    """One JSON object, numbers with a fraction as ``Decimal``; anything else is refused."""
    try:
        value = json.loads(body, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError("(body)", f"is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ProtocolError("(body)", "must be one JSON object")
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")
