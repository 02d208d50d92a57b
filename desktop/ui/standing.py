"""What the patient panel shows after a card check: who, insured how, and covered here or not.

Qt-free. This is the counter's own adapter over the roster; the identity package
(card readers and the full identity check) can replace ``check_card`` without the
panel changing, as long as it returns something with the fields of ``Standing``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, or_, select

from db.models import Accumulator, Card, Facility, Person
from db.session import Store
from desktop.money import ZERO, from_fen
from desktop.policy import NotInForceError, PolicyBook, UnknownPolicyError, default_book, explain, quote
from desktop.policy.parameters import Scheme
from desktop.policy.parameters import Standing as BenefitStanding
from desktop.policy.types import Employment, Patient, QuoteRequest, Reason, YearToDate
from desktop.policy.types import Facility as QuoteFacility
from desktop.roster import PERSON, facility_for_quote, patient_on, signings_on

# A roster older than this may miss a change of signing or a stopped benefit.
STALE_ROSTER = dt.timedelta(days=7)
_FACILITY_NAMES = select(Facility.id, Facility.name)


class CardNotFoundError(LookupError):
    """Nothing on the roster matches what was swiped, scanned or typed."""


@dataclass(frozen=True, slots=True)
class Standing:
    """One person's standing at this facility on one day, as the counter shows it."""

    person_id: int
    name: str
    id_number: str
    psn_no: str
    policy: str
    policy_title: str
    employee_scheme: bool
    insured: bool
    signed_facilities: tuple[str, ...]
    signed_here: bool
    family_doctor: bool
    poverty_registered: bool
    chronic_diseases: tuple[str, ...]
    deductible: Decimal | None
    deductible_met: Decimal
    cap: Decimal | None
    cap_left: Decimal | None
    account_balance: Decimal
    roster_updated_at: dt.datetime
    reason: Reason | None
    refusal: str | None
    patient: Patient
    facility: QuoteFacility
    year_to_date: YearToDate

    @property
    def covered(self) -> bool:
        return self.insured and self.reason is None

    def roster_age(self, now: dt.datetime) -> dt.timedelta:
        return now - self.roster_updated_at

    def roster_stale(self, now: dt.datetime) -> bool:
        return self.roster_age(now) > STALE_ROSTER


def card_text(raw: str) -> str:
    """What a reader or scanner sent, cleaned: an e-voucher QR may carry ``key=value`` parts."""
    text = raw.strip()
    for part in text.replace("&", ";").split(";"):
        key, _, value = part.partition("=")
        if value and key.strip().lower() in {"code", "ecqrcode", "qrcode", "card", "id"}:
            return value.strip()
    return text


def find_person_id(connection: Connection, raw: str) -> int:
    """The person behind an ID number, a social security card number or an e-voucher code."""
    text = card_text(raw)
    if not text:
        raise CardNotFoundError("empty")
    by_card = select(Card.person_id).where(Card.number == text, Card.valid.is_(True))
    found = connection.execute(by_card).scalar()
    if found is None:
        by_person = select(Person.id).where(or_(Person.id_number == text.upper(), Person.psn_no == text))
        found = connection.execute(by_person).scalar()
    if found is None:
        raise CardNotFoundError(text)
    return int(found)


def check_card(store: Store, raw: str, facility_id: str, day: dt.date, book: PolicyBook | None = None) -> Standing:
    """Find the person and work out their standing at ``facility_id`` on ``day``."""
    book = book or default_book()
    with store.reading() as session:
        connection = session.connection()
        person = connection.execute(PERSON, {"id": find_person_id(connection, raw)}).one()
        facility = connection.execute(select(Facility.__table__).where(Facility.id == facility_id)).one()
        return _standing(connection, person, facility, day, book)


def _standing(connection: Connection, person: Any, facility: Any, day: dt.date, book: PolicyBook) -> Standing:
    names = {row.id: row.name for row in connection.execute(_FACILITY_NAMES)}
    signed = [s.facility_id for s in signings_on(connection, person.id, day)]
    patient = patient_on(connection, person, day)
    ytd = _year_to_date(connection, person.id, day.year)
    try:
        version = book.version_for(person.policy, day)
    except (UnknownPolicyError, NotInForceError) as exc:
        raise CardNotFoundError(str(exc)) from None
    employee = version.scheme is Scheme.EMPLOYEE
    quote_facility = facility_for_quote(facility, employee, day)
    benefit = version.benefits[_benefit_standing(employee, patient)]
    deductible = None if benefit.deductible is None else benefit.deductible.value
    cap = None if benefit.cap is None else benefit.cap.value
    request = QuoteRequest(person.policy, day, patient, quote_facility, year_to_date=ytd)
    reason = quote(request, book).reason
    refusal = None if reason is None else explain.refusal(reason, version, request)
    return Standing(
        person_id=person.id,
        name=person.name,
        id_number=person.id_number,
        psn_no=person.psn_no,
        policy=person.policy,
        policy_title=version.title,
        employee_scheme=employee,
        insured=bool(person.insured),
        signed_facilities=tuple(names.get(f, f) for f in signed),
        signed_here=facility.id in signed or (facility.parent_id is not None and facility.parent_id in signed),
        family_doctor=patient.family_doctor,
        poverty_registered=patient.poverty_registered,
        chronic_diseases=patient.chronic_diseases,
        deductible=deductible,
        deductible_met=ytd.deductible_met,
        cap=cap,
        cap_left=None if cap is None else max(ZERO, cap - ytd.fund_paid),
        account_balance=patient.account_balance,
        roster_updated_at=person.roster_updated_at,
        reason=reason,
        refusal=refusal,
        patient=patient,
        facility=quote_facility,
        year_to_date=ytd,
    )


def _benefit_standing(employee: bool, patient: Patient) -> BenefitStanding:
    if not employee:
        return BenefitStanding.RESIDENT
    return BenefitStanding.RETIRED if patient.employment is Employment.RETIRED else BenefitStanding.ACTIVE


def _year_to_date(connection: Connection, person_id: int, year: int) -> YearToDate:
    row = connection.execute(
        select(Accumulator.deductible_met_fen, Accumulator.fund_paid_fen, Accumulator.fund_paid_out_of_city_fen).where(
            Accumulator.person_id == person_id, Accumulator.year == year
        )
    ).one_or_none()
    if row is None:
        return YearToDate()
    return YearToDate(from_fen(row[0]), from_fen(row[1]), from_fen(row[2]))
