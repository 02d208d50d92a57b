"""The village clinic ledger (门诊台账, 湘人社发〔2017〕94号 第十三条) on real SQLite files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from db.models import AuditEntry, Diagnosis, Person, Reversal, Settlement, Visit
from db.session import Store
from desktop.ledger import (
    LedgerError,
    LedgerQuery,
    Period,
    clinic_names,
    ledger_rows,
    signatures,
    store_signature,
    totals,
    viewer_sees_full_id,
)
from desktop.settlement import DiagnosisLine, DraftItem, VisitDraft, reverse, settle
from tests.factories import NOW, add_person, make_store

CST = dt.timezone(dt.timedelta(hours=8))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32  # the ledger checks the signature's type, not its pixels
MAY = Period.month(2024, 5)


def describe(store: Store, person_id: int, *, name: str, head: str, address: str, phone: str) -> None:
    with store.writing() as session:  # through the ORM, so the change is sealed in the audit chain as the roster's
        person = session.get_one(Person, person_id)
        person.name, person.household_head, person.address, person.phone = name, head, address, phone


def visit(
    store: Store,
    person_id: int,
    day: dt.date,
    *,
    facility: str = "T01",
    items: tuple[DraftItem, ...] = (DraftItem("F01"), DraftItem("X01", Decimal(2))),
    diagnoses: tuple[DiagnosisLine, ...] = (DiagnosisLine("J06.900", "急性上呼吸道感染"),),
) -> int:
    staff = 2 if facility == "V01" else 1
    draft = VisitDraft(facility, person_id, staff, day, items, diagnoses)
    when = dt.datetime.combine(day, dt.time(10), CST)
    return settle(store, draft, when).settlement_id


@pytest.fixture
def clinic(tmp_path: Path) -> Store:
    """Three patients, five visits in May (two at the village clinic), one reversed."""
    store = make_store(tmp_path)
    for person_id, name, head, phone in (
        (1, "张伟", "张建国", "13812345678"),
        (2, "李秀英", "李秀英", "13900001111"),
        (3, "王磊", "王德明", "13700002222"),
    ):
        add_person(store, person_id=person_id)
        describe(store, person_id, name=name, head=head, address=f"青山镇东村{person_id}号", phone=phone)
    visit(store, 1, dt.date(2024, 5, 2))
    visit(store, 2, dt.date(2024, 5, 2), diagnoses=(DiagnosisLine("I10.x00", "原发性高血压"),))
    visit(
        store,
        3,
        dt.date(2024, 5, 3),
        diagnoses=(DiagnosisLine("E11.900", "2型糖尿病"), DiagnosisLine("I10.x00", "原发性高血压")),
    )
    visit(store, 1, dt.date(2024, 5, 6), facility="V01")
    wrong = visit(store, 2, dt.date(2024, 5, 7), facility="V01")
    reverse(store, wrong, "录入错误", 1, NOW)
    visit(store, 3, dt.date(2024, 4, 30))  # April: not in May's ledger
    return store


def test_a_row_holds_what_article_13_lists(clinic: Store) -> None:
    rows = ledger_rows(clinic, LedgerQuery("T01", MAY, full_id=True))
    first = rows[0]
    assert (first.visit_date, first.household_head, first.patient_name) == (dt.date(2024, 5, 2), "张建国", "张伟")
    assert first.address == "青山镇东村1号"
    assert first.id_number == "360101196006150001"
    assert first.phone == "13812345678"
    assert first.diagnosis == "急性上呼吸道感染"
    assert first.total == Decimal("35.00")  # 10.00 consultation + 2 × 12.50
    assert first.fund + first.patient_share == first.total
    assert first.fund > 0
    assert not first.signed
    assert not first.reversed
    with clinic.reading() as session:
        settled = session.get(Settlement, first.settlement_id)
        assert settled is not None
        assert (first.fund_fen, first.account_fen + first.cash_fen) == (
            settled.fund_fen,
            settled.account_fen + settled.cash_fen,
        )


def test_rows_come_by_visit_date_with_all_diagnoses_in_entry_order(clinic: Store) -> None:
    rows = ledger_rows(clinic, LedgerQuery("T01", MAY))
    assert [row.visit_date.day for row in rows] == [2, 2, 3]
    assert rows[2].diagnosis == "2型糖尿病；原发性高血压"


def test_the_centre_sees_its_village_clinics_only_when_asked(clinic: Store) -> None:
    own = ledger_rows(clinic, LedgerQuery("T01", MAY))
    both = ledger_rows(clinic, LedgerQuery("T01", MAY, include_villages=True))
    village = ledger_rows(clinic, LedgerQuery("V01", MAY, include_villages=True))
    assert {row.facility_id for row in own} == {"T01"}
    assert [row.facility_id for row in both] == ["T01", "T01", "T01", "V01", "V01"]
    assert {row.facility_id for row in village} == {"V01"}
    assert clinic_names(clinic, "T01") == {"T01": "青山镇卫生院", "V01": "青山镇东村卫生室"}


def test_a_day_and_a_month(clinic: Store) -> None:
    assert len(ledger_rows(clinic, LedgerQuery("T01", Period.day(dt.date(2024, 5, 2))))) == 2
    assert len(ledger_rows(clinic, LedgerQuery("T01", Period.month(2024, 4)))) == 1
    assert Period.month(2024, 12) == Period(dt.date(2024, 12, 1), dt.date(2024, 12, 31))
    assert Period.month(2024, 2).last == dt.date(2024, 2, 29)
    with pytest.raises(LedgerError, match="month 13"):
        Period.month(2024, 13)
    with pytest.raises(LedgerError, match="2024-05-02 is after 2024-05-01"):
        Period(dt.date(2024, 5, 2), dt.date(2024, 5, 1))


@pytest.mark.parametrize(("role", "full"), [("clerk", False), ("village_doctor", False), ("admin", True)])
def test_id_numbers_and_phones_are_masked_unless_the_role_may_see_them(clinic: Store, role: str, full: bool) -> None:
    assert viewer_sees_full_id(role) is full
    row = ledger_rows(clinic, LedgerQuery("T01", MAY, full_id=viewer_sees_full_id(role)))[0]
    if full:
        assert (row.id_number, row.phone) == ("360101196006150001", "13812345678")
    else:
        assert (row.id_number, row.phone) == ("3601**********0001", "138****5678")
    assert row.patient_name == "张伟"  # the register is signed by name: names stay whole


def test_an_unknown_role_sees_masked_numbers() -> None:
    assert viewer_sees_full_id("cleaner") is False


@pytest.mark.parametrize(
    ("text", "patients"),
    [
        ("张伟", ["张伟", "张伟"]),  # patient name
        ("德明", ["王磊"]),  # head of household
        ("0002", ["李秀英", "李秀英"]),  # the tail of the ID number
        ("高血压", ["李秀英", "王磊"]),  # a diagnosis, first or second
        ("E11", ["王磊"]),  # a diagnosis code
        ("无此人", []),
        ("%", []),  # LIKE's wildcards are matched as text
    ],
)
def test_the_filter(clinic: Store, text: str, patients: list[str]) -> None:
    rows = ledger_rows(clinic, LedgerQuery("T01", MAY, include_villages=True, text=text))
    assert [row.patient_name for row in rows] == patients


def test_reversed_visits_are_listed_marked_and_left_out_of_the_totals(clinic: Store) -> None:
    rows = ledger_rows(clinic, LedgerQuery("V01", MAY))
    assert [(row.reversed, row.reversal_reason) for row in rows] == [(False, None), (True, "录入错误")]
    sums = totals(rows)
    standing = rows[0]
    assert (sums.visits, sums.reversed) == (1, 1)
    assert (sums.total, sums.fund, sums.patient_share) == (standing.total, standing.fund, standing.patient_share)


def test_month_totals_to_the_fen(clinic: Store) -> None:
    rows = ledger_rows(clinic, LedgerQuery("T01", MAY, include_villages=True))
    with clinic.reading() as session:
        expected = session.execute(
            select(Settlement.total_fen, Settlement.fund_fen, Settlement.account_fen, Settlement.cash_fen)
            .join(Visit, Visit.id == Settlement.visit_id)
            .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
            .where(Visit.visit_date >= MAY.first, Reversal.id.is_(None))
        ).all()
    sums = totals(rows)
    fen = [sum(column) for column in zip(*expected, strict=True)]
    assert sums.visits == len(expected) == 4
    assert [sums.total, sums.fund, sums.account, sums.cash] == [Decimal(f) / 100 for f in fen]
    assert all(isinstance(value, Decimal) and value.as_tuple().exponent == -2 for value in (sums.total, sums.fund))


def test_a_signature_is_kept_once_and_never_replaced(clinic: Store) -> None:
    row = ledger_rows(clinic, LedgerQuery("T01", MAY))[0]
    store_signature(clinic, row.visit_id, PNG, 1, NOW)
    again = ledger_rows(clinic, LedgerQuery("T01", MAY))[0]
    assert again.signed
    assert signatures(clinic, [row.visit_id, row.visit_id + 1]) == {row.visit_id: PNG}
    with pytest.raises(LedgerError, match="already has a signature") as refused:
        store_signature(clinic, row.visit_id, PNG + b"other", 1, NOW)
    assert refused.value.field == "signature"
    assert signatures(clinic, [row.visit_id]) == {row.visit_id: PNG}
    with clinic.reading() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "sign")).one()
        assert (audit.entity, audit.entity_id, audit.staff_id) == ("visit", str(row.visit_id), 1)


def test_a_signature_must_be_a_png_of_a_settled_visit(clinic: Store) -> None:
    with pytest.raises(LedgerError, match="not a PNG"):
        store_signature(clinic, 1, b"GIF89a", 1, NOW)
    with pytest.raises(LedgerError, match="bytes; at most"):
        store_signature(clinic, 1, PNG + b"\x00" * 600_000, 1, NOW)
    with pytest.raises(LedgerError, match="no settlement"):
        store_signature(clinic, 999, PNG, 1, NOW)


def test_an_unknown_facility_is_named(clinic: Store) -> None:
    with pytest.raises(LedgerError, match="no facility 'X99'"):
        ledger_rows(clinic, LedgerQuery("X99", MAY))


# --- a busy centre's year, inserted in bulk -------------------------------------------


def fill_year(store: Store, visits: int, people: int = 200) -> None:
    """Rows straight into the tables: thousands in well under a second, split adding up."""
    year = dt.date(2023, 1, 1)
    with store.writing() as session:
        connection = session.connection()
        connection.execute(
            insert(Person),
            [
                {
                    "id": i,
                    "psn_no": f"B{i:08d}",
                    "id_number": f"3601011960061{i:05d}",
                    "name": f"病人{i}",
                    "gender": "1",
                    "birth_date": dt.date(1960, 6, 15),
                    "policy": "nanchang-resident",
                    "insutype": "390",
                    "insuplc_admdvs": "360101",
                    "household_head": f"户主{i}",
                    "address": f"青山镇{i}号",
                    "phone": f"138{i:08d}",
                    "roster_updated_at": NOW,
                }
                for i in range(1, people + 1)
            ],
        )
        connection.execute(
            insert(Visit),
            [
                {
                    "id": v,
                    "facility_id": "V01" if v % 3 == 0 else "T01",
                    "person_id": v % people + 1,
                    "staff_id": 1,
                    "visit_date": year + dt.timedelta(days=v % 365),
                    "created_at": NOW,
                }
                for v in range(1, visits + 1)
            ],
        )
        connection.execute(
            insert(Settlement),
            [
                {
                    "id": v,
                    "visit_id": v,
                    "person_id": v % people + 1,
                    "staff_id": 1,
                    "settled_at": NOW,
                    "year": 2023,
                    "policy": "nanchang-resident",
                    "policy_version": "洪府厅发〔2019〕102号",
                    "covered": True,
                    "rate": "0.50",
                    "total_fen": 1000 + v,
                    "in_scope_fen": 1000 + v,
                    "out_of_scope_fen": 0,
                    "deductible_fen": 0,
                    "fund_fen": 500,
                    "fund_toward_cap_fen": 500,
                    "fund_out_of_city_fen": 0,
                    "account_fen": 0,
                    "cash_fen": 500 + v,
                    "explanation": "[]",
                    "msgid": f"BULK{v:026d}",
                }
                for v in range(1, visits + 1)
            ],
        )
        connection.execute(
            insert(Diagnosis),
            [
                {"visit_id": v, "line_no": line, "code": code, "name": name}
                for v in range(1, visits + 1)
                for line, (code, name) in enumerate(
                    [("J06.900", "急性上呼吸道感染"), ("I10.x00", "原发性高血压")][: 1 + v % 2], start=1
                )
            ],
        )
        connection.execute(
            insert(Reversal),
            [
                {"settlement_id": v, "staff_id": 1, "reversed_at": NOW, "reason": "录入错误", "msgid": f"REV{v:027d}"}
                for v in range(100, visits + 1, 100)
            ],
        )


def test_a_year_of_thousands_of_rows(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    fill_year(store, 4000)
    year = Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    rows = ledger_rows(store, LedgerQuery("T01", year, include_villages=True))
    assert len(rows) == 4000
    assert [row.visit_date for row in rows] == sorted(row.visit_date for row in rows)
    assert rows[0].diagnosis in {"急性上呼吸道感染", "急性上呼吸道感染；原发性高血压"}
    assert {row.diagnosis for row in rows} == {"急性上呼吸道感染", "急性上呼吸道感染；原发性高血压"}
    sums = totals(rows)
    standing = [v for v in range(1, 4001) if v % 100]
    assert (sums.visits, sums.reversed) == (len(standing), 40)
    assert sums.total == Decimal(sum(1000 + v for v in standing)) / 100
    assert sums.fund == Decimal(500 * len(standing)) / 100
    own = ledger_rows(store, LedgerQuery("T01", year))
    assert len(own) == 4000 - 4000 // 3
