"""The copay quote for one outpatient visit: a pure function of its typed input.

Steps follow shared/spec/quote-contract.md: scope, coverage, rate, deductible, fund and
cap, personal account, cash. Each step adds one sentence to the explanation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from desktop.money import ZERO, round_fen
from desktop.policy import explain
from desktop.policy.parameters import (
    ANY_KIND,
    Benefit,
    PolicyBook,
    PolicyVersion,
    ReferralScope,
    RetirementTiming,
    Scheme,
    Standing,
    default_book,
)
from desktop.policy.types import (
    Category,
    Employment,
    FacilityKind,
    Item,
    ItemClass,
    ItemKind,
    ItemShare,
    Quote,
    QuoteRequest,
    Reason,
    YearToDate,
)

ONE = Decimal("1.00")
# Facility kinds and categories are StrEnum members: they hash and compare as their text, so they
# look up the policy's tables directly (reading ``.value`` on the hot path costs more than the lookup).
# The members the steps test for are read once here: ``EnumType`` defines ``__getattr__``, which puts
# every ``Scheme.EMPLOYEE`` on CPython's slow attribute path (several times a module global), and
# every quote asks for them again and again.
CONSULTATION = ItemKind.CONSULTATION_FEE
CLASS_A = ItemClass.A
CLASS_C = ItemClass.C
EMPLOYEE = Scheme.EMPLOYEE
RESIDENT = Scheme.RESIDENT
VILLAGE_CLINIC = FacilityKind.VILLAGE_CLINIC
PHARMACY = FacilityKind.PHARMACY
NEWBORN = Category.NEWBORN
RETIRED = Employment.RETIRED
NEXT_MONTH = RetirementTiming.NEXT_MONTH
AS_RESIDENT, AS_ACTIVE, AS_RETIRED = Standing.RESIDENT, Standing.ACTIVE, Standing.RETIRED
CAP_REACHED = Reason.CAP_REACHED


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
    notes: tuple[str, ...]


class Coverage(NamedTuple):
    reason: Reason | None
    route: str | None
    benefit: Benefit
    standing: Standing
    retired_from: dt.date | None


class FundShare(NamedTuple):
    fund: Decimal
    toward_cap: Decimal
    deductible_applied: Decimal
    cap_reached: bool
    sentences: tuple[str, ...]


NO_FUND = FundShare(ZERO, ZERO, ZERO, False, ())


def quote(request: QuoteRequest, book: PolicyBook | None = None) -> Quote:
    """Work out what the fund, the personal account and the patient pay for one visit.

    Raises ``UnknownPolicyError`` or ``NotInForceError`` for a policy the book cannot
    apply on the visit's date; everything else is a result, covered or not.
    """
    version = (book or default_book()).version_for(request.policy, request.visit_date)
    scope = _scope(request, version)
    coverage = _coverage(request, version)
    total = scope.in_scope + scope.out_of_scope
    sentences = [*scope.notes]
    if coverage.reason is not None:
        rate = ZERO
        share = NO_FUND
        sentences.append(explain.refusal(coverage.reason, version, request))
    else:
        rate, rate_sentence = _rate(request, version, coverage)
        sentences.append(rate_sentence)
        share = _fund(request, version, coverage.benefit, scope, rate)
        sentences.extend(share.sentences)
    account = _account(request, version, total - share.fund)
    if version.scheme is EMPLOYEE:
        sentences.append(explain.account(request, version, account))
    cash = total - share.fund - account
    sentences.append(explain.cash(cash))
    ytd = request.year_to_date
    out_of_city = share.toward_cap if not request.facility.in_city else ZERO
    reason = CAP_REACHED if coverage.reason is None and share.cap_reached else coverage.reason
    return Quote(
        policy=version.policy,
        policy_version=version.version,
        covered=coverage.reason is None,
        reason=reason,
        total=total,
        out_of_scope=scope.out_of_scope,
        in_scope=scope.in_scope,
        deductible_applied=share.deductible_applied,
        rate=rate,
        fund=share.fund,
        account=account,
        cash=cash,
        year_to_date_after=YearToDate(
            deductible_met=ytd.deductible_met + share.deductible_applied,
            fund_paid=ytd.fund_paid + share.toward_cap,
            fund_paid_out_of_city=ytd.fund_paid_out_of_city + out_of_city,
        ),
        explanation=tuple(sentences),
        items=scope.shares,
    )


# --- step 1: scope ----------------------------------------------------------------


def _scope(request: QuoteRequest, version: PolicyVersion) -> Scope:
    referral_scope = version.referral_scope
    restricted = referral_scope is not None and request.visit.referral and not _contracted(request, version)
    standard = _consultation_standard(request, version)
    consultation_room = standard
    shares: list[ItemShare] = []
    in_total = out_total = consult = ZERO
    for item in request.visit.items:
        amount = item.amount
        if item.item_class is CLASS_C or (
            restricted and referral_scope is not None and not _in_referral_scope(item, referral_scope.value)
        ):
            in_scope = ZERO
        elif item.kind is not CONSULTATION:
            in_scope = amount
        else:
            # A consultation fee is in scope up to the facility kind's standard, where the policy sets one.
            if consultation_room is None:
                in_scope = amount
            else:
                in_scope = min(amount, consultation_room)
                consultation_room -= in_scope
            consult += in_scope
        out_of_scope = amount - in_scope
        in_total += in_scope
        out_total += out_of_scope
        shares.append(ItemShare(item, in_scope, out_of_scope))
    notes = explain.scope(shares, in_total, out_total, version, restricted, standard, request)
    return Scope(tuple(shares), in_total, out_total, consult, notes)


def _in_referral_scope(item: Item, scope: ReferralScope) -> bool:
    return item.kind in scope.kinds or (item.kind in scope.class_a_kinds and item.item_class is CLASS_A)


def _consultation_standard(request: QuoteRequest, version: PolicyVersion) -> Decimal | None:
    table = version.consultation_fee_standard
    if table is None:
        return None
    return table.value.get(request.facility.kind)


def _contracted(request: QuoteRequest, version: PolicyVersion) -> bool:
    facility = request.facility
    signed = request.patient.contracted_facilities
    if facility.id in signed:
        return True
    via_parent = version.village_counts_as_parent
    return (
        via_parent is not None
        and via_parent.value
        and facility.kind is VILLAGE_CLINIC
        and facility.parent_id is not None
        and facility.parent_id in signed
    )


# --- step 2: coverage ---------------------------------------------------------------


def _coverage(request: QuoteRequest, version: PolicyVersion) -> Coverage:
    standing, retired_from = _standing(request, version)
    benefit = version.benefits[standing]
    route = _route(request, version, benefit) if version.scheme is RESIDENT else None
    reason = _first_reason(request, version, benefit, route)
    return Coverage(reason, route, benefit, standing, retired_from)


def _first_reason(request: QuoteRequest, version: PolicyVersion, benefit: Benefit, route: str | None) -> Reason | None:
    patient, visit, facility = request.patient, request.visit, request.facility
    if not facility.designated or not _has_rate(request, version, benefit, route):
        return Reason.NOT_DESIGNATED
    if visit.liability is not None:
        return Reason.OTHER_LIABILITY
    if visit.inpatient:
        return Reason.INPATIENT
    if patient.benefit_suspended:
        return Reason.BENEFIT_SUSPENDED
    if visit.disease is not None and visit.disease in patient.chronic_diseases:
        return Reason.CHRONIC_DISEASE_SCHEME
    excluded = version.excluded_categories
    if excluded is not None and patient.category in excluded.value:
        return Reason.EXCLUDED_CATEGORY
    start = coverage_start(request, version)
    if start is not None and request.visit_date < start:
        return Reason.NOT_YET_COVERED
    if version.scheme is RESIDENT and route is None:
        return Reason.NOT_CONTRACTED_FACILITY
    if not facility.in_city and not visit.filed_out_of_area and _filing_required(version):
        return Reason.OUT_OF_AREA_NOT_FILED
    return None


def _filing_required(version: PolicyVersion) -> bool:
    """Care outside the pooling city is paid only with 异地安置 or 转诊备案 on file (employee schemes)."""
    rule = version.out_of_area_filing_required
    return rule is not None and rule.value


def _has_rate(request: QuoteRequest, version: PolicyVersion, benefit: Benefit, route: str | None) -> bool:
    """A signed facility whose kind the policy gives no rate for is no pooling facility."""
    if version.scheme is EMPLOYEE:
        return _employee_base_rate(request, benefit) is not None
    if route != Route.CONTRACTED:
        return True
    rates = benefit.rates.value
    return request.facility.kind in rates or ANY_KIND in rates


def _route(request: QuoteRequest, version: PolicyVersion, benefit: Benefit) -> str | None:
    if _contracted(request, version):
        return Route.CONTRACTED
    kind = request.facility.kind
    kinds = version.referral_kinds
    in_city_only = version.referral_in_city_only
    if (
        request.visit.referral
        and kinds is not None
        and benefit.referral_rate is not None
        and (ANY_KIND in kinds.value or kind in kinds.value)
        and (in_city_only is None or not in_city_only.value or request.facility.in_city)
    ):
        return Route.REFERRAL
    elsewhere = version.emergency_elsewhere
    if request.visit.emergency and elsewhere is not None and elsewhere.value:
        return Route.EMERGENCY
    return None


def coverage_start(request: QuoteRequest, version: PolicyVersion) -> dt.date | None:
    """First day a newborn is covered (韶医保规〔2023〕2号 第八条（一）); None when no window applies."""
    window = version.newborn_backdate_months
    patient = request.patient
    if window is None or patient.category is not NEWBORN:
        return None
    if patient.enrolled_on is None:
        return dt.date.max
    # "出生6个月内" runs to the corresponding day six months on, inclusive (民法典第二百零一条).
    if patient.enrolled_on <= add_months(patient.birth_date, window.value):
        return patient.birth_date
    return first_of_next_month(patient.enrolled_on)


def _standing(request: QuoteRequest, version: PolicyVersion) -> tuple[Standing, dt.date | None]:
    if version.scheme is RESIDENT:
        return AS_RESIDENT, None
    patient = request.patient
    if patient.employment is not RETIRED:
        return AS_ACTIVE, None
    if patient.retired_on is None:
        return AS_RETIRED, None
    timing = version.retirement_takes_effect
    start = patient.retired_on.replace(day=1)
    if timing is not None and timing.value is NEXT_MONTH:
        start = first_of_next_month(patient.retired_on)
    standing = AS_RETIRED if request.visit_date >= start else AS_ACTIVE
    return standing, start


# --- step 3: rate -------------------------------------------------------------------


def _rate(request: QuoteRequest, version: PolicyVersion, coverage: Coverage) -> tuple[Decimal, str]:
    benefit = coverage.benefit
    if version.scheme is EMPLOYEE:
        rate = _employee_base_rate(request, benefit)
        assert rate is not None
        return rate, explain.employee_rate(request, version, coverage.standing, coverage.retired_from, rate)
    steps: list[tuple[str, Decimal, str]] = []
    if coverage.route == Route.REFERRAL:
        assert benefit.referral_rate is not None
        rate = benefit.referral_rate.value
        steps.append(("referral", rate, benefit.referral_rate.article))
    elif coverage.route == Route.EMERGENCY:
        figure = benefit.emergency_rate or benefit.referral_rate
        assert figure is not None
        rate = figure.value
        steps.append(("emergency", rate, figure.article))
    else:
        rates = benefit.rates.value
        rate = rates.get(request.facility.kind, rates.get(ANY_KIND, ZERO))
        steps.append(("contracted", rate, benefit.rates.article))
    if request.patient.poverty_registered and benefit.poverty_rate is not None:
        rate = max(rate, benefit.poverty_rate.value)
        steps.append(("poverty", rate, benefit.poverty_rate.article))
    bonus = benefit.family_doctor_bonus
    if coverage.route == Route.CONTRACTED and request.patient.family_doctor and bonus is not None:
        rate = min(ONE, rate + bonus.value)
        steps.append(("family_doctor", rate, bonus.article))
    return rate, explain.resident_rate(request, steps)


def _employee_base_rate(request: QuoteRequest, benefit: Benefit) -> Decimal | None:
    if request.facility.kind is PHARMACY and benefit.pharmacy_rate is not None:
        return benefit.pharmacy_rate.value
    return benefit.rates.value.get(str(request.facility.level))


# --- steps 4 and 5: deductible, fund and caps ---------------------------------------


def _fund(request: QuoteRequest, version: PolicyVersion, benefit: Benefit, scope: Scope, rate: Decimal) -> FundShare:
    ytd = request.year_to_date
    deductible = benefit.deductible.value if benefit.deductible is not None else ZERO
    left = max(ZERO, deductible - ytd.deductible_met)
    main_in_scope = scope.in_scope - scope.consultation_in_scope
    separate = version.consultation_fee_outside_cap is not None and version.consultation_fee_outside_cap.value
    # The deductible is met by the other items first, then by consultation fees.
    main_deductible = min(left, main_in_scope)
    consult_deductible = min(left - main_deductible, scope.consultation_in_scope)
    applied = main_deductible + consult_deductible
    if separate:
        capped_raw = round_fen(rate * (main_in_scope - main_deductible))
        outside_cap = round_fen(rate * (scope.consultation_in_scope - consult_deductible))
    else:
        capped_raw = round_fen(rate * (scope.in_scope - applied))
        outside_cap = ZERO
    limits = _cap_limits(request, benefit)
    room = min([limit.room for limit in limits]) if limits else None
    toward_cap = capped_raw if room is None else min(capped_raw, room)
    fund = toward_cap + outside_cap
    cap_reached = room is not None and room == ZERO and fund == ZERO
    sentences = [
        explain.deductible(benefit, left, applied, ytd.deductible_met),
        explain.fund(scope.in_scope, applied, rate, capped_raw, outside_cap, separate, version),
    ]
    if limits:
        sentences.append(explain.cap(limits, capped_raw, toward_cap))
    return FundShare(fund, toward_cap, applied, cap_reached, tuple(sentences))


def _cap_limits(request: QuoteRequest, benefit: Benefit) -> list[explain.CapLimit]:
    """The annual cap and the out-of-city sub-cap that apply, with what is left of each."""
    ytd = request.year_to_date
    limits: list[explain.CapLimit] = []
    if benefit.cap is not None:
        room = max(ZERO, benefit.cap.value - ytd.fund_paid)
        limits.append(explain.CapLimit("年度最高支付限额", benefit.cap, ytd.fund_paid, room))
    if benefit.out_of_city_cap is not None and not request.facility.in_city:
        room = max(ZERO, benefit.out_of_city_cap.value - ytd.fund_paid_out_of_city)
        limits.append(explain.CapLimit("市外就医年度限额", benefit.out_of_city_cap, ytd.fund_paid_out_of_city, room))
    return limits


# --- step 6: personal account -------------------------------------------------------


def _account(request: QuoteRequest, version: PolicyVersion, rest: Decimal) -> Decimal:
    if version.account_article is None or not request.pay_from_account:
        return ZERO
    if not request.facility.designated or request.visit.liability is not None:
        return ZERO
    return max(ZERO, min(request.patient.account_balance, rest))


# --- dates --------------------------------------------------------------------------


def first_of_next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))
