"""Today's settlements at one facility, for the list a clerk reverses from. Qt-free."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from db.models import Person, Reversal, Settlement, Visit
from db.session import Store
from desktop.money import from_fen
from desktop.settlement.service import CHINA


@dataclass(frozen=True, slots=True)
class SettlementRow:
    settlement_id: int
    settled_at: dt.datetime
    patient_name: str
    id_number: str
    total: Decimal
    fund: Decimal
    account: Decimal
    cash: Decimal
    policy_version: str
    reversed: bool
    reversal_reason: str


def settlements_on(store: Store, facility_id: str, day: dt.date) -> list[SettlementRow]:
    """The day's settlements (Beijing time), newest first, reversed ones included and marked."""
    start = dt.datetime.combine(day, dt.time(0), CHINA)
    end = start + dt.timedelta(days=1)
    query = (
        select(Settlement, Person.name, Person.id_number, Reversal.reason)
        .join(Visit, Visit.id == Settlement.visit_id)
        .join(Person, Person.id == Settlement.person_id)
        .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
        .where(Visit.facility_id == facility_id, Settlement.settled_at >= start, Settlement.settled_at < end)
        .order_by(Settlement.settled_at.desc(), Settlement.id.desc())
    )
    with store.reading() as session:
        return [
            SettlementRow(
                settlement_id=s.id,
                settled_at=s.settled_at,
                patient_name=name,
                id_number=id_number,
                total=from_fen(s.total_fen),
                fund=from_fen(s.fund_fen),
                account=from_fen(s.account_fen),
                cash=from_fen(s.cash_fen),
                policy_version=s.policy_version,
                reversed=reason is not None,
                reversal_reason=reason or "",
            )
            for s, name, id_number, reason in session.execute(query)
        ]
