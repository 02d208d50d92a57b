"""Who a read names on the local roster, and what is wrong with the card itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Card, Person
from desktop.identity import findings
from desktop.identity.findings import Finding
from desktop.identity.id_number import validate_id_number
from desktop.identity.reads import CardKind, CardRead

_WHAT = {
    CardKind.SOCIAL_SECURITY_CARD: "社保卡",
    CardKind.EVOUCHER: "医保电子凭证",
    CardKind.ID_NUMBER: "身份证号",
}


@dataclass(frozen=True, slots=True)
class Found:
    """The person a read names (None when nobody on the roster matches), and card-level findings."""

    person: Person | None
    findings: tuple[Finding, ...] = ()


def find_on_roster(session: Session, read: CardRead, day: dt.date) -> Found:
    """Raises ``IdNumberError`` for a typed ID number that cannot be right; never for an unknown card."""
    if read.kind is CardKind.ID_NUMBER:
        return _by_id_number(session, validate_id_number(read.number, day), read.kind)
    card = session.scalar(select(Card).where(Card.kind == read.kind.value, Card.number == read.number.strip()))
    if card is None:
        return _card_unknown(session, read)
    notes: list[Finding] = []
    if not card.valid:
        notes.append(findings.card_invalid(_WHAT[read.kind]))
    if read.holder_id_number is not None and read.holder_id_number != card.person.id_number:
        notes.append(findings.card_holder_mismatch())
    return Found(card.person, tuple(notes))


def _card_unknown(session: Session, read: CardRead) -> Found:
    # A replacement card is often in the patient's hand before the roster knows it: the
    # holder's ID number on the card still finds them, with a word to the clerk.
    if read.kind is CardKind.SOCIAL_SECURITY_CARD and read.holder_id_number:
        found = _by_id_number(session, read.holder_id_number, read.kind)
        if found.person is not None:
            return Found(found.person, (findings.card_not_on_roster(),))
    return Found(None, (findings.not_on_roster(_WHAT[read.kind]),))


def _by_id_number(session: Session, number: str, kind: CardKind) -> Found:
    person = session.scalar(select(Person).where(Person.id_number == number))
    if person is None:
        return Found(None, (findings.not_on_roster(_WHAT[kind]),))
    return Found(person)
