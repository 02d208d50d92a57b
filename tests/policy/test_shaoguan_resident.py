"""韶医保规〔2023〕2号 韶关市城乡居民基本医疗保险普通门诊统筹管理办法, rule by rule."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.policy import PolicyBook
from desktop.policy.codec import InputError
from tests.policy.builders import Json, expect, item, request, run

POLICY = "shaoguan-resident"
DAY = "2024-03-20"
VILLAGE = {"id": "V10", "kind": "village_clinic", "parent_id": "T10"}
HOSPITAL = {"id": "H50", "kind": "hospital", "level": 2}
AWAY = {"id": "GZ1", "kind": "hospital", "level": 3, "in_city": False}


def sg(*items: Json, **kwargs: Any) -> Json:
    body = request(POLICY, *items, visit_date=DAY, **kwargs)
    body["patient"]["contracted_facilities"] = ["T10", "V10"]  # 第六条: one basic facility and one station
    return body


def test_art8_2_2_signed_township_pays_70_percent(book: PolicyBook) -> None:
    expect(run(book, sg(item(amount="100.00"))), covered=True, reason=None, rate="0.70", fund="70.00")


def test_art8_2_2_signed_village_station_pays_70_percent(book: PolicyBook) -> None:
    expect(run(book, sg(item(amount="40.00"), facility=VILLAGE)), rate="0.70", fund="28.00")


def test_art8_2_2_school_clinic_pays_70_percent(book: PolicyBook) -> None:
    body = sg(item(amount="20.00"), facility={"id": "S01", "kind": "school_clinic"})
    body["patient"]["contracted_facilities"] = ["S01"]
    expect(run(book, body), rate="0.70", fund="14.00")


def test_art8_1_no_deductible(book: PolicyBook) -> None:
    expect(run(book, sg(item(amount="1.00"))), deductible_applied="0.00", fund="0.70")


def test_art8_2_1_consultation_fee_at_standard_is_in_scope(book: PolicyBook) -> None:
    result = run(book, sg(item("consultation_fee", "A", "10.00")))
    expect(result, in_scope="10.00", out_of_scope="0.00", fund="7.00")


@pytest.mark.parametrize(
    ("facility", "fee", "in_scope", "out_of_scope"),
    [
        (VILLAGE, "8.00", "5.00", "3.00"),
        ({"id": "T10", "kind": "township_health_center"}, "15.00", "10.00", "5.00"),
        ({"id": "T10", "kind": "community_health_center"}, "12.50", "10.00", "2.50"),
    ],
)
def test_art8_2_1_consultation_fee_above_standard_is_out_of_scope(
    book: PolicyBook, facility: Json, fee: str, in_scope: str, out_of_scope: str
) -> None:
    result = run(book, sg(item("consultation_fee", "A", fee), facility=facility))
    expect(result, in_scope=in_scope, out_of_scope=out_of_scope, total=fee)
    assert any("一般诊疗费超过" in line for line in result["explanation"])


def test_art8_2_1_standard_is_per_visit_not_per_item(book: PolicyBook) -> None:
    fees = [item("consultation_fee", "A", "3.00"), item("consultation_fee", "B", "4.00")]
    result = run(book, sg(*fees, facility=VILLAGE))
    expect(result, in_scope="5.00", out_of_scope="2.00", fund="3.50")


def test_class_c_consultation_fee_does_not_use_the_standard(book: PolicyBook) -> None:
    fees = [item("consultation_fee", "C", "4.00"), item("consultation_fee", "A", "5.00")]
    expect(run(book, sg(*fees, facility=VILLAGE)), in_scope="5.00", out_of_scope="4.00")


def test_art8_1_annual_cap_crossed(book: PolicyBook) -> None:
    result = run(book, sg(item(amount="100.00"), ytd={"fund_paid": "280.00"}))
    expect(result, reason=None, fund="20.00", cash="80.00")
    assert result["year_to_date_after"]["fund_paid"] == "300.00"


def test_art8_1_cap_exactly_reached_by_this_visit_is_not_cap_reached(book: PolicyBook) -> None:
    result = run(book, sg(item(amount="100.00"), ytd={"fund_paid": "230.00"}))
    expect(result, reason=None, fund="70.00")


def test_art8_1_cap_used_up_before_visit(book: PolicyBook) -> None:
    result = run(book, sg(item(amount="100.00"), ytd={"fund_paid": "300.00"}))
    expect(result, covered=True, reason="cap_reached", rate="0.70", fund="0.00", cash="100.00")


def test_art6_emergency_out_of_city_uses_the_50_yuan_sub_cap(book: PolicyBook) -> None:
    result = run(book, sg(item(amount="100.00"), facility=AWAY, visit={"emergency": True}))
    expect(result, covered=True, reason=None, rate="0.70", fund="50.00")
    assert result["year_to_date_after"] == {
        "deductible_met": "0.00",
        "fund_paid": "50.00",
        "fund_paid_out_of_city": "50.00",
    }


def test_art8_1_sub_cap_binds_when_both_are_crossed(book: PolicyBook) -> None:
    ytd = {"fund_paid": "270.00", "fund_paid_out_of_city": "30.00"}  # 30 left in the cap, 20 in the sub-cap
    result = run(book, sg(item(amount="50.00"), facility=AWAY, visit={"emergency": True}, ytd=ytd))
    expect(result, fund="20.00", cash="30.00", reason=None)
    assert result["year_to_date_after"]["fund_paid"] == "290.00"
    assert result["year_to_date_after"]["fund_paid_out_of_city"] == "50.00"


def test_art8_1_cap_binds_when_both_are_crossed(book: PolicyBook) -> None:
    ytd = {"fund_paid": "290.00", "fund_paid_out_of_city": "20.00"}  # 10 left in the cap, 30 in the sub-cap
    result = run(book, sg(item(amount="50.00"), facility=AWAY, visit={"emergency": True}, ytd=ytd))
    expect(result, fund="10.00")
    assert result["year_to_date_after"]["fund_paid_out_of_city"] == "30.00"


def test_art8_1_sub_cap_used_up_is_cap_reached_only_out_of_city(book: PolicyBook) -> None:
    ytd = {"fund_paid": "50.00", "fund_paid_out_of_city": "50.00"}
    away = run(book, sg(item(amount="50.00"), facility=AWAY, visit={"emergency": True}, ytd=ytd))
    expect(away, covered=True, reason="cap_reached", fund="0.00", rate="0.70")
    home = run(book, sg(item(amount="50.00"), ytd=ytd))
    expect(home, reason=None, fund="35.00")
    assert home["year_to_date_after"]["fund_paid_out_of_city"] == "50.00"


def test_art9_1_2_approved_referral_in_city_pays_like_signed(book: PolicyBook) -> None:
    result = run(book, sg(item(amount="200.00"), facility=HOSPITAL, visit={"referral": True}))
    expect(result, covered=True, reason=None, rate="0.70", fund="140.00")


def test_art9_1_2_a_referral_out_of_the_city_pays_nothing(book: PolicyBook) -> None:
    # 转往我市基本医疗保险定点医疗机构: the referral is to a designated facility of Shaoguan itself.
    result = run(book, sg(item(amount="200.00"), facility=AWAY, visit={"referral": True}))
    expect(result, covered=False, reason="not_contracted_facility", fund="0.00", cash="200.00")
    assert result["year_to_date_after"]["fund_paid_out_of_city"] == "0.00"


def test_art6_unreferred_other_facility_pays_nothing(book: PolicyBook) -> None:
    result = run(book, sg(item(amount="200.00"), facility=HOSPITAL))
    expect(result, covered=False, reason="not_contracted_facility", rate="0.00", fund="0.00")


def test_art6_emergency_in_city_pays_like_signed(book: PolicyBook) -> None:
    result = run(book, sg(item(amount="10.00"), facility=HOSPITAL, visit={"emergency": True}))
    expect(result, covered=True, rate="0.70", fund="7.00")
    assert result["year_to_date_after"]["fund_paid_out_of_city"] == "0.00"


# --- 第八条（一）: the newborn window ---------------------------------------------------


def newborn(visit_date: str, enrolled_on: str | None, birth_date: str = "2024-01-15") -> Json:
    patient = {"category": "newborn", "birth_date": birth_date, "enrolled_on": enrolled_on}
    body = sg(item(amount="10.00"), patient=patient)
    body["visit_date"] = visit_date
    return body


def test_art8_1_newborn_enrolled_within_six_months_covered_from_birth(book: PolicyBook) -> None:
    # Born 15 January, enrolled 14 July: the visit in January, before enrolment, is paid.
    expect(run(book, newborn("2024-01-20", "2024-07-14")), covered=True, reason=None, fund="7.00")
    expect(run(book, newborn("2024-01-15", "2024-07-14")), covered=True)


def test_art8_1_civil_code_art201_enrolled_on_the_corresponding_day_is_within(book: PolicyBook) -> None:
    # 民法典第二百零一条: six months from 5 January end on 5 July, that day included.
    born = "2024-01-05"
    expect(run(book, newborn("2024-01-20", "2024-07-05", birth_date=born)), covered=True, reason=None, fund="7.00")
    expect(run(book, newborn("2024-01-05", "2024-07-05", birth_date=born)), covered=True)


def test_art8_1_civil_code_art201_enrolled_the_day_after_is_late(book: PolicyBook) -> None:
    # Enrolled 6 July: past 出生6个月内; covered from the first day of the month after payment.
    born = "2024-01-05"
    expect(run(book, newborn("2024-01-20", "2024-07-06", birth_date=born)), covered=False, reason="not_yet_covered")
    expect(run(book, newborn("2024-07-31", "2024-07-06", birth_date=born)), covered=False, reason="not_yet_covered")
    expect(run(book, newborn("2024-08-01", "2024-07-06", birth_date=born)), covered=True, reason=None)


def test_art8_1_late_newborn_covered_from_the_month_after_payment(book: PolicyBook) -> None:
    expect(run(book, newborn("2024-09-30", "2024-09-03")), covered=False, reason="not_yet_covered")
    result = run(book, newborn("2024-10-01", "2024-09-03"))
    expect(result, covered=True, rate="0.70")


def test_art8_1_late_newborn_paying_in_december_covered_from_january(book: PolicyBook) -> None:
    expect(run(book, newborn("2024-12-31", "2024-12-05")), reason="not_yet_covered")
    expect(run(book, newborn("2025-01-01", "2024-12-05")), covered=True)


def test_art8_1_civil_code_art201_no_corresponding_day_ends_on_the_months_last_day(book: PolicyBook) -> None:
    # Born 31 August 2023: February 2024 has no 31st, so the window ends on 29 February (a leap year).
    expect(run(book, newborn("2023-09-05", "2024-02-29", birth_date="2023-08-31")), covered=True)
    expect(run(book, newborn("2023-09-05", "2024-03-01", birth_date="2023-08-31")), reason="not_yet_covered")
    # And on 28 February in a common year.
    expect(run(book, newborn("2024-09-05", "2025-02-28", birth_date="2024-08-31")), covered=True)
    expect(run(book, newborn("2024-09-05", "2025-03-01", birth_date="2024-08-31")), reason="not_yet_covered")


def test_art8_1_civil_code_art201_month_end_in_a_common_year(book: PolicyBook) -> None:
    # 韶医保规〔2023〕2号 is in force from 2023-03-07: born 31 October 2023, the window ends 30 April 2024.
    expect(run(book, newborn("2023-11-05", "2024-04-30", birth_date="2023-10-31")), covered=True)
    expect(run(book, newborn("2023-11-05", "2024-05-01", birth_date="2023-10-31")), reason="not_yet_covered")


def test_art8_1_newborn_not_yet_enrolled_is_not_covered(book: PolicyBook) -> None:
    result = run(book, newborn("2024-02-01", None))
    expect(result, covered=False, reason="not_yet_covered", in_scope="10.00", cash="10.00")


def test_newborn_window_does_not_apply_to_other_categories(book: PolicyBook) -> None:
    body = newborn("2024-02-01", None)
    body["patient"]["category"] = "general"
    expect(run(book, body), covered=True)


@pytest.mark.parametrize(
    ("day", "in_force"), [("2023-03-06", False), ("2023-03-07", True), ("2028-03-06", True), ("2028-03-07", False)]
)
def test_art16_in_force_five_years_from_7_march_2023(book: PolicyBook, day: str, in_force: bool) -> None:
    body = sg(item(amount="10.00"))
    body["visit_date"] = day
    if in_force:
        expect(run(book, body), covered=True)
    else:
        with pytest.raises(InputError) as caught:
            run(book, body)
        assert caught.value.field == "visit_date"
