"""The copay quote for one outpatient visit: a pure function of its typed input.

Steps follow shared/spec/quote-contract.md: scope, coverage, rate, deductible, fund and
cap, personal account, cash. Each step works on the policy version's compiled plan
(``desktop.policy.plan``); the explanation (``desktop.policy.explain``) then says in one
sentence per step what each did, when it is asked for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from desktop.money import ZERO, round_fen
from desktop.policy import explain as narration
from desktop.policy.parameters import PolicyBook, Standing, default_book
from desktop.policy.plan import BenefitPlan, Plan, plan_for
from desktop.policy.steps import CapLimit, Coverage, FundShare, RateStep, Route, Scope
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
# look up the plan's tables directly. The members the steps test for are read once here: ``EnumType``
# defines ``__getattr__``, which puts every ``ItemKind.CONSULTATION_FEE`` on CPython's slow attribute
# path, and every quote asks for them again and again.
CONSULTATION = ItemKind.CONSULTATION_FEE
CLASS_A = ItemClass.A
CLASS_C = ItemClass.C
VILLAGE_CLINIC = FacilityKind.VILLAGE_CLINIC
PHARMACY = FacilityKind.PHARMACY
NEWBORN = Category.NEWBORN
RETIRED = Employment.RETIRED
AS_RESIDENT, AS_ACTIVE, AS_RETIRED = Standing.RESIDENT, Standing.ACTIVE, Standing.RETIRED
CAP_REACHED = Reason.CAP_REACHED


NO_FUND = FundShare(ZERO, ZERO, ZERO, False, ZERO, ZERO, ZERO, ())


def quote(request: QuoteRequest, book: PolicyBook | None = None, *, explain: bool = True) -> Quote:
    """Work out what the fund, the personal account and the patient pay for one visit.

    With ``explain`` false the quote carries no explanation: batch work that needs only the
    figures skips the sentences, which cost as much as the figures. Raises
    ``UnknownPolicyError`` or ``NotInForceError`` for a policy the book cannot apply on the
    visit's date; everything else is a result, covered or not.
    """
    plan = plan_for((book or default_book()).version_for(request.policy, request.visit_date))
    scope = _scope(request, plan)
    coverage = _coverage(request, plan)
    steps: tuple[RateStep, ...] = ()
    if coverage.reason is None:
        steps = _rate_steps(request, plan, coverage)
        rate = steps[-1].rate
        share = _fund(request, plan, coverage.benefit, scope, rate)
    else:
        rate, share = ZERO, NO_FUND
    total = scope.in_scope + scope.out_of_scope
    fund = share.fund
    account = _account(request, plan, total - fund)
    cash = total - fund - account
    ytd = request.year_to_date
    toward_cap = share.toward_cap
    version = plan.version
    # Made by position, in the fields' order: a keyword call of a class costs CPython 3.11 a dict and back.
    return Quote(
        version.policy,
        version.version,
        coverage.reason is None,  # covered
        CAP_REACHED if share.cap_reached else coverage.reason,
        total,
        scope.out_of_scope,
        scope.in_scope,
        share.deductible_applied,
        rate,
        fund,
        account,
        cash,
        YearToDate(
            ytd.deductible_met + share.deductible_applied,
            ytd.fund_paid + toward_cap,
            ytd.fund_paid_out_of_city + (ZERO if request.facility.in_city else toward_cap),
        ),
        narration.sentences(request, plan, scope, coverage, steps, share, account, cash) if explain else (),
        scope.shares,  # items
    )


# --- step 1: scope ----------------------------------------------------------------


def _scope(request: QuoteRequest, plan: Plan) -> Scope:
    referral_scope = plan.referral_scope
    restricted = referral_scope is not None and request.visit.referral and not _contracted(request, plan)
    table = plan.consultation_standard
    standard = None if table is None else table.get(request.facility.kind)
    consultation_room = standard
    shares: list[ItemShare] = []
    in_total = out_total = consult = ZERO
    for item in request.visit.items:
        amount = item.amount
        if item.item_class is CLASS_C or (restricted and not _in_referral_scope(item, plan)):
            in_scope = ZERO
        elif item.kind is not CONSULTATION:
            in_scope = amount
        elif consultation_room is None:
            in_scope = amount
            consult += in_scope
        else:
            # A consultation fee is in scope up to the facility kind's standard, once a visit (人·次).
            in_scope = min(amount, consultation_room)
            consultation_room -= in_scope
            consult += in_scope
        in_total += in_scope
        if in_scope is amount:  # wholly in scope, as most items are
            shares.append(ItemShare(item, amount, ZERO))
        else:
            out_of_scope = amount - in_scope
            out_total += out_of_scope
            shares.append(ItemShare(item, in_scope, out_of_scope))
    return Scope(tuple(shares), in_total, out_total, consult, restricted, standard)


def _in_referral_scope(item: Item, plan: Plan) -> bool:
    scope = plan.referral_scope
    assert scope is not None
    return item.kind in scope.kinds or (item.kind in scope.class_a_kinds and item.item_class is CLASS_A)


def _contracted(request: QuoteRequest, plan: Plan) -> bool:
    facility = request.facility
    signed = request.patient.contracted_facilities
    if facility.id in signed:
        return True
    # 洪府厅发〔2019〕102号 第十七条: an integrated village clinic is its township centre's service point.
    return (
        plan.village_counts_as_parent
        and facility.kind is VILLAGE_CLINIC
        and facility.parent_id is not None
        and facility.parent_id in signed
    )


# --- step 2: coverage ---------------------------------------------------------------


def _coverage(request: QuoteRequest, plan: Plan) -> Coverage:
    standing, retired_from = _standing(request, plan)
    benefit = plan.benefits[standing]
    route = None if plan.employee else _route(request, plan, benefit)
    covered_from = None
    if plan.newborn_months is not None and request.patient.category is NEWBORN:
        covered_from = coverage_start(request, plan.newborn_months)
    reason = _first_reason(request, plan, benefit, route, covered_from)
    return Coverage(reason, route, benefit, standing, retired_from, covered_from)


def _first_reason(
    request: QuoteRequest, plan: Plan, benefit: BenefitPlan, route: str | None, covered_from: dt.date | None
) -> Reason | None:
    """The first reason the fund pays nothing, in the contract's order; None when it pays."""
    patient, visit, facility = request.patient, request.visit, request.facility
    if not facility.designated or not _has_rate(request, plan, benefit, route):
        return Reason.NOT_DESIGNATED
    if visit.liability is not None:
        return Reason.OTHER_LIABILITY
    if visit.inpatient:
        return Reason.INPATIENT
    if patient.benefit_suspended:
        return Reason.BENEFIT_SUSPENDED
    if visit.disease is not None and visit.disease in patient.chronic_diseases:
        return Reason.CHRONIC_DISEASE_SCHEME
    if patient.category in plan.excluded_categories:
        return Reason.EXCLUDED_CATEGORY
    if covered_from is not None and request.visit_date < covered_from:
        return Reason.NOT_YET_COVERED
    if not plan.employee and route is None:
        return Reason.NOT_CONTRACTED_FACILITY
    # 洪府办发〔2022〕93号 第二十五条（五）, 南府办发〔2022〕33号 第二十六条: away from the pooling
    # city only with 异地安置 or 转诊备案 on file.
    if plan.filing_required and not facility.in_city and not visit.filed_out_of_area:
        return Reason.OUT_OF_AREA_NOT_FILED
    return None


def _has_rate(request: QuoteRequest, plan: Plan, benefit: BenefitPlan, route: str | None) -> bool:
    """A signed facility whose kind the policy gives no rate for is no pooling facility."""
    if plan.employee:
        return _employee_base_rate(request, benefit) is not None
    return route != Route.CONTRACTED or request.facility.kind in benefit.kind_rates


def _route(request: QuoteRequest, plan: Plan, benefit: BenefitPlan) -> str | None:
    if _contracted(request, plan):
        return Route.CONTRACTED
    kinds = plan.referral_kinds
    if (
        request.visit.referral
        and kinds is not None
        and benefit.referral_rate is not None
        and (plan.referral_any_kind or request.facility.kind in kinds)
        and (request.facility.in_city or not plan.referral_in_city_only)
    ):
        return Route.REFERRAL
    if request.visit.emergency and plan.emergency_elsewhere:
        return Route.EMERGENCY
    return None


def coverage_start(request: QuoteRequest, months: int) -> dt.date:
    """First day a newborn is covered (韶医保规〔2023〕2号 第八条（一））; ``date.max`` before enrolment."""
    patient = request.patient
    if patient.enrolled_on is None:
        return dt.date.max
    # "出生6个月内" runs to the corresponding day six months on, inclusive (民法典第二百零一条).
    if patient.enrolled_on <= add_months(patient.birth_date, months):
        return patient.birth_date
    return first_of_next_month(patient.enrolled_on)


def _standing(request: QuoteRequest, plan: Plan) -> tuple[Standing, dt.date | None]:
    if not plan.employee:
        return AS_RESIDENT, None
    patient = request.patient
    if patient.employment is not RETIRED:
        return AS_ACTIVE, None
    if patient.retired_on is None:
        return AS_RETIRED, None
    if plan.retired_from_next_month:
        start = first_of_next_month(patient.retired_on)
    else:
        start = patient.retired_on.replace(day=1)
    return (AS_RETIRED if request.visit_date >= start else AS_ACTIVE), start


# --- step 3: rate -------------------------------------------------------------------


def _rate_steps(request: QuoteRequest, plan: Plan, coverage: Coverage) -> tuple[RateStep, ...]:
    """How the rate is arrived at, step by step; the last step's rate is the one paid."""
    benefit = coverage.benefit
    if plan.employee:
        rate = _employee_base_rate(request, benefit)
        assert rate is not None
        return (RateStep("employee", rate),)
    route = coverage.route
    if route == Route.REFERRAL:
        assert benefit.referral_rate is not None
        rate = benefit.referral_rate
    elif route == Route.EMERGENCY:
        assert benefit.emergency_rate is not None
        rate = benefit.emergency_rate
    else:
        rate = benefit.kind_rates[request.facility.kind]
    steps = [RateStep(route or Route.CONTRACTED, rate)]
    if request.patient.poverty_registered and benefit.poverty_rate is not None:
        rate = max(rate, benefit.poverty_rate)
        steps.append(RateStep("poverty", rate))
    bonus = benefit.family_doctor_bonus
    if route == Route.CONTRACTED and request.patient.family_doctor and bonus is not None:
        rate = min(ONE, rate + bonus)
        steps.append(RateStep("family_doctor", rate))
    return tuple(steps)


def _employee_base_rate(request: QuoteRequest, benefit: BenefitPlan) -> Decimal | None:
    if request.facility.kind is PHARMACY and benefit.pharmacy_rate is not None:
        return benefit.pharmacy_rate
    return benefit.level_rates.get(request.facility.level)


# --- steps 4 and 5: deductible, fund and caps ---------------------------------------


def _fund(request: QuoteRequest, plan: Plan, benefit: BenefitPlan, scope: Scope, rate: Decimal) -> FundShare:
    ytd = request.year_to_date
    left = max(ZERO, benefit.deductible - ytd.deductible_met)
    consultation = scope.consultation_in_scope
    main_in_scope = scope.in_scope - consultation
    # The deductible is met by the other items first, then by consultation fees.
    main_deductible = min(left, main_in_scope)
    consult_deductible = min(left - main_deductible, consultation)
    applied = main_deductible + consult_deductible
    if plan.consultation_outside_cap:
        capped_raw = round_fen(rate * (main_in_scope - main_deductible))
        outside_cap = round_fen(rate * (consultation - consult_deductible))
    else:
        capped_raw = round_fen(rate * (scope.in_scope - applied))
        outside_cap = ZERO
    limits = _cap_limits(request, benefit)
    room = min(limit.room for limit in limits) if limits else None
    toward_cap = capped_raw if room is None else min(capped_raw, room)
    fund = toward_cap + outside_cap
    cap_reached = room is not None and room == ZERO and fund == ZERO
    return FundShare(fund, toward_cap, applied, cap_reached, left, capped_raw, outside_cap, limits)


def _cap_limits(request: QuoteRequest, benefit: BenefitPlan) -> tuple[CapLimit, ...]:
    """The annual cap and the out-of-city sub-cap that apply, with what is left of each."""
    ytd = request.year_to_date
    limits: tuple[CapLimit, ...] = ()
    if benefit.cap is not None:
        room = max(ZERO, benefit.cap - ytd.fund_paid)
        article = benefit.figures.cap.article if benefit.figures.cap else ""
        limits = (CapLimit("年度最高支付限额", benefit.cap, article, ytd.fund_paid, room),)
    if benefit.out_of_city_cap is not None and not request.facility.in_city:
        room = max(ZERO, benefit.out_of_city_cap - ytd.fund_paid_out_of_city)
        figure = benefit.figures.out_of_city_cap
        article = figure.article if figure else ""
        used = ytd.fund_paid_out_of_city
        limits = (*limits, CapLimit("市外就医年度限额", benefit.out_of_city_cap, article, used, room))
    return limits


# --- step 6: personal account -------------------------------------------------------


def _account(request: QuoteRequest, plan: Plan, rest: Decimal) -> Decimal:
    if not plan.pays_account or not request.pay_from_account:
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
