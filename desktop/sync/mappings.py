"""The catalogue mapping as the agency holds it: each reviewed mapping uploaded (3301) per facility.

A facility's fee lines are taken only for items it mapped, so the relay uploads every
reviewed mapping each facility's agency does not hold yet, before the outbox: a changed
one is withdrawn first (3302), a removed one withdrawn. The 3301's msgid is stored with
its row before it is sent; a refusal is kept with the row for staff (the 目录对照 page
shows it) until the item is reviewed again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Delete, Update

from db import audit
from db.models import CatalogueItem, CatalogueMapping, Facility, MappingUpload, NationalItem
from desktop.agency import codes
from desktop.agency.messages import MappingUpload as Upload
from desktop.agency.messages import MappingWithdrawal
from desktop.agency.msgid import CHINA
from desktop.sync.sessions import Place

PENDING, DONE, SET_ASIDE = "pending", "done", "set_aside"
REVIEWED = "reviewed"


@dataclass(frozen=True, slots=True)
class Due:
    """One item's mapping that one facility's agency must be told (or told to forget)."""

    code: str
    name: str
    facility_id: str
    place: Place
    national_code: str | None  # None: withdraw only (the mapping was removed)
    catalogue: str
    withdraw: str | None  # the national code the agency holds now, to withdraw first
    msgid: str | None  # a 3301 sent before whose answer never came

    def upload(self, today: dt.date) -> Upload:
        assert self.national_code is not None
        return Upload(
            fixmedins_hilist_id=self.code,
            fixmedins_hilist_name=self.name,
            list_type=codes.LIST_TYPE_OF_CATALOGUE[self.catalogue],
            med_list_codg=self.national_code,
            begndate=today,
        )

    def withdrawal(self) -> MappingWithdrawal:
        assert self.withdraw is not None
        return MappingWithdrawal(
            fixmedins_code=self.place.fixmedins_code,
            fixmedins_hilist_id=self.code,
            list_type=codes.LIST_TYPE_OF_CATALOGUE[self.catalogue],
            med_list_codg=self.withdraw,
        )


def uploads_due(connection: Connection) -> list[Due]:
    """Every (item, facility) whose agency does not hold the item's reviewed mapping, or holds a stale one."""
    places = {
        row.id: Place(row.code, row.name, row.admdvs)
        for row in connection.execute(select(Facility.id, Facility.code, Facility.name, Facility.admdvs))
    }
    held = {
        (row.code, row.facility_id): row
        for row in connection.execute(
            select(MappingUpload.code, MappingUpload.facility_id, MappingUpload.national_code).add_columns(
                MappingUpload.state, MappingUpload.msgid
            )
        )
    }
    reviewed = connection.execute(
        select(CatalogueItem.code, CatalogueItem.name, CatalogueMapping.national_code, NationalItem.catalogue)
        .join(CatalogueMapping, and_(CatalogueMapping.code == CatalogueItem.code, CatalogueMapping.state == REVIEWED))
        .join(NationalItem, NationalItem.code == CatalogueMapping.national_code)
        .order_by(CatalogueItem.code)
    ).all()
    due = []
    wanted = set()
    for item in reviewed:
        for facility_id, place in places.items():
            wanted.add((item.code, facility_id))
            row = held.get((item.code, facility_id))
            if row is not None and row.national_code == item.national_code and row.state != PENDING:
                continue  # held, or refused and waiting for staff
            withdraw = None
            resend = None
            if row is not None:
                if row.state == DONE and row.national_code != item.national_code:
                    withdraw = row.national_code  # the agency holds an older mapping: withdrawn first
                if row.state == PENDING and row.national_code == item.national_code:
                    resend = row.msgid  # sent before, its answer never came: the same msgid again
            due.append(
                Due(
                    item.code,
                    item.name,
                    facility_id,
                    place,
                    item.national_code,
                    item.catalogue,
                    withdraw,
                    resend,
                )
            )
    for (code, facility_id), row in held.items():
        if (code, facility_id) not in wanted and row.state == DONE:
            catalogue = connection.execute(
                select(NationalItem.catalogue).where(NationalItem.code == row.national_code)
            ).scalar()
            due.append(
                Due(code, code, facility_id, places[facility_id], None, catalogue or "1305", row.national_code, None)
            )
    return due


def today_in_china(now: dt.datetime) -> dt.date:
    return now.astimezone(CHINA).date()


def start(connection: Connection, due: Due, msgid: str, now: dt.datetime) -> None:
    """The 3301's row, with its msgid, before it is sent; sealed by the entry that says so."""
    assert due.national_code is not None
    maker = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    values = {"national_code": due.national_code, "msgid": msgid, "state": PENDING, "error": "", "done_at": None}
    statement = maker(MappingUpload).values(code=due.code, facility_id=due.facility_id, **values)
    upserted = statement.on_conflict_do_update(index_elements=["code", "facility_id"], set_=values)
    row_id = int(connection.execute(upserted.returning(MappingUpload.id)).scalar_one())
    audit.record(
        connection,
        at=now,
        staff_id=None,
        action="catalogue_mapping_sent",
        entity="mapping_upload",
        entity_id=row_id,
        detail={"item": due.code, "facility": due.facility_id, "national_code": due.national_code, "msgid": msgid},
        rows=[audit.Rows("mapping_upload", "id", row_id)],
    )


def finish(connection: Connection, due: Due, now: dt.datetime) -> None:
    connection.execute(_row(due).values(state=DONE, done_at=now, error=""))


def refuse(connection: Connection, due: Due, error: str) -> None:
    connection.execute(_row(due).values(state=SET_ASIDE, error=error[:2000]))


def withdrawn(connection: Connection, due: Due, now: dt.datetime) -> None:
    """The agency forgot the old mapping: a removed one's row goes; a changed one is sent next."""
    if due.national_code is not None:
        return
    gone = _delete(
        connection,
        delete(MappingUpload).where(MappingUpload.code == due.code, MappingUpload.facility_id == due.facility_id),
    )
    if gone:
        audit.record(
            connection,
            at=now,
            staff_id=None,
            action="catalogue_mapping_withdrawn",
            entity="mapping_upload",
            entity_id=gone[0].key,
            detail={"item": due.code, "facility": due.facility_id, "national_code": due.withdraw},
            rows=gone,
        )


def reopen(connection: Connection, code: str) -> list[audit.Deleted]:
    """Staff reviewed the item again: uploads the agency refused are tried anew. The rows
    removed, for the entry of the review to record."""
    return _delete(
        connection, delete(MappingUpload).where(MappingUpload.code == code, MappingUpload.state == SET_ASIDE)
    )


def _delete(connection: Connection, statement: Delete) -> list[audit.Deleted]:
    ids = connection.execute(statement.returning(MappingUpload.id)).scalars()
    return [audit.Deleted("mapping_upload", str(row_id)) for row_id in ids]


def _row(due: Due) -> Update:
    return update(MappingUpload).where(MappingUpload.code == due.code, MappingUpload.facility_id == due.facility_id)
