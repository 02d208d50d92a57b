"""Invariants of quote-contract.md that hold for every visit under every policy (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.policy import PolicyBook, load_book
from desktop.policy.parameters import Standing
from tests.policy.builders import Json, money_of, run
from tests.policy.strategies import any_visits, covered_visits, items, visits

BOOK = load_book()  # hypothesis cannot take function-scoped fixtures; the shipped book is immutable
FEW = settings(max_examples=200, deadline=None, database=None)
MONEY_FIELDS = ("total", "out_of_scope", "in_scope", "deductible_applied", "fund", "account", "cash")


def dec(result: Json, key: str) -> Decimal:
    return Decimal(result[key])


def ytd_delta(before: Json, after: Json, key: str) -> Decimal:
    return Decimal(after["year_to_date_after"][key]) - Decimal(before["year_to_date"][key])


@FEW
@given(st.one_of(visits(), covered_visits()))
def test_the_bill_adds_up_and_nothing_is_negative(body: Json) -> None:
    result = run(BOOK, body)
    assert dec(result, "total") == dec(result, "fund") + dec(result, "account") + dec(result, "cash")
    assert dec(result, "total") == dec(result, "in_scope") + dec(result, "out_of_scope")
    for key in MONEY_FIELDS:
        assert dec(result, key) >= 0, key
        assert result[key].count(".") == 1
        assert len(result[key].split(".")[1]) == 2, key
    for key, value in result["year_to_date_after"].items():
        assert Decimal(value) >= Decimal(body["year_to_date"][key]), key
    assert dec(result, "fund") <= dec(result, "in_scope")
    if not result["covered"]:
        assert (result["fund"], result["rate"], result["deductible_applied"]) == ("0.00", "0.00", "0.00")
        assert result["reason"] is not None
    if result["reason"] == "cap_reached":
        assert (result["covered"], result["fund"]) == (True, "0.00")
        assert result["rate"] != "0.00"
    if body["policy"].endswith("-resident"):
        assert result["account"] == "0.00"
    assert dec(result, "account") <= Decimal(body["patient"]["account_balance"])


def _cap_left(book: PolicyBook, body: Json) -> Decimal | None:
    version = book.version_for(body["policy"], dt.date.fromisoformat(body["visit_date"]))
    standing = Standing.RESIDENT if Standing.RESIDENT in version.benefits else Standing(body["patient"]["employment"])
    benefit = version.benefits[standing]
    ytd = body["year_to_date"]
    rooms = []
    if benefit.cap is not None:
        rooms.append(max(Decimal(0), benefit.cap.value - Decimal(ytd["fund_paid"])))
    if benefit.out_of_city_cap is not None and not body["facility"]["in_city"]:
        rooms.append(max(Decimal(0), benefit.out_of_city_cap.value - Decimal(ytd["fund_paid_out_of_city"])))
    return min(rooms) if rooms else None


@FEW
@given(any_visits())
def test_fund_toward_the_cap_never_exceeds_what_is_left(body: Json) -> None:
    result = run(BOOK, body)
    toward_cap = ytd_delta(body, result, "fund_paid")
    left = _cap_left(BOOK, body)
    if left is not None:
        assert toward_cap <= left
    # Only 南昌职工 consultation fees are paid outside the cap (洪府办发〔2022〕93号 第二十三条).
    if body["policy"] != "nanchang-employee":
        assert toward_cap == dec(result, "fund")


@FEW
@given(any_visits(), items())
def test_adding_a_class_c_item_never_changes_the_fund(body: Json, extra: Json) -> None:
    before = run(BOOK, body)
    body["visit"]["items"].append({**extra, "class": "C"})
    after = run(BOOK, body)
    assert (after["fund"], after["in_scope"], after["reason"]) == (before["fund"], before["in_scope"], before["reason"])
    assert dec(after, "out_of_scope") == dec(before, "out_of_scope") + Decimal(extra["amount"])


@FEW
@given(any_visits(), st.integers(1, 250_000))
def test_more_fund_paid_this_year_never_raises_the_fund(body: Json, more_fen: int) -> None:
    before = run(BOOK, body)
    ytd = body["year_to_date"]
    ytd["fund_paid"] = f"{Decimal(ytd['fund_paid']) + Decimal(more_fen) / 100:.2f}"
    after = run(BOOK, body)
    assert dec(after, "fund") <= dec(before, "fund")


@FEW
@given(visits(), st.randoms(use_true_random=False))
def test_item_order_does_not_change_the_money(body: Json, random: Any) -> None:
    before = run(BOOK, body)
    random.shuffle(body["visit"]["items"])
    after = run(BOOK, body)
    assert money_of(after) == money_of(before)
