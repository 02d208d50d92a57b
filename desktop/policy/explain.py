"""The quote's explanation: one plain Chinese sentence per step, for the clerk to read aloud."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from desktop.money import ZERO, format_amount
from desktop.policy.types import (
    FacilityKind,
    ItemClass,
    ItemShare,
    Liability,
    QuoteRequest,
    Reason,
    YearToDate,
)

if TYPE_CHECKING:
    from desktop.policy.parameters import Benefit, PolicyVersion, Standing
    from desktop.policy.plan import Plan
    from desktop.policy.steps import CapLimit, Coverage, FundShare, RateStep, Scope

KIND_NAMES = {
    FacilityKind.VILLAGE_CLINIC: "村卫生室",
    FacilityKind.TOWNSHIP_HEALTH_CENTER: "乡镇卫生院",
    FacilityKind.COMMUNITY_HEALTH_CENTER: "社区卫生服务中心",
    FacilityKind.SCHOOL_CLINIC: "校医院",
    FacilityKind.COUNTY_TCM_HOSPITAL: "县级中医医院",
    FacilityKind.HOSPITAL: "医院",
    FacilityKind.PHARMACY: "定点零售药店",
}
LIABILITY_NAMES = {
    Liability.WORK_INJURY: "工伤保险基金",
    Liability.THIRD_PARTY: "第三人",
    Liability.PUBLIC_HEALTH: "公共卫生",
}
DISEASE_NAMES = {"hypertension": "高血压", "diabetes": "糖尿病"}
CATEGORY_NAMES = {"university_student": "大学生", "newborn": "新生儿", "general": "普通居民"}
LEVEL_NAMES = {1: "一级及以下", 2: "二级", 3: "三级"}
# Read once: an attribute of an enum class takes CPython's slow path (``EnumType.__getattr__``).
CLASS_C = ItemClass.C
PHARMACY = FacilityKind.PHARMACY


def yuan(amount: Decimal) -> str:
    return format_amount(amount) + "元"


@lru_cache(maxsize=256)  # a policy has a handful of rates; working one out costs far more than the look-up
def percent(rate: Decimal) -> str:
    return f"{int(rate * 100)}%"


def cite(version: PolicyVersion, article: str | None) -> str:
    return f"（{version.version}{article}）" if article else f"（{version.version}）"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def sentences(
    request: QuoteRequest,
    plan: Plan,
    scope_found: Scope,
    coverage: Coverage,
    steps: Sequence[RateStep],
    share: FundShare,
    account_paid: Decimal,
    cash_paid: Decimal,
) -> tuple[str, ...]:
    """One sentence per step of the quote, in the order the steps ran."""
    version = plan.version
    said = [
        scope(
            scope_found.shares,
            scope_found.in_scope,
            scope_found.out_of_scope,
            version,
            scope_found.restricted,
            scope_found.standard,
            request,
        )
    ]
    benefit = coverage.benefit.figures
    if coverage.reason is not None:
        said.append(refusal(coverage.reason, version, request, coverage.covered_from))
    else:
        rate = steps[-1].rate
        if plan.employee:
            said.append(employee_rate(request, version, coverage.standing, coverage.retired_from, rate))
        else:
            said.append(resident_rate(request, benefit, steps))
        said.append(deductible(benefit, share.deductible_left, share.deductible_applied, request.year_to_date))
        said.append(fund(scope_found.in_scope, share, rate, version))
        if share.limits:
            said.append(cap(share.limits, share.capped_raw, share.toward_cap))
    if plan.employee:
        said.append(account(request, version, account_paid))
    said.append(cash(cash_paid))
    return tuple(said)


# --- step 1 ------------------------------------------------------------------------


def scope(
    shares: Sequence[ItemShare],
    in_scope: Decimal,
    out_of_scope: Decimal,
    version: PolicyVersion,
    restricted: bool,
    standard: Decimal | None,
    request: QuoteRequest,
) -> str:
    total = in_scope + out_of_scope
    if out_of_scope == ZERO:
        return f"本次医药费用合计{yuan(total)}，全部在医保政策范围内。"
    parts: list[str] = []
    class_c = [s for s in shares if s.item.item_class is CLASS_C]
    if class_c:
        parts.append(f"丙类（目录外）{_names(class_c)}{yuan(_sum(class_c))}")
    others = [s for s in shares if s.out_of_scope > ZERO and s.item.item_class is not CLASS_C]
    if restricted and version.referral_scope is not None:
        referral_out = [s for s in others if s.in_scope == ZERO]
        others = [s for s in others if s.in_scope > ZERO]
        if referral_out:
            parts.append(
                f"转诊只报中成药、中药饮片和甲类中医诊疗项目{cite(version, version.referral_scope.article)}，"
                f"{_names(referral_out)}{yuan(_sum(referral_out))}不在范围内"
            )
    if others and standard is not None and version.consultation_fee_standard is not None:
        kind = KIND_NAMES[request.facility.kind]
        article = version.consultation_fee_standard.article
        parts.append(
            f"一般诊疗费超过{kind}标准{yuan(standard)}的部分{yuan(_sum(others))}不在支付范围{cite(version, article)}"
        )
    return (
        f"本次医药费用合计{yuan(total)}，其中{'；'.join(parts)}，共{yuan(out_of_scope)}由个人自付；"
        f"政策范围内费用{yuan(in_scope)}。"
    )


def _sum(shares: Sequence[ItemShare]) -> Decimal:
    return sum((s.out_of_scope for s in shares), ZERO)


def _names(shares: Sequence[ItemShare]) -> str:
    named = [s.item.name for s in shares if s.item.name]
    if not named:
        return ""
    shown = "、".join(named[:3]) + ("等" if len(named) > 3 else "")
    return f"“{shown}”"


# --- step 2 ------------------------------------------------------------------------


# The refusals that say the same whatever the visit (a dict look-up: matching a reason against
# ``Reason.…`` patterns reads an attribute of the enum class per case, which is slow).
REFUSALS = {
    Reason.NOT_DESIGNATED: "该机构不是本险种普通门诊统筹的定点机构",
    Reason.INPATIENT: "住院期间发生的门诊费用不纳入普通门诊统筹",
    Reason.BENEFIT_SUSPENDED: "参保人的医保待遇处于暂停期",
    Reason.NOT_CONTRACTED_FACILITY: "该机构不是参保人的门诊统筹签约机构，本次也不属于可报销的转诊或急救",
    Reason.OUT_OF_AREA_NOT_FILED: "参保人在统筹地区以外的医药机构就医，未办理异地安置或转诊备案手续",
}


def refusal(reason: Reason, version: PolicyVersion, request: QuoteRequest, covered_from: dt.date | None) -> str:
    article = version.exclusion_articles.get(reason)  # a StrEnum member looks up as its text
    text = REFUSALS.get(reason) or _refusal_text(reason, version, request, covered_from)
    return f"{text}，统筹基金不予支付{cite(version, article)}。"


def _refusal_text(reason: Reason, version: PolicyVersion, request: QuoteRequest, start: dt.date | None) -> str:
    patient, visit = request.patient, request.visit
    match reason:
        case Reason.OTHER_LIABILITY:
            payer = LIABILITY_NAMES[visit.liability] if visit.liability else "其他渠道"
            return f"本次费用应由{payer}负担"
        case Reason.CHRONIC_DISEASE_SCHEME:
            disease = DISEASE_NAMES.get(visit.disease or "", visit.disease or "")
            return f"本次诊治的{disease}是已认定的门诊慢特病，应按门诊慢特病政策结算"
        case Reason.EXCLUDED_CATEGORY:
            category = CATEGORY_NAMES.get(patient.category.value, patient.category.value)
            return f"{category}不适用{version.title}"
        case Reason.NOT_YET_COVERED:
            if start is None or start == dt.date.max:
                return "新生儿尚未缴费参保，暂不享受普通门诊统筹待遇"
            return f"新生儿自{chinese_date(start)}起享受普通门诊统筹待遇，本次就诊在此之前"
        case _:
            return REFUSALS[Reason.NOT_CONTRACTED_FACILITY]


# --- step 3 ------------------------------------------------------------------------


def resident_rate(request: QuoteRequest, benefit: Benefit, steps: Sequence[RateStep]) -> str:
    kind = KIND_NAMES[request.facility.kind]
    clauses: list[str] = []
    for step, rate in steps:
        article = _rate_article(benefit, step)
        match step:
            case "contracted":
                clauses.append(f"在签约的{kind}就诊，报销比例{percent(rate)}（{article}）")
            case "referral":
                clauses.append(f"经签约机构同意转诊至{kind}，报销比例{percent(rate)}（{article}）")
            case "emergency":
                clauses.append(f"在{kind}急救、抢救，按签约机构比例{percent(rate)}支付（{article}）")
            case "poverty":
                clauses.append(f"建档立卡贫困人口按{percent(rate)}（{article}）")
            case _:
                clauses.append(f"签订家庭医生服务协议提高5个百分点，为{percent(rate)}（{article}）")
    return "；".join(clauses) + "。"


def _rate_article(benefit: Benefit, step: str) -> str:
    figure = {
        "referral": benefit.referral_rate,
        "emergency": benefit.emergency_rate or benefit.referral_rate,
        "poverty": benefit.poverty_rate,
        "family_doctor": benefit.family_doctor_bonus,
    }.get(step, benefit.rates)
    return figure.article if figure is not None else ""


def employee_rate(
    request: QuoteRequest,
    version: PolicyVersion,
    standing: Standing,
    retired_from: dt.date | None,
    rate: Decimal,
) -> str:
    retired = standing == "retired"  # a StrEnum member equals its text; ``.value`` is a slow property
    who = "退休人员" if retired else "在职人员"
    benefit = version.benefits[standing]
    if request.facility.kind is PHARMACY and benefit.pharmacy_rate is not None:
        place, article = "定点零售药店购药", benefit.pharmacy_rate.article
    else:
        place, article = f"{LEVEL_NAMES[request.facility.level]}定点医疗机构就诊", benefit.rates.article
    sentence = f"{who}在{place}，统筹基金支付比例{percent(rate)}（{article}）"
    if not request.facility.in_city and request.visit.filed_out_of_area:
        filing = version.out_of_area_filing_required
        cited = f"（{filing.article}）" if filing is not None else ""
        sentence += f"；已办理异地安置或转诊备案，在统筹地区以外的定点机构就医按参保地政策支付{cited}"
    timing = version.retirement_takes_effect
    if retired_from is not None and timing is not None:
        if retired:
            sentence += f"；退休待遇自{chinese_date(retired_from)}起执行（{timing.article}）"
        else:
            sentence += (
                f"；办理退休后自{chinese_date(retired_from)}起才按退休比例和限额，本次仍按在职（{timing.article}）"
            )
    return sentence + "。"


# --- steps 4 and 5 -----------------------------------------------------------------


def deductible(benefit: Benefit, left: Decimal, applied: Decimal, ytd: YearToDate) -> str:
    figure = benefit.deductible
    met_before = ytd.deductible_met
    if figure is None or figure.value == ZERO:
        return "本政策普通门诊不设起付线。"
    if left == ZERO:
        return f"本年度起付线{yuan(figure.value)}此前已经达到，本次不再扣除（{figure.article}）。"
    sentence = f"本年度起付线{yuan(figure.value)}，此前已累计{yuan(met_before)}，本次抵扣起付线{yuan(applied)}"
    if applied < left:
        sentence += f"，还差{yuan(left - applied)}"
    return sentence + f"（{figure.article}）。"


def fund(in_scope: Decimal, share: FundShare, rate: Decimal, version: PolicyVersion) -> str:
    applied, capped_raw, outside_cap = share.deductible_applied, share.capped_raw, share.outside_cap
    if outside_cap == ZERO:
        return (
            f"统筹基金按（{yuan(in_scope)}−{yuan(applied)}）×{percent(rate)}计，为{yuan(capped_raw)}（四舍五入到分）。"
        )
    article = version.consultation_fee_outside_cap.article if version.consultation_fee_outside_cap else ""
    return (
        f"门诊诊察费部分按{percent(rate)}支付{yuan(outside_cap)}，不计入年度最高支付限额（{article}）；"
        f"其余政策范围内费用按{percent(rate)}计，为{yuan(capped_raw)}。"
    )


def cap(limits: Sequence[CapLimit], raw: Decimal, paid: Decimal) -> str:
    clauses = []
    for limit in limits:
        head = f"{limit.name}{yuan(limit.cap)}"
        if limit.room == ZERO:
            clauses.append(f"{head}此前已用完（{limit.article}）")
        else:
            clauses.append(f"{head}，此前已支付{yuan(limit.used)}，尚余{yuan(limit.room)}（{limit.article}）")
    outcome = "本次支付在限额之内" if paid == raw else f"本次统筹支付由{yuan(raw)}限为{yuan(paid)}"
    return "；".join(clauses) + f"，{outcome}。"


# --- steps 6 and 7 -----------------------------------------------------------------


def account(request: QuoteRequest, version: PolicyVersion, paid: Decimal) -> str:
    article = f"（{version.account_article}）" if version.account_article else ""
    if version.account_article is None:
        return "本政策不设个人账户支付。"
    if not request.pay_from_account:
        return "参保人选择本次不使用个人账户。"
    if not request.facility.designated:
        return f"非定点机构发生的费用不能使用个人账户{article}。"
    if request.visit.liability is not None:
        return f"应由{LIABILITY_NAMES[request.visit.liability]}负担的费用不能使用个人账户{article}。"
    balance = request.patient.account_balance
    return f"个人账户支付{yuan(paid)}（支付前余额{yuan(balance)}，余额{yuan(balance - paid)}）{article}。"


def cash(amount: Decimal) -> str:
    return f"个人现金支付{yuan(amount)}。"
