"""The roster as the copay engine sees it: a person's standing on one day.

Core queries on a connection: these run inside every settlement.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, bindparam, or_, select

from db.models import ChronicCertificate, Person, Signing
from desktop.money import from_fen
from desktop.policy.types import Category, Employment, FacilityKind, Patient
from desktop.policy.types import Facility as QuoteFacility

_SIGNINGS = (
    select(Signing.facility_id, Signing.family_doctor, Signing.role)
    .where(Signing.person_id == bindparam("person"), Signing.effective_from <= bindparam("day"))
    .where(or_(Signing.effective_until.is_(None), Signing.effective_until >= bindparam("day")))
    .order_by(Signing.effective_from, Signing.id)
)
_DISEASES = (
    select(ChronicCertificate.disease)
    .where(ChronicCertificate.person_id == bindparam("person"), ChronicCertificate.valid_from <= bindparam("day"))
    .where(or_(ChronicCertificate.valid_until.is_(None), ChronicCertificate.valid_until >= bindparam("day")))
    .order_by(ChronicCertificate.disease)
)
PERSON = select(Person.__table__).where(Person.id == bindparam("id"))


def signings_on(connection: Connection, person_id: int, day: dt.date) -> list[Any]:
    """The signing records in force on ``day`` (facility_id, family_doctor, role)."""
    return list(connection.execute(_SIGNINGS, {"person": person_id, "day": day}))


def chronic_diseases_on(connection: Connection, person_id: int, day: dt.date) -> tuple[str, ...]:
    rows = connection.execute(_DISEASES, {"person": person_id, "day": day}).scalars()
    return tuple(dict.fromkeys(rows))


def patient_on(
    connection: Connection, person: Any, day: dt.date, *, with_diseases: bool = True, with_signings: bool = True
) -> Patient:
    """``person`` is a roster row (or ``Person``): the engine's view of them on ``day``.

    Certified chronic diseases only change a quote whose visit treats one, and signing
    only matters to resident schemes, so a settlement may skip reading either.
    """
    signings = signings_on(connection, person.id, day) if with_signings else []
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


def facility_for_quote(facility: Any, employee_scheme: bool, day: dt.date) -> QuoteFacility:
    """``facility`` is a facility row (or ``Facility``)."""
    suspended = facility.suspended_on is not None and facility.suspended_on <= day
    designated = facility.designated_employee if employee_scheme else facility.designated_resident
    return QuoteFacility(
        id=facility.id,
        kind=FacilityKind(facility.kind),
        level=facility.level,
        parent_id=facility.parent_id,
        in_city=facility.in_city,
        designated=designated and not suspended,
    )
