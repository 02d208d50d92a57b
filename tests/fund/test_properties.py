"""Invariants of fund-contract.md under every resident policy (hypothesis).

The months never pay more than their ceiling or advance, nor more than was spent; every
person added grows the budget; a higher spend never lands in a lower band.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.fund import FundRequest, SigningSpan, StartKind, fund
from desktop.fund.types import EndKind
from desktop.policy import load_book

BOOK = load_book()  # hypothesis cannot take function-scoped fixtures; the shipped book is immutable
FEW = settings(max_examples=80, deadline=None, database=None)
POLICIES = ("nanchang-resident", "shaoguan-resident", "hunan-resident")
YEAR = 2024
PER_HEAD = Decimal("45.50")


def days(low: dt.date, high: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=low, max_value=high)


@st.composite
def spans(draw: st.DrawFn, person: str) -> SigningSpan:
    first = draw(days(dt.date(YEAR - 3, 1, 1), dt.date(YEAR, 12, 31)))
    last = draw(st.none() | days(first, dt.date(YEAR + 1, 6, 30)))
    end = None if last is None else draw(st.none() | st.sampled_from(EndKind))
    birth = draw(days(dt.date(YEAR - 100, 1, 1), min(first, dt.date(YEAR, 12, 31))))
    return SigningSpan(person, first, last, birth, draw(st.sampled_from(StartKind)), end)


rosters = st.lists(st.integers(0, 10_000), max_size=30, unique=True).flatmap(
    lambda ids: st.tuples(*(spans(f"P{n}") for n in ids))
)
amounts = st.decimals(min_value=0, max_value=5_000, places=2, allow_nan=False, allow_infinity=False)
spending = st.dictionaries(st.integers(1, 12), amounts, max_size=12)


def request(policy: str, signings: tuple[SigningSpan, ...], paid: dict[int, Decimal]) -> FundRequest:
    return FundRequest(policy, YEAR, signings, paid, dt.date(YEAR, 7, 15), Decimal(90), PER_HEAD)


@FEW
@given(st.sampled_from(POLICIES), rosters, spending)
def test_no_month_pays_more_than_its_limit_or_its_spending(
    policy: str, signings: tuple[SigningSpan, ...], paid: dict[int, Decimal]
) -> None:
    position = fund(request(policy, signings, paid), BOOK)
    for month in position.months:
        assert month.fund_paid == paid.get(month.month, 0)
        if month.paid is not None:
            assert month.limit is not None
            assert 0 <= month.paid <= month.limit
            assert month.paid <= month.fund_paid
    if position.quarters:
        assert sum(q.advance for q in position.quarters) == position.budget
        assert sum(q.fund_paid for q in position.quarters) == position.fund_paid
    assert position.year_end.fund_paid == sum(paid.values(), Decimal(0))


@FEW
@given(st.sampled_from(POLICIES), rosters, spans("newcomer"))
def test_every_person_added_grows_the_budget(
    policy: str, signings: tuple[SigningSpan, ...], newcomer: SigningSpan
) -> None:
    # Someone signed for the whole year, so that every method counts them.
    whole_year = SigningSpan("newcomer", dt.date(YEAR - 1, 6, 1), None, newcomer.birth_date)
    before = fund(request(policy, signings, {}), BOOK).budget
    after = fund(request(policy, (*signings, whole_year), {}), BOOK).budget
    assert after > before


@FEW
@given(st.sampled_from(POLICIES[:2]), rosters, spending, amounts)
def test_bands_and_settlement_rise_with_the_spend(
    policy: str, signings: tuple[SigningSpan, ...], paid: dict[int, Decimal], more: Decimal
) -> None:
    rules = BOOK.versions(policy)[-1].fund
    assert rules is not None
    assert rules.bands is not None
    order = [band.name for band in rules.bands.value]
    lower = fund(request(policy, signings, paid), BOOK)
    higher = fund(request(policy, signings, {**paid, 12: paid.get(12, Decimal(0)) + more}), BOOK)
    assert lower.year_end.band is not None
    assert higher.year_end.band is not None
    assert order.index(higher.year_end.band) >= order.index(lower.year_end.band)
    if lower.year_end.total is not None and higher.year_end.total is not None:
        assert higher.year_end.total >= lower.year_end.total  # Nanchang: what the year settles at
    if lower.year_end.reward is not None and higher.year_end.reward is not None:
        # Shaoguan: the clinic keeps the budget less the spend above 80%, nothing below it.
        kept_lower = lower.year_end.reward - (lower.year_end.overspend or 0)
        kept_higher = higher.year_end.reward - (higher.year_end.overspend or 0)
        assert higher.year_end.fund_paid + kept_higher >= lower.year_end.fund_paid + kept_lower
