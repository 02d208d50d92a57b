"""湘人社发〔2017〕94号 湖南省城乡居民基本医疗保险普通门诊统筹管理暂行办法, rule by rule.

The province sets floors; a county's own cap and rates are tested in test_policy_files.py.
"""

from __future__ import annotations

import pytest

from desktop.policy import PolicyBook
from desktop.policy.codec import InputError
from tests.policy.builders import expect, item, request, run

POLICY = "hunan-resident"
TOWNSHIP = {"id": "T20", "kind": "township_health_center", "parent_id": None}


def test_art5_1_village_clinic_at_least_70_percent(book: PolicyBook) -> None:
    expect(run(book, request(POLICY, item(amount="40.00"))), covered=True, rate="0.70", fund="28.00")


@pytest.mark.parametrize("kind", ["township_health_center", "community_health_center"])
def test_art5_2_township_and_community_centre_at_least_60_percent(book: PolicyBook, kind: str) -> None:
    body = request(POLICY, item(amount="40.00"), facility={**TOWNSHIP, "kind": kind})
    body["patient"]["contracted_facilities"] = ["T20"]
    expect(run(book, body), covered=True, rate="0.60", fund="24.00")


def test_art3_class_c_out_of_scope_and_no_deductible(book: PolicyBook) -> None:
    result = run(book, request(POLICY, item("drug", "C", "9.00"), item("tcm_drug", "B", "10.00")))
    expect(result, in_scope="10.00", out_of_scope="9.00", deductible_applied="0.00", fund="7.00")


def test_art5_province_sets_no_cap_of_its_own(book: PolicyBook) -> None:
    result = run(book, request(POLICY, item(amount="40.00"), ytd={"fund_paid": "5000.00"}))
    expect(result, reason=None, fund="28.00")


def test_art4_1_another_basic_facility_is_not_covered(book: PolicyBook) -> None:
    # 第六条: the resident picks one facility; the township above the signed village clinic is another one.
    result = run(book, request(POLICY, facility=TOWNSHIP))
    expect(result, covered=False, reason="not_contracted_facility", fund="0.00")


@pytest.mark.parametrize("visit", [{"referral": True}, {"emergency": True}, {}])
def test_art4_1_hospital_is_not_covered_even_on_referral_or_emergency(book: PolicyBook, visit: dict[str, bool]) -> None:
    hospital = {"id": "H20", "kind": "hospital", "level": 2}
    expect(run(book, request(POLICY, facility=hospital, visit=visit)), covered=False, reason="not_contracted_facility")


def test_art3_only_basic_facilities_pay_even_when_signed(book: PolicyBook) -> None:
    hospital = {"id": "H20", "kind": "hospital", "level": 2}
    body = request(POLICY, facility=hospital)
    body["patient"]["contracted_facilities"] = ["H20"]
    expect(run(book, body), covered=False, reason="not_designated")


@pytest.mark.parametrize("liability", ["work_injury", "third_party", "public_health"])
def test_art4_4_to_6_someone_else_must_pay(book: PolicyBook, liability: str) -> None:
    result = run(book, request(POLICY, visit={"liability": liability}))
    expect(result, covered=False, reason="other_liability", fund="0.00", cash="100.00", in_scope="100.00")


def test_art4_3_chronic_disease_visit(book: PolicyBook) -> None:
    body = request(POLICY, patient={"chronic_diseases": ["diabetes"]}, visit={"disease": "diabetes"})
    expect(run(book, body), covered=False, reason="chronic_disease_scheme")


def test_hunan_has_no_poverty_or_family_doctor_increase(book: PolicyBook) -> None:
    body = request(POLICY, patient={"poverty_registered": True, "family_doctor": True})
    expect(run(book, body), rate="0.70")


def test_art23_in_force_from_2018(book: PolicyBook) -> None:
    with pytest.raises(InputError) as caught:
        run(book, request(POLICY, visit_date="2017-12-31"))
    assert caught.value.field == "visit_date"
    expect(run(book, request(POLICY, visit_date="2018-01-01")), covered=True)
