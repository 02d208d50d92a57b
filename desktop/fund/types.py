"""The typed input and output of the capitation fund (see shared/spec/fund-contract.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from desktop.money import ZERO

MONTHS = tuple(range(1, 13))


class StartKind(StrEnum):
    """How a signing began, as the facility that gains the person sees it."""

    CONTINUING = "continuing"  # signed before, or renewed
    FIRST = "first"  # the person's first choice of a signing facility (洪府厅发〔2019〕102号 第二十八条第一款)
    MOVED = "moved"  # a change for a new address (第八条（一）)
    REASSIGNED = "reassigned"  # the old facility was suspended or left the scheme (第八条（二）)


class EndKind(StrEnum):
    """How a signing ended, as the facility the person left sees it (no kind: it simply ended)."""

    MOVED = "moved"
    REASSIGNED = "reassigned"


class SigningSpan(NamedTuple):
    """One signing with the facility or one of its village clinics; ``last`` None: still in force.

    A named tuple: a busy centre has thousands, read every time its fund page opens.
    """

    person: str
    first: dt.date
    last: dt.date | None = None
    birth_date: dt.date | None = None  # only the age-group method reads it
    start: StartKind = StartKind.CONTINUING
    end: EndKind | None = None

    def signed_on(self, day: dt.date) -> bool:
        return self.first <= day and (self.last is None or day <= self.last)

    def touches(self, year: int) -> bool:
        return self.first <= dt.date(year, 12, 31) and (self.last is None or self.last >= dt.date(year, 1, 1))


@dataclass(frozen=True, slots=True)
class FundRequest:
    policy: str
    year: int
    signings: tuple[SigningSpan, ...] = ()
    fund_paid: Mapping[int, Decimal] = field(default_factory=dict)  # by month 1–12; a month left out is 0
    as_of: dt.date | None = None
    quality_score: Decimal | None = None
    per_head: Decimal | None = None
    carried_in: Decimal = ZERO

    def paid_in(self, month: int) -> Decimal:
        return self.fund_paid.get(month, ZERO)


@dataclass(frozen=True, slots=True)
class GroupLine:
    """One age group's share of the budget (第二十三条、第二十七条)."""

    group: int
    standard: Decimal
    persons: Decimal  # person-years: Σ months counted ÷ 12, to four decimals
    budget: Decimal


@dataclass(frozen=True, slots=True)
class FundMonth:
    """One month of the year as the agency pays it.

    ``limit`` is the month's ceiling (Nanchang's 月预结算额度) or advance (Shaoguan's
    月预付额); Hunan advances by the quarter and has none. ``signed`` is who counts toward
    the limit: Nanchang's persons counted in the month, Shaoguan's persons signed on the
    last day of the month before, Hunan's persons signed on the month's last day.
    """

    month: int
    signed: int
    limit: Decimal | None
    fund_paid: Decimal
    paid: Decimal | None
    pre_settlement: Decimal | None = None
    deposit: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Quarter:
    number: int
    advance: Decimal
    fund_paid: Decimal


@dataclass(frozen=True, slots=True)
class YearEnd:
    """The year's settlement; the fields a method does not produce stay None."""

    fund_paid: Decimal
    ratio: Decimal  # exact, for deciding bands; shown to four decimals
    band: str | None
    total: Decimal | None = None  # what the year settles at (Nanchang)
    paid_in_year: Decimal | None = None
    balance: Decimal | None = None
    reward: Decimal | None = None  # Shaoguan 节余奖励
    overspend: Decimal | None = None  # Shaoguan 超支不补
    deposit: Decimal | None = None  # Shaoguan's 5% quality deposits held back
    deposit_returned: Decimal | None = None
    carried_in: Decimal | None = None  # Hunan 结余滚存
    carried_out: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Projection:
    as_of: dt.date
    months: int
    fund_paid: Decimal
    projected: Decimal
    ratio: Decimal
    band: str | None


@dataclass(frozen=True, slots=True)
class FundPosition:
    """A facility's budget for one year, month by month, its year end and where it is heading."""

    policy: str
    policy_version: str
    method: str
    year: int
    budget: Decimal
    signed: int  # persons signed at any time in the year
    months: tuple[FundMonth, ...]
    year_end: YearEnd
    projection: Projection | None
    groups: tuple[GroupLine, ...] = ()
    quarters: tuple[Quarter, ...] = ()
    articles: Mapping[str, str] = field(default_factory=dict)  # which article each figure comes from
    band_floors: tuple[tuple[str, Decimal], ...] = ()  # each band's name and lower bound, lowest first

    @property
    def fund_paid(self) -> Decimal:
        return self.year_end.fund_paid
