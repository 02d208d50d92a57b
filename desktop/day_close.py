"""The day close (日结): what one facility settled and reversed on one day, by scheme and by payer,
the settle-ups done and still owed, and the cash the drawer should hold.

A day is a calendar day in Beijing time. A reversal counts on the day it was made, even
when it reverses an earlier day's settlement: that is the day the money moved back, and
earlier days' closes stay as they were printed. A settle-up counts on the day it was made.

The figures are the official ones (``desktop.official``): the agency's split once it has
booked a visit, the counter's until then. What the agency set aside is counted apart.
The drawer is another matter: it holds the cash the counter actually took and gave back,
whatever the agency later decided; the settle-ups bring the two together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from db.audit import read_head
from db.backup import Backup, back_up
from db.models import Facility, OutboxEntry, Reversal, Settlement, SettleUp, Staff, Visit
from db.session import Store
from desktop import patients
from desktop.ledger import LedgerError
from desktop.money import ZERO, from_fen
from desktop.official import (
    BOOKED,
    COUNTED,
    FIGURE_COLUMNS,
    OFFICIAL_ACCOUNT,
    OFFICIAL_CASH,
    OFFICIAL_FUND,
    SELF_PAY_POLICY,
    SELF_PAY_TITLE,
    SET_ASIDE,
    SETTLE_UP_JOIN,
    Figures,
    Split,
    figures,
)
from desktop.policy import PolicyBook, default_book
from desktop.privacy import mask_name
from desktop.settlement.service import CHINA

__all__ = ["DayClose", "Drawer", "OwedLine", "ReversalLine", "SchemeLine", "SetAsideLine", "SettleUpLine", "Split"]


@dataclass(frozen=True, slots=True)
class SchemeLine:
    """One policy's settlements and reversals of the day (self-pay visits are a line of their own)."""

    policy: str
    policy_version: str
    title: str  # the policy document's title, for people; the policy id when the book lacks it
    settled_count: int
    settled: Split
    reversed_count: int
    reversed: Split

    @property
    def net(self) -> Split:
        return self.settled - self.reversed


@dataclass(frozen=True, slots=True)
class ReversalLine:
    reversal_id: int
    settlement_id: int
    settled_on: dt.date
    reversed_at: dt.datetime
    patient: str
    reason: str
    staff: str
    figures: Figures

    @property
    def split(self) -> Split:
        """The official split it takes back out of the totals."""
        return self.figures.official

    @property
    def cash_back(self) -> Decimal:
        return self.figures.reversal_cash_back

    @property
    def account_back(self) -> Decimal:
        return self.figures.reversal_account_back

    @property
    def counted(self) -> bool:
        """A reversal of a record the agency set aside leaves totals it was never in."""
        return self.figures.counted

    @property
    def earlier_day(self) -> bool:
        """Reverses a settlement of an earlier day (its close already counted it)."""
        return self.settled_on < self.reversed_at.date()


@dataclass(frozen=True, slots=True)
class SetAsideLine:
    """A settlement of the day the agency refused: waiting on it, at the counter's figures, counted apart."""

    settlement_id: int
    settled_at: dt.datetime
    patient: str
    split: Split
    reversed: bool


@dataclass(frozen=True, slots=True)
class SettleUpLine:
    settle_up_id: int
    settlement_id: int
    at: dt.datetime
    patient: str
    kind: str  # collect (补收) or refund (退费)
    amount: Decimal
    staff: str
    agency_setl_id: str

    @property
    def cash(self) -> Decimal:
        """Into the drawer (+) or out of it (-)."""
        return self.amount if self.kind == "collect" else -self.amount


@dataclass(frozen=True, slots=True)
class OwedLine:
    """A settle-up still owed at the end of the day: the agency's split is known, the patient not yet settled with."""

    settlement_id: int
    settled_on: dt.date
    patient: str
    counter_cash: Decimal
    agency_cash: Decimal
    agency_setl_id: str

    @property
    def owed(self) -> Decimal:
        """To collect from the patient (+) or to give back (-)."""
        return self.agency_cash - self.counter_cash


@dataclass(frozen=True, slots=True)
class Drawer:
    """The cash the drawer should hold from the day's work (beyond whatever float it started with)."""

    settled: Decimal  # taken at the day's settlements, as the counter charged them
    reversed: Decimal  # given back at the day's reversals
    collected: Decimal  # taken in by settle-ups (补收)
    refunded: Decimal  # paid out by settle-ups (退费)

    @property
    def expected(self) -> Decimal:
        return self.settled - self.reversed + self.collected - self.refunded


@dataclass(frozen=True, slots=True)
class DayClose:
    facility_id: str
    facility_name: str
    day: dt.date
    schemes: tuple[SchemeLine, ...]
    reversals: tuple[ReversalLine, ...]
    set_aside: tuple[SetAsideLine, ...] = ()
    settle_ups: tuple[SettleUpLine, ...] = ()
    owed: tuple[OwedLine, ...] = ()
    drawer: Drawer = Drawer(ZERO, ZERO, ZERO, ZERO)
    waiting_count: int = 0  # of the day's settlements counted, those the agency has not booked yet
    differs_count: int = 0  # of the day's settlements, those the agency booked with another split
    audit_head: str = ""  # the audit chain's head as the close was read (seq:digest), to keep off the machine

    @property
    def settled_count(self) -> int:
        return sum(line.settled_count for line in self.schemes)

    @property
    def reversed_count(self) -> int:
        return sum(1 for line in self.reversals if line.counted)

    @property
    def settled(self) -> Split:
        return sum((line.settled for line in self.schemes), Split())

    @property
    def reversed(self) -> Split:
        return sum((line.split for line in self.reversals if line.counted), Split())

    @property
    def net(self) -> Split:
        return self.settled - self.reversed

    @property
    def set_aside_split(self) -> Split:
        return sum((line.split for line in self.set_aside), Split())

    @property
    def settled_up(self) -> Decimal:
        """Net cash of the day's settle-ups: collected less refunded."""
        return self.drawer.collected - self.drawer.refunded

    @property
    def owed_to_collect(self) -> Decimal:
        return sum((line.owed for line in self.owed if line.owed > 0), ZERO)

    @property
    def owed_to_refund(self) -> Decimal:
        return sum((-line.owed for line in self.owed if line.owed < 0), ZERO)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight in Beijing time."""
    start = dt.datetime.combine(day, dt.time(0), CHINA)
    return start, start + dt.timedelta(days=1)


def day_close(store: Store, facility_id: str, day: dt.date, book: PolicyBook | None = None) -> DayClose:
    with store.reading() as session:
        facility = session.get(Facility, facility_id)
        if facility is None:
            raise LedgerError("facility", f"no facility {facility_id!r}")
        start, end = day_bounds(day)
        settled = _settled_by_scheme(session, facility_id, start, end)
        reversals = _reversals(session, facility_id, start, end)
        counts = _counts(session, facility_id, start, end)
        set_aside = _set_aside(session, facility_id, start, end)
        settle_ups = _settle_ups(session, facility_id, start, end)
        owed = _owed(session, facility_id, end)
        name = facility.name
        head = read_head(session.connection()).text
    schemes = _schemes(settled, reversals, book or default_book())
    drawer = Drawer(
        settled=counts.cash,
        reversed=sum((line.cash_back for line, _ in reversals), ZERO),
        collected=sum((line.amount for line in settle_ups if line.kind == "collect"), ZERO),
        refunded=sum((line.amount for line in settle_ups if line.kind == "refund"), ZERO),
    )
    return DayClose(
        facility_id,
        name,
        day,
        schemes,
        tuple(line for line, _ in reversals),
        set_aside,
        settle_ups,
        owed,
        drawer,
        counts.waiting,
        counts.differs,
        head,
    )


def back_up_at_close(store: Store) -> Backup | None:
    """The day is closed (printed or exported): an online backup to the store's backup folder."""
    return back_up(store.engine.url, "day-close")


def _of_the_day(facility_id: str, start: dt.datetime, end: dt.datetime) -> Any:
    return and_(Visit.facility_id == facility_id, Settlement.settled_at >= start, Settlement.settled_at < end)


def _settled_by_scheme(
    session: Session, facility_id: str, start: dt.datetime, end: dt.datetime
) -> dict[tuple[str, str], tuple[int, Split]]:
    statement = (
        select(
            Settlement.policy,
            Settlement.policy_version,
            func.count(Settlement.id),
            func.sum(OFFICIAL_FUND),
            func.sum(OFFICIAL_ACCOUNT),
            func.sum(OFFICIAL_CASH),
        )
        .join(Visit, Visit.id == Settlement.visit_id)
        .where(_of_the_day(facility_id, start, end), COUNTED)
        .group_by(Settlement.policy, Settlement.policy_version)
    )
    return {
        (policy, version): (count, Split.of_fen(fund, account, cash))
        for policy, version, count, fund, account, cash in session.execute(statement)
    }


@dataclass(frozen=True, slots=True)
class _Counts:
    cash: Decimal
    waiting: int
    differs: int


_DIFFERS = and_(
    BOOKED,
    or_(
        Settlement.agency_fund_fen != Settlement.fund_fen,
        Settlement.agency_account_fen != Settlement.account_fen,
        Settlement.agency_cash_fen != Settlement.cash_fen,
    ),
)
_WAITING = and_(not_(BOOKED), not_(Settlement.self_pay), COUNTED)


def _counts(session: Session, facility_id: str, start: dt.datetime, end: dt.datetime) -> _Counts:
    """The cash the counter took at the day's settlements (set-aside ones too: it was taken), and
    how many of them wait on the agency or were booked with another split."""
    cash, waiting, differs = session.execute(
        select(
            func.coalesce(func.sum(Settlement.cash_fen), 0),
            func.coalesce(func.sum(case((_WAITING, 1), else_=0)), 0),
            func.coalesce(func.sum(case((_DIFFERS, 1), else_=0)), 0),
        )
        .join(Visit, Visit.id == Settlement.visit_id)
        .where(_of_the_day(facility_id, start, end))
    ).one()
    return _Counts(from_fen(int(cash)), int(waiting), int(differs))


def _reversals(
    session: Session, facility_id: str, start: dt.datetime, end: dt.datetime
) -> list[tuple[ReversalLine, tuple[str, str]]]:
    statement = patients.with_patient(
        select(
            Reversal.id,
            Reversal.settlement_id,
            Reversal.reversed_at,
            Reversal.reason,
            Settlement.settled_at,
            Settlement.policy,
            Settlement.policy_version,
            patients.NAME.label("patient"),
            Staff.name.label("staff"),
            *FIGURE_COLUMNS,
        )
        .join(Settlement, Settlement.id == Reversal.settlement_id)
        .join(Visit, Visit.id == Settlement.visit_id)
        .join(Staff, Staff.id == Reversal.staff_id)
        .outerjoin(SettleUp, SETTLE_UP_JOIN)
    )
    statement = statement.where(
        Visit.facility_id == facility_id, Reversal.reversed_at >= start, Reversal.reversed_at < end
    ).order_by(Reversal.reversed_at, Reversal.id)
    return [(_reversal_line(raw), (raw.policy, raw.policy_version)) for raw in session.execute(statement)]


def _reversal_line(raw: Any) -> ReversalLine:
    return ReversalLine(
        reversal_id=raw.id,
        settlement_id=raw.settlement_id,
        settled_on=raw.settled_at.astimezone(CHINA).date(),
        reversed_at=raw.reversed_at.astimezone(CHINA),
        patient=mask_name(raw.patient),
        reason=raw.reason,
        staff=raw.staff,
        figures=figures(raw[9:], reversed_=True),
    )


def _set_aside(session: Session, facility_id: str, start: dt.datetime, end: dt.datetime) -> tuple[SetAsideLine, ...]:
    statement = patients.with_patient(
        select(
            Settlement.id,
            Settlement.settled_at,
            patients.NAME,
            Settlement.fund_fen,
            Settlement.account_fen,
            Settlement.cash_fen,
            Reversal.id.is_not(None),
        )
        .join(Visit, Visit.id == Settlement.visit_id)
        .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
    ).where(_of_the_day(facility_id, start, end), SET_ASIDE)
    return tuple(
        SetAsideLine(
            settlement_id, settled_at.astimezone(CHINA), mask_name(name), Split.of_fen(fund, account, cash), reversed_
        )
        for settlement_id, settled_at, name, fund, account, cash, reversed_ in session.execute(
            statement.order_by(Settlement.settled_at, Settlement.id)
        )
    )


def _settle_ups(session: Session, facility_id: str, start: dt.datetime, end: dt.datetime) -> tuple[SettleUpLine, ...]:
    statement = patients.with_patient(
        select(
            SettleUp.id,
            SettleUp.settlement_id,
            SettleUp.at,
            patients.NAME,
            SettleUp.kind,
            SettleUp.amount_fen,
            Staff.name,
            SettleUp.agency_setl_id,
        )
        .join(Settlement, Settlement.id == SettleUp.settlement_id)
        .join(Visit, Visit.id == Settlement.visit_id)
        .join(Staff, Staff.id == SettleUp.staff_id)
    ).where(Visit.facility_id == facility_id, SettleUp.at >= start, SettleUp.at < end)
    return tuple(
        SettleUpLine(
            row[0], row[1], row[2].astimezone(CHINA), mask_name(row[3]), row[4], from_fen(row[5]), row[6], row[7]
        )
        for row in session.execute(statement.order_by(SettleUp.at, SettleUp.id))
    )


def _owed(session: Session, facility_id: str, end: dt.datetime) -> tuple[OwedLine, ...]:
    """Settle-ups owed when the day ended: the agency's split with another cash figure stored by
    then (its 2207 answer's row done), and neither a settle-up nor a reversal made by then."""
    answered = exists().where(
        OutboxEntry.settlement_id == Settlement.id,
        OutboxEntry.infno == "2207",
        OutboxEntry.state == "done",
        OutboxEntry.done_at < end,
    )
    settled_up = exists().where(SettleUp.settlement_id == Settlement.id, SettleUp.at < end)
    reversed_ = exists().where(Reversal.settlement_id == Settlement.id, Reversal.reversed_at < end)
    statement = patients.with_patient(
        select(
            Settlement.id,
            Settlement.settled_at,
            patients.NAME,
            Settlement.cash_fen,
            Settlement.agency_cash_fen,
            Settlement.agency_setl_id,
        ).join(Visit, Visit.id == Settlement.visit_id)
    ).where(
        Visit.facility_id == facility_id,
        Settlement.settled_at < end,
        BOOKED,
        Settlement.agency_cash_fen != Settlement.cash_fen,
        answered,
        ~settled_up,
        ~reversed_,
    )
    return tuple(
        OwedLine(
            settlement_id,
            settled_at.astimezone(CHINA).date(),
            mask_name(name),
            from_fen(cash),
            from_fen(agency_cash or 0),
            setl_id or "",
        )
        for settlement_id, settled_at, name, cash, agency_cash, setl_id in session.execute(
            statement.order_by(Settlement.settled_at, Settlement.id)
        )
    )


def _title(book: PolicyBook, policy: str, version: str) -> str:
    if policy == SELF_PAY_POLICY:
        return SELF_PAY_TITLE
    if policy not in book.policies:
        return policy
    return next((v.title for v in book.versions(policy) if v.version == version), policy)


def _schemes(
    settled: dict[tuple[str, str], tuple[int, Split]],
    reversals: list[tuple[ReversalLine, tuple[str, str]]],
    book: PolicyBook,
) -> tuple[SchemeLine, ...]:
    reversed_by: dict[tuple[str, str], tuple[int, Split]] = {}
    for line, scheme in reversals:
        if not line.counted:
            continue
        count, split = reversed_by.get(scheme, (0, Split()))
        reversed_by[scheme] = (count + 1, split + line.split)
    lines = []
    for scheme in sorted(settled.keys() | reversed_by.keys()):
        settled_count, settled_split = settled.get(scheme, (0, Split()))
        reversed_count, reversed_split = reversed_by.get(scheme, (0, Split()))
        title = _title(book, *scheme)
        lines.append(SchemeLine(*scheme, title, settled_count, settled_split, reversed_count, reversed_split))
    return tuple(lines)
