"""``settle`` and ``reverse``: each one database transaction, with its outbox rows and audit entry.

The hot path writes with Core inserts: the ORM's unit of work costs several times a bare
transaction, and a settlement is a handful of rows whose shape never varies.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import (
    Accumulator,
    AuditEntry,
    CatalogueItem,
    Diagnosis,
    Facility,
    OutboxEntry,
    Person,
    Reversal,
    Settlement,
    Staff,
    Visit,
    VisitItem,
)
from db.session import Store
from desktop.money import from_fen, round_fen, to_fen
from desktop.policy import NotInForceError, PolicyBook, UnknownPolicyError, default_book, quote
from desktop.policy.parameters import Scheme
from desktop.policy.types import Item, ItemClass, ItemKind, Quote, QuoteRequest, YearToDate
from desktop.policy.types import Visit as QuoteVisit
from desktop.roster import facility_for_quote, patient_on
from desktop.settlement.draft import SettlementError, VisitDraft
from desktop.staff import Permission, may

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
# The national interface's order for one outpatient settlement: register, visit, fees, settle.
SETTLEMENT_MESSAGES = ("2201", "2203", "2204", "2207")
CANCEL_MESSAGE = "2208"


@dataclass(frozen=True, slots=True)
class SettledVisit:
    settlement_id: int
    visit_id: int
    msgid: str
    quote: Quote


@dataclass(frozen=True, slots=True)
class ReversedSettlement:
    reversal_id: int
    settlement_id: int
    msgid: str


@dataclass(frozen=True, slots=True)
class _Moved:
    """How far one settlement moved the year-to-date figures: what a reversal takes back."""

    deductible_fen: int
    toward_cap_fen: int
    out_of_city_fen: int

    @classmethod
    def between(cls, before: YearToDate, after: YearToDate) -> _Moved:
        return cls(
            to_fen(after.deductible_met - before.deductible_met),
            to_fen(after.fund_paid - before.fund_paid),
            to_fen(after.fund_paid_out_of_city - before.fund_paid_out_of_city),
        )


@dataclass(frozen=True, slots=True)
class _Line:
    item: CatalogueItem
    quantity: Decimal
    price: Decimal
    amount: Decimal


def settle(store: Store, draft: VisitDraft, now: dt.datetime, book: PolicyBook | None = None) -> SettledVisit:
    """Quote the visit with the stored year-to-date figures and write everything at once."""
    with store.writing() as session:
        return _settle(session, draft, now, book or default_book())


def _settle(session: Session, draft: VisitDraft, now: dt.datetime, book: PolicyBook) -> SettledVisit:
    person, facility = _participants(session, draft, now)
    lines = _lines(session, draft)
    version = _version(book, person.policy, draft.visit_date)
    year = draft.visit_date.year
    accumulator = _lock_accumulator(session, person.id, year)
    request = QuoteRequest(
        policy=person.policy,
        visit_date=draft.visit_date,
        patient=patient_on(session, person, draft.visit_date),
        facility=facility_for_quote(facility, version.scheme is Scheme.EMPLOYEE, draft.visit_date),
        visit=QuoteVisit(
            items=tuple(
                Item(ItemKind(x.item.kind), ItemClass(x.item.item_class), x.amount, x.item.code, x.item.name)
                for x in lines
            ),
            referral=draft.referral,
            emergency=draft.emergency,
            inpatient=draft.inpatient,
            liability=draft.liability,
            disease=draft.disease,
        ),
        year_to_date=YearToDate(
            from_fen(accumulator.deductible_met_fen),
            from_fen(accumulator.fund_paid_fen),
            from_fen(accumulator.fund_paid_out_of_city_fen),
        ),
        pay_from_account=draft.pay_from_account,
    )
    result = quote(request, book)
    visit_id = _insert_visit(session, draft, now, lines, result)
    msgids = next_msgids(session, facility.code, now, len(SETTLEMENT_MESSAGES))
    moved = _Moved.between(request.year_to_date, result.year_to_date_after)
    settlement_id = _insert_settlement(session, draft, person.id, visit_id, year, now, result, moved, msgids[-1])
    _store_accumulator(session, person.id, year, result.year_to_date_after)
    if result.account:
        session.execute(
            update(Person)
            .where(Person.id == person.id)
            .values(account_balance_fen=Person.account_balance_fen - to_fen(result.account))
        )
    payload = json.dumps({"settlement_id": settlement_id})
    session.execute(
        insert(OutboxEntry),
        [
            {"infno": infno, "msgid": msgid, "settlement_id": settlement_id, "payload": payload, "created_at": now}
            for infno, msgid in zip(SETTLEMENT_MESSAGES, msgids, strict=True)
        ],
    )
    _audit(session, now, draft.staff_id, "settle", "settlement", settlement_id, _split(result))
    return SettledVisit(settlement_id, visit_id, msgids[-1], result)


def _participants(session: Session, draft: VisitDraft, now: dt.datetime) -> tuple[Person, Facility]:
    person = session.get(Person, draft.person_id)
    if person is None:
        raise SettlementError("person", f"no insured person with id {draft.person_id} on the roster")
    if not person.insured:
        raise SettlementError("person", "this person's insurance is not paid for this year; settle as self-pay")
    facility = session.get(Facility, draft.facility_id)
    if facility is None:
        raise SettlementError("facility", f"no facility {draft.facility_id!r}")
    staff = session.get(Staff, draft.staff_id)
    if staff is None or not staff.active:
        raise SettlementError("staff", f"no active staff member with id {draft.staff_id}")
    if not may(staff.role, Permission.SETTLE):
        raise SettlementError("staff", f"role {staff.role!r} may not settle visits")
    if draft.visit_date > now.astimezone(CHINA).date():
        raise SettlementError("visit_date", f"{draft.visit_date.isoformat()} is in the future")
    if not draft.items:
        raise SettlementError("items", "a visit needs at least one item to settle")
    return person, facility


def _lines(session: Session, draft: VisitDraft) -> list[_Line]:
    codes = {item.code for item in draft.items}
    catalogue = {c.code: c for c in session.scalars(select(CatalogueItem).where(CatalogueItem.code.in_(codes)))}
    lines = []
    for index, drafted in enumerate(draft.items):
        entry = catalogue.get(drafted.code)
        if entry is None or not entry.active:
            raise SettlementError(f"items.{index}.code", f"{drafted.code!r} is not in the catalogue")
        if drafted.quantity <= 0:
            raise SettlementError(f"items.{index}.quantity", f"quantity {drafted.quantity} must be more than zero")
        price = from_fen(entry.price_fen) if drafted.price is None else drafted.price
        if price < 0 or price != price.quantize(Decimal("0.01")):
            raise SettlementError(f"items.{index}.price", f"price {price} must be zero or more, in whole fen")
        lines.append(_Line(entry, drafted.quantity, price, round_fen(drafted.quantity * price)))
    return lines


def _version(book: PolicyBook, policy: str, day: dt.date) -> Any:
    try:
        return book.version_for(policy, day)
    except UnknownPolicyError as exc:
        raise SettlementError("person.policy", str(exc)) from None
    except NotInForceError as exc:
        raise SettlementError("visit_date", str(exc)) from None


def _lock_accumulator(session: Session, person_id: int, year: int) -> Accumulator:
    """The person's figures for the year, locked against another counter until commit.

    SQLite's BEGIN IMMEDIATE already holds the write lock; elsewhere the row is locked.
    """
    dialect = session.get_bind().dialect.name
    values = {"person_id": person_id, "year": year}
    if dialect == "postgresql":
        session.execute(postgresql.insert(Accumulator).values(values).on_conflict_do_nothing())
    else:
        session.execute(sqlite.insert(Accumulator).values(values).on_conflict_do_nothing())
    row = session.execute(
        select(Accumulator).where(Accumulator.person_id == person_id, Accumulator.year == year).with_for_update()
    ).scalar_one()
    session.refresh(row)
    return row


def _insert_visit(session: Session, draft: VisitDraft, now: dt.datetime, lines: list[_Line], result: Quote) -> int:
    visit_id: int = session.execute(
        insert(Visit)
        .returning(Visit.id)
        .values(
            facility_id=draft.facility_id,
            person_id=draft.person_id,
            staff_id=draft.staff_id,
            visit_date=draft.visit_date,
            created_at=now,
            referral=draft.referral,
            emergency=draft.emergency,
            inpatient=draft.inpatient,
            liability=None if draft.liability is None else draft.liability.value,
            disease=draft.disease,
            signature_png=draft.signature_png,
        )
    ).scalar_one()
    session.execute(
        insert(VisitItem),
        [
            {
                "visit_id": visit_id,
                "line_no": number,
                "code": line.item.code,
                "name": line.item.name,
                "kind": line.item.kind,
                "item_class": line.item.item_class,
                "quantity": f"{line.quantity.normalize():f}",
                "price_fen": to_fen(line.price),
                "amount_fen": to_fen(line.amount),
                "in_scope_fen": to_fen(share.in_scope),
            }
            for number, (line, share) in enumerate(zip(lines, result.items, strict=True), start=1)
        ],
    )
    if draft.diagnoses:
        session.execute(
            insert(Diagnosis),
            [
                {"visit_id": visit_id, "line_no": number, "code": d.code, "name": d.name}
                for number, d in enumerate(draft.diagnoses, start=1)
            ],
        )
    return visit_id


def _insert_settlement(
    session: Session,
    draft: VisitDraft,
    person_id: int,
    visit_id: int,
    year: int,
    now: dt.datetime,
    result: Quote,
    moved: _Moved,
    msgid: str,
) -> int:
    settlement_id: int = session.execute(
        insert(Settlement)
        .returning(Settlement.id)
        .values(
            visit_id=visit_id,
            person_id=person_id,
            staff_id=draft.staff_id,
            settled_at=now,
            year=year,
            policy=result.policy,
            policy_version=result.policy_version,
            covered=result.covered,
            reason=None if result.reason is None else result.reason.value,
            rate=f"{result.rate:.2f}",
            total_fen=to_fen(result.total),
            in_scope_fen=to_fen(result.in_scope),
            out_of_scope_fen=to_fen(result.out_of_scope),
            deductible_fen=moved.deductible_fen,
            fund_fen=to_fen(result.fund),
            fund_toward_cap_fen=moved.toward_cap_fen,
            fund_out_of_city_fen=moved.out_of_city_fen,
            account_fen=to_fen(result.account),
            cash_fen=to_fen(result.cash),
            explanation=json.dumps(list(result.explanation), ensure_ascii=False),
            status="pending",
            msgid=msgid,
        )
    ).scalar_one()
    return settlement_id


def _store_accumulator(session: Session, person_id: int, year: int, after: YearToDate) -> None:
    session.execute(
        update(Accumulator)
        .where(Accumulator.person_id == person_id, Accumulator.year == year)
        .values(
            deductible_met_fen=to_fen(after.deductible_met),
            fund_paid_fen=to_fen(after.fund_paid),
            fund_paid_out_of_city_fen=to_fen(after.fund_paid_out_of_city),
        )
    )


def _split(result: Quote) -> dict[str, str]:
    return {
        "policy_version": result.policy_version,
        "total": f"{result.total:.2f}",
        "fund": f"{result.fund:.2f}",
        "account": f"{result.account:.2f}",
        "cash": f"{result.cash:.2f}",
    }


def _audit(
    session: Session, now: dt.datetime, staff_id: int | None, action: str, entity: str, entity_id: int, detail: Any
) -> None:
    session.execute(
        insert(AuditEntry).values(
            at=now,
            staff_id=staff_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            detail=json.dumps(detail, ensure_ascii=False),
        )
    )


def next_msgids(session: Session, facility_code: str, now: dt.datetime, count: int) -> list[str]:
    """``count`` fresh msgids: facility code (12) + yyyyMMddHHmmss (14) + sequence (4).

    The sequence follows the outbox's row numbers, which only grow, so two messages of
    one second never share one; the unique constraint is the last word.
    """
    last = session.execute(select(func.coalesce(func.max(OutboxEntry.id), 0))).scalar_one()
    stamp = now.astimezone(CHINA).strftime("%Y%m%d%H%M%S")
    code = facility_code.ljust(12, "0")[:12]
    return [f"{code}{stamp}{(last + offset) % 10000:04d}" for offset in range(1, count + 1)]


# --- reversal -------------------------------------------------------------------------


def reverse(store: Store, settlement_id: int, reason: str, staff_id: int, now: dt.datetime) -> ReversedSettlement:
    """Reverse (冲正) a settlement: the original stays; the figures and the account are restored."""
    if not reason.strip():
        raise SettlementError("reason", "a reversal needs a reason")
    with store.writing() as session:
        staff = session.get(Staff, staff_id)
        if staff is None or not staff.active:
            raise SettlementError("staff", f"no active staff member with id {staff_id}")
        if not may(staff.role, Permission.REVERSE):
            raise SettlementError("staff", f"role {staff.role!r} may not reverse settlements")
        settlement = session.get(Settlement, settlement_id)
        if settlement is None:
            raise SettlementError("settlement", f"no settlement {settlement_id}")
        if settlement.reversal is not None:
            raise SettlementError("settlement", f"settlement {settlement_id} was already reversed")
        facility = session.get(Facility, settlement.visit.facility_id)
        assert facility is not None
        _lock_accumulator(session, settlement.person_id, settlement.year)
        (msgid,) = next_msgids(session, facility.code, now, 1)
        reversal_id: int = session.execute(
            insert(Reversal)
            .returning(Reversal.id)
            .values(settlement_id=settlement_id, staff_id=staff_id, reversed_at=now, reason=reason.strip(), msgid=msgid)
        ).scalar_one()
        session.execute(
            update(Accumulator)
            .where(Accumulator.person_id == settlement.person_id, Accumulator.year == settlement.year)
            .values(
                deductible_met_fen=Accumulator.deductible_met_fen - settlement.deductible_fen,
                fund_paid_fen=Accumulator.fund_paid_fen - settlement.fund_toward_cap_fen,
                fund_paid_out_of_city_fen=Accumulator.fund_paid_out_of_city_fen - settlement.fund_out_of_city_fen,
            )
        )
        if settlement.account_fen:
            session.execute(
                update(Person)
                .where(Person.id == settlement.person_id)
                .values(account_balance_fen=Person.account_balance_fen + settlement.account_fen)
            )
        session.execute(
            insert(OutboxEntry).values(
                infno=CANCEL_MESSAGE,
                msgid=msgid,
                settlement_id=settlement_id,
                reversal_id=reversal_id,
                payload=json.dumps({"settlement_id": settlement_id, "reversal_id": reversal_id}),
                created_at=now,
            )
        )
        _audit(session, now, staff_id, "reverse", "settlement", settlement_id, {"reversal_id": reversal_id})
        return ReversedSettlement(reversal_id, settlement_id, msgid)
