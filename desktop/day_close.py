"""The day close (日结): what one facility settled and reversed on one day, by scheme and by payer.

A day is a calendar day in Beijing time. A reversal counts on the day it was made, even
when it reverses an earlier day's settlement: that is the day the money moved back, and
earlier days' closes stay as they were printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.audit import read_head
from db.backup import Backup, back_up
from db.models import Facility, Person, Reversal, Settlement, Staff, Visit
from db.session import Store
from desktop.ledger import LedgerError
from desktop.money import ZERO, from_fen
from desktop.policy import PolicyBook, default_book
from desktop.privacy import mask_name
from desktop.settlement.service import CHINA


@dataclass(frozen=True, slots=True)
class Split:
    """Who paid: the pooling fund, the employee's personal account, and cash at the counter."""

    fund: Decimal = ZERO
    account: Decimal = ZERO
    cash: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.fund + self.account + self.cash

    def __add__(self, other: Split) -> Split:
        return Split(self.fund + other.fund, self.account + other.account, self.cash + other.cash)

    def __sub__(self, other: Split) -> Split:
        return Split(self.fund - other.fund, self.account - other.account, self.cash - other.cash)

    @classmethod
    def of_fen(cls, fund: int | None, account: int | None, cash: int | None) -> Split:
        return cls(from_fen(fund or 0), from_fen(account or 0), from_fen(cash or 0))


@dataclass(frozen=True, slots=True)
class SchemeLine:
    """One policy's settlements and reversals of the day."""

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
    split: Split

    @property
    def earlier_day(self) -> bool:
        """Reverses a settlement of an earlier day (its close already counted it)."""
        return self.settled_on < self.reversed_at.date()


@dataclass(frozen=True, slots=True)
class DayClose:
    facility_id: str
    facility_name: str
    day: dt.date
    schemes: tuple[SchemeLine, ...]
    reversals: tuple[ReversalLine, ...]
    audit_head: str = ""  # the audit chain's head as the close was read (seq:digest), to keep off the machine

    @property
    def settled_count(self) -> int:
        return sum(line.settled_count for line in self.schemes)

    @property
    def reversed_count(self) -> int:
        return len(self.reversals)

    @property
    def settled(self) -> Split:
        return sum((line.settled for line in self.schemes), Split())

    @property
    def reversed(self) -> Split:
        return sum((line.split for line in self.reversals), Split())

    @property
    def net(self) -> Split:
        return self.settled - self.reversed


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
        name = facility.name
        head = read_head(session.connection()).text
    schemes = _schemes(settled, reversals, book or default_book())
    return DayClose(facility_id, name, day, schemes, tuple(line for line, _ in reversals), head)


def back_up_at_close(store: Store) -> Backup | None:
    """The day is closed (printed or exported): an online backup to the store's backup folder."""
    return back_up(store.engine.url, "day-close")


_SUMS = (
    func.count(Settlement.id),
    func.sum(Settlement.fund_fen),
    func.sum(Settlement.account_fen),
    func.sum(Settlement.cash_fen),
)


def _settled_by_scheme(
    session: Session, facility_id: str, start: dt.datetime, end: dt.datetime
) -> dict[tuple[str, str], tuple[int, Split]]:
    statement = (
        select(Settlement.policy, Settlement.policy_version, *_SUMS)
        .join(Visit, Visit.id == Settlement.visit_id)
        .where(Visit.facility_id == facility_id, Settlement.settled_at >= start, Settlement.settled_at < end)
        .group_by(Settlement.policy, Settlement.policy_version)
    )
    return {
        (policy, version): (count, Split.of_fen(fund, account, cash))
        for policy, version, count, fund, account, cash in session.execute(statement)
    }


def _reversals(
    session: Session, facility_id: str, start: dt.datetime, end: dt.datetime
) -> list[tuple[ReversalLine, tuple[str, str]]]:
    statement = (
        select(
            Reversal.id,
            Reversal.settlement_id,
            Reversal.reversed_at,
            Reversal.reason,
            Settlement.settled_at,
            Settlement.policy,
            Settlement.policy_version,
            Settlement.fund_fen,
            Settlement.account_fen,
            Settlement.cash_fen,
            Person.name.label("patient"),
            Staff.name.label("staff"),
        )
        .join(Settlement, Settlement.id == Reversal.settlement_id)
        .join(Visit, Visit.id == Settlement.visit_id)
        .join(Person, Person.id == Settlement.person_id)
        .join(Staff, Staff.id == Reversal.staff_id)
        .where(Visit.facility_id == facility_id, Reversal.reversed_at >= start, Reversal.reversed_at < end)
        .order_by(Reversal.reversed_at, Reversal.id)
    )
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
        split=Split.of_fen(raw.fund_fen, raw.account_fen, raw.cash_fen),
    )


def _title(book: PolicyBook, policy: str, version: str) -> str:
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
        count, split = reversed_by.get(scheme, (0, Split()))
        reversed_by[scheme] = (count + 1, split + line.split)
    lines = []
    for scheme in sorted(settled.keys() | reversed_by.keys()):
        settled_count, settled_split = settled.get(scheme, (0, Split()))
        reversed_count, reversed_split = reversed_by.get(scheme, (0, Split()))
        title = _title(book, *scheme)
        lines.append(SchemeLine(*scheme, title, settled_count, settled_split, reversed_count, reversed_split))
    return tuple(lines)
