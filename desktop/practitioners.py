"""Practitioner codes (医保医师代码) on staff records, and the doctors a visit may name.

The agency knows a doctor by the national practitioner code the medical-insurance bureau
gives each doctor it admits (D + the six-digit division of practice + a six-digit serial),
never by a clinic's usernames: 2201's ``atddr_no``, 2203's ``dise_dor_no`` and 2204's
``bilg_dr_codg`` carry it. A member of staff with a code is a doctor who may diagnose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit as chain
from db.models import Facility, Staff
from db.session import Store
from desktop.agency.codes import is_practitioner_code
from desktop.sync.outbox import audit


class PractitionerError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Doctor:
    staff_id: int
    username: str
    name: str
    code: str
    facility_id: str


def check_code(code: str) -> str:
    code = code.strip().upper()
    if not is_practitioner_code(code):
        raise PractitionerError(
            "code", f"{code!r} is not a practitioner code (医保医师代码): D, six digits of the division, six of serial"
        )
    return code


def set_code(store: Store, username: str, code: str | None, by_staff_id: int | None, now: dt.datetime) -> None:
    """Give a member of staff their practitioner code (None: they no longer diagnose); audited."""
    checked = None if not code else check_code(code)
    with store.writing() as session:
        staff = session.scalar(select(Staff).where(Staff.username == username))
        if staff is None:
            raise PractitionerError("user", f"no staff member {username!r}")
        taken = session.scalar(select(Staff.username).where(Staff.practitioner_code == checked, Staff.id != staff.id))
        if checked is not None and taken is not None:
            raise PractitionerError("code", f"{checked} is already {taken}'s practitioner code")
        before = staff.practitioner_code
        staff.practitioner_code = checked
        detail = {"user": username, "before": before, "after": checked}
        session.flush()
        rows = [chain.Rows("staff", "id", staff.id)]  # the staff row changed: sealed again
        audit(session.connection(), now, by_staff_id, "practitioner_code", "staff", staff.id, detail, rows)


def doctors_for(session: Session, facility_id: str) -> list[Doctor]:
    """The doctors who may diagnose a visit at the facility: its own, then its township centre's."""
    parent = session.scalar(select(Facility.parent_id).where(Facility.id == facility_id))
    places = [facility_id] if parent is None else [facility_id, parent]
    rows = session.execute(
        select(Staff.id, Staff.username, Staff.name, Staff.practitioner_code, Staff.facility_id)
        .where(Staff.facility_id.in_(places), Staff.active.is_(True), Staff.practitioner_code.is_not(None))
        .order_by(Staff.facility_id != facility_id, Staff.id)
    ).all()
    return [Doctor(r.id, r.username, r.name, r.practitioner_code, r.facility_id) for r in rows]


def default_doctor(session: Session, facility_id: str, staff_id: int) -> Doctor | None:
    """The doctor a visit names when the counter names none: whoever settles it if a doctor,
    else the facility's only doctor (a village clinic's); None where there are several."""
    doctors = doctors_for(session, facility_id)
    own = next((d for d in doctors if d.staff_id == staff_id), None)
    if own is not None:
        return own
    here = [d for d in doctors if d.facility_id == facility_id]
    if len(here) == 1:
        return here[0]
    return doctors[0] if not here and len(doctors) == 1 else None
