"""Employees treated outside their pooling city: paid only with 异地安置 or 转诊备案 on file.

洪府办发〔2022〕93号 第二十二条 (filed: the same benefit), 第二十五条（五） (not filed: the fund pays
nothing); 南府办发〔2022〕33号 第二十六条 (care outside the pooling area after filing).
"""

from __future__ import annotations

import pytest

from desktop.policy import PolicyBook
from desktop.policy.codec import InputError
from desktop.policy.parameters import PolicyFileError, PoolingLevel, load_book
from tests.policy.builders import EMPLOYEE_POLICIES, RESIDENT_POLICIES, expect, item, request, run

NANCHANG, NANCHONG = "nanchang-employee", "nanchong-employee"
AWAY = {"in_city": False}
FILED = {"filed_out_of_area": True}
MET = {"deductible_met": "1000.00", "fund_paid": "0.00", "fund_paid_out_of_city": "0.00"}


def test_nanchang_art25_5_unfiled_care_outside_the_city_is_not_paid(book: PolicyBook) -> None:
    body = request(NANCHANG, item(amount="100.00"), facility=AWAY, ytd=MET, patient={"account_balance": "30.00"})
    result = run(book, body)
    expect(result, covered=False, reason="out_of_area_not_filed", rate="0.00", fund="0.00", in_scope="100.00")
    # The personal account still pays the rest (第十二条 names no such exception), the patient the remainder.
    expect(result, account="30.00", cash="70.00", deductible_applied="0.00")
    assert result["year_to_date_after"] == MET
    assert any("第二十五条（五）" in sentence and "备案" in sentence for sentence in result["explanation"])


def test_nanchong_art26_unfiled_care_outside_the_city_is_not_paid(book: PolicyBook) -> None:
    result = run(book, request(NANCHONG, item(amount="100.00"), facility=AWAY, ytd=MET))
    expect(result, covered=False, reason="out_of_area_not_filed", fund="0.00")
    assert any("第二十六条" in sentence for sentence in result["explanation"])


@pytest.mark.parametrize("policy", EMPLOYEE_POLICIES)
def test_art22_art26_filed_care_outside_the_city_is_paid_and_says_why(book: PolicyBook, policy: str) -> None:
    result = run(book, request(policy, item(amount="100.00"), facility=AWAY, visit=FILED, ytd=MET))
    expect(result, covered=True, reason=None, rate="0.60", fund="60.00")
    assert result["year_to_date_after"]["fund_paid_out_of_city"] == "60.00"
    assert any("备案" in sentence for sentence in result["explanation"])


@pytest.mark.parametrize("policy", EMPLOYEE_POLICIES)
def test_art22_a_filing_changes_nothing_inside_the_city(book: PolicyBook, policy: str) -> None:
    home = run(book, request(policy, item(amount="100.00"), ytd=MET))
    filed = run(book, request(policy, item(amount="100.00"), visit=FILED, ytd=MET))
    assert {k: v for k, v in filed.items() if k != "explanation"} == {
        k: v for k, v in home.items() if k != "explanation"
    }
    assert filed["explanation"] == home["explanation"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"facility": {"in_city": False, "designated": False}}, "not_designated"),
        ({"visit": {"liability": "third_party"}}, "other_liability"),
        ({"visit": {"inpatient": True}}, "inpatient"),
        ({"patient": {"benefit_suspended": True}}, "benefit_suspended"),
        ({"visit": {"disease": "diabetes"}, "patient": {"chronic_diseases": ["diabetes"]}}, "chronic_disease_scheme"),
    ],
)
def test_art25_5_comes_after_the_reasons_the_contract_puts_first(
    book: PolicyBook, change: dict[str, dict[str, object]], reason: str
) -> None:
    body = request(NANCHANG, item(amount="100.00"), facility=AWAY)
    for part, values in change.items():
        body[part].update(values)
    expect(run(book, body), covered=False, reason=reason)


def test_art25_5_wins_over_a_used_up_cap(book: PolicyBook) -> None:
    # Not covered at all is what the patient needs to hear, not that the cap is used up.
    spent = {"deductible_met": "600.00", "fund_paid": "1800.00", "fund_paid_out_of_city": "0.00"}
    expect(
        run(book, request(NANCHANG, item(amount="100.00"), facility=AWAY, ytd=spent)), reason="out_of_area_not_filed"
    )
    filed = run(book, request(NANCHANG, item(amount="100.00"), facility=AWAY, visit=FILED, ytd=spent))
    expect(filed, covered=True, reason="cap_reached", fund="0.00")


@pytest.mark.parametrize("policy", RESIDENT_POLICIES)
def test_resident_schemes_have_no_filing_rule(book: PolicyBook, policy: str) -> None:
    # Residents away from home follow their own rules (韶关 第六条: emergencies), never this reason.
    body = request(policy, item(amount="100.00"), facility=AWAY, visit={"emergency": True})
    assert run(book, body)["reason"] != "out_of_area_not_filed"


def test_filed_out_of_area_must_be_true_or_false(book: PolicyBook) -> None:
    body = request(NANCHANG, item(amount="100.00"), visit={"filed_out_of_area": "yes"})
    with pytest.raises(InputError) as caught:
        run(book, body)
    assert caught.value.field == "visit.filed_out_of_area"


def test_every_shipped_policy_names_its_pooling_area_with_the_article(book: PolicyBook) -> None:
    for policy in book.policies:
        for version in book.versions(policy):
            assert version.pooling_area is not None, policy
            assert version.pooling_area.value is PoolingLevel.CITY
            assert version.pooling_area.article
            assert version.pooling_area.decision


def test_a_pooling_level_that_is_no_level_is_refused_naming_the_key(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "county.toml").write_text(
        'policy = "hunan-resident-x"\nextends = "hunan-resident"\nversion = "x〔2024〕1号"\ntitle = "x"\n'
        'effective_from = { value = 2024-01-01, article = "第一条" }\n'
        '[area]\npooling = { value = "township", article = "第二条" }\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyFileError) as caught:
        load_book([folder])
    assert caught.value.key == "area.pooling.value"
