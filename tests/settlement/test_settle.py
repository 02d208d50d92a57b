"""settle() and reverse() against a real SQLite file: one transaction each, nothing half-written."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from db.models import (
    Accumulator,
    AuditEntry,
    Diagnosis,
    Facility,
    OutboxEntry,
    Person,
    Reversal,
    Settlement,
    Signing,
    Staff,
    Visit,
    VisitItem,
)
from db.session import Store
from desktop.settlement import DiagnosisLine, DraftItem, SettlementError, VisitDraft, reverse, settle
from desktop.settlement.service import settlement_msgids
from tests.factories import COLD, NOW, STAFF_AT, TODAY, add_person, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return make_store(tmp_path)


def draft(
    person_id: int, *items: tuple[str, str], facility: str = "T01", staff: int | None = None, **flags: bool
) -> VisitDraft:
    return VisitDraft(
        facility_id=facility,
        person_id=person_id,
        staff_id=STAFF_AT[facility] if staff is None else staff,
        visit_date=TODAY,
        items=tuple(DraftItem(code, Decimal(qty)) for code, qty in items),
        diagnoses=COLD,
        **flags,  # type: ignore[arg-type]
    )


def counts(store: Store) -> dict[str, int]:
    with store.reading() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Visit, VisitItem, Diagnosis, Settlement, OutboxEntry, AuditEntry, Reversal)
        }


def test_settle_writes_the_visit_and_everything_with_it(store: Store) -> None:
    add_person(store, person_id=1)
    done = settle(store, draft(1, ("X01", "2"), ("E01", "1"), ("X03", "1")), NOW)
    # 25.00 + 20.00 in scope, 15.50 class C: Nanchang residents 60% at the signed centre (第十四条).
    assert (done.quote.total, done.quote.fund, done.quote.cash) == (
        Decimal("60.50"),
        Decimal("27.00"),
        Decimal("33.50"),
    )
    with store.reading() as session:
        settlement = session.get(Settlement, done.settlement_id)
        assert settlement is not None
        assert (settlement.fund_fen, settlement.cash_fen, settlement.policy_version) == (
            2700,
            3350,
            "洪府厅发〔2019〕102号",
        )
        items = session.scalars(
            select(VisitItem).where(VisitItem.visit_id == done.visit_id).order_by(VisitItem.line_no)
        )
        assert [(i.code, i.amount_fen, i.in_scope_fen) for i in items] == [
            ("X01", 2500, 2500),
            ("E01", 2000, 2000),
            ("X03", 1550, 0),
        ]
        outbox = session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).all()
        assert [o.infno for o in outbox] == ["2201", "2203", "2204", "2207"]
        assert outbox[-1].msgid == settlement.msgid == done.msgid
        assert all(len(o.msgid) == 30 and o.msgid.startswith("H36010100001") for o in outbox)
        assert len({o.msgid for o in outbox}) == 4
        accumulator = session.get(Accumulator, (1, 2024))
        assert accumulator is not None
        assert accumulator.fund_paid_fen == 2700
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "settle")).one()
        assert (audit.action, json.loads(audit.detail)["fund"]) == ("settle", "27.00")


def test_the_second_visit_sees_the_first_visits_year_to_date(store: Store) -> None:
    # Shaoguan: 300 yuan a year (韶医保规〔2023〕2号 第八条（一）); two visits cross it.
    add_person(store, person_id=1, policy="shaoguan-resident", signed_at="T10")
    first = settle(store, draft(1, ("E01", "20"), facility="T10"), NOW)  # 400.00 × 70% = 280.00
    second = settle(store, draft(1, ("E01", "2"), facility="T10"), NOW)  # 40.00 × 70% = 28.00 → 20.00 left
    third = settle(store, draft(1, ("E01", "1"), facility="T10"), NOW)
    assert (first.quote.fund, second.quote.fund, third.quote.fund) == (
        Decimal("280.00"),
        Decimal("20.00"),
        Decimal("0.00"),
    )
    assert third.quote.reason is not None
    assert third.quote.reason.value == "cap_reached"
    with store.reading() as session:
        accumulator = session.get(Accumulator, (1, 2024))
        assert accumulator is not None
        assert accumulator.fund_paid_fen == 30000


def test_employee_account_is_spent_and_restored_by_reversal(store: Store) -> None:
    add_person(store, person_id=1, policy="nanchang-employee", balance_fen=5000)
    done = settle(store, draft(1, ("X01", "8")), NOW)  # 100.00, under the 600 deductible (第十七条)
    assert (done.quote.fund, done.quote.account, done.quote.cash) == (
        Decimal("0.00"),
        Decimal("50.00"),
        Decimal("50.00"),
    )
    with store.reading() as session:
        person = session.get(Person, 1)
        assert person is not None
        assert person.account_balance_fen == 0
    reverse(store, done.settlement_id, "收费项目录入错误", 1, NOW)
    with store.reading() as session:
        person = session.get(Person, 1)
        assert person is not None
        assert person.account_balance_fen == 5000
        accumulator = session.get(Accumulator, (1, 2024))
        assert accumulator is not None
        assert accumulator.deductible_met_fen == 0


def test_reversal_keeps_the_original_and_queues_its_own_upload(store: Store) -> None:
    add_person(store, person_id=1)
    done = settle(store, draft(1, ("X01", "4")), NOW)
    reversed_ = reverse(store, done.settlement_id, "患者退药", 3, NOW)
    with store.reading() as session:
        settlement = session.get(Settlement, done.settlement_id)
        assert settlement is not None
        assert settlement.fund_fen == 3000
        assert settlement.reversal is not None
        assert settlement.reversal.reason == "患者退药"
        cancel = session.scalars(select(OutboxEntry).where(OutboxEntry.reversal_id == reversed_.reversal_id)).one()
        assert cancel.infno == "2208"
        assert cancel.msgid == reversed_.msgid
        accumulator = session.get(Accumulator, (1, 2024))
        assert accumulator is not None
        assert accumulator.fund_paid_fen == 0
    with pytest.raises(SettlementError, match="already reversed"):
        reverse(store, done.settlement_id, "again", 3, NOW)


def test_a_village_doctor_may_settle_but_not_reverse(store: Store) -> None:
    add_person(store, person_id=1)
    done = settle(store, draft(1, ("X01", "1"), facility="V01", staff=2), NOW)
    assert done.quote.covered  # the village clinic of the signed township centre (第十七条)
    before = counts(store)
    with pytest.raises(SettlementError) as refused:
        reverse(store, done.settlement_id, "错误", 2, NOW)
    assert refused.value.field == "staff"
    assert counts(store) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": (DraftItem("NOPE"),)}, "items.0.code"),
        ({"items": (DraftItem("X01", Decimal(0)),)}, "items.0.quantity"),
        ({"items": (DraftItem("X01", Decimal(1), Decimal("-1.00")),)}, "items.0.price"),
        ({"items": (DraftItem("X01", Decimal(1), Decimal("1.005")),)}, "items.0.price"),
        ({"items": ()}, "items"),
        ({"diagnoses": ()}, "diagnoses"),  # the agency settles no visit without one (2203 diseinfo)
        ({"diagnoses": (DiagnosisLine("", "感冒"),)}, "diagnoses.0.code"),  # 2203 diag_code: free text is not one
        ({"diagnoses": (*COLD, DiagnosisLine("J20.900", " "))}, "diagnoses.1.name"),
        ({"person_id": 99}, "person"),
        ({"facility_id": "NOPE"}, "facility"),
        ({"staff_id": 99}, "staff"),
        ({"visit_date": dt.date(2024, 5, 11)}, "visit_date"),
        ({"visit_date": dt.date(2019, 5, 10)}, "visit_date"),  # before 洪府厅发〔2019〕102号 took effect
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(store: Store, change: dict[str, object], field: str) -> None:
    add_person(store, person_id=1)
    settle(store, draft(1, ("X01", "1")), NOW)
    before = counts(store)
    base = draft(1, ("X01", "1"))
    bad = dataclasses.replace(base, **change)  # type: ignore[arg-type]
    with pytest.raises(SettlementError) as refused:
        settle(store, bad, NOW)
    assert refused.value.field == field
    assert counts(store) == before
    with store.reading() as session:
        accumulator = session.get(Accumulator, (1, 2024))
        assert accumulator is not None
        assert accumulator.fund_paid_fen == 750


def test_a_signing_that_ended_with_last_year_carries_over(store: Store) -> None:
    # 洪府厅发〔2019〕102号 第九条: no action means the signing carries over into the new year.
    add_person(store, person_id=1, signed_at=None)
    with store.writing() as session:
        session.add(
            Signing(
                person_id=1,
                facility_id="T01",
                effective_from=dt.date(2023, 1, 1),
                effective_until=dt.date(2023, 12, 31),
            )
        )
    done = settle(store, draft(1, ("X01", "4")), NOW)
    assert done.quote.covered
    assert done.quote.fund == Decimal("30.00")


def test_an_unsigned_hunan_resident_defaults_to_the_residence_facility(store: Store) -> None:
    # 湘人社发〔2017〕94号 第六条: unsigned residents default to their registered residence's facility.
    add_person(store, person_id=1, policy="hunan-resident", signed_at=None)
    with store.writing() as session:
        person = session.get(Person, 1)
        assert person is not None
        person.residence_facility_id = "V01"
    at_home = settle(store, draft(1, ("X01", "4"), facility="V01", staff=2), NOW)
    elsewhere = settle(store, draft(1, ("X01", "4"), facility="T01"), NOW)
    assert (at_home.quote.rate, at_home.quote.fund) == (Decimal("0.70"), Decimal("35.00"))  # 第五条: village ≥ 70%
    assert elsewhere.quote.reason is not None
    assert elsewhere.quote.reason.value == "not_contracted_facility"


def _accumulators(store: Store) -> list[tuple[int, ...]]:
    with store.reading() as session:
        rows = session.execute(select(Accumulator.person_id, Accumulator.year, Accumulator.fund_paid_fen)).all()
    return [tuple(row) for row in rows]


def test_a_failure_after_the_visit_is_written_takes_the_visit_with_it(store: Store) -> None:
    # The 2203 msgid of the next visit is already taken: the outbox insert, nearly the last
    # write, fails after the visit, items, settlement and accumulator were written.
    add_person(store, person_id=1)
    settle(store, draft(1, ("X01", "1")), NOW)
    with store.writing() as session:
        taken = settlement_msgids("H36010100001", NOW, 2)[1]
        session.add(OutboxEntry(infno="9001", msgid=taken, payload="{}", created_at=NOW))
    before, figures = counts(store), _accumulators(store)
    with pytest.raises(IntegrityError):
        settle(store, draft(1, ("X01", "4")), NOW)
    assert (counts(store), _accumulators(store)) == (before, figures)
    a_second_later = settle(store, draft(1, ("X01", "4")), NOW + dt.timedelta(seconds=1))
    assert a_second_later.visit_id == 2  # the failed visit left not even its id behind


def test_a_facility_without_a_valid_agency_code_is_refused_and_nothing_kept(store: Store) -> None:
    add_person(store, person_id=1)
    with store.writing() as session:
        session.add(Facility(id="T02", code="BAD", name="新卫生院", kind="township_health_center", admdvs="360101"))
        session.flush()
        session.add(Staff(id=5, username="clerk02", name="孙会计", role="clerk", facility_id="T02", password_hash="x"))
    before, figures = counts(store), _accumulators(store)
    with pytest.raises(SettlementError) as refused:
        settle(store, draft(1, ("X01", "1"), facility="T02", staff=5), NOW)
    assert refused.value.field == "facility"
    assert (counts(store), _accumulators(store)) == (before, figures)
