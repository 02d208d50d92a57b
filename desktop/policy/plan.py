"""A policy version compiled for the engine: every figure read once, with its default filled in.

The rules are the same for every version; only the figures differ. Reading
``version.benefits[standing].cap.value`` behind a ``None`` check, or turning a hospital
level into the text that keys the rate table, on every quote cost more than the quote's
arithmetic. A plan is made once per version (``plan_for``) and holds the figures as plain
values the engine's steps test directly; the version stays beside it, so that the
explanation cites each figure's article.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from desktop.money import ZERO
from desktop.policy.parameters import (
    ANY_KIND,
    Benefit,
    Figure,
    PolicyVersion,
    ReferralScope,
    RetirementTiming,
    Scheme,
    Standing,
)
from desktop.policy.types import FacilityKind

T = TypeVar("T")
D = TypeVar("D")


@dataclass(frozen=True, slots=True)
class BenefitPlan:
    """One standing's benefit table (residents have one; employees active and retired)."""

    figures: Benefit  # the articles, for the explanation
    kind_rates: Mapping[str, Decimal]  # residents: by facility kind, the "*" rate for kinds not named
    level_rates: Mapping[int, Decimal]  # employees: by hospital level 1–3
    deductible: Decimal  # nothing when the policy sets none
    cap: Decimal | None
    out_of_city_cap: Decimal | None
    pharmacy_rate: Decimal | None
    referral_rate: Decimal | None
    emergency_rate: Decimal | None  # the referral rate where the policy sets no emergency rate of its own
    poverty_rate: Decimal | None
    family_doctor_bonus: Decimal | None


@dataclass(frozen=True, slots=True)
class Plan:
    version: PolicyVersion
    employee: bool
    benefits: Mapping[Standing, BenefitPlan]
    excluded_categories: frozenset[str]
    newborn_months: int | None
    village_counts_as_parent: bool
    referral_kinds: frozenset[str] | None  # None: no referral is paid
    referral_any_kind: bool
    referral_in_city_only: bool
    emergency_elsewhere: bool
    referral_scope: ReferralScope | None
    consultation_standard: Mapping[str, Decimal] | None
    consultation_outside_cap: bool
    retired_from_next_month: bool
    pays_account: bool
    filing_required: bool


def compile_plan(version: PolicyVersion) -> Plan:
    referral_kinds = version.referral_kinds.value if version.referral_kinds is not None else None
    return Plan(
        version=version,
        employee=version.scheme is Scheme.EMPLOYEE,
        benefits={standing: _benefit(figures) for standing, figures in version.benefits.items()},
        excluded_categories=_value(version.excluded_categories, frozenset()),
        newborn_months=_value(version.newborn_backdate_months, None),
        village_counts_as_parent=_value(version.village_counts_as_parent, False),
        referral_kinds=referral_kinds,
        referral_any_kind=referral_kinds is not None and ANY_KIND in referral_kinds,
        referral_in_city_only=_value(version.referral_in_city_only, False),
        emergency_elsewhere=_value(version.emergency_elsewhere, False),
        referral_scope=_value(version.referral_scope, None),
        consultation_standard=_value(version.consultation_fee_standard, None),
        consultation_outside_cap=_value(version.consultation_fee_outside_cap, False),
        retired_from_next_month=_value(version.retirement_takes_effect, None) is RetirementTiming.NEXT_MONTH,
        pays_account=version.account_article is not None,
        filing_required=_value(version.out_of_area_filing_required, False),
    )


def _benefit(figures: Benefit) -> BenefitPlan:
    rates = figures.rates.value
    any_kind = rates.get(ANY_KIND)
    emergency = figures.emergency_rate or figures.referral_rate
    return BenefitPlan(
        figures=figures,
        # Every kind the policy names, and every other kind at the "*" rate where there is one.
        kind_rates={kind: rate for kind in FacilityKind if (rate := rates.get(kind, any_kind)) is not None},
        level_rates={int(level): rate for level, rate in rates.items() if level.isdigit()},
        deductible=_value(figures.deductible, ZERO),
        cap=_value(figures.cap, None),
        out_of_city_cap=_value(figures.out_of_city_cap, None),
        pharmacy_rate=_value(figures.pharmacy_rate, None),
        referral_rate=_value(figures.referral_rate, None),
        emergency_rate=None if emergency is None else emergency.value,
        poverty_rate=_value(figures.poverty_rate, None),
        family_doctor_bonus=_value(figures.family_doctor_bonus, None),
    )


def _value(figure: Figure[T] | None, default: D) -> T | D:
    return default if figure is None else figure.value


_PLANS: dict[int, Plan] = {}
_REMEMBERED = 256


def plan_for(version: PolicyVersion) -> Plan:
    """The version's plan, compiled on first use (a plan holds its version, so the id stays its own)."""
    plan = _PLANS.get(id(version))
    if plan is None or plan.version is not version:
        if len(_PLANS) >= _REMEMBERED:
            _PLANS.clear()
        plan = _PLANS[id(version)] = compile_plan(version)
    return plan
