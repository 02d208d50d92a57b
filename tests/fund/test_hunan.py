"""湘人社发〔2017〕94号 第九条、第十条, each rule with a case worked by hand; a county file's figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.policy import PolicyBook, load_book
from desktop.policy.codec import InputError
from tests.fund.builders import Json, monthly, persons, request, run

HN = "hunan-resident"

LIUYANG = """\
policy = "hunan-resident-liuyang"
extends = "hunan-resident"
version = "浏医保发〔2024〕1号"
title = "浏阳市城乡居民普通门诊统筹实施细则"
effective_from = { value = 2024-01-01, article = "第二十条" }

[fund]
per_head = { value = "60.00", article = "第八条" }
"""


def hn(count: int, **fields: Any) -> Json:
    return request(HN, *persons(count), **fields)


def test_article_10_quarterly_advance_leaves_the_rounding_to_the_fourth_quarter(book: PolicyBook) -> None:
    # 3 × 33.33 = 99.99; a quarter 24.9975 → 25.00 for Q1–Q3, Q4 what is left: 24.99.
    result = run(book, hn(3, per_head="33.33"))
    assert result["budget"] == "99.99"
    assert [q["advance"] for q in result["quarters"]] == ["25.00", "25.00", "25.00", "24.99"]
    assert [q["quarter"] for q in result["quarters"]] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]


def test_article_10_quarters_sum_their_months(book: PolicyBook) -> None:
    paid = {"2024-01": "1.00", "2024-03": "2.00", "2024-04": "4.00", "2024-12": "8.00"}
    result = run(book, hn(1, per_head="10.00", fund_paid=paid))
    assert [q["fund_paid"] for q in result["quarters"]] == ["3.00", "4.00", "0.00", "8.00"]


def test_article_10_surplus_rolls_over_and_so_may_an_overspend(book: PolicyBook) -> None:
    # 99.99 + 10.00 − 150.00 = −40.01.
    result = run(book, hn(3, per_head="33.33", carried_in="10.00", fund_paid=monthly("12.50")))
    assert result["year_end"] == {
        "fund_paid": "150.00",
        "ratio": "1.5002",
        "carried_in": "10.00",
        "carried_out": "-40.01",
    }
    assert result["projection"] is None


def test_hunan_names_no_band(book: PolicyBook) -> None:
    result = run(book, hn(3, per_head="10.00", fund_paid=monthly("1.00"), as_of="2024-03-31"))
    assert result["projection"]["band"] is None
    assert result["projection"]["projected"] == "12.00"


def test_article_9_the_figure_a_head_is_the_countys(book: PolicyBook) -> None:
    with pytest.raises(InputError) as refused:
        run(book, hn(2))
    assert refused.value.field == "per_head"


def test_a_county_file_gives_its_figure_and_the_input_may_still_set_one(tmp_path: Path) -> None:
    (tmp_path / "liuyang.toml").write_text(LIUYANG, encoding="utf-8")
    county = load_book([tmp_path])
    body = request("hunan-resident-liuyang", *persons(2))
    assert run(county, body)["budget"] == "120.00"
    assert run(county, {**body, "per_head": "45.50"})["budget"] == "91.00"
