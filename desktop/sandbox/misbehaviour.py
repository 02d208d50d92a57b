"""How the sandbox misbehaves, set at start and changed at run time through ``/_admin/config``.

Besides failing, timing out, dropping answers and refusing records, it can behave as
other agencies do, each within what the interface allows:

* ``refuse_repeats``: a msgid it has seen is refused as a duplicate (报文ID重复) instead of
  answered from its books;
* ``answer_style`` ``compact``: times and dates without separators (``20261120093000``),
  amounts as text (``"12.50"``), ``infcode`` as ``"0"``;
* ``garble_rate``: a share of the calls it books are answered ``infcode`` 0 with an
  output that cannot be read;
* ``reconcile_by``: 3201 counts the settlements it booked in the period (``setl_time``,
  the interface's rule) or, as an agency that keeps the clinic's dates, by visit date;
* ``slow_ms``: a round trip's latency, as on a village line.

Every random choice comes from one seeded generator, so a run with a given ``seed``
and the same order of calls misbehaves the same way.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop.agency.wire import ProtocolError
from desktop.sandbox.calls import person_numbers

_RATES = ("fail_rate", "timeout_rate", "drop_after_commit_rate", "garble_rate")
_MILLISECONDS = ("slow_ms", "timeout_ms")
_CHOICES = {"answer_style": ("standard", "compact"), "reconcile_by": ("setl_time", "visit_date")}


class Mischief(StrEnum):
    """What happens to one call before the agency looks at it."""

    NONE = "none"
    HTTP_500 = "http_500"  # answer 500 with no body
    INFCODE_FAILURE = "infcode_failure"  # answer infcode -1, "system busy"
    TIMEOUT = "timeout"  # sleep past the client's timeout, then answer as usual


@dataclass(frozen=True, slots=True)
class Settings:
    fail_rate: float = 0.0
    timeout_rate: float = 0.0
    drop_after_commit_rate: float = 0.0
    slow_ms: int = 0
    timeout_ms: int = 5000
    reject: frozenset[str] = field(default_factory=frozenset)
    seed: int | None = None
    refuse_repeats: bool = False
    answer_style: str = "standard"
    garble_rate: float = 0.0
    reconcile_by: str = "setl_time"

    def as_json(self) -> dict[str, Any]:
        shown = asdict(self)
        shown["reject"] = sorted(self.reject)
        for key in _RATES:
            shown[key] = Decimal(str(shown[key]))  # the wire carries no floats
        return shown


def read_settings(raw: Mapping[str, Any], current: Settings) -> Settings:
    """Apply the given keys to ``current``; a bad value is refused naming the key."""
    return replace(current, **{key: _setting(key, value) for key, value in raw.items()})


def _setting(key: str, value: Any) -> Any:
    """One setting's value, checked; ``ProtocolError`` naming the key."""
    if key in _RATES:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or not 0 <= value <= 1:
            raise ProtocolError(key, f"{value!r} is not a share between 0 and 1")
        return float(value)  # a probability, not money
    if key in _MILLISECONDS:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ProtocolError(key, f"{value!r} is not a whole number of milliseconds")
        return value
    if key in _CHOICES:
        if value not in _CHOICES[key]:
            raise ProtocolError(key, f"{value!r} is not one of {', '.join(_CHOICES[key])}")
        return value
    if key == "refuse_repeats":
        if not isinstance(value, bool):
            raise ProtocolError(key, f"{value!r} is not true or false")
        return value
    if key == "reject":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ProtocolError(key, "must be a list of msgids and psn_nos")
        return frozenset(value)
    if key == "seed":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ProtocolError(key, f"{value!r} is not a whole number")
        return value
    raise ProtocolError(key, f"unknown setting; expected one of {', '.join(Settings.__slots__)}")


class Misbehaviour:
    """The current settings and the dice, shared by the server's threads."""

    def __init__(self, settings: Settings) -> None:
        self._lock = threading.Lock()
        self._settings = settings
        self._dice = random.Random(settings.seed)  # noqa: S311  # misbehaviour, not secrets

    @property
    def settings(self) -> Settings:
        with self._lock:
            return self._settings

    def update(self, raw: Mapping[str, Any]) -> Settings:
        with self._lock:
            updated = read_settings(raw, self._settings)
            if "seed" in raw:
                self._dice = random.Random(updated.seed)  # noqa: S311
            self._settings = updated
            return updated

    def before_call(self) -> Mischief:
        with self._lock:
            s = self._settings
            if s.fail_rate and self._dice.random() < s.fail_rate:
                return Mischief.HTTP_500 if self._dice.random() < 0.5 else Mischief.INFCODE_FAILURE
            if s.timeout_rate and self._dice.random() < s.timeout_rate:
                return Mischief.TIMEOUT
            return Mischief.NONE

    def drop_after_commit(self) -> bool:
        with self._lock:
            rate = self._settings.drop_after_commit_rate
            return bool(rate) and self._dice.random() < rate

    def garble(self) -> bool:
        with self._lock:
            rate = self._settings.garble_rate
            return bool(rate) and self._dice.random() < rate

    def rejection(self, msgid: str, payload: Mapping[str, Any]) -> str | None:
        """The error for a record the operator told the sandbox to reject, or None."""
        reject = self.settings.reject
        if not reject:
            return None
        if msgid in reject:
            return f"msgid {msgid} is rejected by the agency (sandbox reject list)"
        named = person_numbers(payload) & reject
        if named:
            return "the person in this record is rejected by the agency (sandbox reject list)"
        return None
