"""Settle-ups (补收 / 退费): the cash the agency's split leaves owed between the clinic and the patient.

The agency's 2207 answer is the official split (``desktop.official``). Where it leaves the
patient a different cash share than the counter charged, the difference is settled with
the patient: collected (补收) when the agency paid less, given back (退费) when it paid
more. A settle-up is its own act — recorded with who did it and when, audited, receipted —
never an edit of the settlement, and at most one per settlement: it settles the whole
difference. A difference in the personal account is the agency's to move, not the
counter's: only cash is settled up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from db import audit
from db.models import Reversal, Settlement, SettleUp, Visit
from db.session import Store
from desktop.money import to_fen
from desktop.official import FIGURE_COLUMNS, SETTLE_UP_JOIN, Figures, Standing, figures
from desktop.settlement.draft import SettlementError
from desktop.settlement.service import check_staff
from desktop.staff import Permission

COLLECT, REFUND = "collect", "refund"


@dataclass(frozen=True, slots=True)
class SettleUpDone:
    settle_up_id: int
    settlement_id: int
    kind: str  # collect (补收) or refund (退费)
    amount: Decimal
    at: dt.datetime

    @property
    def cash(self) -> Decimal:
        """Into the drawer (+) or out of it (-)."""
        return self.amount if self.kind == COLLECT else -self.amount


def figures_of(connection: Connection, settlement_id: int) -> Figures | None:
    """The settlement's figures as they stand, settle-up and reversal included; None if there is no such settlement."""
    row = connection.execute(
        select(*FIGURE_COLUMNS, Reversal.id.is_not(None))
        .outerjoin(SettleUp, SETTLE_UP_JOIN)
        .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
        .where(Settlement.id == settlement_id)
    ).one_or_none()
    return None if row is None else figures(row[:-1], reversed_=bool(row[-1]))


def settle_up(store: Store, settlement_id: int, staff_id: int, now: dt.datetime) -> SettleUpDone:
    """Record the settle-up of everything the agency's split leaves owed on this settlement."""
    try:
        with store.write_connection() as connection:
            return _settle_up_in(connection, settlement_id, staff_id, now)
    except IntegrityError:
        # Another counter settled it up in the same moment: the unique settlement_id kept it to one.
        raise SettlementError("settlement", f"settlement {settlement_id} is already settled up") from None


def _settle_up_in(connection: Connection, settlement_id: int, staff_id: int, now: dt.datetime) -> SettleUpDone:
    clinic = connection.execute(
        select(Visit.facility_id)
        .join(Settlement, Settlement.visit_id == Visit.id)
        .where(Settlement.id == settlement_id)
    ).scalar()
    check_staff(connection, staff_id, Permission.SETTLE_UP, "settle up with patients", at_facility=clinic)
    found = figures_of(connection, settlement_id)
    if found is None:
        raise SettlementError("settlement", f"no settlement {settlement_id}")
    if found.standing is Standing.SELF_PAY:
        raise SettlementError("settlement", f"settlement {settlement_id} is self-pay: the agency has no say in it")
    if found.agency is None:
        raise SettlementError("settlement", f"the agency has not booked settlement {settlement_id} yet")
    if found.reversed:
        raise SettlementError("settlement", f"settlement {settlement_id} was reversed: its cash went back then")
    if found.settled_up:
        raise SettlementError("settlement", f"settlement {settlement_id} is already settled up")
    owed = found.owed
    if not owed:
        raise SettlementError("settlement", f"the agency's split of settlement {settlement_id} leaves no cash owed")
    kind = COLLECT if owed > 0 else REFUND
    amount = abs(owed)
    setl_id = connection.execute(select(Settlement.agency_setl_id).where(Settlement.id == settlement_id)).scalar_one()
    settle_up_id: int = connection.execute(
        insert(SettleUp)
        .returning(SettleUp.id)
        .values(
            settlement_id=settlement_id,
            kind=kind,
            amount_fen=to_fen(amount),
            staff_id=staff_id,
            at=now,
            agency_setl_id=setl_id,
        )
    ).scalar_one()
    detail = {
        "settle_up_id": settle_up_id,
        "kind": kind,
        "amount": f"{amount:.2f}",
        "counter_cash": f"{found.counter.cash:.2f}",
        "agency_cash": f"{found.official.cash:.2f}",
        "setl_id": setl_id,
    }
    audit.record(
        connection,
        at=now,
        staff_id=staff_id,
        action="settle_up",
        entity="settlement",
        entity_id=settlement_id,
        detail=detail,
        rows=[audit.Rows("settle_up", "id", settle_up_id)],
    )
    return SettleUpDone(settle_up_id, settlement_id, kind, amount, now)
