"""What each step of the quote found, for the next step and for the explanation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from desktop.policy.parameters import Standing
from desktop.policy.plan import BenefitPlan
from desktop.policy.types import ItemShare, Reason


class Route:
    """How a resident reached this facility: their signed one, a referral, an emergency."""

    CONTRACTED = "contracted"
    REFERRAL = "referral"
    EMERGENCY = "emergency"


# The steps' own results are named tuples: as immutable as frozen dataclasses, and made in half the
# time (a frozen dataclass sets each field through ``object.__setattr__``).


class Scope(NamedTuple):
    shares: tuple[ItemShare, ...]
    in_scope: Decimal
    out_of_scope: Decimal
    consultation_in_scope: Decimal
    restricted: bool  # a referral bill cut to the policy's referral scope
    standard: Decimal | None  # the consultation fee standard that applied


class Coverage(NamedTuple):
    reason: Reason | None
    route: str | None
    benefit: BenefitPlan
    standing: Standing
    retired_from: dt.date | None  # when a retirement's rates and caps apply from
    covered_from: dt.date | None  # a newborn's first covered day (``date.max``: not yet enrolled)


class RateStep(NamedTuple):
    step: str  # contracted, referral, emergency, poverty, family_doctor; employees: employee
    rate: Decimal  # the rate after this step


class CapLimit(NamedTuple):
    name: str
    cap: Decimal
    article: str
    used: Decimal
    room: Decimal


class FundShare(NamedTuple):
    fund: Decimal
    toward_cap: Decimal
    deductible_applied: Decimal
    cap_reached: bool
    deductible_left: Decimal  # what was left of the deductible before this visit
    capped_raw: Decimal  # the fund's share subject to the caps, before them
    outside_cap: Decimal  # consultation fees paid outside the cap (南昌职工 第二十三条)
    limits: tuple[CapLimit, ...]
