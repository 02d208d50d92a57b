"""A facility's capitation budget for one year: a pure function of its typed input.

One function a method (``FundMethod``); every figure comes from the policy file's
``[fund]`` section with its article. Money is ``Decimal``, rounded half-up to the fen
where the contract rounds; bands are decided on exact comparisons, never on a rounded
ratio.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any, Generic, TypeVar

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
from desktop.policy.fund_rules import OLDEST_AGE, AgeGroup, Band, FundMethod, FundRules, MonthShift, Settles
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
    return persons_signed_on_days(signings, (day,))[0]


def persons_signed_on_days(signings: Iterable[SigningSpan], days: tuple[dt.date, ...]) -> list[int]:
    """How many persons were signed on each of ``days`` (in order): one pass over the signings,
    each marking the days it covers, a person's marks joined."""
    marks: dict[str, int] = {}
    for span in signings:
        covered = 0
        for index, day in enumerate(days):
            if span.first <= day and (span.last is None or day <= span.last):
                covered |= 1 << index
        if covered:
            marks[span.person] = marks.get(span.person, 0) | covered
    return [sum(1 for mark in marks.values() if mark >> index & 1) for index in range(len(days))]


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


ALL_MONTHS = 0b1_1111_1111_1110  # bits 1–12


R = TypeVar("R")


class _SameSignings(Generic[R]):
    """Remembers a few answers by the very tuple of signings asked about (``is``, not ``==``).

    ``desktop.fund.from_store`` hands out the same tuple until the signings change, and
    hashing or comparing a busy centre's thousands on every page opening would cost what
    the remembering saves.
    """

    def __init__(self, work: Callable[[tuple[SigningSpan, ...], int, FundRules], R], size: int = 4) -> None:
        self._work = work
        self._size = size
        self._kept: list[tuple[tuple[SigningSpan, ...], int, FundRules, R]] = []

    def __call__(self, signings: tuple[SigningSpan, ...], year: int, rules: FundRules) -> R:
        for kept, kept_year, kept_rules, answer in self._kept:
            if kept is signings and kept_year == year and kept_rules is rules:
                return answer
        answer = self._work(signings, year, rules)
        self._kept = [(signings, year, rules, answer), *self._kept[: self._size - 1]]
        return answer


@cache
def age_table(groups: tuple[AgeGroup, ...]) -> tuple[int, ...]:
    """Each age's group number, 0 to ``OLDEST_AGE``; older is the open range's (checked when loaded)."""
    return tuple(next(g.number for g in groups if any(s.holds(age) for s in g.ages)) for age in range(OLDEST_AGE + 2))


def _people(signings: tuple[SigningSpan, ...], year: int, rules: FundRules) -> Counter[tuple[int, int, int]]:
    """How many persons share each (age group, months counted toward the ceiling, months counted
    toward the budget). A person with two signings (left and came back) counts each month once.

    The loop is written out (no call a signing): the fund page reads a busy centre's thousands.
    """
    assert rules.months_counted is not None
    assert rules.first_signing_full_year is not None
    assert rules.groups is not None
    shifts = rules.months_counted.value
    whole_year = rules.first_signing_full_year.value
    first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    later_in = {StartKind.MOVED: shifts["moved_in"], StartKind.REASSIGNED: shifts["reassigned_in"]}
    sooner_out = {EndKind.MOVED: shifts["moved_out"], EndKind.REASSIGNED: shifts["reassigned_out"]}
    step_in = {kind: 1 if shift is MonthShift.NEXT_MONTH else 0 for kind, shift in later_in.items()}
    step_out: dict[EndKind | None, int] = {
        kind: 1 if shift is MonthShift.MONTH_BEFORE else 0 for kind, shift in sooner_out.items()
    }
    first_choice = StartKind.FIRST if whole_year else None
    people: dict[str, list[Any]] = {}  # person → [birth date, ceiling months, budget months]
    for index, (person, first, last, birth, start, end) in enumerate(signings):
        if first > last_day or (last is not None and last < first_day):
            continue
        assert birth is not None  # the reader requires it for this method
        # 第二十八条第二、三款: from the first month (January when earlier), to the last (December when open).
        begin = max((first.year - year) * 12 + first.month + step_in.get(start, 0), 1)
        stop = 12 if last is None else min((last.year - year) * 12 + last.month - step_out.get(end, 0), 12)
        months = (1 << (stop + 1)) - (1 << begin) if stop >= begin else 0
        # 第二十八条第一款: a first choice of less than a whole year counts the full standard.
        budget = ALL_MONTHS if start is first_choice else months
        found = people.get(person)
        if found is None:
            people[person] = [birth, months, budget]
            continue
        if found[0] != birth:
            raise InputError(
                f"signings.{index}.birth_date",
                f"{birth.isoformat()} differs from {found[0].isoformat()} given for the "
                f"same person {person!r} in another signing",
            )
        found[1] |= months
        found[2] |= budget
    table = age_table(rules.groups.value)
    oldest = len(table) - 1
    shared: Counter[tuple[int, int, int]] = Counter()
    for birth, months, budget in people.values():
        shared[table[max(0, min(year - birth.year, oldest))], months, budget.bit_count()] += 1
    return shared


people_by_group = _SameSignings(_people)


def _age_groups(request: FundRequest, version: PolicyVersion, rules: FundRules) -> FundPosition:
    assert rules.bands is not None
    shared = people_by_group(request.signings, request.year, rules)
    year = request.year
    weights: dict[int, int] = {}  # group → Σ months counted toward the budget
    per_month: dict[int, dict[int, int]] = {}  # group → month → persons counted
    for (group, mask, budget_months), persons in shared.items():
        weights[group] = weights.get(group, 0) + budget_months * persons
        counts = per_month.setdefault(group, {})
        for month in MONTHS:
            if mask >> month & 1:
                counts[month] = counts.get(month, 0) + persons
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
        signed=sum(shared.values()),
        months=tuple(months),
        year_end=year_end,
        projection=projection(request, budget, rules.bands.value),
        groups=groups,
        articles=_articles(rules),
        band_floors=_floors(rules),
    )


def _heads_before_months(signings: tuple[SigningSpan, ...], year: int, _rules: FundRules) -> tuple[int, list[int]]:
    """Persons signed in the year, and on the last day of each month before (上月签约人数)."""
    eves = tuple(dt.date(year, month, 1) - dt.timedelta(days=1) for month in MONTHS)
    return persons_signed_in_year(signings, year), persons_signed_on_days(signings, eves)


def _heads_at_month_ends(signings: tuple[SigningSpan, ...], year: int, _rules: FundRules) -> tuple[int, list[int]]:
    ends = tuple(month_end(year, month) for month in MONTHS)
    return persons_signed_in_year(signings, year), persons_signed_on_days(signings, ends)


heads_before_months = _SameSignings(_heads_before_months)
heads_at_month_ends = _SameSignings(_heads_at_month_ends)


# --- Shaoguan: a flat figure a head, monthly advances (韶医保规〔2023〕2号 第七条、第九条（二）) ---


def _monthly_advance(request: FundRequest, version: PolicyVersion, rules: FundRules) -> FundPosition:
    assert rules.per_head is not None
    assert rules.advance_rate is not None
    assert rules.pre_settlement_rate is not None
    assert rules.bands is not None
    assert rules.deposit_returned_by_score is not None
    year = request.year
    per_head = rules.per_head.value
    signed, eves_signed = heads_before_months(request.signings, year, rules)
    budget = round_fen(per_head * signed)
    months = []
    for month, heads in zip(MONTHS, eves_signed, strict=True):
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
    signed, ends = heads_at_month_ends(request.signings, year, rules)
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
    months = tuple(FundMonth(m, ends[m - 1], None, request.paid_in(m), None) for m in MONTHS)
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
