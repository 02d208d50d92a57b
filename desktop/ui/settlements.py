"""Today's settlements at one facility, for the list a clerk reprints, settles up and reverses from. Qt-free.

Each row carries its ``Figures`` (``desktop.official``): the official split, the counter's
beside it, where it stands with the agency, and any settle-up owed or done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from db.models import Reversal, Settlement, SettleUp, Visit
from db.session import Store
from desktop import patients
from desktop.money import from_fen
from desktop.official import FIGURE_COLUMNS, SETTLE_UP_JOIN, Figures, Standing, figures
from desktop.settlement.service import CHINA


@dataclass(frozen=True, slots=True)
class SettlementRow:
    settlement_id: int
    settled_at: dt.datetime
    patient_name: str
    id_number: str
    total: Decimal
    figures: Figures
    policy_version: str
    reversal_reason: str | None = None
    agency_setl_id: str | None = None
    walk_in: bool = False

    @property
    def reversed(self) -> bool:
        return self.reversal_reason is not None

    @property
    def fund(self) -> Decimal:
        return self.figures.official.fund

    @property
    def account(self) -> Decimal:
        return self.figures.official.account

    @property
    def cash(self) -> Decimal:
        return self.figures.official.cash

    @property
    def self_pay(self) -> bool:
        return self.figures.standing is Standing.SELF_PAY

    @property
    def owed(self) -> Decimal:
        """The settle-up still to do: + to collect, - to give back."""
        return self.figures.owed


_ROW = patients.with_patient(
    select(
        Settlement.id,
        Settlement.settled_at,
        patients.NAME,
        patients.ID_NUMBER,
        Settlement.total_fen,
        Settlement.policy_version,
        Reversal.reason,
        Settlement.agency_setl_id,
        Visit.walk_in_id.is_not(None),
        *FIGURE_COLUMNS,
    )
    .join(Visit, Visit.id == Settlement.visit_id)
    .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
    .outerjoin(SettleUp, SETTLE_UP_JOIN)
)


def _row(raw: Any) -> SettlementRow:
    return SettlementRow(
        settlement_id=raw[0],
        settled_at=raw[1],
        patient_name=raw[2],
        id_number=raw[3],
        total=from_fen(raw[4]),
        policy_version=raw[5],
        reversal_reason=raw[6],
        agency_setl_id=raw[7],
        walk_in=bool(raw[8]),
        figures=figures(raw[9:], reversed_=raw[6] is not None),
    )


def settlements_on(store: Store, facility_id: str, day: dt.date) -> list[SettlementRow]:
    """The day's settlements (Beijing time), newest first, reversed ones included and marked."""
    start = dt.datetime.combine(day, dt.time(0), CHINA)
    end = start + dt.timedelta(days=1)
    query = _ROW.where(
        Visit.facility_id == facility_id, Settlement.settled_at >= start, Settlement.settled_at < end
    ).order_by(Settlement.settled_at.desc(), Settlement.id.desc())
    with store.reading() as session:
        return [_row(raw) for raw in session.execute(query)]


def settlement_row(store: Store, settlement_id: int) -> SettlementRow | None:
    """One settlement as the list shows it, whatever its day (a settle-up from the sync page)."""
    with store.reading() as session:
        raw = session.execute(_ROW.where(Settlement.id == settlement_id)).first()
    return None if raw is None else _row(raw)
