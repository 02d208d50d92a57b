"""洪府办发〔2022〕93号 (南昌职工) and 南府办发〔2022〕33号 (南充职工), rule by rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from desktop.policy import PolicyBook
from desktop.policy.codec import InputError
from tests.policy.builders import Json, expect, item, request, run

NANCHANG = "nanchang-employee"
NANCHONG = "nanchong-employee"
PHARMACY = {"id": "P01", "kind": "pharmacy"}


def hospital(level: int) -> Json:
    return {"id": f"H{level}", "kind": "hospital", "level": level}


def met(deductible: str, fund_paid: str = "0.00") -> Json:
    return {"deductible_met": deductible, "fund_paid": fund_paid}


def retiree(retired_on: str | None = None, **patient: Any) -> Json:
    return {"employment": "retired", "retired_on": retired_on, **patient}


# --- 南昌 第十七条: 600 deductible, rates by level, caps -----------------------------------


@pytest.mark.parametrize(
    ("level", "employment", "rate"),
    [(1, "active", "0.60"), (2, "active", "0.55"), (3, "active", "0.50"),
     (1, "retired", "0.65"), (2, "retired", "0.60"), (3, "retired", "0.55")],
)  # fmt: skip
def test_nanchang_art17_rates_by_level(book: PolicyBook, level: int, employment: str, rate: str) -> None:
    body = request(NANCHANG, item(amount="100.00"), facility=hospital(level), patient={"employment": employment})
    body["year_to_date"] = met("600.00")
    result = run(book, body)
    expect(result, covered=True, reason=None, rate=rate, fund=f"{Decimal(rate) * 100:.2f}")


def test_nanchang_art17_deductible_600_absorbs_a_small_visit(book: PolicyBook) -> None:
    result = run(book, request(NANCHANG, item(amount="250.00")))
    expect(result, covered=True, reason=None, deductible_applied="250.00", fund="0.00", rate="0.60")
    assert result["year_to_date_after"]["deductible_met"] == "250.00"


def test_nanchang_art17_deductible_crossed_within_the_visit(book: PolicyBook) -> None:
    result = run(book, request(NANCHANG, item(amount="300.00"), ytd=met("500.00")))
    expect(result, deductible_applied="100.00", fund="120.00")
    assert result["year_to_date_after"]["deductible_met"] == "600.00"


def test_nanchang_art17_deductible_not_met_by_class_c(book: PolicyBook) -> None:
    result = run(book, request(NANCHANG, item("drug", "C", "700.00"), item(amount="100.00")))
    expect(result, deductible_applied="100.00", fund="0.00", out_of_scope="700.00")


@pytest.mark.parametrize(("employment", "cap"), [("active", "1800.00"), ("retired", "2000.00")])
def test_nanchang_art17_cap_crossed(book: PolicyBook, employment: str, cap: str) -> None:
    body = request(NANCHANG, item(amount="100.00"), patient={"employment": employment})
    body["year_to_date"] = met("600.00", f"{Decimal(cap) - 10:.2f}")
    result = run(book, body)
    expect(result, fund="10.00", reason=None)
    assert result["year_to_date_after"]["fund_paid"] == cap


def test_nanchang_art23_consultation_fee_outside_the_cap(book: PolicyBook) -> None:
    body = request(
        NANCHANG, item(amount="100.00"), item("consultation_fee", "A", "20.00"), ytd=met("600.00", "1790.00")
    )
    result = run(book, body)
    expect(result, fund="22.00", reason=None)  # 10.00 left in the cap + 60% of the 20.00 fee
    assert result["year_to_date_after"]["fund_paid"] == "1800.00"


def test_nanchang_art23_only_a_consultation_fee_after_the_cap_is_not_cap_reached(book: PolicyBook) -> None:
    body = request(NANCHANG, item("consultation_fee", "A", "15.00"), ytd=met("600.00", "1800.00"))
    expect(run(book, body), covered=True, reason=None, fund="9.00", rate="0.60")


def test_nanchang_art17_drugs_after_the_cap_are_cap_reached(book: PolicyBook) -> None:
    body = request(NANCHANG, item(amount="100.00"), ytd=met("600.00", "1800.00"))
    expect(run(book, body), covered=True, reason="cap_reached", fund="0.00", rate="0.60")


def test_contract_step2_deductible_met_by_other_items_before_consultation_fees(book: PolicyBook) -> None:
    # 50 of the deductible is left: the drug meets it; the whole fee is paid outside the cap.
    items = [item("consultation_fee", "A", "20.00"), item(amount="100.00")]
    result = run(book, request(NANCHANG, *items, facility=hospital(2), ytd=met("550.00")))
    expect(result, deductible_applied="50.00", fund="38.50")  # 50×55% + 20×55%
    assert result["year_to_date_after"]["fund_paid"] == "27.50"


def test_contract_step2_consultation_fee_meets_what_the_other_items_cannot(book: PolicyBook) -> None:
    items = [item("consultation_fee", "A", "20.00"), item(amount="30.00")]
    result = run(book, request(NANCHANG, *items, facility=hospital(2), ytd=met("560.00")))
    expect(result, deductible_applied="40.00", fund="5.50")  # fee: (20 − 10) × 55%
    assert result["year_to_date_after"]["fund_paid"] == "0.00"


@pytest.mark.parametrize("level", [1, 3])
def test_nanchang_art29_pharmacy_pays_the_level_1_rate(book: PolicyBook, level: int) -> None:
    body = request(NANCHANG, item(amount="100.00"), facility={**PHARMACY, "level": level}, ytd=met("600.00"))
    expect(run(book, body), rate="0.60", fund="60.00")
    body["patient"].update(retiree())
    expect(run(book, body), rate="0.65", fund="65.00")


# --- 南昌 第十八条: retirement from the month after ------------------------------------------


@pytest.mark.parametrize(
    ("retired_on", "visit_date", "rate"),
    [
        ("2024-03-15", "2024-03-15", "0.60"),
        ("2024-03-15", "2024-03-31", "0.60"),
        ("2024-03-15", "2024-04-01", "0.65"),
        ("2024-03-01", "2024-03-31", "0.60"),
        ("2024-03-31", "2024-04-01", "0.65"),
        ("2024-12-10", "2024-12-31", "0.60"),
        ("2024-12-10", "2025-01-01", "0.65"),
    ],
)
def test_nanchang_art18_retirement_takes_effect_the_month_after(
    book: PolicyBook, retired_on: str, visit_date: str, rate: str
) -> None:
    body = request(
        NANCHANG, item(amount="100.00"), visit_date=visit_date, patient=retiree(retired_on), ytd=met("600.00")
    )
    expect(run(book, body), rate=rate)


def test_nanchang_art18_cap_changes_with_the_rate(book: PolicyBook) -> None:
    before = request(NANCHANG, item(amount="100.00"), visit_date="2024-03-31", patient=retiree("2024-03-15"))
    before["year_to_date"] = met("600.00", "1800.00")
    expect(run(book, before), reason="cap_reached", fund="0.00")
    after = {**before, "visit_date": "2024-04-01"}
    expect(run(book, after), reason=None, fund="65.00")


def test_retired_with_no_date_is_retired(book: PolicyBook) -> None:
    body = request(NANCHANG, item(amount="100.00"), patient=retiree(None), ytd=met("600.00"))
    expect(run(book, body), rate="0.65")


def test_active_with_a_retirement_date_is_active(book: PolicyBook) -> None:
    body = request(NANCHANG, item(amount="100.00"), patient={"retired_on": "2020-01-10"}, ytd=met("600.00"))
    expect(run(book, body), rate="0.60")


# --- 南昌 第二十五条 and 第二十六条: what the fund does not pay ------------------------------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"visit": {"inpatient": True}}, "inpatient"),  # 第二十五条（二）
        ({"patient": {"benefit_suspended": True}}, "benefit_suspended"),  # 第二十五条（三）
        ({"facility": {"designated": False}}, "not_designated"),  # 第二十五条（四）
        ({"patient": {"chronic_diseases": ["diabetes"]}, "visit": {"disease": "diabetes"}}, "chronic_disease_scheme"),
        ({"visit": {"liability": "third_party"}}, "other_liability"),  # 第十二条（二）
    ],
)
@pytest.mark.parametrize("policy", [NANCHANG, NANCHONG])
def test_employee_refusals(book: PolicyBook, policy: str, change: dict[str, Any], reason: str) -> None:
    result = run(book, request(policy, item(amount="1000.00"), **change))
    expect(result, covered=False, reason=reason, fund="0.00", rate="0.00", deductible_applied="0.00")
    assert result["year_to_date_after"] == {
        "deductible_met": "0.00",
        "fund_paid": "0.00",
        "fund_paid_out_of_city": "0.00",
    }


@pytest.mark.parametrize("policy", [NANCHANG, NANCHONG])
def test_employee_schemes_need_no_signing(book: PolicyBook, policy: str) -> None:
    body = request(policy, item(amount="1000.00"), facility={"id": "ELSEWHERE"})
    body["patient"]["contracted_facilities"] = []
    expect(run(book, body), covered=True, reason=None)


@pytest.mark.parametrize("policy", [NANCHANG, NANCHONG])
def test_employee_out_of_city_filed_facility_paid_like_home(book: PolicyBook, policy: str) -> None:
    # 南昌 第二十二条, 南充 第二十六条: filed remote care gets the same benefit (tests/policy/test_out_of_area.py
    # holds the unfiled visit).
    ytd = met("1000.00")
    home = run(book, request(policy, item(amount="100.00"), ytd=ytd))
    filed = {"filed_out_of_area": True}
    away = run(book, request(policy, item(amount="100.00"), facility={"in_city": False}, visit=filed, ytd=ytd))
    assert (away["fund"], away["rate"], away["reason"]) == (home["fund"], home["rate"], None)
    assert away["year_to_date_after"]["fund_paid_out_of_city"] == away["fund"]
    assert home["year_to_date_after"]["fund_paid_out_of_city"] == "0.00"
    unfiled = run(book, request(policy, item(amount="100.00"), facility={"in_city": False, "designated": False}))
    expect(unfiled, reason="not_designated", account="0.00")


# --- 南充 第七条: 200/150 deductibles, rates, caps -------------------------------------------


@pytest.mark.parametrize(
    ("facility", "employment", "rate"),
    [(hospital(1), "active", "0.60"), (hospital(2), "active", "0.60"), (hospital(3), "active", "0.50"),
     (PHARMACY, "active", "0.50"), (hospital(1), "retired", "0.65"), (hospital(2), "retired", "0.65"),
     (hospital(3), "retired", "0.55"), (PHARMACY, "retired", "0.55")],
)  # fmt: skip
def test_nanchong_art7_rates(book: PolicyBook, facility: Json, employment: str, rate: str) -> None:
    body = request(NANCHONG, item(amount="100.00"), facility=facility, patient={"employment": employment})
    body["year_to_date"] = met("200.00")
    expect(run(book, body), rate=rate, fund=f"{Decimal(rate) * 100:.2f}")


@pytest.mark.parametrize(
    ("employment", "deductible", "fund"), [("active", "200.00", "60.00"), ("retired", "150.00", "97.50")]
)
def test_nanchong_art7_deductible(book: PolicyBook, employment: str, deductible: str, fund: str) -> None:
    result = run(book, request(NANCHONG, item(amount="300.00"), patient={"employment": employment}))
    expect(result, deductible_applied=deductible, fund=fund)


@pytest.mark.parametrize(("employment", "cap"), [("active", "1000.00"), ("retired", "1200.00")])
def test_nanchong_art7_cap(book: PolicyBook, employment: str, cap: str) -> None:
    body = request(NANCHONG, item(amount="100.00"), item("consultation_fee", "A", "10.00"))
    body["patient"]["employment"] = employment
    body["year_to_date"] = met("200.00", f"{Decimal(cap) - 5:.2f}")
    result = run(book, body)
    expect(result, fund="5.00")  # no consultation fee outside the cap in 南充
    assert result["year_to_date_after"]["fund_paid"] == cap
    body["year_to_date"] = met("200.00", cap)
    expect(run(book, body), reason="cap_reached", fund="0.00", covered=True)


def test_nanchong_art7_deductible_still_met_when_the_cap_is_used_up(book: PolicyBook) -> None:
    result = run(book, request(NANCHONG, item(amount="300.00"), ytd=met("100.00", "1000.00")))
    expect(result, reason="cap_reached", deductible_applied="100.00", fund="0.00")
    assert result["year_to_date_after"]["deductible_met"] == "200.00"


@pytest.mark.parametrize(
    ("retired_on", "visit_date", "rate"),
    [
        ("2024-03-15", "2024-02-29", "0.60"),
        ("2024-03-15", "2024-03-01", "0.65"),
        ("2024-03-15", "2024-03-14", "0.65"),
        ("2024-03-31", "2024-03-31", "0.65"),
        ("2025-01-01", "2024-12-31", "0.60"),
        ("2025-01-01", "2025-01-01", "0.65"),
    ],
)
def test_nanchong_art14_retirement_takes_effect_in_its_own_month(
    book: PolicyBook, retired_on: str, visit_date: str, rate: str
) -> None:
    body = request(
        NANCHONG, item(amount="100.00"), visit_date=visit_date, patient=retiree(retired_on), ytd=met("200.00")
    )
    expect(run(book, body), rate=rate)


def test_nanchong_art14_retiree_deductible_already_met_as_active(book: PolicyBook) -> None:
    body = request(NANCHONG, item(amount="100.00"), visit_date="2024-06-10", patient=retiree("2024-06-01"))
    body["year_to_date"] = met("160.00", "1000.00")  # met 160 of 200 while active, cap used up while active
    result = run(book, body)
    expect(result, deductible_applied="0.00", fund="65.00", reason=None)
    assert result["year_to_date_after"]["deductible_met"] == "160.00"


@pytest.mark.parametrize(
    ("day", "in_force"), [("2022-12-31", False), ("2023-01-01", True), ("2027-12-31", True), ("2028-01-01", False)]
)
def test_nanchong_art38_five_years_from_2023(book: PolicyBook, day: str, in_force: bool) -> None:
    body = request(NANCHONG, visit_date=day)
    if in_force:
        expect(run(book, body), covered=True)
    else:
        with pytest.raises(InputError) as caught:
            run(book, body)
        assert caught.value.field == "visit_date"


def test_nanchang_art45_in_force_from_2023(book: PolicyBook) -> None:
    with pytest.raises(InputError) as caught:
        run(book, request(NANCHANG, visit_date="2022-12-31"))
    assert caught.value.field == "visit_date"
    expect(run(book, request(NANCHANG, visit_date="2030-06-01")), covered=True)
