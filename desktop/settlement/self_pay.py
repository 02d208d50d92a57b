"""Self-pay (自费) visits: settled at the counter, all in cash, never sent to the agency.

A village clinic serves everyone and its ledger records every visit: someone not on the
roster, someone whose insurance is not paid this year, or an insured patient who chooses
not to use it. The visit is written as any other (items, diagnoses, the same settlement
table, so the ledger and the day close list it) but marked ``self_pay``: no fund, no
personal account, no year-to-date figure moved, no outbox row.

Someone not on the roster is recorded as a walk-in with what the ledger needs of them:
a name, and only if given a phone number and the ID number a card or typed number gave.

When the person turns out to be insured after all (the card found later the same day),
``settle_instead_of_self_pay`` settles the visit as insured and reverses the self-pay
settlement in one transaction; the cash the patient paid beyond the insured share goes back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, insert, select

from db import audit
from db.models import Diagnosis, Facility, Person, Reversal, Settlement, Visit, VisitItem, WalkIn
from db.session import Store
from desktop.identity.id_number import IdNumberError, validate_id_number
from desktop.money import from_fen, to_fen
from desktop.official import SELF_PAY_POLICY, SELF_PAY_STATUS
from desktop.policy import PolicyBook, default_book
from desktop.settlement.draft import DiagnosisLine, DraftItem, SettlementError, VisitDraft
from desktop.settlement.entry_checks import check_lines_text, check_text
from desktop.settlement.service import (
    CHINA,
    CatalogueLine,
    ReversedSettlement,
    SettledVisit,
    catalogue_lines,
    check_staff,
    prices_confirmed,
    reverse_in,
    settle_in,
)
from desktop.staff import Permission

EXPLANATION = "自费就诊：不经医保统筹基金和个人账户，费用全部由患者现金支付，不上传医保。"
_PHONE = re.compile(r"\+?[0-9][0-9 -]{2,19}")


@dataclass(frozen=True, slots=True)
class WalkInDetails:
    """Someone not on the roster, as the ledger records them."""

    name: str
    id_number: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class SelfPayDraft:
    """A self-pay visit: for a person on the roster (``person_id``) or a walk-in, never both."""

    facility_id: str
    staff_id: int
    visit_date: dt.date
    items: tuple[DraftItem, ...]
    diagnoses: tuple[DiagnosisLine, ...] = ()
    person_id: int | None = None
    walk_in: WalkInDetails | None = None


@dataclass(frozen=True, slots=True)
class SelfPaidVisit:
    settlement_id: int
    visit_id: int
    total: Decimal

    @property
    def cash(self) -> Decimal:
        return self.total


@dataclass(frozen=True, slots=True)
class Resettled:
    """A self-pay visit settled again as insured: the new settlement, the reversal, and the cash difference."""

    settled: SettledVisit
    reversal: ReversedSettlement
    self_paid: Decimal  # the cash the patient paid for the self-pay visit

    @property
    def cash_back(self) -> Decimal:
        """What goes back to the patient in cash (negative: what they still owe)."""
        return self.self_paid - self.settled.quote.cash


def settle_self_pay(store: Store, draft: SelfPayDraft, now: dt.datetime) -> SelfPaidVisit:
    """Write the visit and its all-cash settlement in one transaction, with its audit entry."""
    check_lines_text(draft.facility_id, draft.items, draft.diagnoses)  # before anything is read or written
    walk_in = _checked_walk_in(draft, now)
    with store.write_connection() as connection:
        _check_participants(connection, draft, now)
        lines = catalogue_lines(connection, draft.items)
        walk_in_id = None if walk_in is None else _insert_walk_in(connection, walk_in, draft.staff_id, now)
        visit_id = _insert_visit(connection, draft, walk_in_id, lines, now)
        total = sum((line.amount for line in lines), Decimal("0.00"))
        settlement_id = _insert_settlement(connection, draft, visit_id, total, now)
        sealed = [
            audit.Rows("visit", "id", visit_id),
            audit.Rows("visit_item", "visit_id", visit_id),
            audit.Rows("diagnosis", "visit_id", visit_id),
            audit.Rows("settlement", "id", settlement_id),
        ]
        if walk_in_id is not None:
            sealed.append(audit.Rows("walk_in", "id", walk_in_id))
        audit.record(
            connection,
            at=now,
            staff_id=draft.staff_id,
            action="settle_self_pay",
            entity="settlement",
            entity_id=settlement_id,
            detail={"total": f"{total:.2f}", "walk_in": walk_in_id is not None} | prices_confirmed(lines),
            rows=sealed,
        )
    return SelfPaidVisit(settlement_id, visit_id, total)


def settle_instead_of_self_pay(
    store: Store, draft: VisitDraft, self_pay_id: int, now: dt.datetime, book: PolicyBook | None = None
) -> Resettled:
    """Settle ``draft`` as insured and reverse the self-pay settlement ``self_pay_id``, together or not at all."""
    with store.write_connection() as connection:
        self_paid = _self_pay_to_replace(connection, draft, self_pay_id)
        settled = settle_in(connection, draft, now, book or default_book())
        reason = f"已改按医保结算（结算号 {settled.settlement_id}）"
        reversal = reverse_in(connection, self_pay_id, reason, draft.staff_id, now)
        audit.record(
            connection,
            at=now,
            staff_id=draft.staff_id,
            action="settle_as_insured",
            entity="settlement",
            entity_id=self_pay_id,
            detail={"self_pay": self_pay_id, "insured": settled.settlement_id},
        )
    return Resettled(settled, reversal, self_paid)


def _checked_walk_in(draft: SelfPayDraft, now: dt.datetime) -> WalkInDetails | None:
    if (draft.person_id is None) == (draft.walk_in is None):
        raise SettlementError("person", "a self-pay visit is for a person on the roster or a walk-in: name one")
    walk_in = draft.walk_in
    if walk_in is None:
        return None
    name = " ".join(walk_in.name.split())
    if not name:
        raise SettlementError("walk_in.name", "a walk-in needs a name for the ledger")
    check_text("walk_in.name", "walk_in.name", name)  # the column's length, and no control characters
    id_number = ""
    if walk_in.id_number.strip():
        try:
            id_number = validate_id_number(walk_in.id_number, now.astimezone(CHINA).date())
        except IdNumberError as exc:
            raise SettlementError("walk_in.id_number", exc.english) from None
    phone = walk_in.phone.strip()
    if phone and _PHONE.fullmatch(phone) is None:
        raise SettlementError("walk_in.phone", "a phone number is digits, spaces or hyphens, at most 20")
    return WalkInDetails(name, id_number, phone)


def _check_participants(connection: Connection, draft: SelfPayDraft, now: dt.datetime) -> None:
    check_staff(connection, draft.staff_id, Permission.SETTLE, "settle visits")
    if connection.execute(select(Facility.id).where(Facility.id == draft.facility_id)).first() is None:
        raise SettlementError("facility", f"no facility {draft.facility_id!r}")
    # A visit is settled by the staff of the clinic where it happens, self-pay or not.
    check_staff(connection, draft.staff_id, Permission.SETTLE, "settle visits", at_facility=draft.facility_id)
    found = connection.execute(select(Person.id).where(Person.id == draft.person_id)).first()
    if draft.person_id is not None and found is None:
        raise SettlementError("person", f"no person with id {draft.person_id} on the roster")
    if draft.visit_date > now.astimezone(CHINA).date():
        raise SettlementError("visit_date", f"{draft.visit_date.isoformat()} is in the future")
    if not draft.items:
        raise SettlementError("items", "a visit needs at least one item to settle")
    if not draft.diagnoses:
        raise SettlementError("diagnoses", "a visit needs at least one diagnosis for the ledger")
    for number, diagnosis in enumerate(draft.diagnoses):
        if not diagnosis.coded:
            missing = "code" if not diagnosis.code.strip() else "name"
            raise SettlementError(f"diagnoses.{number}.{missing}", f"the diagnosis has no ICD-10 {missing}")


def _insert_walk_in(connection: Connection, walk_in: WalkInDetails, staff_id: int, now: dt.datetime) -> int:
    walk_in_id: int = connection.execute(
        insert(WalkIn)
        .returning(WalkIn.id)
        .values(
            name=walk_in.name, id_number=walk_in.id_number, phone=walk_in.phone, recorded_at=now, recorded_by=staff_id
        )
    ).scalar_one()
    return walk_in_id


def _insert_visit(
    connection: Connection, draft: SelfPayDraft, walk_in_id: int | None, lines: list[CatalogueLine], now: dt.datetime
) -> int:
    visit_id: int = connection.execute(
        insert(Visit)
        .returning(Visit.id)
        .values(
            facility_id=draft.facility_id,
            person_id=draft.person_id,
            walk_in_id=walk_in_id,
            staff_id=draft.staff_id,
            visit_date=draft.visit_date,
            created_at=now,
        )
    ).scalar_one()
    connection.execute(
        insert(VisitItem),
        [
            {
                "visit_id": visit_id,
                "line_no": number,
                "code": line.code,
                "name": line.name,
                "kind": line.kind,
                "item_class": line.item_class,
                "quantity": f"{line.quantity.normalize():f}",
                "price_fen": to_fen(line.price),
                "amount_fen": to_fen(line.amount),
                "in_scope_fen": 0,  # nothing of a self-pay visit is in the pool's scope
            }
            for number, line in enumerate(lines, start=1)
        ],
    )
    connection.execute(
        insert(Diagnosis),
        [
            {"visit_id": visit_id, "line_no": number, "code": d.code, "name": d.name}
            for number, d in enumerate(draft.diagnoses, start=1)
        ],
    )
    return visit_id


def _insert_settlement(
    connection: Connection, draft: SelfPayDraft, visit_id: int, total: Decimal, now: dt.datetime
) -> int:
    fen = to_fen(total)
    settlement_id: int = connection.execute(
        insert(Settlement)
        .returning(Settlement.id)
        .values(
            visit_id=visit_id,
            person_id=draft.person_id,
            staff_id=draft.staff_id,
            settled_at=now,
            year=draft.visit_date.year,
            policy=SELF_PAY_POLICY,
            policy_version="",
            covered=False,
            reason=None,
            rate="0.00",
            total_fen=fen,
            in_scope_fen=0,
            out_of_scope_fen=fen,
            deductible_fen=0,
            fund_fen=0,
            fund_toward_cap_fen=0,
            fund_out_of_city_fen=0,
            account_fen=0,
            cash_fen=fen,
            explanation=json.dumps([EXPLANATION], ensure_ascii=False),
            status=SELF_PAY_STATUS,
            msgid=None,
            self_pay=True,
        )
    ).scalar_one()
    return settlement_id


def _self_pay_to_replace(connection: Connection, draft: VisitDraft, self_pay_id: int) -> Decimal:
    """The self-pay settlement may be replaced by this insured one: its cash, or why not."""
    found = connection.execute(
        select(
            Settlement.self_pay,
            Settlement.cash_fen,
            Settlement.person_id,
            Visit.facility_id,
            Visit.visit_date,
            Reversal.id.label("reversal_id"),
            WalkIn.id_number.label("walk_in_id_number"),
        )
        .join(Visit, Visit.id == Settlement.visit_id)
        .outerjoin(WalkIn, WalkIn.id == Visit.walk_in_id)
        .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
        .where(Settlement.id == self_pay_id)
    ).one_or_none()
    field = "self_pay_settlement"
    if found is None:
        raise SettlementError(field, f"no settlement {self_pay_id}")
    if not found.self_pay:
        raise SettlementError(field, f"settlement {self_pay_id} is not a self-pay settlement")
    if found.reversal_id is not None:
        raise SettlementError(field, f"settlement {self_pay_id} was already reversed")
    if found.facility_id != draft.facility_id or found.visit_date != draft.visit_date:
        raise SettlementError(field, f"settlement {self_pay_id} is another clinic's or another day's visit")
    person_id, id_number = found.person_id, found.walk_in_id_number
    if person_id is not None and person_id != draft.person_id:
        raise SettlementError(field, f"settlement {self_pay_id} is another person's visit")
    if id_number:
        insured = connection.execute(select(Person.id_number).where(Person.id == draft.person_id)).scalar()
        if insured != id_number:
            raise SettlementError(field, f"settlement {self_pay_id} is for another ID number")
    return from_fen(found.cash_fen)
