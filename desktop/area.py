"""A person's insured area against the clinic's, and their out-of-area filings (异地备案).

Whether a visit is inside the patient's pooling city (the quote contract's
``facility.in_city``) and whether 异地安置 or 转诊备案 is on file for it
(``visit.filed_out_of_area``) are never typed by a clerk: the first is worked out from the
person's insured area (参保地, ``insuplc_admdvs`` in the agency's 1101 answer) and the
clinic's division, compared at the pooling level the policy file names with its article
(``[area] pooling``); the second from the filings on record — from the agency, or entered
by staff with the paper in hand — each in force for its dates at its place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from db import audit
from db.models import AreaFiling, Staff
from desktop.divisions import covers, in_pooling_area, is_division
from desktop.input_error import InputError
from desktop.policy.parameters import PolicyVersion, PoolingLevel
from desktop.staff import Permission, may


class FilingKind(StrEnum):
    RELOCATION = "relocation"  # 异地安置: retired or working elsewhere for the long term
    REFERRAL = "referral"  # 转诊备案: referred to a facility outside the pooling area


class FilingOrigin(StrEnum):
    AGENCY = "agency"
    STAFF = "staff"  # entered from the paper the patient brought


KIND_NAMES = {FilingKind.RELOCATION: "异地安置", FilingKind.REFERRAL: "转诊备案"}
ENGLISH_KIND_NAMES = {FilingKind.RELOCATION: "a relocation filing", FilingKind.REFERRAL: "a referral filing"}


class FilingError(InputError):
    """A filing that cannot be recorded: what is wrong and which field; nothing was written."""


@dataclass(frozen=True, slots=True)
class Filing:
    id: int
    kind: FilingKind
    place_admdvs: str
    valid_from: dt.date
    valid_until: dt.date | None
    origin: FilingOrigin
    document_no: str
    recorded_at: dt.datetime
    recorded_by: int | None

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def covers(self, care_area: str) -> bool:
        """Filed for the place where ``care_area`` is: the province, city or county named."""
        return covers(self.place_admdvs, care_area)


@dataclass(frozen=True, slots=True)
class AreaStanding:
    """Where the person is insured, where the clinic is, and what that means for this visit."""

    insured_area: str
    care_area: str
    pooling: PoolingLevel | None
    known: bool  # both codes are divisions and the policy names its pooling level
    in_area: bool  # the quote's ``facility.in_city``; an area that cannot be told counts as local
    filing: Filing | None  # in force on the day and covering the clinic's place, when out of the area
    filing_required: bool  # the policy pays care away from home only with a filing

    @property
    def filed(self) -> bool:
        return self.filing is not None


def area_standing(
    connection: Connection,
    person_id: int,
    insured_area: str,
    care_area: str,
    version: PolicyVersion | None,
    day: dt.date,
) -> AreaStanding:
    """The person's standing at the clinic on ``day``; the filings are read only when out of the area."""
    pooling = None if version is None or version.pooling_area is None else version.pooling_area.value
    rule = None if version is None else version.out_of_area_filing_required
    inside = in_pooling_area(insured_area, care_area, pooling)
    filing = None if inside is not False else filing_on(connection, person_id, day, care_area)
    return AreaStanding(
        insured_area=insured_area,
        care_area=care_area,
        pooling=pooling,
        known=inside is not None,
        in_area=inside is not False,
        filing=filing,
        filing_required=rule is not None and rule.value,
    )


# --- the record ------------------------------------------------------------------------

_CURRENT = select(AreaFiling).where(AreaFiling.withdrawn_at.is_(None))


def filings_of(connection: Connection, person_id: int) -> list[Filing]:
    """The person's filings not withdrawn, the latest recorded first."""
    rows = connection.execute(
        _CURRENT.where(AreaFiling.person_id == person_id).order_by(AreaFiling.recorded_at.desc(), AreaFiling.id.desc())
    )
    return [_filing(row) for row in rows]


def filing_on(connection: Connection, person_id: int, day: dt.date, care_area: str) -> Filing | None:
    """The filing in force on ``day`` for the place of ``care_area`` (the latest recorded, if several)."""
    rows = connection.execute(
        _CURRENT.where(AreaFiling.person_id == person_id, AreaFiling.valid_from <= day)
        .where(or_(AreaFiling.valid_until.is_(None), AreaFiling.valid_until >= day))
        .order_by(AreaFiling.recorded_at.desc(), AreaFiling.id.desc())
    )
    return next((f for f in map(_filing, rows) if f.covers(care_area)), None)


def _filing(row: Any) -> Filing:
    return Filing(
        id=row.id,
        kind=FilingKind(row.kind),
        place_admdvs=row.place_admdvs,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        origin=FilingOrigin(row.origin),
        document_no=row.document_no,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


@dataclass(frozen=True, slots=True)
class NewFiling:
    """A filing as staff type it from the paper, or as the agency sends it."""

    kind: FilingKind
    place_admdvs: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    document_no: str = ""


def check_filing(filing: NewFiling) -> NewFiling:
    """The filing with its text trimmed, or ``FilingError`` naming the field that cannot be right."""
    place = filing.place_admdvs.strip()
    if not is_division(place):
        raise FilingError("place_admdvs", f"{place!r} is not a six-digit division code like 360100")
    if filing.valid_until is not None and filing.valid_until < filing.valid_from:
        raise FilingError("valid_until", "ends before it begins")
    document = filing.document_no.strip()
    if len(document) > 50:
        raise FilingError("document_no", "is longer than 50 characters")
    if not document.isprintable():
        raise FilingError("document_no", "holds a control character or what is not text")
    return NewFiling(filing.kind, place, filing.valid_from, filing.valid_until, document)


def record_filing(
    connection: Connection,
    person_id: int,
    filing: NewFiling,
    *,
    origin: FilingOrigin,
    staff_id: int | None,
    now: dt.datetime,
) -> int:
    """Write a filing and its audit entry in the caller's transaction; the new filing's id."""
    checked = check_filing(filing)
    if origin is FilingOrigin.STAFF:
        _may_record(connection, staff_id)
    filing_id: int = connection.execute(
        insert(AreaFiling)
        .returning(AreaFiling.id)
        .values(
            person_id=person_id,
            kind=checked.kind.value,
            place_admdvs=checked.place_admdvs,
            valid_from=checked.valid_from,
            valid_until=checked.valid_until,
            origin=origin.value,
            document_no=checked.document_no,
            recorded_at=now,
            recorded_by=staff_id,
        )
    ).scalar_one()
    detail = {
        "filing_id": filing_id,
        "kind": checked.kind.value,
        "place_admdvs": checked.place_admdvs,
        "valid_from": checked.valid_from.isoformat(),
        "valid_until": None if checked.valid_until is None else checked.valid_until.isoformat(),
        "origin": origin.value,
        "document_no": checked.document_no,
    }
    audit.record(
        connection,
        at=now,
        staff_id=staff_id,
        action="record_filing",
        entity="person",
        entity_id=person_id,
        detail=detail,
        rows=audit.rows_by_key("area_filing", [filing_id]),
    )
    return filing_id


def _may_record(connection: Connection, staff_id: int | None) -> None:
    """A filing entered from paper names who entered it, and the role table lets them."""
    if staff_id is None:
        raise FilingError("staff", "a filing entered from paper names who entered it")
    staff = connection.execute(select(Staff.role, Staff.active).where(Staff.id == staff_id)).one_or_none()
    if staff is None or not staff.active:
        raise FilingError("staff", f"no active staff member with id {staff_id}")
    if not may(staff.role, Permission.RECORD_FILING):
        raise FilingError("staff", f"role {staff.role!r} may not enter out-of-area filings")


def withdraw_filing(connection: Connection, filing_id: int, *, staff_id: int, now: dt.datetime) -> None:
    """Mark a filing entered wrongly as withdrawn; it stays on record, and so does who withdrew it."""
    row = connection.execute(select(AreaFiling.person_id, AreaFiling.withdrawn_at).where(AreaFiling.id == filing_id))
    found = row.first()
    if found is None:
        raise FilingError("filing", f"no filing {filing_id}")
    if found.withdrawn_at is not None:
        raise FilingError("filing", f"filing {filing_id} was already withdrawn")
    connection.execute(
        update(AreaFiling).where(AreaFiling.id == filing_id).values(withdrawn_at=now, withdrawn_by=staff_id)
    )
    audit.record(
        connection,
        at=now,
        staff_id=staff_id,
        action="withdraw_filing",
        entity="person",
        entity_id=found.person_id,
        detail={"filing_id": filing_id},
        rows=audit.rows_by_key("area_filing", [filing_id]),
    )


def describe(filing: Filing) -> str:
    """The filing in the words of the paper: kind, place, dates."""
    until = "长期" if filing.valid_until is None else filing.valid_until.isoformat()
    return f"{KIND_NAMES[filing.kind]}（{filing.place_admdvs}，{filing.valid_from.isoformat()} 至 {until}）"


def describe_in_english(filing: Filing) -> str:
    until = "open-ended" if filing.valid_until is None else f"until {filing.valid_until.isoformat()}"
    return f"{ENGLISH_KIND_NAMES[filing.kind]} ({filing.place_admdvs}, from {filing.valid_from.isoformat()}, {until})"
