"""What a receipt says, as data: a settlement's receipt and a settle-up's. Qt-free.

Built once from the store and drawn by ``desktop.ui.receipt`` (screen words, paper, PDF).
A settlement's receipt gives the official figures (``desktop.official``): printed at the
counter they are the counter's; reprinted after the agency booked the visit they are the
agency's, with its settlement number, and the counter's beside them where they differ.
The total is written in capitals (大写) too, as a payment document is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Facility, Person, Reversal, Settlement, SettleUp, Staff, Visit, WalkIn
from db.session import Store
from desktop.capitals import in_capitals
from desktop.money import from_fen
from desktop.official import Figures, Split, Standing
from desktop.privacy import mask_id_number
from desktop.settle_up import figures_of
from desktop.settlement.service import CHINA


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    code: str
    name: str
    quantity: str
    price: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ReceiptDiagnosis:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class SettleUpNote:
    """A settle-up done for the settlement."""

    settle_up_id: int
    kind: str  # collect (补收) or refund (退费)
    amount: Decimal
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class SettlementReceipt:
    facility_name: str
    settlement_id: int
    settled_at: dt.datetime  # Beijing time
    patient_name: str
    id_number: str  # masked
    diagnoses: tuple[ReceiptDiagnosis, ...]
    lines: tuple[ReceiptLine, ...]
    total: Decimal
    out_of_scope: Decimal
    deductible: Decimal
    figures: Figures
    policy_version: str  # empty for self-pay
    clerk: str
    agency_setl_id: str | None
    reversal_reason: str | None
    settle_up: SettleUpNote | None

    @property
    def total_in_capitals(self) -> str:
        return in_capitals(self.total)

    @property
    def official(self) -> Split:
        return self.figures.official

    @property
    def self_pay(self) -> bool:
        return self.figures.standing is Standing.SELF_PAY


@dataclass(frozen=True, slots=True)
class SettleUpReceipt:
    facility_name: str
    settle_up_id: int
    settlement_id: int
    at: dt.datetime  # Beijing time
    settled_on: dt.date
    patient_name: str
    id_number: str  # masked
    kind: str  # collect (补收) or refund (退费)
    amount: Decimal
    counter: Split
    agency: Split
    agency_setl_id: str
    clerk: str

    @property
    def amount_in_capitals(self) -> str:
        return in_capitals(self.amount)


def _patient(session: Session, visit: Visit) -> tuple[str, str]:
    """The patient's name and masked ID number, from the roster or the walk-in record."""
    if visit.person_id is not None:
        person = session.get_one(Person, visit.person_id)
        return person.name, mask_id_number(person.id_number)
    walk_in = session.get_one(WalkIn, visit.walk_in_id)
    return walk_in.name, mask_id_number(walk_in.id_number) if walk_in.id_number else ""


def settlement_receipt(store: Store, settlement_id: int) -> SettlementReceipt:
    with store.reading() as session:
        settlement = session.get(Settlement, settlement_id)
        if settlement is None:
            raise LookupError(f"no settlement {settlement_id}")
        visit = settlement.visit
        name, id_number = _patient(session, visit)
        found = figures_of(session.connection(), settlement_id)
        assert found is not None
        reversal = session.scalar(select(Reversal).where(Reversal.settlement_id == settlement_id))
        settle_up = session.scalar(select(SettleUp).where(SettleUp.settlement_id == settlement_id))
        return SettlementReceipt(
            facility_name=session.get_one(Facility, visit.facility_id).name,
            settlement_id=settlement_id,
            settled_at=settlement.settled_at.astimezone(CHINA),
            patient_name=name,
            id_number=id_number,
            diagnoses=tuple(ReceiptDiagnosis(d.code, d.name) for d in visit.diagnoses),
            lines=tuple(
                ReceiptLine(i.code, i.name, i.quantity, from_fen(i.price_fen), from_fen(i.amount_fen))
                for i in visit.items
            ),
            total=from_fen(settlement.total_fen),
            out_of_scope=from_fen(settlement.out_of_scope_fen),
            deductible=from_fen(settlement.deductible_fen),
            figures=found,
            policy_version=settlement.policy_version,
            clerk=session.get_one(Staff, settlement.staff_id).name,
            agency_setl_id=settlement.agency_setl_id,
            reversal_reason=None if reversal is None else reversal.reason,
            settle_up=None
            if settle_up is None
            else SettleUpNote(settle_up.id, settle_up.kind, from_fen(settle_up.amount_fen), settle_up.at),
        )


def settle_up_receipt(store: Store, settle_up_id: int) -> SettleUpReceipt:
    with store.reading() as session:
        settle_up = session.get(SettleUp, settle_up_id)
        if settle_up is None:
            raise LookupError(f"no settle-up {settle_up_id}")
        settlement = session.get_one(Settlement, settle_up.settlement_id)
        visit = settlement.visit
        name, id_number = _patient(session, visit)
        return SettleUpReceipt(
            facility_name=session.get_one(Facility, visit.facility_id).name,
            settle_up_id=settle_up_id,
            settlement_id=settlement.id,
            at=settle_up.at.astimezone(CHINA),
            settled_on=settlement.settled_at.astimezone(CHINA).date(),
            patient_name=name,
            id_number=id_number,
            kind=settle_up.kind,
            amount=from_fen(settle_up.amount_fen),
            counter=Split.of_fen(settlement.fund_fen, settlement.account_fen, settlement.cash_fen),
            agency=Split.of_fen(settlement.agency_fund_fen, settlement.agency_account_fen, settlement.agency_cash_fen),
            agency_setl_id=settle_up.agency_setl_id,
            clerk=session.get_one(Staff, settle_up.staff_id).name,
        )
