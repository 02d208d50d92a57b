"""洪府厅发〔2019〕102号 南昌市城乡居民基本医疗保险普通门诊统筹暂行办法, rule by rule."""

from __future__ import annotations

import pytest

from desktop.policy import PolicyBook
from desktop.policy.codec import InputError
from tests.policy.builders import Json, expect, item, request, run

POLICY = "nanchang-resident"
COUNTY_TCM = {"id": "Z01", "kind": "county_tcm_hospital", "level": 2}


def test_art14_signed_facility_pays_60_percent(book: PolicyBook) -> None:
    result = run(book, request(POLICY, item("drug", "A", "33.30"), item("exam", "B", "16.70")))
    expect(result, covered=True, reason=None, rate="0.60", in_scope="50.00", fund="30.00", cash="20.00")


def test_art14_no_deductible_and_art22_no_personal_cap(book: PolicyBook) -> None:
    # The fund is budgeted per facility (第二十二条–第二十九条), not per person: no 起付线, no 限额.
    ytd = {"fund_paid": "99999.00", "deductible_met": "0.00"}
    result = run(book, request(POLICY, item(amount="100.00"), ytd=ytd))
    expect(result, reason=None, deductible_applied="0.00", fund="60.00")
    assert result["year_to_date_after"]["fund_paid"] == "100059.00"


def test_art12_class_c_is_out_of_scope(book: PolicyBook) -> None:
    result = run(book, request(POLICY, item("drug", "C", "15.50"), item("drug", "A", "10.00")))
    expect(result, out_of_scope="15.50", in_scope="10.00", fund="6.00", cash="19.50")


def test_art14_poverty_registered_65_percent(book: PolicyBook) -> None:
    result = run(book, request(POLICY, patient={"poverty_registered": True}))
    expect(result, rate="0.65", fund="65.00")


def test_art14_family_doctor_adds_five_points(book: PolicyBook) -> None:
    result = run(book, request(POLICY, patient={"family_doctor": True}))
    expect(result, rate="0.65", fund="65.00")


def test_art14_poverty_and_family_doctor_stack_to_70_percent(book: PolicyBook) -> None:
    result = run(book, request(POLICY, patient={"poverty_registered": True, "family_doctor": True}))
    expect(result, rate="0.70", fund="70.00", cash="30.00")


def test_art10_art14_referral_to_county_tcm_hospital_pays_40_percent(book: PolicyBook) -> None:
    body = request(POLICY, item("tcm_drug", "A", "50.00"), facility=COUNTY_TCM, visit={"referral": True})
    expect(run(book, body), covered=True, reason=None, rate="0.40", in_scope="50.00", fund="20.00")


def test_art12_3_referral_scope_is_tcm_drugs_and_class_a_tcm_treatment(book: PolicyBook) -> None:
    items = [
        item("tcm_drug", "A", "30.00"),
        item("tcm_drug", "B", "20.00"),
        item("tcm_treatment", "A", "10.00"),
        item("tcm_treatment", "B", "7.00"),  # class-B TCM treatment: not 甲类
        item("drug", "A", "40.00"),  # western medicine: not 中成药/饮片
        item("exam", "A", "25.00"),
        item("consultation_fee", "A", "5.00"),
        item("tcm_drug", "C", "3.00"),
    ]
    result = run(book, request(POLICY, *items, facility=COUNTY_TCM, visit={"referral": True}))
    expect(result, total="140.00", in_scope="60.00", out_of_scope="80.00", fund="24.00", cash="116.00")
    assert [line["in_scope"] for line in result["items"]] == [
        "30.00",
        "20.00",
        "10.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
    ]


def test_art14_referral_poverty_65_percent(book: PolicyBook) -> None:
    body = request(
        POLICY, item("tcm_drug", "A", "100.00"), facility=COUNTY_TCM, visit={"referral": True},
        patient={"poverty_registered": True},
    )  # fmt: skip
    expect(run(book, body), rate="0.65", fund="65.00")


def test_art14_family_doctor_bonus_not_on_referral(book: PolicyBook) -> None:
    # The bonus is for the facility holding the family-doctor agreement only (第十四条第三款).
    body = request(
        POLICY, item("tcm_drug", "A", "100.00"), facility=COUNTY_TCM, visit={"referral": True},
        patient={"family_doctor": True},
    )  # fmt: skip
    expect(run(book, body), rate="0.40", fund="40.00")
    body["patient"]["poverty_registered"] = True
    expect(run(book, body), rate="0.65", fund="65.00")


def test_art10_referral_only_to_county_tcm_hospital(book: PolicyBook) -> None:
    hospital = {"id": "H01", "kind": "hospital", "level": 2}
    body = request(POLICY, item("tcm_drug", "A", "100.00"), facility=hospital, visit={"referral": True})
    expect(run(book, body), covered=False, reason="not_contracted_facility", fund="0.00", rate="0.00")


def test_art13_1_county_tcm_hospital_without_referral_is_not_covered(book: PolicyBook) -> None:
    body = request(POLICY, item("tcm_drug", "A", "100.00"), facility=COUNTY_TCM)
    expect(run(book, body), covered=False, reason="not_contracted_facility", in_scope="100.00")


def test_art13_1_no_emergency_cover_elsewhere(book: PolicyBook) -> None:
    # 门诊抢救 is settled by the inpatient pool (第十三条（三）), not general outpatient pooling.
    body = request(POLICY, facility={"id": "T02"}, visit={"emergency": True})
    expect(run(book, body), covered=False, reason="not_contracted_facility")


def test_art17_village_clinic_of_contracted_township_counts_as_signed(book: PolicyBook) -> None:
    village = {"id": "V07", "kind": "village_clinic", "parent_id": "T01"}
    body = request(POLICY, facility=village, patient={"family_doctor": True})
    expect(run(book, body), covered=True, reason=None, rate="0.65")


def test_art17_village_clinic_of_another_township_is_not_signed(book: PolicyBook) -> None:
    village = {"id": "V08", "kind": "village_clinic", "parent_id": "T02"}
    expect(run(book, request(POLICY, facility=village)), covered=False, reason="not_contracted_facility")


def test_art4_university_students_excluded(book: PolicyBook) -> None:
    result = run(book, request(POLICY, patient={"category": "university_student"}))
    expect(result, covered=False, reason="excluded_category", fund="0.00", rate="0.00", cash="100.00")
    assert "第四条" in result["explanation"][-2]


def test_art4_newborns_are_covered_without_a_window(book: PolicyBook) -> None:
    # Only 韶关 backdates newborns; 南昌 covers a signed newborn like anyone (第六条第三款).
    patient = {"category": "newborn", "birth_date": "2024-05-01"}
    expect(run(book, request(POLICY, patient=patient)), covered=True, rate="0.60")


def test_art13_4_inpatient_stay(book: PolicyBook) -> None:
    expect(run(book, request(POLICY, visit={"inpatient": True})), covered=False, reason="inpatient")


def test_art13_2_chronic_disease_visit_goes_to_that_scheme(book: PolicyBook) -> None:
    body = request(POLICY, patient={"chronic_diseases": ["hypertension"]}, visit={"disease": "hypertension"})
    result = run(book, body)
    expect(result, covered=False, reason="chronic_disease_scheme", deductible_applied="0.00", in_scope="100.00")


def test_art13_2_other_illness_of_a_chronic_patient_is_ordinary(book: PolicyBook) -> None:
    body = request(POLICY, patient={"chronic_diseases": ["hypertension"]}, visit={"disease": "diabetes"})
    expect(run(book, body), covered=True, reason=None)


def test_residents_have_no_personal_account(book: PolicyBook) -> None:
    body = request(POLICY, patient={"account_balance": "500.00"}, pay_from_account=True)
    expect(run(book, body), account="0.00", cash="40.00")


def test_art43_not_in_force_before_2020(book: PolicyBook) -> None:
    with pytest.raises(InputError) as caught:
        run(book, request(POLICY, visit_date="2019-12-31"))
    assert caught.value.field == "visit_date"
    expect(run(book, request(POLICY, visit_date="2020-01-01")), covered=True)


def test_not_designated_facility(book: PolicyBook) -> None:
    result = run(book, request(POLICY, facility={"designated": False}))
    expect(result, covered=False, reason="not_designated")


@pytest.mark.parametrize(
    "facility",
    [
        {"id": "H20", "kind": "hospital", "level": 3},
        {"id": "P20", "kind": "pharmacy"},
        {"id": "S20", "kind": "school_clinic"},
    ],
)
def test_art17_only_township_and_community_centres_pay_even_when_signed(book: PolicyBook, facility: Json) -> None:
    # 第十七条（一）: 门诊统筹定点医疗机构 are the 乡镇卫生院 and 社区卫生服务机构 (and their integrated 村卫生室).
    body = request(POLICY, item(amount="100.00"), facility=facility)
    body["patient"]["contracted_facilities"] = [facility["id"]]
    expect(run(book, body), covered=False, reason="not_designated", fund="0.00", cash="100.00")


def test_art17_a_community_centre_pays_like_a_township_centre(book: PolicyBook) -> None:
    community = {"id": "C20", "kind": "community_health_center", "level": 1}
    body = request(POLICY, item(amount="100.00"), facility=community)
    body["patient"]["contracted_facilities"] = ["C20"]
    expect(run(book, body), covered=True, rate="0.60", fund="60.00")
