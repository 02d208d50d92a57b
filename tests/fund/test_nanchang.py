"""洪府厅发〔2019〕102号 第二十二条–第二十九条, each rule with a case worked by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from desktop.policy import PolicyBook
from tests.fund.builders import Json, monthly, request, run, signing

NC = "nanchang-resident"


def nc(*signings: Json, **fields: Any) -> Json:
    return request(NC, *signings, **fields)


# 第二十三条: 年龄 = 待遇享受年度 − 出生年份, into five groups by the article's table.
@pytest.mark.parametrize(
    ("born", "group", "standard"),
    [
        (2024, 1, "37.00"),  # age 0
        (2023, 2, "70.00"),  # 1
        (2022, 3, "141.00"),  # 2
        (2021, 5, "226.00"),  # 3
        (2018, 4, "181.00"),  # 6
        (2015, 3, "141.00"),  # 9
        (2011, 2, "70.00"),  # 13
        (1999, 1, "37.00"),  # 25
        (1998, 2, "70.00"),  # 26
        (1972, 3, "141.00"),  # 52
        (1960, 4, "181.00"),  # 64
        (1959, 5, "226.00"),  # 65
        (1943, 4, "181.00"),  # 81
        (1942, 5, "226.00"),  # 82
        (1936, 3, "141.00"),  # 88
        (1934, 2, "70.00"),  # 90: 第二组 "90-"
        (1920, 2, "70.00"),  # 104
    ],
)
def test_article_23_age_groups(book: PolicyBook, born: int, group: int, standard: str) -> None:
    # December-born: the age is the year's difference, not the birthday's.
    body = nc(signing("A", birth=f"{born}-01-01", since="2024-01-01"))
    if born < 2024:
        body = nc(signing("A", birth=f"{born}-12-31", since="2024-01-01"))
    result = run(book, body)
    assert result["groups"] == [{"group": group, "standard": standard, "persons": "1.0000", "budget": standard}]


def test_article_27_budget_is_each_groups_standard_times_its_person_years(book: PolicyBook) -> None:
    # Two in group 5 all year: 2 × 226 = 452.00. One in group 1 moved in on 10 March: counted
    # April–December (第二十八条第二款), 9/12 = 0.75 of 37 = 27.75. Budget 479.75.
    result = run(
        book,
        nc(
            signing("A", birth="1950-05-05"),
            signing("B", birth="1950-05-05"),
            signing("C", birth="2005-05-05", since="2024-03-10", start="moved"),
        ),
    )
    assert result["budget"] == "479.75"
    assert result["groups"] == [
        {"group": 1, "standard": "37.00", "persons": "0.7500", "budget": "27.75"},
        {"group": 5, "standard": "226.00", "persons": "2.0000", "budget": "452.00"},
    ]


def test_article_26_monthly_ceiling_pays_the_smaller(book: PolicyBook) -> None:
    # One person in group 5: 226 ÷ 12 × 1 = 18.8333 → 18.83 a month. January spent 20.00: paid
    # at the ceiling; February spent 10.00: paid what was spent (据实结算).
    result = run(book, nc(signing("A", birth="1950-05-05"), fund_paid={"2024-01": "20.00", "2024-02": "10.00"}))
    january, february = result["months"][:2]
    assert january == {"month": "2024-01", "signed": 1, "ceiling": "18.83", "fund_paid": "20.00", "paid": "18.83"}
    assert february == {"month": "2024-02", "signed": 1, "ceiling": "18.83", "fund_paid": "10.00", "paid": "10.00"}


def test_article_26_rounds_each_group_then_sums(book: PolicyBook) -> None:
    # Group 1: 37 ÷ 12 = 3.0833 → 3.08; group 4: 181 ÷ 12 = 15.0833 → 15.08; sum 18.16
    # (not 218 ÷ 12 = 18.1667 → 18.17).
    result = run(book, nc(signing("A", birth="2005-01-01"), signing("B", birth="1965-01-01")))
    assert result["months"][0]["ceiling"] == "18.16"


def test_article_28_1_a_first_signing_counts_the_full_standard(book: PolicyBook) -> None:
    # First choice on 20 October, age 40 (group 3, 141): the budget has the whole 141.00; the
    # monthly ceiling counts the person from October only (第二十六条 当月签约人数).
    result = run(book, nc(signing("A", birth="1984-03-03", since="2024-10-20", start="first")))
    assert result["budget"] == "141.00"
    assert [m["signed"] for m in result["months"]] == [0] * 9 + [1] * 3
    assert [m["ceiling"] for m in result["months"]] == ["0.00"] * 9 + ["11.75"] * 3


def test_a_renewed_signing_from_october_counts_three_months(book: PolicyBook) -> None:
    result = run(book, nc(signing("A", birth="1984-03-03", since="2024-10-20")))
    assert result["budget"] == "35.25"  # 141 × 3 ÷ 12


def test_article_28_2_a_move_counts_the_old_through_its_month_and_the_new_from_the_next(book: PolicyBook) -> None:
    # Age 54, group 4 (181). Moved on 18 May: the old facility January–May (5 months, 75.42),
    # the new one June–December (7 months, 105.58): the year's 181.00 exactly once between them.
    old = run(book, nc(signing("A", birth="1970-01-01", to="2024-05-17", end="moved")))
    new = run(book, nc(signing("A", birth="1970-01-01", since="2024-05-18", start="moved")))
    assert (old["budget"], new["budget"]) == ("75.42", "105.58")
    assert [m["signed"] for m in old["months"]] == [1] * 5 + [0] * 7
    assert [m["signed"] for m in new["months"]] == [0] * 5 + [1] * 7


def test_article_28_3_a_reassignment_counts_the_old_to_the_month_before_and_the_new_from_its_month(
    book: PolicyBook,
) -> None:
    # The old facility suspended; the agency reassigned the person on 18 May: old January–April
    # (4 months, 60.33), new May–December (8 months, 120.67).
    old = run(book, nc(signing("A", birth="1970-01-01", to="2024-05-17", end="reassigned")))
    new = run(book, nc(signing("A", birth="1970-01-01", since="2024-05-18", start="reassigned")))
    assert (old["budget"], new["budget"]) == ("60.33", "120.67")
    assert [m["signed"] for m in new["months"]] == [0] * 4 + [1] * 8


def test_a_signing_that_simply_ended_counts_through_its_month(book: PolicyBook) -> None:
    result = run(book, nc(signing("A", birth="1970-01-01", to="2024-02-01")))
    assert result["budget"] == "30.17"  # 181 × 2 ÷ 12


def test_a_person_who_left_and_came_back_counts_each_month_once(book: PolicyBook) -> None:
    result = run(
        book,
        nc(
            signing("A", birth="1970-01-01", to="2024-03-31"),
            signing("A", birth="1970-01-01", since="2024-03-15"),
        ),
    )
    assert result["budget"] == "181.00"
    assert {m["signed"] for m in result["months"]} == {1}


ONE_IN_GROUP_5 = signing("A", birth="1950-05-05")  # budget 226.00, ceiling 18.83 a month


@pytest.mark.parametrize(
    ("spent", "ratio", "band", "total"),
    [
        ("180.79", "0.8000", "below_80", "180.79"),  # 0.79996: shown as 0.8000, decided below it
        ("180.80", "0.8000", "80_to_90", "203.40"),  # exactly 80%: 180.80 + (226 − 180.80) × 50%
        ("203.39", "0.9000", "80_to_90", "214.70"),  # 203.39 + 22.61 × 50% = 214.695 → 214.70
        ("203.40", "0.9000", "90_and_above", "226.00"),  # exactly 90%: the budget
        ("300.00", "1.3274", "90_and_above", "226.00"),  # 第二十二条: the overspend is not paid
        ("0.00", "0.0000", "below_80", "0.00"),
    ],
)
def test_article_29_year_end_bands(book: PolicyBook, spent: str, ratio: str, band: str, total: str) -> None:
    result = run(book, nc(ONE_IN_GROUP_5, fund_paid={"2024-01": spent}))
    paid = min(Decimal(spent), Decimal("18.83"))
    assert result["year_end"] == {
        "fund_paid": spent,
        "ratio": ratio,
        "band": band,
        "total": total,
        "paid_in_year": f"{paid:f}",
        "balance": f"{Decimal(total) - paid:f}",
    }


def test_no_budget_at_all_is_the_highest_band_once_anything_was_spent(book: PolicyBook) -> None:
    spent = run(book, nc(fund_paid={"2024-01": "10.00"}, as_of="2024-01-31"))
    assert spent["budget"] == "0.00"
    assert spent["year_end"]["ratio"] == "0.0000"
    assert spent["year_end"]["band"] == "90_and_above"
    assert spent["projection"]["band"] == "90_and_above"
    assert spent["months"][0]["paid"] == "0.00"
    nothing = run(book, nc(as_of="2024-01-31"))
    assert nothing["year_end"]["band"] == nothing["projection"]["band"] == "below_80"


@pytest.mark.parametrize(
    ("as_of", "months", "fund_paid", "projected"),
    [
        ("2024-06-29", 5, "50.00", "120.00"),  # June has not ended
        ("2024-06-30", 6, "60.00", "120.00"),
        ("2025-02-01", 12, "120.00", "120.00"),  # after the year: all twelve
    ],
)
def test_projection_carries_the_elapsed_months_to_twelve(
    book: PolicyBook, as_of: str, months: int, fund_paid: str, projected: str
) -> None:
    result = run(book, nc(ONE_IN_GROUP_5, fund_paid=monthly("10.00"), as_of=as_of))
    assert result["projection"] == {
        "as_of": as_of,
        "months": months,
        "fund_paid": fund_paid,
        "projected": projected,
        "ratio": "0.5310",
        "band": "below_80",
    }


def test_no_projection_before_a_month_has_ended(book: PolicyBook) -> None:
    assert run(book, nc(ONE_IN_GROUP_5, as_of="2024-01-30"))["projection"] is None
    assert run(book, nc(ONE_IN_GROUP_5, as_of="2023-12-31"))["projection"] is None
    assert run(book, nc(ONE_IN_GROUP_5))["projection"] is None


def test_the_projected_ratio_is_taken_from_the_rounded_projection(book: PolicyBook) -> None:
    # 7 months of 10.01 = 70.07 → × 12 ÷ 7 = 120.12; 120.12 ÷ 226 = 0.53150 → 0.5315.
    result = run(book, nc(ONE_IN_GROUP_5, fund_paid=monthly("10.01"), as_of="2024-07-31"))
    assert result["projection"]["projected"] == "120.12"
    assert result["projection"]["ratio"] == "0.5315"
