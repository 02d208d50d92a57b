"""The [fund] sections as dated data: every figure cites its article, a county file changes one,
and a malformed section is refused when the policies load, naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.policy import PolicyBook, PolicyFileError, load_book
from tests.fund.builders import request, run, signing

NANCHANG_COUNTY = """\
policy = "nanchang-resident-jinxian"
extends = "nanchang-resident"
version = "进医保发〔2024〕3号"
title = "进贤县城乡居民普通门诊统筹实施细则"
effective_from = { value = 2024-01-01, article = "第十九条" }
"""
GROUPS = """
[fund.groups]
article = "第六条"
value = [
    { group = 1, standard = "40.00", ages = ["0-25"] },
    { group = 2, standard = "200.00", ages = ["26-"] },
]
"""


def refusal(directory: Path, text: str) -> PolicyFileError:
    (directory / "county.toml").write_text(NANCHANG_COUNTY + text, encoding="utf-8")
    with pytest.raises(PolicyFileError) as caught:
        load_book([directory])
    return caught.value


@pytest.mark.parametrize("policy", ["nanchang-resident", "shaoguan-resident", "hunan-resident"])
def test_every_resident_policy_has_its_fund_with_articles(book: PolicyBook, policy: str) -> None:
    rules = book.versions(policy)[-1].fund
    assert rules is not None
    for name in rules.__dataclass_fields__:
        figure = getattr(rules, name)
        if figure is not None:
            assert figure.article.startswith("第"), name


def test_employee_policies_have_no_fund(book: PolicyBook) -> None:
    assert book.versions("nanchang-employee")[-1].fund is None


def test_a_county_file_replaces_the_age_table(tmp_path: Path) -> None:
    (tmp_path / "county.toml").write_text(NANCHANG_COUNTY + GROUPS, encoding="utf-8")
    county = load_book([tmp_path])
    body = request("nanchang-resident-jinxian", signing("A", birth="1990-01-01"), signing("B", birth="2010-01-01"))
    result = run(county, body)
    assert result["budget"] == "240.00"
    assert [g["group"] for g in result["groups"]] == [1, 2]
    # The bands and the month rules are still the city's.
    assert result["year_end"]["band"] == "below_80"


def test_a_county_file_moves_a_band(tmp_path: Path) -> None:
    bands = """
[fund.bands]
article = "第七条"
value = [
    { name = "below_70", from = "0.00", settles = "actual" },
    { name = "70_and_above", from = "0.70", settles = "budget" },
]
"""
    (tmp_path / "county.toml").write_text(NANCHANG_COUNTY + bands, encoding="utf-8")
    body = request("nanchang-resident-jinxian", signing("A", birth="1950-05-05"), fund_paid={"2024-03": "158.20"})
    assert run(load_book([tmp_path]), body)["year_end"]["band"] == "70_and_above"  # 158.20 = 70% of 226


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (GROUPS.replace('"0-25"', '"0-24"'), "fund.groups.value", "age 25 is in no group"),
        (GROUPS.replace('"0-25"', '"0-26"'), "fund.groups.value", "age 26 is in groups 1, 2"),
        (GROUPS.replace('"26-"', '"26-200"'), "fund.groups.value", "open range"),
        (GROUPS.replace("group = 2", "group = 3"), "fund.groups.value.1.group", "must be 2"),
        (GROUPS.replace('"40.00"', '"40"'), "fund.groups.value.0.standard", "not an amount"),
        (GROUPS.replace('"0-25"', '"25-0"'), "fund.groups.value.0.ages.0", "ends before it starts"),
        (GROUPS.replace('"0-25"', '"a child"'), "fund.groups.value.0.ages.0", "not an age"),
        (GROUPS.replace('article = "第六条"\n', ""), "fund.groups.article", "must cite the article"),
        ('\n[fund]\nper_head = { value = "50.00", article = "第七条" }\n', "fund.per_head", "not used"),
        ('\n[fund]\nbudget = { value = "50.00", article = "第七条" }\n', "fund.budget", "unknown key"),
        ('\n[fund]\nmethod = { value = "by_lottery", article = "第一条" }\n', "fund.method.value", "not one of"),
        (
            '\n[fund]\nbands = { value = [{ name = "a", from = "0.50", settles = "actual" }], article = "第一条" }\n',
            "fund.bands.value.0.from",
            "lowest band",
        ),
        (
            '\n[fund]\nbands = { value = [{ name = "a", from = "0.00", settles = "actual" }, '
            '{ name = "b", from = "0.00", settles = "budget" }], article = "第一条" }\n',
            "fund.bands.value.1.from",
            "lowest first",
        ),
        (
            '\n[fund]\nbands = { value = [{ name = "a", from = "0.00", settles = "actual_plus_unused" }], '
            'article = "第一条" }\n',
            "fund.bands.value.0.unused_share",
            "actual_plus_unused",
        ),
        (
            '\n[fund.months_counted]\narticle = "第一条"\nvalue = { moved_in = "month_before",'
            ' moved_out = "same_month", reassigned_in = "same_month", reassigned_out = "month_before" }\n',
            "fund.months_counted.value.moved_in",
            "not one of",
        ),
    ],
)
def test_a_malformed_fund_section_is_refused(tmp_path: Path, text: str, key: str, problem: str) -> None:
    error = refusal(tmp_path, text)
    assert error.path.endswith("county.toml")
    assert error.key == key
    assert problem in error.problem


def test_an_employee_file_with_a_fund_is_refused(tmp_path: Path) -> None:
    text = """\
policy = "nanchang-employee-x"
extends = "nanchang-employee"
version = "x"
title = "x"
effective_from = { value = 2024-01-01, article = "第一条" }

[fund]
method = { value = "age_groups", article = "第一条" }
"""
    (tmp_path / "employee.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyFileError) as caught:
        load_book([tmp_path])
    assert caught.value.key == "fund"
