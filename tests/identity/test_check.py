"""The offline identity check on real SQLite rosters: every field, every refusal, every scheme."""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal

import pytest

from db.models import Person, Setting
from db.session import Store
from desktop.identity.check import IdentityCheck, SignedFacility, UnknownFacilityError, check
from desktop.identity.findings import FindingCode, Severity
from desktop.identity.id_number import IdNumberError
from desktop.identity.patient import NotOnRosterError, patient_from_check
from desktop.identity.reads import CardKind, CardRead
from desktop.identity.report import check_json
from desktop.policy import quote
from desktop.policy.parameters import Scheme
from desktop.policy.types import Category, Employment, Patient, QuoteRequest, Reason, YearToDate
from desktop.roster import facility_for_quote, patient_on
from tests.identity.roster import (
    DAY,
    FRESH,
    NOW,
    add_certificate,
    add_person,
    add_signing,
    add_year_to_date,
)


def run(
    store: Store, read: CardRead, facility: str = "T01", day: dt.date = DAY, stale_after_days: int | None = None
) -> IdentityCheck:
    with store.reading() as session:
        return check(session, read, facility, day, NOW, stale_after_days=stale_after_days)


def by_id(number: str) -> CardRead:
    return CardRead(CardKind.ID_NUMBER, number, holder_id_number=number)


def codes(result: IdentityCheck) -> list[str]:
    return [f.code.value for f in result.findings]


# --- who, and every field ---------------------------------------------------------


def test_every_field_for_a_resident_signed_here(store: Store) -> None:
    number = add_person(store, 1, poverty_registered=True, enrolled_on=dt.date(2019, 1, 1), signed_at=())
    add_signing(store, 1, "T02", dt.date(2023, 1, 1), dt.date(2023, 12, 31))  # ended, and followed: not in force
    add_signing(store, 1, "T01", dt.date(2024, 1, 1), None, role="single", family_doctor=True)
    add_certificate(store, 1, "hypertension", dt.date(2022, 1, 1))
    add_certificate(store, 1, "diabetes", dt.date(2020, 1, 1), dt.date(2023, 12, 31))  # lapsed
    add_year_to_date(store, 1, 2024, 0, 1250, 0)
    add_year_to_date(store, 1, 2023, 0, 99900, 0)

    result = run(store, by_id(number))

    assert result.facility_id == "T01"
    assert result.facility_name == "青山镇卫生院"
    assert result.day == DAY
    assert result.read_kind is CardKind.ID_NUMBER
    assert result.read_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert result.found
    assert not result.refused
    assert result.findings == ()
    p = result.person
    assert p is not None
    assert (p.person_id, p.psn_no, p.name) == (1, "P00000001", "张伟")
    assert p.id_number_masked == number[:4] + "**********" + number[-4:]
    assert p.gender == "男"
    assert p.birth_date == dt.date(1960, 6, 15)
    assert p.age == 63  # the birthday in June is still to come on 10 May
    assert p.insured is True
    assert p.policy == "nanchang-resident"
    assert p.policy_title is not None
    assert "南昌" in p.policy_title
    assert p.policy_version == "洪府厅发〔2019〕102号"
    assert p.scheme is Scheme.RESIDENT
    assert p.insutype == "390"
    assert p.insurance_division == "360121"
    assert (p.category, p.employment, p.retired_on, p.enrolled_on) == ("general", "active", None, dt.date(2019, 1, 1))
    assert p.signed_here is True
    assert p.signed_via_township is False
    assert p.signed_facilities == (SignedFacility("T01", "青山镇卫生院", "single", "chosen", False, True),)
    assert p.designated_here is True
    assert p.family_doctor is True
    assert p.poverty_registered is True
    assert p.chronic_diseases == ("hypertension",)
    assert p.benefit_suspended is False
    assert p.year == 2024
    assert p.year_to_date == YearToDate(Decimal("0.00"), Decimal("12.50"), Decimal("0.00"))
    assert (p.deductible, p.cap, p.cap_left) == (None, None, None)  # Nanchang budgets per facility, no cap
    assert p.account_balance == Decimal("0.00")
    assert p.roster_updated_at == FRESH
    assert p.roster_age_days == 1
    assert p.roster_stale is False


def test_a_cap_and_what_is_left_of_it(store: Store) -> None:
    add_person(
        store, 2, policy="shaoguan-resident", region="440205", signed_at=("T10",), cards=(("ssc", "G00000002", True),)
    )
    add_year_to_date(store, 2, 2024, 0, 12050, 1000)
    result = run(store, CardRead(CardKind.SOCIAL_SECURITY_CARD, "G00000002"), facility="T10")
    p = result.person
    assert p is not None
    assert result.read_number_masked == "G000*0002"
    assert p.cap == Decimal("300.00")
    assert p.cap_left == Decimal("179.50")
    assert p.deductible is None
    assert p.year_to_date.fund_paid_out_of_city == Decimal("10.00")
    assert result.findings == ()


def test_a_reached_cap_is_a_warning_with_its_article(store: Store) -> None:
    add_person(
        store, 3, policy="shaoguan-resident", region="440205", signed_at=("T10",), cards=(("ssc", "G00000003", True),)
    )
    add_year_to_date(store, 3, 2024, 0, 30000)
    result = run(store, CardRead(CardKind.SOCIAL_SECURITY_CARD, "G00000003"), facility="T10")
    assert result.person is not None
    assert result.person.cap_left == Decimal("0.00")
    (finding,) = result.findings
    assert finding.code is FindingCode.CAP_REACHED
    assert finding.severity is Severity.WARNING
    assert "300.00元" in finding.reason
    assert finding.article == "第八条（一）"
    assert not result.refused


def test_a_womans_number_reads_as_female(store: Store) -> None:
    number = add_person(store, 4, sequence=2, name="李娜")
    p = run(store, by_id(number)).person
    assert p is not None
    assert p.gender == "女"


# --- finding the person -------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "what"),
    [
        (CardRead(CardKind.SOCIAL_SECURITY_CARD, "Z99999999"), "社保卡"),
        (CardRead(CardKind.EVOUCHER, "E36A7F0C2B9D4E51A8C3"), "医保电子凭证"),
        (by_id("110101196006150013"), "身份证号"),
    ],
)
def test_nobody_on_the_roster_is_a_result_not_an_exception(store: Store, read: CardRead, what: str) -> None:
    result = run(store, read)
    assert not result.found
    assert result.person is None
    (finding,) = result.findings
    assert finding.code is FindingCode.NOT_ON_ROSTER
    assert finding.severity is Severity.REFUSAL
    assert what in finding.reason
    assert result.refused
    with pytest.raises(NotOnRosterError):
        patient_from_check(result)


def test_an_evoucher_token_is_looked_up_among_the_cards(store: Store) -> None:
    add_person(store, 5, cards=(("evoucher", "E36A7F0C2B9D4E51A8C3", True),))
    result = run(store, CardRead(CardKind.EVOUCHER, "E36A7F0C2B9D4E51A8C3"))
    assert result.person is not None
    assert result.person.person_id == 5
    assert result.read_kind is CardKind.EVOUCHER


def test_a_card_reported_invalid_is_refused_but_the_person_is_shown(store: Store) -> None:
    add_person(store, 6, cards=(("ssc", "A00000006", False),))
    result = run(store, CardRead(CardKind.SOCIAL_SECURITY_CARD, "A00000006"))
    assert result.person is not None
    assert result.person.person_id == 6
    assert codes(result) == ["card_invalid"]
    assert "挂失或作废" in result.findings[0].reason


def test_a_card_whose_chip_names_someone_else_is_refused(store: Store) -> None:
    add_person(store, 7, cards=(("ssc", "A00000007", True),))
    other = add_person(store, 8, sequence=99)
    read = CardRead(CardKind.SOCIAL_SECURITY_CARD, "A00000007", holder_id_number=other)
    assert codes(run(store, read)) == ["card_holder_mismatch"]


def test_a_new_card_not_yet_on_the_roster_finds_its_holder_by_the_chip(store: Store) -> None:
    number = add_person(store, 9)
    result = run(store, CardRead(CardKind.SOCIAL_SECURITY_CARD, "A99999999", holder_id_number=number))
    assert result.person is not None
    assert result.person.person_id == 9
    assert codes(result) == ["card_not_on_roster"]
    assert result.findings[0].severity is Severity.WARNING


def test_an_id_number_that_cannot_be_right_is_refused_before_the_roster_is_read(store: Store) -> None:
    with pytest.raises(IdNumberError):
        run(store, by_id("360121196006150011"))


def test_an_unknown_facility_is_an_error(store: Store) -> None:
    number = add_person(store, 10)
    with pytest.raises(UnknownFacilityError):
        run(store, by_id(number), facility="X99")


def test_now_must_carry_a_time_zone(store: Store) -> None:
    number = add_person(store, 11)
    with store.reading() as session, pytest.raises(ValueError, match="time zone"):
        check(session, by_id(number), "T01", DAY, NOW.replace(tzinfo=None))


# --- refusals -----------------------------------------------------------------------


def test_not_insured_this_year(store: Store) -> None:
    result = run(store, by_id(add_person(store, 12, insured=False)))
    assert codes(result) == ["not_insured"]
    assert "2024年度未参保" in result.findings[0].reason


def test_benefits_suspended(store: Store) -> None:
    result = run(store, by_id(add_person(store, 13, policy="nanchang-employee", signed_at=(), benefit_suspended=True)))
    (finding,) = result.findings
    assert finding.code is FindingCode.BENEFIT_SUSPENDED
    assert finding.article == "第二十五条（三）"
    assert "暂停" in finding.reason


def test_signed_elsewhere_names_where(store: Store) -> None:
    result = run(store, by_id(add_person(store, 14, signed_at=("T02",))))
    (finding,) = result.findings
    assert finding.code is FindingCode.SIGNED_ELSEWHERE
    assert "莲塘镇卫生院" in finding.reason
    assert finding.article == "第十三条（一）"
    assert result.person is not None
    assert result.person.signed_here is False


def test_not_signed_anywhere(store: Store) -> None:
    result = run(store, by_id(add_person(store, 15, signed_at=())))
    assert codes(result) == ["not_signed"]
    assert result.person is not None
    assert result.person.signed_facilities == ()


def test_a_signing_that_starts_later_is_not_yet_in_force(store: Store) -> None:
    number = add_person(store, 16, signed_at=())
    add_signing(store, 16, "T02", dt.date(2024, 1, 1), dt.date(2024, 5, 31))
    add_signing(store, 16, "T01", dt.date(2024, 6, 1), None)
    assert codes(run(store, by_id(number))) == ["signed_elsewhere"]
    assert codes(run(store, by_id(number), day=dt.date(2024, 6, 1))) == []


def test_last_years_nanchang_signing_carries_over(store: Store) -> None:
    number = add_person(store, 22, signed_at=())
    add_signing(store, 22, "T01", dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    p = run(store, by_id(number)).person
    assert p is not None
    assert p.signed_here is True
    assert p.signed_facilities == (SignedFacility("T01", "青山镇卫生院", "single", "chosen", True, False),)


def test_a_hunan_resident_who_chose_nothing_is_signed_with_the_residence_facility(store: Store) -> None:
    number = add_person(store, 23, policy="hunan-resident", region="430181", signed_at=(), residence_facility_id="H01")
    result = run(store, by_id(number), facility="H01")
    assert result.findings == ()
    assert result.person is not None
    assert result.person.signed_facilities == (
        SignedFacility("H01", "集里街道卫生院", "single", "defaulted", False, False),
    )


def test_conflicting_signing_records_are_a_refusal_not_a_crash(store: Store) -> None:
    number = add_person(store, 24, signed_at=("T01", "T02"))  # two single signings at once
    result = run(store, by_id(number))
    assert codes(result) == ["signing_unreadable"]
    assert result.person is not None
    assert result.person.signed_here is False


def _id(store: Store, person_id: int) -> str:
    with store.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person.id_number


def test_the_university_student_exclusion_cites_its_article(store: Store) -> None:
    result = run(store, by_id(add_person(store, 17, born=dt.date(2004, 3, 1), category="university_student")))
    (finding,) = result.findings
    assert finding.code is FindingCode.EXCLUDED_CATEGORY
    assert "大学生" in finding.reason
    assert finding.article == "第四条"


def test_a_suspended_facility(store: Store) -> None:
    result = run(store, by_id(add_person(store, 18, signed_at=("S01",))), facility="S01")
    assert codes(result) == ["facility_suspended"]
    assert result.person is not None
    assert result.person.designated_here is False


def test_a_facility_not_designated_for_residents(store: Store) -> None:
    result = run(store, by_id(add_person(store, 19, signed_at=("N01",))), facility="N01")
    assert codes(result) == ["not_designated_resident"]
    assert result.findings[0].article == "第七条"


def test_a_policy_not_in_force_on_the_day(store: Store) -> None:
    number = add_person(store, 20, policy="nanchong-employee", region="110101", signed_at=())
    result = run(store, by_id(number), day=dt.date(2028, 1, 3))
    p = result.person
    assert p is not None
    assert (p.policy_title, p.policy_version, p.cap) == (None, None, None)
    assert p.scheme is Scheme.EMPLOYEE  # from insutype 310
    assert codes(result) == ["policy_not_in_force"]


def test_several_refusals_are_all_listed_in_order(store: Store) -> None:
    number = add_person(
        store, 21, insured=False, benefit_suspended=True, signed_at=("T02",), updated=NOW - dt.timedelta(days=30)
    )
    assert codes(run(store, by_id(number))) == ["not_insured", "benefit_suspended", "signed_elsewhere", "roster_stale"]


# --- village clinics under a signed township centre ---------------------------------


def test_nanchang_counts_the_village_clinic_of_a_signed_township(store: Store) -> None:
    result = run(store, by_id(add_person(store, 30, signed_at=("T01",))), facility="V01")
    p = result.person
    assert p is not None
    assert (p.signed_here, p.signed_via_township) == (True, True)
    assert result.findings == ()


def test_nanchang_does_not_count_a_village_clinic_of_another_township(store: Store) -> None:
    result = run(store, by_id(add_person(store, 31, signed_at=("T02",))), facility="V01")
    assert codes(result) == ["signed_elsewhere"]
    assert result.person is not None
    assert result.person.signed_via_township is False


def test_shaoguan_does_not_count_the_village_station_of_a_signed_township(store: Store) -> None:
    number = add_person(store, 32, policy="shaoguan-resident", region="440205", signed_at=("T10",))
    result = run(store, by_id(number), facility="V10")
    assert result.person is not None
    assert result.person.signed_here is False
    (finding,) = result.findings
    assert finding.code is FindingCode.SIGNED_ELSEWHERE
    assert "曲江镇卫生院" in finding.reason


def test_shaoguan_basic_facility_and_village_station_both_count(store: Store) -> None:
    number = add_person(store, 33, policy="shaoguan-resident", region="440205", signed_at=())
    add_signing(store, 33, "T10", dt.date(2024, 1, 1), None, role="basic")
    add_signing(store, 33, "V10", dt.date(2024, 1, 1), None, role="village_station")
    for facility in ("T10", "V10"):
        result = run(store, by_id(number), facility=facility)
        assert result.findings == ()
        assert result.person is not None
        assert result.person.signed_via_township is False


def test_hunan_does_not_count_the_village_clinic_of_a_signed_township(store: Store) -> None:
    number = add_person(store, 34, policy="hunan-resident", region="430181", signed_at=("H01",))
    assert codes(run(store, by_id(number), facility="HV1")) == ["signed_elsewhere"]
    assert codes(run(store, by_id(number), facility="H01")) == []


# --- employees ----------------------------------------------------------------------


def test_employees_need_no_signing_and_see_their_account(store: Store) -> None:
    number = add_person(store, 40, policy="nanchang-employee", signed_at=(), account_balance_fen=123456)
    add_year_to_date(store, 40, 2024, 20000, 5000)
    result = run(store, by_id(number), facility="T02")
    p = result.person
    assert p is not None
    assert result.findings == ()
    assert p.scheme is Scheme.EMPLOYEE
    assert p.insutype == "310"
    assert p.signed_here is None
    assert p.designated_here is True
    assert p.account_balance == Decimal("1234.56")
    assert (p.deductible, p.cap, p.cap_left) == (Decimal("600.00"), Decimal("1800.00"), Decimal("1750.00"))
    assert p.year_to_date.deductible_met == Decimal("200.00")


def test_a_retired_employee_has_the_retired_cap_from_the_month_after(store: Store) -> None:
    number = add_person(
        store, 41, policy="nanchang-employee", signed_at=(), employment="retired", retired_on=dt.date(2024, 5, 6)
    )
    before = run(store, by_id(number)).person
    after = run(store, by_id(number), day=dt.date(2024, 6, 1)).person
    assert before is not None
    assert after is not None
    assert before.cap == Decimal("1800.00")  # 第十八条: retirement takes effect the next month
    assert after.cap == Decimal("2000.00")


def test_a_village_clinic_not_designated_for_employees(store: Store) -> None:
    number = add_person(store, 42, policy="nanchang-employee", signed_at=())
    result = run(store, by_id(number), facility="V01")
    (finding,) = result.findings
    assert finding.code is FindingCode.NOT_DESIGNATED_EMPLOYEE
    assert "职工医保" in finding.reason
    assert finding.article == "第二十五条（四）"
    assert result.person is not None
    assert result.person.designated_here is False


# --- how old the roster is ----------------------------------------------------------


def test_a_roster_older_than_seven_days_is_stale(store: Store) -> None:
    fresh = add_person(store, 50, updated=NOW - dt.timedelta(days=7))
    stale = add_person(store, 51, sequence=8, updated=NOW - dt.timedelta(days=7, seconds=1))
    assert codes(run(store, by_id(fresh))) == []
    result = run(store, by_id(stale))
    (finding,) = result.findings
    assert finding.code is FindingCode.ROSTER_STALE
    assert finding.severity is Severity.WARNING
    assert "7天" in finding.reason
    assert result.person is not None
    assert result.person.roster_stale
    assert result.person.roster_age_days == 7


def test_the_stale_threshold_comes_from_the_caller_or_the_settings(store: Store) -> None:
    number = add_person(store, 52, updated=NOW - dt.timedelta(days=3))
    assert codes(run(store, by_id(number), stale_after_days=2)) == ["roster_stale"]
    with store.writing() as session:
        session.add(Setting(key="roster_stale_after_days", value="2"))
    assert codes(run(store, by_id(number))) == ["roster_stale"]
    assert codes(run(store, by_id(number), stale_after_days=5)) == []


# --- for the quote, and nothing leaks -----------------------------------------------


def test_the_patient_for_the_engine_matches_the_settlements_own_reading(store: Store) -> None:
    number = add_person(store, 60, poverty_registered=True, enrolled_on=dt.date(2020, 1, 1), signed_at=())
    add_signing(store, 60, "T01", dt.date(2024, 1, 1), None, family_doctor=True)
    add_certificate(store, 60, "diabetes", dt.date(2021, 1, 1))
    result = run(store, by_id(number), facility="V01")
    patient = patient_from_check(result)
    with store.reading() as session:
        person = session.get(Person, 60)
        assert person is not None
        assert patient == patient_on(session.connection(), person, DAY)
    assert patient == Patient(
        birth_date=dt.date(1960, 6, 15),
        category=Category.GENERAL,
        employment=Employment.ACTIVE,
        poverty_registered=True,
        family_doctor=True,
        contracted_facilities=("T01",),
        enrolled_on=dt.date(2020, 1, 1),
        chronic_diseases=("diabetes",),
    )


@pytest.mark.parametrize(
    ("policy", "region", "signed", "facility", "reason"),
    [
        ("nanchang-resident", "360121", "T01", "V01", None),
        ("shaoguan-resident", "440205", "T10", "V10", Reason.NOT_CONTRACTED_FACILITY),
    ],
)
def test_the_engine_agrees_with_the_check_on_signing(
    store: Store, policy: str, region: str, signed: str, facility: str, reason: Reason | None
) -> None:
    number = add_person(store, 61, policy=policy, region=region, signed_at=(signed,))
    result = run(store, by_id(number), facility=facility)
    with store.reading() as session:
        from db.models import Facility

        row = session.get(Facility, facility)
        assert row is not None
        request = QuoteRequest(
            policy, DAY, patient_from_check(result), facility_for_quote(row, False, DAY, in_city=True)
        )
    assert quote(request).reason is reason
    assert (reason is None) == (not result.refused)


def test_no_full_id_number_in_logs_or_json(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    number = add_person(store, 70, name="欧阳娜娜", signed_at=("T02",), cards=(("ssc", "A00000070", True),))
    caplog.set_level(logging.DEBUG)
    results = [
        run(store, by_id(number)),
        run(store, CardRead(CardKind.SOCIAL_SECURITY_CARD, "A00000070", holder_id_number=number)),
        run(store, by_id("110101196006150013")),
    ]
    assert caplog.records, "the check logs what it did"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert number not in logged
    assert "110101196006150013" not in logged
    assert "A00000070" not in logged
    assert "娜娜" not in logged
    assert number[:4] + "**********" + number[-4:] in logged
    for result in results:
        text = json.dumps(check_json(result), ensure_ascii=False)
        assert number not in text
        assert "110101196006150013" not in text
        assert "1960-06-15" not in text
        assert "19600615" not in text
