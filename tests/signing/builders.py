"""Small builders for signing records, histories and requests."""

from __future__ import annotations

import datetime as dt

from desktop.policy.types import FacilityKind
from desktop.signing import ChangeRequest, Grounds, Origin, ResidenceFacility, Role, SigningHistory, SigningRecord

D = dt.date
TOWNSHIP = FacilityKind.TOWNSHIP_HEALTH_CENTER
COMMUNITY = FacilityKind.COMMUNITY_HEALTH_CENTER
VILLAGE = FacilityKind.VILLAGE_CLINIC
SCHOOL = FacilityKind.SCHOOL_CLINIC
PERSON = 7
FIRST_DAY = D(2023, 1, 1)


def record(
    facility: str = "T01",
    start: dt.date = FIRST_DAY,
    until: dt.date | None = None,
    *,
    kind: FacilityKind = TOWNSHIP,
    role: Role = Role.SINGLE,
    origin: Origin = Origin.CHOSEN,
    record_id: int | None = None,
) -> SigningRecord:
    return SigningRecord(PERSON, facility, kind, role, start, until, origin, record_id=record_id)


def history(*records: SigningRecord, residence: tuple[str, FacilityKind] | None = None) -> SigningHistory:
    home = ResidenceFacility(*residence) if residence is not None else None
    return SigningHistory(PERSON, tuple(records), home)


def request(
    facility: str,
    on: dt.date,
    grounds: Grounds,
    *,
    kind: FacilityKind = TOWNSHIP,
    role: Role = Role.SINGLE,
    confirmed_on: dt.date | None = None,
    address_proof: bool = False,
    paid_on: dt.date | None = None,
    relocation_filed_on: dt.date | None = None,
    parent: str | None = None,
) -> ChangeRequest:
    return ChangeRequest(
        facility_id=facility,
        facility_kind=kind,
        requested_on=on,
        grounds=grounds,
        role=role,
        facility_parent_id=parent,
        confirmed_on=confirmed_on,
        address_proof=address_proof,
        contributions_paid_on=paid_on,
        relocation_filed_on=relocation_filed_on,
    )
