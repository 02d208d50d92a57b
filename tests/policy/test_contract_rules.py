"""The quote contract's own rules across policies: reason precedence, rounding, cap_reached, the account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.policy import PolicyBook, load_book
from tests.policy.builders import ALL_POLICIES, Json, expect, item, request, run

# --- reason precedence (quote-contract.md, "reason is the first of these that applies") ----------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"facility": {"designated": False}, "visit": {"liability": "work_injury"}}, "not_designated"),
        ({"visit": {"liability": "public_health", "inpatient": True}}, "other_liability"),
        ({"visit": {"inpatient": True}, "patient": {"benefit_suspended": True}}, "inpatient"),
        (
            {
                "patient": {"benefit_suspended": True, "chronic_diseases": ["hypertension"]},
                "visit": {"disease": "hypertension"},
            },
            "benefit_suspended",
        ),
        (
            {
                "patient": {"category": "university_student", "chronic_diseases": ["diabetes"]},
                "visit": {"disease": "diabetes"},
            },
            "chronic_disease_scheme",
        ),
        ({"patient": {"category": "university_student"}, "facility": {"id": "T99"}}, "excluded_category"),
        (
            {
                "facility": {"designated": False, "id": "T99"},
                "patient": {"category": "university_student", "benefit_suspended": True},
                "visit": {"liability": "third_party", "inpatient": True},
            },
            "not_designated",
        ),
    ],
)
def test_two_reasons_at_once_the_first_listed_wins(book: PolicyBook, change: dict[str, Any], reason: str) -> None:
    result = run(book, request("nanchang-resident", **change))
    expect(result, covered=False, reason=reason, fund="0.00", rate="0.00")


def test_not_yet_covered_comes_before_not_contracted_facility(book: PolicyBook) -> None:
    body = request(
        "shaoguan-resident",
        facility={"id": "T99"},
        patient={"category": "newborn", "birth_date": "2024-01-15", "enrolled_on": "2024-09-03"},
    )
    expect(run(book, body), reason="not_yet_covered")


def test_excluded_category_comes_before_not_yet_covered(tmp_path: Path) -> None:
    # No shipped policy has both rules; a local variant of 韶关 that also excludes newborns does.
    (tmp_path / "sg-test.toml").write_text(
        'policy = "shaoguan-test"\nextends = "shaoguan-resident"\nversion = "测试"\n'
        'effective_from = { value = 2024-01-01, article = "第一条" }\n'
        '[eligibility]\nexcluded_categories = { value = ["newborn"], article = "第二条" }\n',
        encoding="utf-8",
    )
    book = load_book([tmp_path])
    patient = {"category": "newborn", "birth_date": "2024-01-15", "enrolled_on": None}
    body = request("shaoguan-resident", patient=patient)
    body["policy"] = "shaoguan-test"
    expect(run(book, body), reason="excluded_category")


def test_any_refusal_comes_before_cap_reached(book: PolicyBook) -> None:
    body = request("shaoguan-resident", patient={"benefit_suspended": True}, ytd={"fund_paid": "300.00"})
    expect(run(book, body), covered=False, reason="benefit_suspended", rate="0.00")


def test_not_covered_reports_its_in_scope_amount_and_meets_no_deductible(book: PolicyBook) -> None:
    body = request("nanchang-employee", item(amount="700.00"), item("drug", "C", "5.00"), visit={"inpatient": True})
    result = run(book, body)
    expect(result, in_scope="700.00", out_of_scope="5.00", deductible_applied="0.00", fund="0.00")
    assert result["year_to_date_after"]["deductible_met"] == "0.00"


# --- rounding half-up to the fen (quote-contract.md step 3) ---------------------------------------


@pytest.mark.parametrize(
    ("policy", "facility", "ytd", "amount", "fund"),
    [
        # 0.55 × 1.10 = 0.605 → 0.61 (half-even would give 0.60)
        ("nanchang-employee", {"level": 2}, {"deductible_met": "600.00"}, "1.10", "0.61"),
        # after the 600 deductible: 0.55 × 1.10 again, the deductible crossed inside the visit
        ("nanchang-employee", {"level": 2}, {}, "601.10", "0.61"),
        # 0.55 × 10.10 = 5.555 → 5.56
        ("nanchang-employee", {"level": 2}, {"deductible_met": "600.00"}, "10.10", "5.56"),
        # 0.70 × 0.15 = 0.105 → 0.11 (half-even: 0.10)
        ("shaoguan-resident", {}, {}, "0.15", "0.11"),
        # 0.70 × 0.05 = 0.035 → 0.04
        ("hunan-resident", {}, {}, "0.05", "0.04"),
        # 0.60 × 10.01 = 6.006 → 6.01, not a half: plain rounding up
        ("nanchang-resident", {}, {}, "10.01", "6.01"),
        # 0.60 × 10.02 = 6.012 → 6.01
        ("nanchang-resident", {}, {}, "10.02", "6.01"),
    ],
)
def test_fund_rounds_half_up_to_the_fen(
    book: PolicyBook, policy: str, facility: Json, ytd: Json, amount: str, fund: str
) -> None:
    result = run(book, request(policy, item(amount=amount), facility=facility, ytd=ytd))
    expect(result, fund=fund)


@pytest.mark.parametrize(
    ("level", "amount", "rate", "fund"),
    [
        (1, "0.10", "0.65", "0.07"),  # 0.065 → 0.07 (half-even: 0.06)
        (3, "10.10", "0.55", "5.56"),  # 5.555 → 5.56
        (3, "1.10", "0.55", "0.61"),  # 0.605 → 0.61 (half-even: 0.60)
    ],
)
def test_retired_nanchong_rounds_half_up(book: PolicyBook, level: int, amount: str, rate: str, fund: str) -> None:
    body = request("nanchong-employee", item(amount=amount), patient={"employment": "retired"})
    body["facility"]["level"] = level
    body["year_to_date"] = {"deductible_met": "150.00"}
    expect(run(book, body), rate=rate, fund=fund)


def test_consultation_fee_share_rounds_on_its_own(book: PolicyBook) -> None:
    # 0.55 × 1.10 = 0.605 → 0.61 and 0.55 × 1.10 → 0.61: 1.22, where one sum would round 1.21 exactly.
    items = [item("consultation_fee", "A", "1.10"), item(amount="1.10")]
    body = request("nanchang-employee", *items, facility={"level": 2}, ytd={"deductible_met": "600.00"})
    result = run(book, body)
    expect(result, fund="1.22")
    assert result["year_to_date_after"]["fund_paid"] == "0.61"


# --- cap_reached (quote-contract.md, decisions) ------------------------------------------------


def test_cap_reached_keeps_the_rate_and_coverage(book: PolicyBook) -> None:
    body = request("nanchang-employee", item(amount="100.00"), ytd={"deductible_met": "600.00", "fund_paid": "1900.00"})
    result = run(book, body)
    expect(result, covered=True, reason="cap_reached", rate="0.60", fund="0.00", in_scope="100.00")
    assert result["year_to_date_after"]["fund_paid"] == "1900.00"


def test_deductible_absorbing_the_fund_share_is_not_cap_reached(book: PolicyBook) -> None:
    body = request("nanchang-employee", item(amount="100.00"))
    expect(run(book, body), covered=True, reason=None, fund="0.00", deductible_applied="100.00")


def test_consultation_fee_outside_a_used_up_cap_has_no_reason(book: PolicyBook) -> None:
    items = [item("consultation_fee", "A", "20.00"), item(amount="100.00")]
    body = request("nanchang-employee", *items, ytd={"deductible_met": "600.00", "fund_paid": "1800.00"})
    expect(run(book, body), covered=True, reason=None, fund="12.00")


# --- the personal account (quote-contract.md step 4) ------------------------------------------


def employee(*items: Json, balance: str = "1000.00", **change: Any) -> Json:
    body = request("nanchang-employee", *items, **change)
    body["patient"]["account_balance"] = balance
    return body


def test_account_pays_the_rest_in_scope_or_not(book: PolicyBook) -> None:
    body = employee(item(amount="100.00"), item("drug", "C", "30.00"), ytd={"deductible_met": "600.00"})
    expect(run(book, body), fund="60.00", account="70.00", cash="0.00")


def test_account_pays_up_to_its_balance(book: PolicyBook) -> None:
    body = employee(item(amount="100.00"), balance="12.34", ytd={"deductible_met": "600.00"})
    expect(run(book, body), fund="60.00", account="12.34", cash="27.66")


def test_account_pays_under_the_deductible(book: PolicyBook) -> None:
    expect(run(book, employee(item(amount="100.00"))), fund="0.00", account="100.00", cash="0.00")


@pytest.mark.parametrize(
    "change",
    [{"visit": {"inpatient": True}}, {"patient": {"benefit_suspended": True}}],
)
def test_account_pays_when_the_fund_does_not(book: PolicyBook, change: dict[str, Any]) -> None:
    body = employee(item(amount="100.00"), **change)
    body["patient"]["account_balance"] = "1000.00"
    expect(run(book, body), covered=False, account="100.00", cash="0.00")


def test_account_not_at_an_undesignated_facility(book: PolicyBook) -> None:
    # 洪府办发〔2022〕93号 第十一条（二）: 定点医疗机构 only; 南府办发〔2022〕33号 第十八条 likewise.
    body = employee(item(amount="100.00"), facility={"designated": False})
    expect(run(book, body), account="0.00", cash="100.00")


@pytest.mark.parametrize("liability", ["work_injury", "third_party", "public_health"])
@pytest.mark.parametrize("policy", ["nanchang-employee", "nanchong-employee"])
def test_account_not_when_someone_else_must_pay(book: PolicyBook, policy: str, liability: str) -> None:
    # 洪府办发〔2022〕93号 第十二条（一）至（三）; 南府办发〔2022〕33号 第十九条.
    body = employee(item(amount="100.00"), visit={"liability": liability})
    body["policy"] = policy
    expect(run(book, body), reason="other_liability", account="0.00", cash="100.00")


def test_account_not_when_the_patient_declines(book: PolicyBook) -> None:
    body = employee(item(amount="100.00"), pay_from_account=False)
    expect(run(book, body), account="0.00", cash="100.00")


@pytest.mark.parametrize("policy", ALL_POLICIES)
def test_no_account_when_the_balance_is_zero(book: PolicyBook, policy: str) -> None:
    result = run(book, request(policy, item(amount="100.00")))
    assert result["account"] == "0.00"
    assert result["explanation"], "every quote explains itself"
