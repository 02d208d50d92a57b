"""The catalogue mapping (医保目录对照): each local item's national code, proposed and reviewed.

The agency pays for items by their national code (``med_list_codg``): a clinic's own
"FA01" means nothing to it. The national catalogue comes down with the sync (1301 drugs,
1305 services, 1306 materials, kept in ``national_item``); here each local item is
matched to a line of it. The program proposes (searching by name and by pinyin initials
within the catalogue of the item's kind); a member of staff allowed to (``MAP_CATALOGUE``)
reviews, and only a reviewed mapping is ever sent: in 2204's ``med_list_codg``, and to
the agency itself as 3301 (``desktop.sync.mappings``). An item without one holds back the
visits that use it, set aside naming it, until it is mapped and they are sent again.

Qt-free: the 目录对照 page (``desktop.ui.mapping_page``) and ``clinic-pos catalogue``
both stand on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from db import audit as chain
from db.models import CatalogueItem, CatalogueMapping, MappingUpload, NationalItem
from db.session import Store
from desktop.agency import codes
from desktop.diagnoses import initials_of as initials
from desktop.money import from_fen
from desktop.sync.mappings import REVIEWED, reopen
from desktop.sync.outbox import audit

PROPOSED = "proposed"
TABLE = str(CatalogueMapping.__tablename__)
UNMAPPED = "unmapped"
# A proposal needs at least this likeness (0–1) to be offered without a search.
PROPOSE_AT = 0.6


class MappingError(ValueError):
    """A mapping that cannot be made: what is wrong and which field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Candidate:
    """A line of the national catalogue offered for a local item."""

    code: str
    name: str
    spec: str
    catalogue: str
    item_class: str
    price: Decimal
    active: bool
    likeness: float  # 0–1: how well its name and pinyin match


@dataclass(frozen=True, slots=True)
class Mapping:
    """One local item and where its mapping stands."""

    code: str
    name: str
    kind: str
    pinyin: str
    state: str  # unmapped, proposed or reviewed
    national_code: str | None
    national_name: str
    uploaded: int  # facilities whose agency holds this mapping (3301 answered)
    refused: str  # the agency's refusal of its 3301, if any


def catalogue_of(kind: str) -> str:
    return codes.CATALOGUE_OF_KIND.get(kind, "1305")


def _likeness(wanted: str, wanted_pinyin: str, name: str, pinyin: str) -> float:
    """Character overlap of the names (Dice), raised to 1 for the same name, helped by pinyin."""
    if not wanted or not name:
        return 0.0
    if wanted == name:
        return 1.0
    a, b = set(wanted), set(name)
    score = 2 * len(a & b) / (len(a) + len(b))
    if wanted in name or name in wanted:
        score = max(score, 0.8)
    if wanted_pinyin and pinyin:
        if pinyin.startswith(wanted_pinyin) or wanted_pinyin.startswith(pinyin):
            score = max(score, 0.5 + score / 2, 0.7)
        elif wanted_pinyin in pinyin:
            score = max(score, 0.6)
    return round(score, 3)


def search(session: Session, text: str, *, catalogue: str | None = None, limit: int = 20) -> list[Candidate]:
    """National lines whose code, name or pinyin initials match ``text``, best first."""
    text = text.strip()
    if not text:
        return []
    lowered = text.lower()
    query = select(NationalItem).where(
        or_(
            NationalItem.code == text,
            NationalItem.name.contains(text, autoescape=True),
            NationalItem.pinyin.contains(lowered, autoescape=True),
        )
    )
    if catalogue is not None:
        query = query.where(NationalItem.catalogue == catalogue)
    rows = session.scalars(query.limit(500)).all()
    wanted_pinyin = lowered if lowered.isascii() else initials(text)
    found = [_candidate(row, text, wanted_pinyin) for row in rows]
    found.sort(key=lambda c: (c.code != text, not c.active, -c.likeness, c.name))
    return found[:limit]


def _candidate(row: NationalItem, wanted: str, wanted_pinyin: str) -> Candidate:
    return Candidate(
        code=row.code,
        name=row.name,
        spec=row.spec,
        catalogue=row.catalogue,
        item_class=row.item_class,
        price=from_fen(row.price_fen),
        active=row.active,
        likeness=_likeness(wanted, wanted_pinyin, row.name, row.pinyin),
    )


def candidates_for(session: Session, code: str, limit: int = 10) -> list[Candidate]:
    """Lines of the item's own catalogue that look like it, by name and by pinyin initials."""
    item = session.get(CatalogueItem, code)
    if item is None:
        raise MappingError("item", f"no item {code!r} in the clinic's catalogue")
    catalogue = catalogue_of(item.kind)
    wanted_pinyin = item.pinyin or initials(item.name)
    clauses = [NationalItem.name.contains(char, autoescape=True) for char in dict.fromkeys(item.name) if char.strip()]
    if wanted_pinyin:
        clauses.append(NationalItem.pinyin.startswith(wanted_pinyin[:2], autoescape=True))
    rows = session.scalars(
        select(NationalItem).where(NationalItem.catalogue == catalogue, or_(*clauses)).limit(2000)
    ).all()
    found = [_candidate(row, item.name, wanted_pinyin) for row in rows]
    found = [c for c in found if c.likeness > 0]
    found.sort(key=lambda c: (not c.active, -c.likeness, c.name))
    return found[:limit]


def mappings(connection: Connection) -> list[Mapping]:
    """Every local item with its mapping's state, unmapped ones first, then by code."""
    uploaded = dict(
        connection.execute(
            select(MappingUpload.code, func.count())
            .where(MappingUpload.state == "done", MappingUpload.national_code == CatalogueMapping.national_code)
            .join(CatalogueMapping, CatalogueMapping.code == MappingUpload.code)
            .group_by(MappingUpload.code)
        ).all()
    )
    refused = dict(
        connection.execute(
            select(MappingUpload.code, MappingUpload.error).where(MappingUpload.state == "set_aside")
        ).all()
    )
    rows = connection.execute(
        select(
            CatalogueItem.code,
            CatalogueItem.name,
            CatalogueItem.kind,
            CatalogueItem.pinyin,
            CatalogueMapping.state,
            CatalogueMapping.national_code,
            NationalItem.name.label("national_name"),
        )
        .outerjoin(CatalogueMapping, CatalogueMapping.code == CatalogueItem.code)
        .outerjoin(NationalItem, NationalItem.code == CatalogueMapping.national_code)
        .where(CatalogueItem.active.is_(True))
        .order_by(CatalogueItem.code)
    ).all()
    found = [
        Mapping(
            code=row.code,
            name=row.name,
            kind=row.kind,
            pinyin=row.pinyin,
            state=row.state or UNMAPPED,
            national_code=row.national_code,
            national_name=row.national_name or "",
            uploaded=int(uploaded.get(row.code, 0)),
            refused=str(refused.get(row.code, "")),
        )
        for row in rows
    ]
    order = {UNMAPPED: 0, PROPOSED: 1, REVIEWED: 2}
    return sorted(found, key=lambda m: (order.get(m.state, 0), m.code))


def propose(store: Store, now: dt.datetime) -> int:
    """Give each unmapped item the best-looking line of its catalogue, for staff to review; how many."""
    made: list[str] = []
    with store.writing() as session:
        connection = session.connection()
        mapped = set(connection.execute(select(CatalogueMapping.code)).scalars())
        for code in connection.execute(select(CatalogueItem.code).where(CatalogueItem.active.is_(True))).scalars():
            if code in mapped:
                continue
            best = next(iter(candidates_for(session, code, limit=1)), None)
            if best is None or best.likeness < PROPOSE_AT or not best.active:
                continue
            connection.execute(_upsert(connection, code, best.code, PROPOSED, None, None))
            made.append(code)
        if made:
            rows = [chain.Rows(TABLE, "code", code) for code in made]
            audit(connection, now, None, "catalogue_mapping_proposed", "catalogue", 0, {"items": len(made)}, rows)
    return len(made)


def review(store: Store, code: str, national_code: str, staff_id: int | None, now: dt.datetime) -> Mapping:
    """Staff confirm ``code`` is ``national_code`` (a proposal, or their own choice); audited."""
    with store.writing() as session:
        connection = session.connection()
        item = session.get(CatalogueItem, code)
        if item is None:
            raise MappingError("item", f"no item {code!r} in the clinic's catalogue")
        line = session.get(NationalItem, national_code)
        if line is None:
            raise MappingError(
                "national", f"{national_code!r} is not in the downloaded national catalogue (sync downloads it)"
            )
        if not line.active:
            raise MappingError("national", f"{national_code} {line.name} is withdrawn from the national catalogue")
        if line.catalogue != catalogue_of(item.kind):
            raise MappingError(
                "national",
                f"{national_code} {line.name} is in catalogue {line.catalogue}; item {code} ({item.kind}) "
                f"belongs in {catalogue_of(item.kind)}",
            )
        before = connection.execute(
            select(CatalogueMapping.national_code, CatalogueMapping.state).where(CatalogueMapping.code == code)
        ).first()
        connection.execute(_upsert(connection, code, national_code, REVIEWED, staff_id, now))
        refused_uploads = reopen(connection, code)
        detail = {"item": code, "national_code": national_code, "before": None if before is None else list(before)}
        rows: list[chain.Spec] = [chain.Rows(TABLE, "code", code), *refused_uploads]
        audit(connection, now, staff_id, "catalogue_mapping_reviewed", "catalogue", 0, detail, rows)
        return next(m for m in mappings(connection) if m.code == code)


def unmap(store: Store, code: str, staff_id: int | None, now: dt.datetime) -> None:
    """Forget an item's mapping (the agency's copy is withdrawn, 3302, at the next sync)."""
    with store.writing() as session:
        connection = session.connection()
        gone = connection.execute(delete(CatalogueMapping).where(CatalogueMapping.code == code)).rowcount
        if not gone:
            raise MappingError("item", f"item {code!r} has no mapping")
        rows = [chain.Deleted(TABLE, code)]
        audit(connection, now, staff_id, "catalogue_mapping_removed", "catalogue", 0, {"item": code}, rows)


def _upsert(
    connection: Connection, code: str, national_code: str, state: str, staff_id: int | None, at: dt.datetime | None
) -> Executable:
    maker = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    values = {"national_code": national_code, "state": state, "reviewed_by": staff_id, "reviewed_at": at}
    statement = maker(CatalogueMapping).values(code=code, **values)
    return statement.on_conflict_do_update(index_elements=["code"], set_=values)
