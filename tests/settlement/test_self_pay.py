"""Self-pay (自费) visits: all cash, no fund, no account, no message for the agency; and settled again as insured."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from db.audit_verify import verify
from db.models import Accumulator, AuditEntry, OutboxEntry, Person, Reversal, Settlement, Visit, WalkIn
from db.session import Store
from desktop.ledger import LedgerQuery, Period, ledger_rows, totals
from desktop.settlement import DiagnosisLine, DraftItem, SettlementError, VisitDraft, reverse, settle
from desktop.settlement.self_pay import (
    SelfPayDraft,
    WalkInDetails,
    settle_instead_of_self_pay,
    settle_self_pay,
)
from tests.factories import COLD, NOW, TODAY, add_person, make_store

ITEMS = (DraftItem("F01"), DraftItem("X01", Decimal(2)))  # 10.00 + 25.00


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = make_store(tmp_path)
    add_person(made, person_id=1)
    add_person(made, person_id=2, policy="nanchang-employee", balance_fen=50_000)
    return made


def walk_in(name: str = "张三", id_number: str = "", phone: str = "") -> SelfPayDraft:
    return SelfPayDraft("T01", 1, TODAY, ITEMS, COLD, walk_in=WalkInDetails(name, id_number, phone))


def a_walk_in_buying(*items: DraftItem, staff: int = 1, facility: str = "T01") -> SelfPayDraft:
    return SelfPayDraft(facility, staff, TODAY, items, COLD, walk_in=WalkInDetails("张三"))


def assert_the_chain_holds(store: Store) -> None:
    with store.reading() as session:
        verdict = verify(session.connection())
    assert verdict.ok, verdict.as_json()


def outbox_rows(store: Store, settlement_id: int) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).where(OutboxEntry.settlement_id == settlement_id)) or 0)


def test_a_walk_in_pays_everything_in_cash_and_nothing_goes_to_the_agency(store: Store) -> None:
    paid = settle_self_pay(store, walk_in(phone="13812345678"), NOW)
    assert paid.total == paid.cash == Decimal("35.00")
    with store.reading() as session:
        settlement = session.get_one(Settlement, paid.settlement_id)
        assert settlement.self_pay
        assert (settlement.fund_fen, settlement.account_fen, settlement.cash_fen) == (0, 0, 3500)
        assert settlement.msgid is None
        assert settlement.person_id is None
        visit = session.get_one(Visit, paid.visit_id)
        walker = session.get_one(WalkIn, visit.walk_in_id)
        assert (walker.name, walker.phone, walker.id_number) == ("张三", "13812345678", "")
        assert [(d.code, d.name) for d in visit.diagnoses] == [(COLD[0].code, COLD[0].name)]
        audited = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "settlement", AuditEntry.entity_id == str(paid.settlement_id)
            )
        )
        assert list(audited) == ["settle_self_pay"]
    assert outbox_rows(store, paid.settlement_id) == 0
    assert_the_chain_holds(store)  # the walk-in, the visit and the settlement are sealed


def test_a_self_pay_visit_is_in_the_ledger_under_the_walk_ins_name(store: Store) -> None:
    insured = settle(store, VisitDraft("T01", 1, 1, TODAY, ITEMS, COLD), NOW)
    paid = settle_self_pay(store, walk_in(id_number="11010519491231002X"), NOW)
    rows = ledger_rows(store, LedgerQuery("T01", Period.day(TODAY)))
    assert [row.settlement_id for row in rows] == [insured.settlement_id, paid.settlement_id]
    self_paid = rows[1]
    assert (self_paid.patient_name, self_paid.id_number) == ("张三", "1101**********002X")
    assert (self_paid.fund, self_paid.patient_share) == (Decimal("0.00"), Decimal("35.00"))
    sums = totals(rows)
    assert (sums.visits, sums.self_pay) == (2, 1)
    assert sums.total == Decimal("70.00")
    found = ledger_rows(store, LedgerQuery("T01", Period.day(TODAY), text="张三"))
    assert [row.settlement_id for row in found] == [paid.settlement_id]
    assert [r.settlement_id for r in ledger_rows(store, LedgerQuery("T01", Period.day(TODAY), text="002X"))] == [
        paid.settlement_id
    ]


def test_someone_whose_insurance_is_unpaid_is_refused_as_insured_and_settled_as_self_pay(store: Store) -> None:
    with store.writing() as session:
        session.execute(update(Person).where(Person.id == 2).values(insured=False))
    with pytest.raises(SettlementError, match="self-pay"):
        settle(store, VisitDraft("T01", 2, 1, TODAY, ITEMS, COLD), NOW)
    paid = settle_self_pay(store, SelfPayDraft("T01", 1, TODAY, ITEMS, COLD, person_id=2), NOW)
    with store.reading() as session:
        settlement = session.get_one(Settlement, paid.settlement_id)
        assert (settlement.person_id, settlement.self_pay, settlement.cash_fen) == (2, True, 3500)
        assert session.get_one(Person, 2).account_balance_fen == 50_000  # the account was not touched
        assert session.get(Accumulator, (2, TODAY.year)) is None  # nor the year's figures
    assert outbox_rows(store, paid.settlement_id) == 0


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (walk_in(name="  "), "walk_in.name"),
        (walk_in(name="张" * 51), "walk_in.name"),
        (walk_in(id_number="110105194912310021"), "walk_in.id_number"),  # a check digit wrong
        (walk_in(phone="call me"), "walk_in.phone"),
        (SelfPayDraft("T01", 1, TODAY, ITEMS, COLD), "person"),  # nobody
        (SelfPayDraft("T01", 1, TODAY, ITEMS, COLD, person_id=1, walk_in=WalkInDetails("张三")), "person"),
        (SelfPayDraft("T01", 1, TODAY, ITEMS, (), walk_in=WalkInDetails("张三")), "diagnoses"),
        (SelfPayDraft("T01", 1, TODAY, (), COLD, walk_in=WalkInDetails("张三")), "items"),
        (SelfPayDraft("T01", 99, TODAY, ITEMS, COLD, walk_in=WalkInDetails("张三")), "staff"),
        (
            SelfPayDraft("T01", 1, TODAY + dt.timedelta(days=1), ITEMS, COLD, walk_in=WalkInDetails("张三")),
            "visit_date",
        ),
        (SelfPayDraft("T01", 1, TODAY, (DraftItem("NOPE"),), COLD, walk_in=WalkInDetails("张三")), "items.0.code"),
        # Held as an insured visit is: limits, lengths, the price question, where staff belong.
        (a_walk_in_buying(DraftItem("X01", Decimal(10) ** 15)), "items.0.quantity"),  # past the quantity limit
        (a_walk_in_buying(DraftItem("X01", Decimal(1), Decimal(10) ** 7)), "items.0.price"),  # past the price limit
        (a_walk_in_buying(DraftItem("X01", Decimal(1), Decimal(0))), "items.0.price"),  # free, not confirmed
        (a_walk_in_buying(DraftItem("X01", Decimal(1), Decimal("99.00"))), "items.0.price"),  # far, not confirmed
        (a_walk_in_buying(DraftItem("X" * 1000)), "items.0.code"),
        (a_walk_in_buying(*[DraftItem("F01")] * 201), "items"),
        (walk_in(name="张\x00三"), "walk_in.name"),
        (SelfPayDraft("T01", 1, TODAY, ITEMS, (DiagnosisLine("J" * 21, "感冒"),), walk_in=WalkInDetails("张三")),
         "diagnoses.0.code"),
        (a_walk_in_buying(DraftItem("F01"), staff=2), "facility"),  # V01's doctor does not settle at T01
    ],
)  # fmt: skip
def test_a_bad_self_pay_visit_is_refused_naming_the_field_and_writes_nothing(
    store: Store, draft: SelfPayDraft, field: str
) -> None:
    with pytest.raises(SettlementError) as refused:
        settle_self_pay(store, draft, NOW)
    assert refused.value.field == field
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Settlement)) == 0
        assert session.scalar(select(func.count()).select_from(WalkIn)) == 0


def test_reversing_a_self_pay_settlement_sends_nothing(store: Store) -> None:
    paid = settle_self_pay(store, walk_in(), NOW)
    reversed_ = reverse(store, paid.settlement_id, "录入错误", 1, NOW)
    assert reversed_.msgid is None
    assert outbox_rows(store, paid.settlement_id) == 0
    with pytest.raises(SettlementError, match="already reversed"):
        reverse(store, paid.settlement_id, "again", 1, NOW)


def test_the_card_found_later_settles_the_visit_as_insured_and_reverses_the_self_pay_one(store: Store) -> None:
    """The resident paid everything in cash; the card turns up the same day: the fund's share goes back."""
    self_paid = settle_self_pay(store, walk_in(id_number="360101196006150001"), NOW)
    later = NOW + dt.timedelta(hours=2)
    resettled = settle_instead_of_self_pay(
        store, VisitDraft("T01", 1, 1, TODAY, ITEMS, COLD), self_paid.settlement_id, later
    )
    insured = resettled.settled
    assert insured.quote.fund > 0
    assert resettled.self_paid == Decimal("35.00")
    assert resettled.cash_back == Decimal("35.00") - insured.quote.cash > 0
    assert resettled.reversal.settlement_id == self_paid.settlement_id
    assert outbox_rows(store, insured.settlement_id) == 4  # 2201, 2203, 2204, 2207: the insured one is sent
    assert outbox_rows(store, self_paid.settlement_id) == 0
    with store.reading() as session:
        reversal = session.scalars(select(Reversal).where(Reversal.settlement_id == self_paid.settlement_id)).one()
        assert str(insured.settlement_id) in reversal.reason
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "settle_as_insured")).one()
        assert json.loads(entry.detail) == {"self_pay": self_paid.settlement_id, "insured": insured.settlement_id}
    assert_the_chain_holds(store)


@pytest.mark.parametrize(
    ("person", "day", "why"),
    [
        (2, TODAY, "another ID number"),  # the walk-in's ID number is person 1's
        (1, TODAY - dt.timedelta(days=1), "another day"),
    ],
)
def test_only_the_same_persons_same_day_visit_is_settled_again(
    store: Store, person: int, day: dt.date, why: str
) -> None:
    self_paid = settle_self_pay(store, walk_in(id_number="360101196006150001"), NOW)
    with pytest.raises(SettlementError, match=why):
        settle_instead_of_self_pay(store, VisitDraft("T01", person, 1, day, ITEMS, COLD), self_paid.settlement_id, NOW)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Reversal)) == 0
        assert session.scalar(select(func.count()).select_from(Settlement)) == 1


def test_settling_again_is_all_or_nothing(store: Store) -> None:
    """The insured settlement is refused (the insurance is unpaid): the self-pay one stands."""
    self_paid = settle_self_pay(store, SelfPayDraft("T01", 1, TODAY, ITEMS, COLD, person_id=1), NOW)
    with store.writing() as session:
        session.execute(update(Person).where(Person.id == 1).values(insured=False))
    with pytest.raises(SettlementError):
        settle_instead_of_self_pay(store, VisitDraft("T01", 1, 1, TODAY, ITEMS, COLD), self_paid.settlement_id, NOW)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Reversal)) == 0
        assert session.scalar(select(func.count()).select_from(Settlement)) == 1


def test_a_self_pay_price_far_from_the_catalogue_settles_once_confirmed_and_the_audit_says_so(store: Store) -> None:
    draft = a_walk_in_buying(DraftItem("X01", Decimal(2), Decimal("99.00"), price_confirmed=True))
    paid = settle_self_pay(store, draft, NOW)
    assert paid.total == Decimal("198.00")
    with store.reading() as session:
        detail = session.scalar(
            select(AuditEntry.detail).where(
                AuditEntry.action == "settle_self_pay", AuditEntry.entity_id == str(paid.settlement_id)
            )
        )
    assert json.loads(detail or "{}")["prices_confirmed"] == [
        {"line": 1, "code": "X01", "price": "99.00", "catalogue_price": "12.50"}
    ]
    assert_the_chain_holds(store)
