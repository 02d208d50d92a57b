"""韶医保规〔2023〕2号 第七条、第九条（二）, each rule with a case worked by hand."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.policy import PolicyBook
from tests.fund.builders import Json, request, run, signing

SG = "shaoguan-resident"

# P0 all year; P1 until 15 March; P2 from 2 November; P3 left on 10 February and came back
# on 1 August; P4's signing ended before the year, P5's starts after it.
ROSTER = (
    signing("P0", since="2023-04-01"),
    signing("P1", since="2023-04-01", to="2024-03-15"),
    signing("P2", since="2024-11-02"),
    signing("P3", since="2023-04-01", to="2024-02-10"),
    signing("P3", since="2024-08-01"),
    signing("P4", since="2023-04-01", to="2023-11-30"),
    signing("P5", since="2025-01-01"),
)


def sg(**fields: Any) -> Json:
    return request(SG, *ROSTER, **fields)


def test_article_7_and_9_2_1_budget_is_50_a_person_signed_in_the_year(book: PolicyBook) -> None:
    # 信息签约为准: four persons signed at some time in 2024 (P3 once, however many signings).
    result = run(book, sg())
    assert (result["signed"], result["budget"]) == (4, "200.00")


@pytest.mark.parametrize(
    ("month", "heads", "advance"),
    [
        (1, 3, "10.00"),  # on 31 Dec 2023: P0, P1, P3 → 50 ÷ 12 × 3 × 80%
        (3, 2, "6.67"),  # on 29 Feb: P0, P1 → 6.6667
        (4, 1, "3.33"),  # on 31 Mar: P0 (P1 ended on the 15th)
        (9, 2, "6.67"),  # on 31 Aug: P0, P3 back
        (12, 3, "10.00"),  # on 30 Nov: P0, P2, P3
    ],
)
def test_article_9_2_2_advance_from_last_months_signed(book: PolicyBook, month: int, heads: int, advance: str) -> None:
    line = run(book, sg())["months"][month - 1]
    assert (line["signed_last_month"], line["advance"]) == (heads, advance)


def test_article_9_2_2_pre_settlement_is_95_percent_capped_by_the_advance(book: PolicyBook) -> None:
    result = run(book, sg(fund_paid={"2024-01": "8.00", "2024-02": "20.00", "2024-03": "0.30"}))
    january, february, march = result["months"][:3]
    assert january == {
        "month": "2024-01",
        "signed_last_month": 3,
        "advance": "10.00",
        "fund_paid": "8.00",
        "pre_settlement": "7.60",
        "paid": "7.60",
        "deposit": "0.40",
    }
    # 20.00 × 95% = 19.00 is above the advance (10.00): paid 10.00; the deposit is still 5% of 20.00.
    assert (february["pre_settlement"], february["paid"], february["deposit"]) == ("19.00", "10.00", "1.00")
    # 0.30 × 95% = 0.285 → 0.29 (half up); the deposit is what is left: 0.01.
    assert (march["pre_settlement"], march["deposit"]) == ("0.29", "0.01")
    assert result["year_end"]["deposit"] == "1.41"


@pytest.mark.parametrize(("score", "returned"), [("85", "1.20"), ("100", "1.41"), ("0", "0.00"), (None, None)])
def test_article_9_2_3_deposits_come_back_by_the_score(
    book: PolicyBook, score: str | None, returned: str | None
) -> None:
    # 年终清算 = 质保金 × 年终考核分数: 1.41 × 85% = 1.1985 → 1.20.
    body = sg(fund_paid={"2024-01": "8.00", "2024-02": "20.00", "2024-03": "0.30"}, quality_score=score)
    assert run(book, body)["year_end"]["deposit_returned"] == returned


@pytest.mark.parametrize(
    ("spent", "band", "reward", "overspend"),
    [
        ("159.99", "below_80", "0.00", "0.00"),  # 据实结算, the rest returns to the fund
        ("160.00", "80_to_100", "40.00", "0.00"),  # 80% (含): 节余奖励 = 200 − 160
        ("199.99", "80_to_100", "0.01", "0.00"),
        ("200.00", "80_to_100", "0.00", "0.00"),  # exactly the budget: no reward, no overspend
        ("200.01", "over_budget", "0.00", "0.01"),  # 第九条（二）5: 超支不补
    ],
)
def test_article_9_2_4_and_5_reward_and_overspend(
    book: PolicyBook, spent: str, band: str, reward: str, overspend: str
) -> None:
    year_end = run(book, sg(fund_paid={"2024-06": spent}))["year_end"]
    assert (year_end["band"], year_end["reward"], year_end["overspend"]) == (band, reward, overspend)


def test_the_projection_names_shaoguans_bands(book: PolicyBook) -> None:
    # Three months of 40.00: 120.00 × 12 ÷ 3 = 480.00, 2.4 times the budget.
    result = run(book, sg(fund_paid={f"2024-0{m}": "40.00" for m in (1, 2, 3)}, as_of="2024-04-15"))
    assert result["projection"] == {
        "as_of": "2024-04-15",
        "months": 3,
        "fund_paid": "120.00",
        "projected": "480.00",
        "ratio": "2.4000",
        "band": "over_budget",
    }


def test_birth_dates_and_start_kinds_are_not_read(book: PolicyBook) -> None:
    body = request(SG, {"person": "P0", "from": "2023-01-01", "birth_date": "not read", "start": "sideways"})
    assert run(book, body)["signed"] == 1


def test_a_signing_that_ended_on_new_years_eve_still_counts_in_januarys_advance(book: PolicyBook) -> None:
    body = request(SG, signing("A", since="2023-01-01", to="2023-12-31"), signing("B", since="2023-01-01"))
    result = run(book, body)
    assert result["signed"] == 1  # A is not signed at any time in 2024
    assert [m["signed_last_month"] for m in result["months"][:2]] == [2, 1]
