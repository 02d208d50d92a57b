"""Whose report, and who made it when: the head every report shares."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select

from db.models import Facility, Staff
from db.session import Store
from desktop.reports.document import Cell, Report, Section

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


class ReportError(ValueError):
    """A report that cannot be made: which option, and what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Heading:
    facility_id: str
    facility_name: str
    facility_code: str
    clinics: tuple[str, ...]  # the facility and the village clinics it runs (一体化管理)
    made_by: str
    made_at: dt.datetime

    def report(
        self,
        kind: str,
        title: str,
        period_label: str,
        first: dt.date,
        last: dt.date,
        sections: Sequence[Section],
        notes: Sequence[str] = (),
        figures: dict[str, Cell] | None = None,
        *,
        landscape: bool = True,
    ) -> Report:
        return Report(
            kind=kind,
            title=title,
            facility_id=self.facility_id,
            facility_name=self.facility_name,
            facility_code=self.facility_code,
            period_label=period_label,
            first_day=first,
            last_day=last,
            made_by=self.made_by,
            made_at=self.made_at,
            sections=tuple(sections),
            notes=tuple(notes),
            figures=figures or {},
            landscape=landscape,
        )


def heading_for(store: Store, facility_id: str, staff: str | None, now: dt.datetime) -> Heading:
    """The facility (with its village clinics) and who makes the report: a staff member by
    username, or else the computer's user, said so."""
    with store.reading() as session:
        rows = session.execute(
            select(Facility.id, Facility.name, Facility.code, Facility.parent_id)
            .where(or_(Facility.id == facility_id, Facility.parent_id == facility_id))
            .order_by(Facility.id)
        ).all()
        made_by = f"{getpass.getuser()}（命令行）"
        if staff is not None:
            name = session.scalar(select(Staff.name).where(Staff.username == staff))
            if name is None:
                raise ReportError("staff", f"no staff member with username {staff!r}")
            made_by = name
    own = next((row for row in rows if row.id == facility_id), None)
    if own is None:
        raise ReportError("facility", f"no facility {facility_id!r}")
    clinics = (facility_id, *(row.id for row in rows if row.id != facility_id))
    return Heading(own.id, own.name, own.code, clinics, made_by, now.astimezone(CHINA))
