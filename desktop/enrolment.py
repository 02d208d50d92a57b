"""Recording a signing (签约) change at the counter: decide by the rules, then store it.

The decision and its writes happen in one transaction: closed records get their end
date, the new record is added, and the audit log says who did it. Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update

from db import audit
from db.models import Person, Signing
from db.session import Store
from desktop.roster import signing_history
from desktop.signing import ChangeRequest, Decision, Grounds, Origin, SigningHistory, decide

# How a change shows in the fund's months (洪府厅发〔2019〕102号 第二十八条): a move for a new
# address (第八条（一）) and a reassignment from a closed facility (第八条（二）) are timed
# apart, for the facility left and the one joined alike.
_CHANGE_KIND = {
    Grounds.ADDRESS_CHANGE: "moved",
    Grounds.FACILITY_SUSPENDED: "reassigned",
    Grounds.FACILITY_TERMINATED: "reassigned",
}


def start_kind(grounds: Grounds, history: SigningHistory) -> str:
    """``first`` for a person's first choice of a signing facility (第二十八条第一款), else how they came."""
    if grounds in _CHANGE_KIND:
        return _CHANGE_KIND[grounds]
    chosen_before = any(not r.withdrawn and r.origin is not Origin.DEFAULTED for r in history.records)
    return "continuing" if chosen_before else "first"


class UnknownPersonError(LookupError):
    pass


def change_signing(store: Store, person_id: int, request: ChangeRequest, staff_id: int, now: dt.datetime) -> Decision:
    """Decide ``request`` for the person; when accepted, store it. A refusal writes nothing."""
    with store.writing() as session:
        connection = session.connection()
        person = connection.execute(
            select(Person.id, Person.policy, Person.residence_facility_id).where(Person.id == person_id)
        ).one_or_none()
        if person is None:
            raise UnknownPersonError(f"no person {person_id} on the roster")
        history = signing_history(connection, person.id, person.residence_facility_id)
        decision = decide(person.policy, history, request)
        if not decision.accepted or decision.record is None:
            return decision
        ended = _CHANGE_KIND.get(request.grounds)
        for closed in decision.closes:
            if closed.record_id is not None:
                connection.execute(
                    update(Signing)
                    .where(Signing.id == closed.record_id)
                    .values(effective_until=closed.effective_until, end_kind=None if closed.withdrawn else ended)
                )
        record = decision.record
        signing_id = connection.execute(
            insert(Signing)
            .returning(Signing.id)
            .values(
                person_id=person.id,
                facility_id=record.facility_id,
                role=record.role.value,
                origin=record.origin.value,
                family_doctor=record.family_doctor,
                effective_from=record.effective_from,
                effective_until=record.effective_until,
                start_kind=start_kind(request.grounds, history),
                recorded_at=now,
                recorded_by=staff_id,
            )
        ).scalar_one()
        detail = {
            "facility": record.facility_id,
            "from": record.effective_from.isoformat(),
            "article": decision.article,
        }
        audit.record(
            connection,
            at=now,
            staff_id=staff_id,
            action="sign",
            entity="signing",
            entity_id=signing_id,
            detail=detail,
            rows=audit.rows_by_key(
                "signing",
                [signing_id, *(closed.record_id for closed in decision.closes if closed.record_id is not None)],
            ),
        )
        return decision
