"""The outbox as the relay reads and marks it.

A row is ``pending`` until the agency has answered it (``done``), refused it
(``set_aside``, with its error, until staff retry it), or it is no longer needed because
the clinic reversed the settlement before the agency booked it (``void``). Rows are sent
in id order; a settlement's later rows wait behind its set-aside one, and nothing else
does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select, update
from sqlalchemy.orm import aliased

from db import audit as chain
from db.models import OutboxEntry, Person, Settlement, Visit
from db.session import Store

PENDING, DONE, SET_ASIDE, VOID = "pending", "done", "set_aside", "void"


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    infno: str
    msgid: str
    settlement_id: int
    outcome_unknown: bool


_blocking = aliased(OutboxEntry)
_NEXT = (
    select(OutboxEntry.id, OutboxEntry.infno, OutboxEntry.msgid, OutboxEntry.settlement_id, OutboxEntry.outcome_unknown)
    .where(OutboxEntry.state == PENDING)
    .where(~exists().where(and_(_blocking.settlement_id == OutboxEntry.settlement_id, _blocking.state == SET_ASIDE)))
    .order_by(OutboxEntry.id)
)


def next_entries(connection: Connection, after_id: int, limit: int) -> list[Entry]:
    rows = connection.execute(_NEXT.where(OutboxEntry.id > after_id).limit(limit))
    return [Entry(r.id, r.infno, r.msgid, r.settlement_id, r.outcome_unknown) for r in rows]


@dataclass(frozen=True, slots=True)
class Unbooked:
    """A settlement reversed at the counter before the agency booked it, and its reversal's row."""

    settlement_id: int
    entry_id: int
    msgid: str


def reversed_unbooked(connection: Connection) -> list[Unbooked]:
    """Reversed settlements whose 2207 is not done, with their reversal's row still to send.

    Whether the 2207 was booked cannot be told from here (its answer may have been lost,
    or held in memory by a sync that crashed), so the reversal goes as a 2601 naming the
    2207's msgid: it undoes the 2207 if it was booked and bars it from booking if not.
    """
    cancel = aliased(OutboxEntry)
    rows = connection.execute(
        select(Settlement.id, cancel.id, cancel.msgid)
        .join(OutboxEntry, OutboxEntry.settlement_id == Settlement.id)
        .join(cancel, and_(cancel.settlement_id == Settlement.id, cancel.reversal_id.is_not(None)))
        .where(OutboxEntry.infno == "2207", OutboxEntry.state.in_((PENDING, SET_ASIDE)))
        .where(cancel.state == PENDING)
        .order_by(Settlement.id)
    )
    return [Unbooked(*row) for row in rows]


def send_as_2601(connection: Connection, entry_id: int) -> None:
    """The reversal's row goes as 2601 under its own stored msgid (it was never sent as 2208)."""
    turned = connection.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id, OutboxEntry.state == PENDING, OutboxEntry.infno == "2208")
        .where(OutboxEntry.attempts == 0)
        .values(infno="2601")
    )
    if turned.rowcount == 1:  # the row says otherwise than when it was sealed: seal it again
        at = dt.datetime.now(dt.UTC)
        audit(connection, at, None, "sync_send_as_2601", "outbox", entry_id, {}, [chain.Rows("outbox", "id", entry_id)])


def waiting_for_person(connection: Connection, person_id: int) -> bool:
    """Whether the agency has yet to hear (or accept) something of this person's."""
    found = connection.execute(
        select(OutboxEntry.id)
        .join(Settlement, Settlement.id == OutboxEntry.settlement_id)
        .where(Settlement.person_id == person_id, OutboxEntry.state.in_((PENDING, SET_ASIDE)))
        .limit(1)
    ).first()
    return found is not None


def people_waiting() -> Any:
    """The ids of people with something the agency has yet to hear or accept."""
    return (
        select(Settlement.person_id)
        .join(OutboxEntry, OutboxEntry.settlement_id == Settlement.id)
        .where(OutboxEntry.state.in_((PENDING, SET_ASIDE)))
    )


def counts(connection: Connection) -> dict[str, int]:
    rows = connection.execute(
        select(OutboxEntry.state, func.count())
        .where(OutboxEntry.state.in_((PENDING, SET_ASIDE)))
        .group_by(OutboxEntry.state)
    )
    return {str(state): int(number) for state, number in rows}


# --- marking rows ---------------------------------------------------------------------


def _pending(entry_id: int) -> Any:
    """An update of one row that is still pending: two syncs never overwrite each other's word."""
    return update(OutboxEntry).where(OutboxEntry.id == entry_id, OutboxEntry.state == PENDING)


def mark_sent(connection: Connection, entry_id: int, now: dt.datetime, *, unknown: bool | None, error: str) -> None:
    """One send that got no answer (``unknown`` True), or an answer that it was not booked
    (False), or nothing delivered (None: what was unknown stays unknown)."""
    values: dict[str, Any] = {
        "attempts": OutboxEntry.attempts + 1,
        "first_sent_at": func.coalesce(OutboxEntry.first_sent_at, now),
        "last_error": error[:2000],
    }
    if unknown is not None:
        values["outcome_unknown"] = unknown
    connection.execute(_pending(entry_id).values(**values))


def mark_done(connection: Connection, entry_id: int, now: dt.datetime, answer: dict[str, Any]) -> bool:
    """Whether the row was still pending: a row another sync voided meanwhile stays void."""
    done = connection.execute(
        _pending(entry_id).values(
            state=DONE,
            attempts=OutboxEntry.attempts + 1,
            first_sent_at=func.coalesce(OutboxEntry.first_sent_at, now),
            done_at=now,
            outcome_unknown=False,
            last_error="",
            answer=json.dumps(answer, ensure_ascii=False, default=str),
        )
    )
    return done.rowcount == 1


def mark_set_aside(connection: Connection, entry_id: int, settlement_id: int, now: dt.datetime, error: str) -> None:
    """The agency refused the row (or it cannot be built): set aside with its error.

    Whether an earlier send of it is still unaccounted for (``outcome_unknown``) stays as it was.
    """
    marked = connection.execute(
        _pending(entry_id).values(
            state=SET_ASIDE,
            attempts=OutboxEntry.attempts + 1,
            first_sent_at=func.coalesce(OutboxEntry.first_sent_at, now),
            last_error=error[:2000],
        )
    )
    if marked.rowcount != 1:
        return
    connection.execute(
        update(Settlement)
        .where(Settlement.id == settlement_id, Settlement.agency_setl_id.is_(None))
        .values(status="rejected")
    )
    audit(connection, now, None, "sync_set_aside", "outbox", entry_id, {"settlement_id": settlement_id, "error": error})


def mark_void(connection: Connection, settlement_id: int, now: dt.datetime, why: str) -> None:
    connection.execute(
        update(OutboxEntry)
        .where(OutboxEntry.settlement_id == settlement_id, OutboxEntry.state.in_((PENDING, SET_ASIDE)))
        .values(state=VOID, done_at=now, outcome_unknown=False, last_error=why)
    )
    connection.execute(update(Settlement).where(Settlement.id == settlement_id).values(status="void"))
    audit(connection, now, None, "sync_void", "settlement", settlement_id, {"why": why})


def retry(store: Store, entry_ids: list[int], staff_id: int | None, now: dt.datetime) -> int:
    """Staff corrected what the agency refused: send these set-aside rows again. Returns how many."""
    with store.writing() as session:
        connection = session.connection()
        rows = connection.execute(
            select(OutboxEntry.id, OutboxEntry.settlement_id, OutboxEntry.last_error).where(
                OutboxEntry.id.in_(entry_ids), OutboxEntry.state == SET_ASIDE
            )
        ).all()
        for row in rows:
            connection.execute(update(OutboxEntry).where(OutboxEntry.id == row.id).values(state=PENDING))
            connection.execute(
                update(Settlement)
                .where(Settlement.id == row.settlement_id, Settlement.status == "rejected")
                .values(status="pending")
            )
            audit(connection, now, staff_id, "sync_retry", "outbox", row.id, {"error_was": row.last_error})
    return len(rows)


def audit(
    connection: Connection,
    now: dt.datetime,
    staff_id: int | None,
    action: str,
    entity: str,
    key: int,
    detail: Any,
    rows: Sequence[chain.Spec] = (),
) -> None:
    chain.record(
        connection, at=now, staff_id=staff_id, action=action, entity=entity, entity_id=key, detail=detail, rows=rows
    )


# --- what staff see -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetAsideRecord:
    """A record the agency refused, as staff see it (the person's name is masked where shown)."""

    entry_id: int
    infno: str
    msgid: str
    settlement_id: int
    visit_date: dt.date
    person_name: str
    error: str
    attempts: int


def set_aside_records(connection: Connection) -> list[SetAsideRecord]:
    rows = connection.execute(
        select(
            OutboxEntry.id,
            OutboxEntry.infno,
            OutboxEntry.msgid,
            OutboxEntry.settlement_id,
            Visit.visit_date,
            Person.name,
            OutboxEntry.last_error,
            OutboxEntry.attempts,
        )
        .join(Settlement, Settlement.id == OutboxEntry.settlement_id)
        .join(Visit, Visit.id == Settlement.visit_id)
        .join(Person, Person.id == Settlement.person_id)
        .where(OutboxEntry.state == SET_ASIDE)
        .order_by(OutboxEntry.id)
    )
    return [
        SetAsideRecord(
            entry_id=row.id,
            infno=row.infno,
            msgid=row.msgid,
            settlement_id=row.settlement_id,
            visit_date=row.visit_date,
            person_name=row.name,
            error=row.last_error,
            attempts=row.attempts,
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class Difference:
    """A settlement the agency booked with another split than the counter's (amounts in fen)."""

    settlement_id: int
    visit_date: dt.date
    person_name: str
    local: tuple[int, int, int]  # fund, account, cash
    agency: tuple[int, int, int]

    @property
    def fund_difference_fen(self) -> int:
        return self.agency[0] - self.local[0]


def differences(connection: Connection, since: dt.date | None = None) -> list[Difference]:
    query = (
        select(
            Settlement.id,
            Visit.visit_date,
            Person.name,
            Settlement.fund_fen,
            Settlement.account_fen,
            Settlement.cash_fen,
            Settlement.agency_fund_fen,
            Settlement.agency_account_fen,
            Settlement.agency_cash_fen,
        )
        .join(Visit, Visit.id == Settlement.visit_id)
        .join(Person, Person.id == Settlement.person_id)
        .where(Settlement.status == "differs")
        .order_by(Settlement.id)
    )
    if since is not None:
        query = query.where(Visit.visit_date >= since)
    return [
        Difference(row[0], row[1], row[2], (row[3], row[4], row[5]), (row[6] or 0, row[7] or 0, row[8] or 0))
        for row in connection.execute(query)
    ]
