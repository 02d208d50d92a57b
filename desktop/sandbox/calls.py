"""One call as a handler sees it, and the way a handler says no."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.policy import PolicyBook


class RefusedError(Exception):
    """The agency says no (``infcode`` -1); the call's transaction is rolled back."""

    def __init__(self, err_msg: str) -> None:
        super().__init__(err_msg)
        self.err_msg = err_msg


@dataclass(frozen=True, slots=True)
class Call:
    connection: sqlite3.Connection
    book: PolicyBook
    code: str
    msgid: str
    infno: str
    payload: Mapping[str, Any]
    now: dt.datetime
    insuplc_admdvs: str = ""  # the envelope's: the patient's insured area, as the clinic sent it
    mdtrtarea_admvs: str = ""  # the envelope's: where the care happened

    def node(self, name: str = "data") -> Mapping[str, Any]:
        value = self.payload.get(name)
        if not isinstance(value, Mapping):
            raise RefusedError(f"input.{name} must be a JSON object")
        return value

    def records(self, name: str) -> list[Mapping[str, Any]]:
        value = self.payload.get(name)
        if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
            raise RefusedError(f"input.{name} must be a list of JSON objects")
        return value


@dataclass(frozen=True, slots=True)
class Outcome:
    output: Mapping[str, Any] = field(default_factory=dict)
    warn_msg: str = ""


def text(record: Mapping[str, Any], name: str, where: str) -> str:
    value = record.get(name)
    if value is None or isinstance(value, bool) or not isinstance(value, str | int):
        raise RefusedError(f"{where}.{name} must be text")
    return str(value)


def number(record: Mapping[str, Any], name: str, where: str, places: int = 2) -> Decimal:
    """A 数值型 field, sent as a JSON number or as text, with at most ``places`` decimals."""
    value = record.get(name)
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise RefusedError(f"{where}.{name} must be a number, not {value!r}")
    try:
        found = Decimal(value)
    except InvalidOperation:
        raise RefusedError(f"{where}.{name} must be a number, not {value!r}") from None
    step = Decimal(1).scaleb(-places)
    if not found.is_finite() or found.quantize(step) != found:
        raise RefusedError(f"{where}.{name} {value} has more than {places} decimal places")
    return found.quantize(step)
