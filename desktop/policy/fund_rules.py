"""The capitation fund's figures as dated data: the ``[fund]`` section of a resident policy file.

A township centre is paid by head (按人头付费): a budget for the year from its signed
persons, a monthly ceiling or advance, and a year-end settlement in bands. How each
policy computes them is code (``desktop.fund``); every figure it uses is here, with its
article, so that a county file (``extends = …``) can change one without touching code.

The section is read with the policy file's own reader, so a malformed figure is refused
when the policies are loaded, naming the file and the key, like any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.policy.parameters import Figure, _Reader

SECTION = "fund"
OLDEST_AGE = 150  # an age table must place every age from 0 up to here, and beyond in an open range
_AGES = re.compile(r"(?P<low>[0-9]{1,3})(?:(?P<dash>-)(?P<high>[0-9]{1,3})?)?")
_RATIO = re.compile(r"[0-9]\.[0-9]{2}")


class FundMethod(StrEnum):
    """How the budget is made; each is one function in ``desktop.fund.engine``."""

    AGE_GROUPS = "age_groups"  # Nanchang: a yearly standard per age group, a monthly ceiling
    PER_HEAD_MONTHLY_ADVANCE = "per_head_monthly_advance"  # Shaoguan: a flat figure a head, advances
    PER_HEAD_QUARTERLY_ADVANCE = "per_head_quarterly_advance"  # Hunan: the county's figure, quarterly


class Settles(StrEnum):
    """What a year-end band pays the facility."""

    ACTUAL = "actual"  # what the fund paid for its visits (据实结算)
    ACTUAL_PLUS_UNUSED = "actual_plus_unused"  # and a share of the budget left unused
    BUDGET = "budget"  # the whole budget, neither more nor less


class MonthShift(StrEnum):
    """Which month a change of signing starts or stops counting, against the day it took effect."""

    SAME_MONTH = "same_month"
    NEXT_MONTH = "next_month"
    MONTH_BEFORE = "month_before"


# The changes of signing whose months the document times (第二十八条第二款、第三款), and what
# each may be set to: a facility starts counting a person on or after the change, and
# stops on or before it.
SHIFT_KEYS: Mapping[str, frozenset[MonthShift]] = {
    "moved_in": frozenset({MonthShift.SAME_MONTH, MonthShift.NEXT_MONTH}),
    "reassigned_in": frozenset({MonthShift.SAME_MONTH, MonthShift.NEXT_MONTH}),
    "moved_out": frozenset({MonthShift.SAME_MONTH, MonthShift.MONTH_BEFORE}),
    "reassigned_out": frozenset({MonthShift.SAME_MONTH, MonthShift.MONTH_BEFORE}),
}


@dataclass(frozen=True, slots=True)
class AgeSpan:
    """Ages ``low`` to ``high`` inclusive; ``high`` None: and older."""

    low: int
    high: int | None

    def holds(self, age: int) -> bool:
        return self.low <= age and (self.high is None or age <= self.high)


@dataclass(frozen=True, slots=True)
class AgeGroup:
    number: int
    standard: Decimal  # yuan a person a year
    ages: tuple[AgeSpan, ...]


@dataclass(frozen=True, slots=True)
class Band:
    """A year-end band: from ``lower`` (inclusive, or above it when not ``inclusive``) up to the next."""

    name: str
    lower: Decimal
    inclusive: bool
    settles: Settles
    unused_share: Decimal | None = None


@dataclass(frozen=True, slots=True)
class FundRules:
    method: Figure[FundMethod]
    bands: Figure[tuple[Band, ...]] | None = None
    groups: Figure[tuple[AgeGroup, ...]] | None = None
    months_counted: Figure[Mapping[str, MonthShift]] | None = None
    first_signing_full_year: Figure[bool] | None = None
    per_head: Figure[Decimal] | None = None
    advance_rate: Figure[Decimal] | None = None
    pre_settlement_rate: Figure[Decimal] | None = None
    deposit_returned_by_score: Figure[bool] | None = None
    surplus_rolls_over: Figure[bool] | None = None

    def group_of(self, age: int) -> AgeGroup:
        assert self.groups is not None
        for group in self.groups.value:
            if any(span.holds(age) for span in group.ages):
                return group
        raise AssertionError(f"age {age} has no group; the table was checked when loaded")


_KEYS = frozenset(
    {
        "method",
        "bands",
        "groups",
        "months_counted",
        "first_signing_full_year",
        "per_head",
        "advance_rate",
        "pre_settlement_rate",
        "deposit_returned_by_score",
        "surplus_rolls_over",
    }
)
# What each method cannot do without; a figure a method does not use is refused, so that
# a county's change to it is never silently ignored.
_NEEDS: Mapping[FundMethod, frozenset[str]] = {
    FundMethod.AGE_GROUPS: frozenset({"groups", "months_counted", "first_signing_full_year", "bands"}),
    FundMethod.PER_HEAD_MONTHLY_ADVANCE: frozenset(
        {"per_head", "advance_rate", "pre_settlement_rate", "deposit_returned_by_score", "bands"}
    ),
    FundMethod.PER_HEAD_QUARTERLY_ADVANCE: frozenset({"surplus_rolls_over"}),
}
_MAY: Mapping[FundMethod, frozenset[str]] = {
    FundMethod.PER_HEAD_QUARTERLY_ADVANCE: frozenset({"per_head"}),  # or each county's file, or the input
}


def read_fund(r: _Reader, raw: Mapping[str, Any]) -> FundRules | None:
    """The ``[fund]`` section of a merged policy file, checked; None when the file has none."""
    if SECTION not in raw:
        return None
    section = r.table(raw, SECTION, _KEYS)
    method = r.figure(section, SECTION, "method", lambda k, v: _method(r, k, v), required=True)
    assert method is not None
    needs = _NEEDS[method.value]
    allowed = needs | _MAY.get(method.value, frozenset()) | {"method"}
    for key in sorted(needs - set(section)):
        raise r.fail(f"{SECTION}.{key}", f"is required when the method is {method.value}")
    for key in sorted(set(section) - allowed):
        raise r.fail(f"{SECTION}.{key}", f"is not used by the method {method.value}")
    return FundRules(
        method=method,
        bands=r.figure(section, SECTION, "bands", lambda k, v: _bands(r, k, v)),
        groups=r.figure(section, SECTION, "groups", lambda k, v: _groups(r, k, v)),
        months_counted=r.figure(section, SECTION, "months_counted", lambda k, v: _shifts(r, k, v)),
        first_signing_full_year=r.figure(section, SECTION, "first_signing_full_year", r.boolean),
        per_head=r.figure(section, SECTION, "per_head", r.money),
        advance_rate=r.figure(section, SECTION, "advance_rate", r.rate),
        pre_settlement_rate=r.figure(section, SECTION, "pre_settlement_rate", r.rate),
        deposit_returned_by_score=r.figure(section, SECTION, "deposit_returned_by_score", r.boolean),
        surplus_rolls_over=r.figure(section, SECTION, "surplus_rolls_over", r.boolean),
    )


def _method(r: _Reader, key: str, value: Any) -> FundMethod:
    try:
        return FundMethod(value)
    except ValueError:
        names = ", ".join(m.value for m in FundMethod)
        raise r.fail(key, f"{value!r} is not one of {names}") from None


def _shifts(r: _Reader, key: str, value: Any) -> Mapping[str, MonthShift]:
    if not isinstance(value, dict) or set(value) != set(SHIFT_KEYS):
        raise r.fail(key, f"must be a table giving each of {', '.join(SHIFT_KEYS)}")
    shifts: dict[str, MonthShift] = {}
    for name, allowed in SHIFT_KEYS.items():
        choice = value[name]
        if choice not in {s.value for s in allowed}:
            raise r.fail(f"{key}.{name}", f"{choice!r} is not one of {', '.join(sorted(allowed))}")
        shifts[name] = MonthShift(choice)
    return shifts


def _ratio(r: _Reader, key: str, value: Any) -> Decimal:
    if not isinstance(value, str) or _RATIO.fullmatch(value) is None:
        raise r.fail(key, f'{value!r} is not a share of the budget like "0.80" (two decimals)')
    return Decimal(value)


def _bands(r: _Reader, key: str, value: Any) -> tuple[Band, ...]:
    if not isinstance(value, list) or not value:
        raise r.fail(key, "must be a list of bands, lowest first")
    bands: list[Band] = []
    for index, entry in enumerate(value):
        where = f"{key}.{index}"
        if not isinstance(entry, dict):
            raise r.fail(where, 'must be a table like { name = …, from = "0.80", settles = … }')
        extra = sorted(set(entry) - {"name", "from", "above", "settles", "unused_share"})
        if extra:
            raise r.fail(f"{where}.{extra[0]}", "unknown key; expected name, from or above, settles, unused_share")
        if ("from" in entry) == ("above" in entry):
            raise r.fail(where, "give its lower bound as either from (inclusive) or above (exclusive)")
        bound = "from" if "from" in entry else "above"
        name = entry.get("name")
        if not isinstance(name, str) or re.fullmatch(r"[a-z0-9_]+", name) is None:
            raise r.fail(f"{where}.name", "must be a name of lower-case letters, digits and underscores")
        try:
            settles = Settles(str(entry.get("settles")))
        except ValueError:
            raise r.fail(f"{where}.settles", f"is not one of {', '.join(s.value for s in Settles)}") from None
        share = entry.get("unused_share")
        if (settles is Settles.ACTUAL_PLUS_UNUSED) != (share is not None):
            raise r.fail(f"{where}.unused_share", "is given exactly when the band settles actual_plus_unused")
        band = Band(
            name=name,
            lower=_ratio(r, f"{where}.{bound}", entry[bound]),
            inclusive=bound == "from",
            settles=settles,
            unused_share=None if share is None else r.rate(f"{where}.unused_share", share),
        )
        if index == 0 and (band.lower != 0 or not band.inclusive):
            raise r.fail(f"{where}.{bound}", 'the lowest band starts from "0.00"')
        if bands and _start(band) <= _start(bands[-1]):
            raise r.fail(f"{where}.{bound}", "bands must be listed lowest first, each starting above the last")
        bands.append(band)
    names = [band.name for band in bands]
    if len(set(names)) != len(names):
        raise r.fail(key, "two bands have the same name")
    return tuple(bands)


def _start(band: Band) -> tuple[Decimal, int]:
    """Where a band begins: "from 0.80" begins before "above 0.80"."""
    return band.lower, 0 if band.inclusive else 1


def _groups(r: _Reader, key: str, value: Any) -> tuple[AgeGroup, ...]:
    if not isinstance(value, list) or not value:
        raise r.fail(key, 'must be a list of groups like { group = 1, standard = "37.00", ages = ["0", "14-25"] }')
    groups: list[AgeGroup] = []
    for index, entry in enumerate(value):
        where = f"{key}.{index}"
        if not isinstance(entry, dict) or set(entry) != {"group", "standard", "ages"}:
            raise r.fail(where, "must be a table with group, standard and ages")
        number = entry["group"]
        if isinstance(number, bool) or not isinstance(number, int) or number != index + 1:
            raise r.fail(f"{where}.group", f"must be {index + 1}: groups are numbered 1, 2, … in order")
        ages = entry["ages"]
        if not isinstance(ages, list) or not ages:
            raise r.fail(f"{where}.ages", 'must be a list of ages and ranges like ["0", "14-25", "90-"]')
        spans = tuple(_span(r, f"{where}.ages.{n}", text) for n, text in enumerate(ages))
        groups.append(AgeGroup(number, r.money(f"{where}.standard", entry["standard"]), spans))
    _every_age_once(r, key, groups)
    return tuple(groups)


def _span(r: _Reader, key: str, text: Any) -> AgeSpan:
    found = _AGES.fullmatch(text) if isinstance(text, str) else None
    if found is None:
        raise r.fail(key, f'{text!r} is not an age ("3"), a range ("14-25") or an open range ("90-")')
    low = int(found["low"])
    if found["dash"] is None:
        return AgeSpan(low, low)
    if found["high"] is None:
        return AgeSpan(low, None)
    high = int(found["high"])
    if high < low:
        raise r.fail(key, f"{text!r} ends before it starts")
    return AgeSpan(low, high)


def _every_age_once(r: _Reader, key: str, groups: list[AgeGroup]) -> None:
    """The table must place every age in exactly one group (年龄 = 享受年度 − 出生年份, so 0 and up)."""
    open_ended = [g.number for g in groups for span in g.ages if span.high is None]
    if len(open_ended) != 1:
        raise r.fail(key, 'exactly one group must hold the oldest ages in an open range like "90-"')
    for age in range(OLDEST_AGE + 1):
        holders = [g.number for g in groups if any(span.holds(age) for span in g.ages)]
        if len(holders) != 1:
            where = "no group" if not holders else f"groups {', '.join(map(str, holders))}"
            raise r.fail(key, f"age {age} is in {where}; every age must be in exactly one")
