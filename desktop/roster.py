"""The roster as the copay engine sees it: a person's standing on one day.

Prepared queries on a connection (``db.prepared``): these run inside every settlement.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, or_, select

from db.models import ChronicCertificate, Facility, Person, Signing
from db.prepared import Prepared
from desktop.money import from_fen
from desktop.policy.types import Category, Employment, FacilityKind, Patient
from desktop.policy.types import Facility as QuoteFacility
from desktop.signing import Origin, ResidenceFacility, Role, Signed, SigningHistory, SigningRecord, signing_on

_HISTORY = Prepared(
    select(
        Signing.id,
        Signing.facility_id,
        Facility.kind,
        Signing.role,
        Signing.origin,
        Signing.family_doctor,
        Signing.effective_from,
        Signing.effective_until,
    )
    .join(Facility, Facility.id == Signing.facility_id)
    .where(Signing.person_id == bindparam("person"))
    .order_by(Signing.effective_from, Signing.id),
    ("person",),
)
_RESIDENCE = Prepared(select(Facility.id, Facility.kind).where(Facility.id == bindparam("id")), ("id",))
_STANDING = Prepared(select(Person.policy, Person.residence_facility_id).where(Person.id == bindparam("id")), ("id",))
_DISEASES = Prepared(
    select(ChronicCertificate.disease)
    .where(ChronicCertificate.person_id == bindparam("person"), ChronicCertificate.valid_from <= bindparam("day"))
    .where(or_(ChronicCertificate.valid_until.is_(None), ChronicCertificate.valid_until >= bindparam("day")))
    .order_by(ChronicCertificate.disease),
    ("person", "day"),
)
PERSON = Prepared(select(Person.__table__).where(Person.id == bindparam("id")), ("id",))


def signing_history(connection: Connection, person_id: int, residence_facility_id: str | None) -> SigningHistory:
    """Every signing record of the person, never overwritten, as the signing rules read them."""
    records = tuple(
        SigningRecord(
            person=person_id,
            facility_id=row.facility_id,
            facility_kind=FacilityKind(row.kind),
            role=Role(row.role),
            effective_from=row.effective_from,
            effective_until=row.effective_until,
            origin=Origin(row.origin),
            family_doctor=row.family_doctor,
            record_id=row.id,
        )
        for row in _HISTORY.all(connection, {"person": person_id})
    )
    residence = None
    if residence_facility_id is not None:
        home = _RESIDENCE.one(connection, {"id": residence_facility_id})
        residence = ResidenceFacility(home.id, FacilityKind(home.kind))
    return SigningHistory(person_id, records, residence)


def signed_on(connection: Connection, person: Any, day: dt.date) -> list[Signed]:
    """The facilities ``person`` (a roster row) is signed with on ``day``: stored signings,
    carried over from year to year, or the residence's default (南昌 第九条, 湖南 第六条)."""
    history = signing_history(connection, person.id, person.residence_facility_id)
    return list(signing_on(person.policy, history, day).values())


def signings_on(connection: Connection, person_id: int, day: dt.date) -> list[Signed]:
    """As ``signed_on``, for a caller holding only the person's id."""
    standing = _STANDING.one(connection, {"id": person_id})
    person = _PersonStanding(person_id, standing.policy, standing.residence_facility_id)
    return signed_on(connection, person, day)


class _PersonStanding(NamedTuple):
    id: int
    policy: str
    residence_facility_id: str | None


def chronic_diseases_on(connection: Connection, person_id: int, day: dt.date) -> tuple[str, ...]:
    rows = _DISEASES.all(connection, {"person": person_id, "day": day})
    return tuple(dict.fromkeys(row.disease for row in rows))


def patient_on(
    connection: Connection, person: Any, day: dt.date, *, with_diseases: bool = True, with_signings: bool = True
) -> Patient:
    """``person`` is a roster row (or ``Person``): the engine's view of them on ``day``.

    Certified chronic diseases only change a quote whose visit treats one, and signing
    only matters to resident schemes, so a settlement may skip reading either.
    """
    signings = signed_on(connection, person, day) if with_signings else []
    return Patient(
        birth_date=person.birth_date,
        category=Category(person.category),
        employment=Employment(person.employment),
        retired_on=person.retired_on,
        poverty_registered=person.poverty_registered,
        family_doctor=any(s.family_doctor for s in signings),
        contracted_facilities=tuple(s.facility_id for s in signings),
        enrolled_on=person.enrolled_on,
        chronic_diseases=chronic_diseases_on(connection, person.id, day) if with_diseases else (),
        benefit_suspended=person.benefit_suspended,
        account_balance=from_fen(person.account_balance_fen),
    )


def facility_for_quote(facility: Any, employee_scheme: bool, day: dt.date, *, in_city: bool) -> QuoteFacility:
    """``facility`` is a facility row (or ``Facility``); ``in_city`` is the patient's, from ``desktop.area``."""
    suspended = facility.suspended_on is not None and facility.suspended_on <= day
    designated = facility.designated_employee if employee_scheme else facility.designated_resident
    return QuoteFacility(
        id=facility.id,
        kind=FacilityKind(facility.kind),
        level=facility.level,
        parent_id=facility.parent_id,
        in_city=in_city,
        designated=designated and not suspended,
    )
