"""The identity check at the counter, offline from the local roster.

Who this is, insured how, signed where, what is left of this year's cap, how old the
roster is, and every reason the pooling fund would not pay here, in words for the
patient. Nothing is written: a check only reads.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Accumulator, Facility, Person, Setting
from desktop.area import AreaStanding, Filing, area_standing, describe, describe_in_english, filings_of
from desktop.divisions import is_division
from desktop.identity import findings
from desktop.identity.findings import Finding, Severity
from desktop.identity.lookup import find_on_roster
from desktop.identity.reads import CardKind, CardRead
from desktop.money import ZERO, from_fen
from desktop.policy import NotInForceError, PolicyBook, PolicyVersion, UnknownPolicyError, default_book
from desktop.policy.engine import first_of_next_month
from desktop.policy.parameters import Benefit, RetirementTiming, Scheme, Standing
from desktop.policy.types import FacilityKind, Reason, YearToDate
from desktop.privacy import mask_id_number, mask_name
from desktop.roster import chronic_diseases_on, signed_on
from desktop.signing import NoSigningRulesError, SigningInputError

log = logging.getLogger(__name__)

DEFAULT_STALE_DAYS = 7
STALE_DAYS_SETTING = "roster_stale_after_days"
EMPLOYEE_INSUTYPE = "310"
_GENDER = {"1": "男", "2": "女"}


class UnknownFacilityError(LookupError):
    """The facility the check is made at is not in this store."""

    def __init__(self, facility_id: str) -> None:
        super().__init__(f"facility {facility_id!r} is not in this database")
        self.facility_id = facility_id


@dataclass(frozen=True, slots=True)
class SignedFacility:
    facility_id: str
    name: str
    role: str  # single, basic, village_station
    origin: str  # chosen, defaulted (the registered residence's facility), …
    carried_over: bool  # last year's signing running on into this year
    family_doctor: bool


@dataclass(frozen=True, slots=True)
class CheckedPerson:
    """The person the read names, as the roster has them on the day of the check."""

    person_id: int
    psn_no: str
    name: str
    id_number_masked: str
    gender: str  # 男 / 女
    birth_date: dt.date
    age: int
    insured: bool
    policy: str
    policy_title: str | None  # None when the policy is not in force on the day
    policy_version: str | None
    scheme: Scheme
    insutype: str
    insurance_division: str
    category: str
    employment: str
    retired_on: dt.date | None
    enrolled_on: dt.date | None
    signed_here: bool | None  # None for employee schemes, which have no signing
    signed_via_township: bool  # counted through the village clinic's township centre
    signed_facilities: tuple[SignedFacility, ...]
    designated_here: bool
    family_doctor: bool
    poverty_registered: bool
    chronic_diseases: tuple[str, ...]
    benefit_suspended: bool
    area: AreaStanding  # insured area against this clinic's, and the filing that covers it
    filings: tuple[Filing, ...]  # every filing on record, the latest first
    year: int
    year_to_date: YearToDate
    deductible: Decimal | None
    cap: Decimal | None
    cap_left: Decimal | None
    account_balance: Decimal
    roster_updated_at: dt.datetime
    roster_age_days: int
    roster_stale: bool


@dataclass(frozen=True, slots=True)
class IdentityCheck:
    facility_id: str
    facility_name: str
    day: dt.date
    read_kind: CardKind
    read_number_masked: str
    person: CheckedPerson | None  # None: nobody on the roster matches the read
    findings: tuple[Finding, ...]

    @property
    def found(self) -> bool:
        return self.person is not None

    @property
    def refusals(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.REFUSAL)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


def check(
    session: Session,
    read: CardRead,
    facility_id: str,
    on: dt.date,
    now: dt.datetime,
    *,
    book: PolicyBook | None = None,
    stale_after_days: int | None = None,
) -> IdentityCheck:
    """The check of ``read`` at ``facility_id`` on ``on``; ``now`` (timezone-aware) dates the roster.

    Raises ``IdNumberError`` for a typed ID number that cannot be right and
    ``UnknownFacilityError`` for a facility not in the store; an unknown card is a
    result with ``person`` None and a ``not_on_roster`` refusal.
    """
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise UnknownFacilityError(facility_id)
    found = find_on_roster(session, read, on)
    person = None
    notes = list(found.findings)
    if found.person is not None:
        stale_days = stale_after_days if stale_after_days is not None else _stale_days_setting(session)
        person, standing_notes = _checked(session, found.person, facility, on, now, book or default_book(), stale_days)
        notes.extend(standing_notes)
    result = IdentityCheck(facility.id, facility.name, on, read.kind, read.masked_number(), person, tuple(notes))
    _log(result)
    return result


def _stale_days_setting(session: Session) -> int:
    text = session.scalar(select(Setting.value).where(Setting.key == STALE_DAYS_SETTING))
    if text is None or not text.strip().isdigit():
        return DEFAULT_STALE_DAYS
    return int(text)


def _checked(
    session: Session,
    person: Person,
    facility: Facility,
    day: dt.date,
    now: dt.datetime,
    book: PolicyBook,
    stale_days: int,
) -> tuple[CheckedPerson, list[Finding]]:
    version = _version(book, person.policy, day)
    scheme = (
        version.scheme if version else (Scheme.EMPLOYEE if person.insutype == EMPLOYEE_INSUTYPE else Scheme.RESIDENT)
    )
    benefit = version.benefits[_standing(version, person, day)] if version else None
    signed, signing_notes = _read_signings(session, person, day)
    signed_ids = {s.facility_id for s in signed}
    direct = facility.id in signed_ids
    via_township = not direct and _village_counts(version, facility) and facility.parent_id in signed_ids
    ytd = _year_to_date(session, person.id, day.year)
    connection = session.connection()
    area = area_standing(connection, person.id, person.insuplc_admdvs, facility.admdvs, version, day)
    cap = benefit.cap.value if benefit and benefit.cap else None
    age = now - person.roster_updated_at
    checked = CheckedPerson(
        person_id=person.id,
        psn_no=person.psn_no,
        name=person.name,
        id_number_masked=mask_id_number(person.id_number),
        gender=_GENDER.get(person.gender, "未说明"),
        birth_date=person.birth_date,
        age=_age(person.birth_date, day),
        insured=person.insured,
        policy=person.policy,
        policy_title=version.title if version else None,
        policy_version=version.version if version else None,
        scheme=scheme,
        insutype=person.insutype,
        insurance_division=person.insuplc_admdvs,
        category=person.category,
        employment=person.employment,
        retired_on=person.retired_on,
        enrolled_on=person.enrolled_on,
        signed_here=None if scheme is Scheme.EMPLOYEE else (direct or via_township),
        signed_via_township=via_township,
        signed_facilities=signed,
        designated_here=_designated(facility, scheme, day),
        family_doctor=any(s.family_doctor for s in signed),
        poverty_registered=person.poverty_registered,
        chronic_diseases=chronic_diseases_on(session.connection(), person.id, day),
        benefit_suspended=person.benefit_suspended,
        area=area,
        filings=tuple(filings_of(connection, person.id)),
        year=day.year,
        year_to_date=ytd,
        deductible=benefit.deductible.value if benefit and benefit.deductible else None,
        cap=cap,
        cap_left=None if cap is None else max(ZERO, cap - ytd.fund_paid),
        account_balance=from_fen(person.account_balance_fen),
        roster_updated_at=person.roster_updated_at,
        roster_age_days=max(0, age.days),
        roster_stale=age > dt.timedelta(days=stale_days),
    )
    return checked, signing_notes + _standing_findings(checked, version, benefit, facility, day, bool(signing_notes))


def _read_signings(session: Session, person: Person, day: dt.date) -> tuple[tuple[SignedFacility, ...], list[Finding]]:
    try:
        return _signings(session, person, day), []
    except (SigningInputError, NoSigningRulesError) as exc:
        log.warning("person %s: signing records cannot be read: %s", person.id, exc)
        return (), [findings.signing_unreadable()]


# --- the refusals and warnings, in the order a clerk deals with them ---------------


def _standing_findings(
    person: CheckedPerson,
    version: PolicyVersion | None,
    benefit: Benefit | None,
    facility: Facility,
    day: dt.date,
    unreadable: bool,
) -> list[Finding]:
    notes: list[Finding] = []
    if version is None:
        notes.append(findings.policy_not_in_force(person.policy))
    if not person.insured:
        notes.append(findings.not_insured(day.year))
    if person.benefit_suspended:
        notes.append(findings.benefit_suspended(_article(version, Reason.BENEFIT_SUSPENDED)))
    excluded = version.excluded_categories if version else None
    if version and excluded is not None and person.category in excluded.value:
        article = _article(version, Reason.EXCLUDED_CATEGORY) or excluded.article
        notes.append(findings.excluded_category(person.category, article))
    notes.extend(_facility_findings(person, version, facility, day, unreadable))
    notes.extend(_area_findings(person.area, version))
    if benefit is not None and benefit.cap is not None and person.cap_left == ZERO:
        article = _article(version, Reason.CAP_REACHED) or benefit.cap.article
        notes.append(findings.cap_reached(benefit.cap.value, article))
    if person.roster_stale:
        notes.append(findings.roster_stale(person.roster_age_days))
    return notes


def _facility_findings(
    person: CheckedPerson, version: PolicyVersion | None, facility: Facility, day: dt.date, unreadable: bool
) -> list[Finding]:
    if facility.suspended_on is not None and facility.suspended_on <= day:
        return [findings.facility_suspended(facility.name)]
    not_designated = _article(version, Reason.NOT_DESIGNATED)
    if person.scheme is Scheme.EMPLOYEE:
        return [] if person.designated_here else [findings.not_designated_employee(facility.name, not_designated)]
    if not person.designated_here:
        return [findings.not_designated_resident(facility.name, not_designated)]
    not_contracted = _article(version, Reason.NOT_CONTRACTED_FACILITY)
    if not person.signed_facilities:
        return [] if unreadable else [findings.not_signed(not_contracted)]
    if not person.signed_here:
        return [findings.signed_elsewhere([s.name for s in person.signed_facilities], not_contracted)]
    return []


def _area_findings(area: AreaStanding, version: PolicyVersion | None) -> list[Finding]:
    """Insured elsewhere: red without a filing where the policy requires one, amber otherwise."""
    if not is_division(area.insured_area):
        return [findings.insured_area_unknown(area.insured_area)]
    if area.in_area:
        return []
    if not area.filing_required:
        pooling = version.pooling_area if version else None
        return [findings.out_of_area(area.insured_area, pooling.article if pooling else None)]
    if area.filing is None:
        return [findings.out_of_area_not_filed(area.insured_area, _article(version, Reason.OUT_OF_AREA_NOT_FILED))]
    rule = version.out_of_area_filing_required if version else None
    filing = area.filing
    article = rule.article if rule else None
    return [findings.out_of_area_filed(area.insured_area, describe(filing), describe_in_english(filing), article)]


def _article(version: PolicyVersion | None, reason: Reason) -> str | None:
    return None if version is None else version.exclusion_articles.get(reason.value)


# --- reading the roster -------------------------------------------------------------


def _version(book: PolicyBook, policy: str, day: dt.date) -> PolicyVersion | None:
    try:
        return book.version_for(policy, day)
    except (UnknownPolicyError, NotInForceError):
        return None


def _standing(version: PolicyVersion, person: Person, day: dt.date) -> Standing:
    """Whose benefit table applies; a retirement counts from its month or the next (policy file)."""
    if version.scheme is Scheme.RESIDENT:
        return Standing.RESIDENT
    if person.employment != "retired":
        return Standing.ACTIVE
    if person.retired_on is None:
        return Standing.RETIRED
    timing = version.retirement_takes_effect
    start = person.retired_on.replace(day=1)
    if timing is not None and timing.value is RetirementTiming.NEXT_MONTH:
        start = first_of_next_month(person.retired_on)
    return Standing.RETIRED if day >= start else Standing.ACTIVE


def _village_counts(version: PolicyVersion | None, facility: Facility) -> bool:
    rule = version.village_counts_as_parent if version else None
    return (
        rule is not None
        and rule.value
        and facility.kind == FacilityKind.VILLAGE_CLINIC.value
        and facility.parent_id is not None
    )


def _designated(facility: Facility, scheme: Scheme, day: dt.date) -> bool:
    suspended = facility.suspended_on is not None and facility.suspended_on <= day
    designated = facility.designated_employee if scheme is Scheme.EMPLOYEE else facility.designated_resident
    return designated and not suspended


def _signings(session: Session, person: Person, day: dt.date) -> tuple[SignedFacility, ...]:
    """As the settlement reads them: stored signings, carried over, or the residence's default."""
    signed = signed_on(session.connection(), person, day)
    ids = {s.facility_id for s in signed}
    names = dict(session.execute(select(Facility.id, Facility.name).where(Facility.id.in_(ids))).all())
    return tuple(
        SignedFacility(
            s.facility_id,
            names.get(s.facility_id, s.facility_id),
            s.role.value,
            s.origin.value,
            s.carried_over,
            s.family_doctor,
        )
        for s in signed
    )


def _year_to_date(session: Session, person_id: int, year: int) -> YearToDate:
    row = session.get(Accumulator, (person_id, year))
    if row is None:
        return YearToDate()
    return YearToDate(
        from_fen(row.deductible_met_fen), from_fen(row.fund_paid_fen), from_fen(row.fund_paid_out_of_city_fen)
    )


def _age(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _log(result: IdentityCheck) -> None:
    person = result.person
    who = (
        "nobody on the roster"
        if person is None
        else f"person {person.person_id} {mask_name(person.name)} {person.id_number_masked}"
    )
    log.info(
        "identity check at %s on %s: %s %s -> %s; findings: %s",
        result.facility_id,
        result.day.isoformat(),
        result.read_kind.value,
        result.read_number_masked,
        who,
        ", ".join(f.code.value for f in result.findings) or "none",
    )
