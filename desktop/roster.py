"""The roster as the copay engine sees it: a person's standing on one day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ChronicCertificate, Facility, Person, Signing
from desktop.money import from_fen
from desktop.policy.types import Category, Employment, FacilityKind, Patient
from desktop.policy.types import Facility as QuoteFacility


def signings_on(session: Session, person_id: int, day: dt.date) -> list[Signing]:
    """The signing records in force on ``day``."""
    rows = session.scalars(
        select(Signing)
        .where(Signing.person_id == person_id, Signing.effective_from <= day)
        .where((Signing.effective_until.is_(None)) | (Signing.effective_until >= day))
        .order_by(Signing.effective_from)
    )
    return list(rows)


def chronic_diseases_on(session: Session, person_id: int, day: dt.date) -> tuple[str, ...]:
    rows = session.scalars(
        select(ChronicCertificate.disease)
        .where(ChronicCertificate.person_id == person_id, ChronicCertificate.valid_from <= day)
        .where((ChronicCertificate.valid_until.is_(None)) | (ChronicCertificate.valid_until >= day))
        .order_by(ChronicCertificate.disease)
    )
    return tuple(dict.fromkeys(rows))


def patient_on(session: Session, person: Person, day: dt.date) -> Patient:
    signings = signings_on(session, person.id, day)
    return Patient(
        birth_date=person.birth_date,
        category=Category(person.category),
        employment=Employment(person.employment),
        retired_on=person.retired_on,
        poverty_registered=person.poverty_registered,
        family_doctor=any(s.family_doctor for s in signings),
        contracted_facilities=tuple(s.facility_id for s in signings),
        enrolled_on=person.enrolled_on,
        chronic_diseases=chronic_diseases_on(session, person.id, day),
        benefit_suspended=person.benefit_suspended,
        account_balance=from_fen(person.account_balance_fen),
    )


def facility_for_quote(facility: Facility, employee_scheme: bool, day: dt.date) -> QuoteFacility:
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
