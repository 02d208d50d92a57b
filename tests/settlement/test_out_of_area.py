"""A person insured elsewhere, at the counter: in_city from the insured area, the filing from the record.

洪府办发〔2022〕93号 第二十二条、第二十五条（五）; 南府办发〔2022〕33号 第二十六条. The counter never asks
a clerk whether the patient is "in the city" or "filed": it compares the person's insured area
(1101's insuplc_admdvs) with the clinic's division at the policy's pooling level, and reads the
异地备案 on record — from the agency, or entered by staff from the paper — with its place and dates.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from db.audit_verify import verify
from db.models import AreaFiling, AuditEntry, Card, Settlement, Staff
from db.session import Store
from desktop.area import (
    FilingError,
    FilingKind,
    FilingOrigin,
    NewFiling,
    area_standing,
    record_filing,
    withdraw_filing,
)
from desktop.divisions import covers, division_prefix, in_pooling_area
from desktop.identity import check
from desktop.identity.findings import FindingCode, Severity
from desktop.identity.reads import CardKind, CardRead
from desktop.identity.report import check_json
from desktop.policy import default_book
from desktop.policy.parameters import PoolingLevel
from desktop.settlement import DraftItem, VisitDraft, settle
from tests.factories import COLD, NOW, TODAY, add_person, make_store

NANCHONG = "nanchong-employee"
CITY = PoolingLevel.CITY


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = make_store(tmp_path)
    add_person(made, person_id=1, policy=NANCHONG, balance_fen=5000)  # insured in 511302 (顺庆区, 南充市)
    add_person(made, person_id=2, policy="nanchang-employee", insured_area="360121")  # 南昌县, the same city
    with made.writing() as session:
        session.add_all(Card(person_id=n, kind="ssc", number=f"CARD{n}") for n in (1, 2))
    return made


def settle_at_t01(store: Store, person_id: int) -> Settlement:
    draft = VisitDraft("T01", person_id, 1, TODAY, (DraftItem("X01", Decimal(20)),), COLD)  # 250.00 of class A
    settled = settle(store, draft, NOW)
    with store.reading() as session:
        row = session.get(Settlement, settled.settlement_id)
        assert row is not None
        session.expunge(row)
        return row


def file(store: Store, person_id: int, filing: NewFiling, origin: FilingOrigin = FilingOrigin.STAFF) -> int:
    with store.write_connection() as connection:
        return record_filing(
            connection, person_id, filing, origin=origin, staff_id=1 if origin is FilingOrigin.STAFF else None, now=NOW
        )


# --- the division codes -----------------------------------------------------------------------


@pytest.mark.parametrize(("code", "prefix"), [("360000", "36"), ("360100", "3601"), ("360121", "360121")])
def test_a_division_code_names_its_level(code: str, prefix: str) -> None:
    assert division_prefix(code) == prefix


def test_the_pooling_city_is_the_first_four_digits() -> None:
    assert in_pooling_area("360121", "360102", CITY) is True  # 南昌县 and 东湖区: both 南昌市
    assert in_pooling_area("511302", "360121", CITY) is False
    assert in_pooling_area("511302", "511321", PoolingLevel.COUNTY) is False
    assert in_pooling_area("", "360121", CITY) is None  # nothing on the roster: cannot be told
    assert in_pooling_area("511302", "360121", None) is None


def test_a_filing_covers_the_place_it_names() -> None:
    assert covers("360000", "360121")  # the province
    assert covers("360100", "360121")  # the city
    assert not covers("360102", "360121")  # another county of the same city
    assert not covers("440200", "360121")


# --- settling ------------------------------------------------------------------------------------


def test_art26_unfiled_employee_from_another_city_is_not_paid_and_the_areas_are_kept(store: Store) -> None:
    row = settle_at_t01(store, 1)
    assert (row.covered, row.reason, row.fund_fen) == (False, "out_of_area_not_filed", 0)
    assert row.account_fen == 5000  # the account still pays (第十九条 names no such exception)
    assert (row.insuplc_admdvs, row.mdtrtarea_admvs, row.area_filing_id) == ("511302", "360101", None)
    assert "第二十六条" in row.explanation


def test_art26_a_filing_for_this_city_pays_and_the_settlement_names_it(store: Store) -> None:
    filing_id = file(store, 1, NewFiling(FilingKind.RELOCATION, "360100", dt.date(2024, 1, 1)))
    row = settle_at_t01(store, 1)
    assert (row.covered, row.reason, row.area_filing_id) == (True, None, filing_id)
    # 200.00 deductible (第七条（一）), then 60% of 50.00 at a level-1 facility; counted as out of the city.
    assert (row.fund_fen, row.fund_out_of_city_fen) == (3000, 3000)
    assert "备案" in row.explanation


@pytest.mark.parametrize(
    "filing",
    [
        NewFiling(FilingKind.RELOCATION, "440200", dt.date(2024, 1, 1)),  # another place
        NewFiling(FilingKind.REFERRAL, "360100", dt.date(2024, 1, 1), dt.date(2024, 5, 9)),  # ended the day before
        NewFiling(FilingKind.REFERRAL, "360100", dt.date(2024, 5, 11)),  # starts the day after
    ],
)
def test_art26_a_filing_for_another_place_or_time_does_not_pay(store: Store, filing: NewFiling) -> None:
    file(store, 1, filing)
    assert settle_at_t01(store, 1).reason == "out_of_area_not_filed"


def test_a_withdrawn_filing_pays_nothing_and_stays_on_record(store: Store) -> None:
    filing_id = file(store, 1, NewFiling(FilingKind.RELOCATION, "360000", dt.date(2024, 1, 1)))
    with store.write_connection() as connection:
        withdraw_filing(connection, filing_id, staff_id=3, now=NOW)
    assert settle_at_t01(store, 1).reason == "out_of_area_not_filed"
    with store.reading() as session:
        kept = session.get(AreaFiling, filing_id)
        assert kept is not None
        assert kept.withdrawn_by == 3
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == "1")).all()
    assert {"record_filing", "withdraw_filing"} <= set(actions)


def test_an_employee_insured_in_another_county_of_the_city_is_at_home(store: Store) -> None:
    row = settle_at_t01(store, 2)
    assert (row.covered, row.reason, row.fund_out_of_city_fen) == (True, None, 0)
    assert row.insuplc_admdvs == "360121"


# --- recording a filing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filing", "field"),
    [
        (NewFiling(FilingKind.RELOCATION, "3601", dt.date(2024, 1, 1)), "place_admdvs"),
        (NewFiling(FilingKind.RELOCATION, "０３６０１００"[1:], dt.date(2024, 1, 1)), "place_admdvs"),
        (NewFiling(FilingKind.REFERRAL, "360100", dt.date(2024, 5, 1), dt.date(2024, 4, 30)), "valid_until"),
        (NewFiling(FilingKind.REFERRAL, "360100", dt.date(2024, 5, 1), None, "x" * 51), "document_no"),
        (NewFiling(FilingKind.REFERRAL, "360100", dt.date(2024, 5, 1), None, "ZZ\x001"), "document_no"),
    ],
)
def test_a_filing_that_cannot_be_right_is_refused_naming_the_field(store: Store, filing: NewFiling, field: str) -> None:
    with pytest.raises(FilingError) as caught:
        file(store, 1, filing)
    assert caught.value.field == field
    with store.reading() as session:
        assert session.scalars(select(AreaFiling)).all() == []


def test_staff_entering_a_filing_are_named_and_audited(store: Store) -> None:
    filing_id = file(store, 1, NewFiling(FilingKind.REFERRAL, " 360121 ", dt.date(2024, 5, 1), None, " ZZ-1 "))
    with store.reading() as session:
        kept = session.get(AreaFiling, filing_id)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "record_filing")).one()
    assert kept is not None
    assert (kept.origin, kept.recorded_by, kept.place_admdvs, kept.document_no) == ("staff", 1, "360121", "ZZ-1")
    assert entry.staff_id == 1
    assert json.loads(entry.detail)["filing_id"] == filing_id
    with pytest.raises(FilingError), store.write_connection() as connection:
        record_filing(
            connection,
            1,
            NewFiling(FilingKind.REFERRAL, "360121", TODAY),
            origin=FilingOrigin.STAFF,
            staff_id=None,
            now=NOW,
        )


def test_only_an_active_staff_member_enters_a_filing(store: Store) -> None:
    with store.writing() as session:
        session.execute(update(Staff).where(Staff.id == 1).values(active=False))
    with pytest.raises(FilingError) as caught:
        file(store, 1, NewFiling(FilingKind.REFERRAL, "360121", TODAY))
    assert caught.value.field == "staff"
    with store.reading() as session:
        assert session.scalars(select(AreaFiling)).all() == []


# --- the identity check: red without, amber with ------------------------------------------------------


def findings_of(store: Store, person_id: int) -> dict[FindingCode, tuple[Severity, str | None]]:
    read = CardRead(CardKind.SOCIAL_SECURITY_CARD, f"CARD{person_id}")
    with store.reading() as session:
        result = check(session, read, "T01", TODAY, NOW)
    return {f.code: (f.severity, f.article) for f in result.findings}


def test_the_check_refuses_an_unfiled_out_of_area_employee_in_red_citing_art26(store: Store) -> None:
    found = findings_of(store, 1)
    assert found[FindingCode.OUT_OF_AREA_NOT_FILED] == (Severity.REFUSAL, "第二十六条")


def test_the_check_warns_of_a_filed_out_of_area_employee_in_amber_citing_art26(store: Store) -> None:
    file(store, 1, NewFiling(FilingKind.RELOCATION, "360100", dt.date(2024, 1, 1)), FilingOrigin.AGENCY)
    found = findings_of(store, 1)
    assert FindingCode.OUT_OF_AREA_NOT_FILED not in found
    assert found[FindingCode.OUT_OF_AREA_FILED] == (Severity.WARNING, "第二十六条")
    with store.reading() as session:
        result = check(session, CardRead(CardKind.SOCIAL_SECURITY_CARD, "CARD1"), "T01", TODAY, NOW)
    area = check_json(result)["person"]["area"]
    assert (area["insured"], area["care"], area["in_pooling_area"]) == ("511302", "360101", False)
    assert (area["filing"]["place_admdvs"], area["filing"]["origin"]) == ("360100", "agency")


def test_the_check_says_nothing_of_the_area_for_someone_at_home(store: Store) -> None:
    found = findings_of(store, 2)
    assert not {FindingCode.OUT_OF_AREA_FILED, FindingCode.OUT_OF_AREA_NOT_FILED, FindingCode.OUT_OF_AREA} & set(found)


def test_area_standing_reads_filings_only_away_from_home(store: Store) -> None:
    file(store, 2, NewFiling(FilingKind.RELOCATION, "360100", dt.date(2024, 1, 1)))
    version = default_book().version_for("nanchang-employee", TODAY)
    with store.reading() as session:
        home = area_standing(session.connection(), 2, "360121", "360101", version, TODAY)
    assert (home.in_area, home.known, home.filing) == (True, True, None)


def test_filings_and_their_withdrawal_keep_the_audit_chain_whole(store: Store) -> None:
    filing_id = file(store, 1, NewFiling(FilingKind.RELOCATION, "360100", dt.date(2024, 1, 1)))
    settle_at_t01(store, 1)
    with store.write_connection() as connection:
        withdraw_filing(connection, filing_id, staff_id=3, now=NOW)
    with store.reading() as session:
        verdict = verify(session.connection())
    assert verdict.ok, verdict.breaks
    assert verdict.rows.get("area_filing") == 1
