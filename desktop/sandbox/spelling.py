"""Answers spelled as other gateways spell them, each within what the interface allows.

``compact``: ``infcode`` as text, times as ``yyyyMMddHHmmss``, dates as ``yyyyMMdd``,
amounts and counts as text. The sandbox stores its answers in the standard spelling and
respells them on the way out, so a repeated msgid is answered in the spelling of the day.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def compact(reply: dict[str, Any]) -> dict[str, Any]:
    return {**reply, "infcode": str(reply.get("infcode")), "output": _respell(reply.get("output", {}))}


def _respell(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _respell(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_respell(inner) for inner in value]
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return f"{value}"
    if isinstance(value, str):
        if _TIME.fullmatch(value):
            return "".join(_TIME.fullmatch(value).groups())  # type: ignore[union-attr]
        if _DATE.fullmatch(value):
            return "".join(_DATE.fullmatch(value).groups())  # type: ignore[union-attr]
    return value
