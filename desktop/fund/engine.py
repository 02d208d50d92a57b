"""A facility's capitation budget for one year: a pure function of its typed input.

One function a method (``FundMethod``); every figure comes from the policy file's
``[fund]`` section with its article. Money is ``Decimal``, rounded half-up to the fen
where the contract rounds; bands are decided on exact comparisons, never on a rounded
ratio.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from desktop.fund.types import (
    MONTHS,
    EndKind,
    FundMonth,
    FundPosition,
    FundRequest,
    GroupLine,
    Projection,
    Quarter,
    SigningSpan,
    StartKind,
    YearEnd,
)
from desktop.money import ZERO, round_fen
from desktop.policy.codec import InputError
from desktop.policy.fund_rules import Band, FundMethod, FundRules, MonthShift, Settles
from desktop.policy.parameters import NotInForceError, PolicyBook, PolicyVersion, UnknownPolicyError, default_book

TWELVE = Decimal(12)
HUNDRED = Decimal(100)
PERSONS = Decimal("0.0001")


def fund(request: FundRequest, book: PolicyBook | None = None) -> FundPosition:
    """The year's budget, months, year end and projection; ``InputError`` names a field it cannot use."""
    version = version_for_year(book or default_book(), request.policy, request.year)
    rules = version.fund
    if rules is None:
        raise InputError(
            "policy", f"{request.policy} has no capitation fund; the fund contract covers the resident schemes"
        )
    method = rules.method.value
    if method is FundMethod.AGE_GROUPS:
        return _age_groups(request, version, rules)
    if method is FundMethod.PER_HEAD_MONTHLY_ADVANCE:
        return _monthly_advance(request, version, rules)
    return _quarterly_advance(request, version, rules)


def version_for_year(book: PolicyBook, policy: str, year: int) -> PolicyVersion:
    """The version in force at the year's end, or else the last one in force during the year."""
    try:
        versions = book.versions(policy)
    except UnknownPolicyError as exc:
        raise InputError("policy", str(exc)) from None
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    during = [v for v in versions if v.effective_from.value <= last and (v.effective_until or last) >= first]
    if not during:
        spans = ", ".join(v.span() for v in versions)
        raise InputError("year", str(NotInForceError(policy, last, spans)).replace(f"on {last}", f"in {year}"))
    return during[-1]


# --- shared steps --------------------------------------------------------------------


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def ratio_text(ratio: Decimal) -> str:
    return f"{ratio.quantize(PERSONS, rounding=ROUND_HALF_UP):f}"


def _ratio(spent: Decimal, budget: Decimal) -> Decimal:
    return ZERO if budget == 0 else spent / budget


def band_of(bands: tuple[Band, ...], spent: Decimal, budget: Decimal) -> Band:
    """The band ``spent`` falls in, compared exactly (``spent ≥ 0.80 × budget``, not a rounded ratio).

    With no budget every ratio is 0: the lowest band when nothing was spent, the highest otherwise.
    """
    if budget == 0:
        return bands[0] if spent == 0 else bands[-1]
    found = bands[0]
    for band in bands[1:]:
        floor = band.lower * budget
        if spent > floor or (band.inclusive and spent == floor):
            found = band
    return found


def settled_total(band: Band, spent: Decimal, budget: Decimal) -> Decimal:
    if band.settles is Settles.ACTUAL:
        return spent
    if band.settles is Settles.BUDGET:
        return budget
    assert band.unused_share is not None
    return round_fen(spent + (budget - spent) * band.unused_share)


def months_elapsed(year: int, as_of: dt.date) -> int:
    """Months of ``year`` whose last day is on or before ``as_of``."""
    return sum(1 for month in MONTHS if month_end(year, month) <= as_of)


def projection(
    request: FundRequest, budget: Decimal, bands: tuple[Band, ...] | None, *, named: bool = True
) -> Projection | None:
    """Where the year is heading: the elapsed months' spending carried to twelve."""
    if request.as_of is None:
        return None
    elapsed = months_elapsed(request.year, request.as_of)
    if elapsed == 0:
        return None
    spent = sum((request.paid_in(month) for month in range(1, elapsed + 1)), ZERO)
    projected = round_fen(spent * TWELVE / elapsed)
    band = band_of(bands, projected, budget).name if bands is not None and named else None
    return Projection(request.as_of, elapsed, spent, projected, _ratio(projected, budget), band)


def persons_signed_in_year(signings: Iterable[SigningSpan], year: int) -> int:
    return len({s.person for s in signings if s.touches(year)})


def persons_signed_on(signings: Iterable[SigningSpan], day: dt.date) -> int:
    return len({s.person for s in signings if s.signed_on(day)})


def _articles(rules: FundRules) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in rules.__dataclass_fields__:
        figure = getattr(rules, name)
        if figure is not None:
            found[name] = figure.article
    return found


def _floors(rules: FundRules) -> tuple[tuple[str, Decimal], ...]:
    return () if rules.bands is None else tuple((band.name, band.lower) for band in rules.bands.value)


# --- Nanchang: age groups, a monthly ceiling (洪府厅发〔2019〕102号 第二十三条–第二十九条) ---------


def counted_months(span: SigningSpan, year: int, shifts: Mapping[str, MonthShift]) -> range:
    """The months of ``year`` a signing counts in (第二十八条第二款、第三款): from its first month
    (January when earlier), shifted for a move or reassignment in, to its last (December when
    open), shifted for one out."""

    def index(day: dt.date) -> int:
        return (day.year - year) * 12 + day.month

    start = index(span.first)
    if span.start is StartKind.MOVED and shifts["moved_in"] is MonthShift.NEXT_MONTH:
        start += 1
    if span.start is StartKind.REASSIGNED and shifts["reassigned_in"] is MonthShift.NEXT_MONTH:
        start += 1
    end = 12 if span.last is None else index(span.last)
    if span.end is EndKind.MOVED and shifts["moved_out"] is MonthShift.MONTH_BEFORE:
        end -= 1
    if span.end is EndKind.REASSIGNED and shifts["reassigned_out"] is MonthShift.MONTH_BEFORE:
        end -= 1
    return range(max(start, 1), min(end, 12) + 1)


class _Person:
    __slots__ = ("birth_date", "budget_months", "months")

    def __init__(self, birth_date: dt.date) -> None:
        self.birth_date = birth_date
        self.months: set[int] = set()  # toward the monthly ceiling
        self.budget_months: set[int] = set()  # toward the year's budget


def _people(request: FundRequest, rules: FundRules) -> dict[str, _Person]:
    """Each person's counted months: a person with two signings (left and came back) counts each
    month once."""
    assert rules.months_counted is not None
    assert rules.first_signing_full_year is not None
    shifts = rules.months_counted.value
    whole_year = rules.first_signing_full_year.value
    people: dict[str, _Person] = {}
    for index, span in enumerate(request.signings):
        if not span.touches(request.year):
            continue
        assert span.birth_date is not None  # the reader requires it for this method
        person = people.get(span.person)
        if person is None:
            person = people[span.person] = _Person(span.birth_date)
        elif person.birth_date != span.birth_date:
            raise InputError(
                f"signings.{index}.birth_date",
                f"{span.birth_date.isoformat()} differs from {person.birth_date.isoformat()} given for the "
                f"same person {span.person!r} in another signing",
            )
        months = counted_months(span, request.year, shifts)
        person.months.update(months)
        # 第二十八条第一款: a first choice of less than a whole year counts the full standard.
        person.budget_months.update(MONTHS if whole_year and span.start is StartKind.FIRST else months)
    return people


def _age_groups(request: FundRequest, version: PolicyVersion, rules: FundRules) -> FundPosition:
    assert rules.bands is not None
    people = _people(request, rules)
    year = request.year
    weights: dict[int, int] = {}  # group → Σ months counted toward the budget
    per_month: dict[int, dict[int, int]] = {}  # group → month → persons counted
    for person in people.values():
        group = rules.group_of(year - person.birth_date.year).number
        weights[group] = weights.get(group, 0) + len(person.budget_months)
        counts = per_month.setdefault(group, {})
        for month in person.months:
            counts[month] = counts.get(month, 0) + 1
    assert rules.groups is not None
    standards = {group.number: group.standard for group in rules.groups.value}
    groups = tuple(
        GroupLine(
            group=number,
            standard=standards[number],
            persons=(Decimal(weights[number]) / TWELVE).quantize(PERSONS, rounding=ROUND_HALF_UP),
            budget=round_fen(standards[number] * weights[number] / TWELVE),
        )
        for number in sorted(weights)
    )
    budget = sum((line.budget for line in groups), ZERO)
    months = []
    for month in MONTHS:
        # 第二十六条: 各组群月预结算额度 = 预算标准 ÷ 12 × 当月签约人数, summed over the groups.
        ceiling = sum(
            (round_fen(standards[g] * counts.get(month, 0) / TWELVE) for g, counts in sorted(per_month.items())),
            ZERO,
        )
        spent = request.paid_in(month)
        signed = sum(counts.get(month, 0) for counts in per_month.values())
        months.append(FundMonth(month, signed, ceiling, spent, min(spent, ceiling)))
    spent = sum((m.fund_paid for m in months), ZERO)
    paid_in_year = sum((m.paid for m in months if m.paid is not None), ZERO)
    band = band_of(rules.bands.value, spent, budget)
    total = settled_total(band, spent, budget)
    year_end = YearEnd(
        fund_paid=spent,
        ratio=_ratio(spent, budget),
        band=band.name,
        total=total,
        paid_in_year=paid_in_year,
        balance=total - paid_in_year,
    )
    return FundPosition(
        policy=request.policy,
        policy_version=version.version,
        method=rules.method.value,
        year=year,
        budget=budget,
        signed=len(people),
        months=tuple(months),
        year_end=year_end,
        projection=projection(request, budget, rules.bands.value),
        groups=groups,
        articles=_articles(rules),
        band_floors=_floors(rules),
    )


# --- Shaoguan: a flat figure a head, monthly advances (韶医保规〔2023〕2号 第七条、第九条（二）) ---


def _monthly_advance(request: FundRequest, version: PolicyVersion, rules: FundRules) -> FundPosition:
    assert rules.per_head is not None
    assert rules.advance_rate is not None
    assert rules.pre_settlement_rate is not None
    assert rules.bands is not None
    assert rules.deposit_returned_by_score is not None
    year = request.year
    per_head = rules.per_head.value
    signed = persons_signed_in_year(request.signings, year)
    budget = round_fen(per_head * signed)
    months = []
    for month in MONTHS:
        before = dt.date(year, month, 1) - dt.timedelta(days=1)
        heads = persons_signed_on(request.signings, before)
        advance = round_fen(per_head * heads * rules.advance_rate.value / TWELVE)
        spent = request.paid_in(month)
        pre = round_fen(spent * rules.pre_settlement_rate.value)
        months.append(FundMonth(month, heads, advance, spent, min(pre, advance), pre, spent - pre))
    spent = sum((m.fund_paid for m in months), ZERO)
    deposits = sum((m.deposit for m in months if m.deposit is not None), ZERO)
    band = band_of(rules.bands.value, spent, budget)
    total = settled_total(band, spent, budget)
    score = request.quality_score
    returned = None
    if score is not None and rules.deposit_returned_by_score.value:
        returned = round_fen(deposits * score / HUNDRED)
    year_end = YearEnd(
        fund_paid=spent,
        ratio=_ratio(spent, budget),
        band=band.name,
        reward=max(total - spent, ZERO),
        overspend=max(spent - total, ZERO),
        deposit=deposits,
        deposit_returned=returned,
    )
    return FundPosition(
        policy=request.policy,
        policy_version=version.version,
        method=rules.method.value,
        year=year,
        budget=budget,
        signed=signed,
        months=tuple(months),
        year_end=year_end,
        projection=projection(request, budget, rules.bands.value),
        articles=_articles(rules),
        band_floors=_floors(rules),
    )


# --- Hunan: the county's figure a head, quarterly advances, surplus rolled over (湘人社发〔2017〕94号 第九条、第十条)


def _quarterly_advance(request: FundRequest, version: PolicyVersion, rules: FundRules) -> FundPosition:
    per_head = request.per_head
    if per_head is None:
        if rules.per_head is None:
            raise InputError(
                "per_head",
                f"is required: {request.policy} leaves the figure a head to each county (第九条); "
                "give it here or in the county's policy file",
            )
        per_head = rules.per_head.value
    year = request.year
    signed = persons_signed_in_year(request.signings, year)
    budget = round_fen(per_head * signed)
    advance = round_fen(budget / 4)
    quarters = tuple(
        Quarter(
            number=q,
            advance=advance if q < 4 else budget - 3 * advance,
            fund_paid=sum((request.paid_in(m) for m in range(3 * q - 2, 3 * q + 1)), ZERO),
        )
        for q in range(1, 5)
    )
    months = tuple(
        FundMonth(m, persons_signed_on(request.signings, month_end(year, m)), None, request.paid_in(m), None)
        for m in MONTHS
    )
    spent = sum((m.fund_paid for m in months), ZERO)
    carried_in = request.carried_in
    year_end = YearEnd(
        fund_paid=spent,
        ratio=_ratio(spent, budget),
        band=None,
        carried_in=carried_in,
        carried_out=budget + carried_in - spent,
    )
    articles = _articles(rules)
    if request.per_head is not None:
        articles["per_head"] = "（录入）"
    return FundPosition(
        policy=request.policy,
        policy_version=version.version,
        method=rules.method.value,
        year=year,
        budget=budget,
        signed=signed,
        months=months,
        year_end=year_end,
        projection=projection(request, budget, None, named=False),
        quarters=quarters,
        articles=articles,
    )
