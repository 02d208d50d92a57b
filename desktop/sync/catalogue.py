"""Catalogue downloads (1301 drugs, 1305 services, 1306 materials): the national catalogue, kept as it is.

Every line goes into ``national_item`` (its code, name, pinyin initials, class, price,
whether it is in force): the catalogue mapping searches it (``desktop.catalogue_mapping``).
For the local items mapped to a line (reviewed), the agency's class (甲/乙/丙) is the one
that decides the split, so it replaces the local one, and a line the agency withdraws
(``vali_flag`` 0) is no longer offered at the counter. Settled visits keep the class
they were settled with; the clinic's own prices stay its own. Each download asks only
for lines newer than the last version seen, and runs at most once per ``every``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CatalogueItem, CatalogueMapping, NationalItem, Setting
from db.session import Store
from desktop.agency import Reply, codes
from desktop.agency.messages import CatalogueDownload, Message
from desktop.agency.replies import CatalogueRecord, read_catalogue
from desktop.diagnoses import initials_of as initials
from desktop.money import round_fen, to_fen
from desktop.sync.mappings import REVIEWED
from desktop.sync.outbox import audit
from desktop.sync.sessions import Place

Call = Callable[[Place, Message, str], Reply]
CHECKED_KEY = "sync.catalogue_checked_at"
VERSION_KEY = "sync.catalogue_ver.{infno}"
# A new line's kind, from its charge type; 05 (治疗费) covers TCM treatments too, which
# the agency's line does not tell apart, so a new 05 line counts as a treatment.
KIND_OF_CHARGE_TYPE = {charge: kind for kind, charge in reversed(list(codes.CHARGE_TYPE_OF_KIND.items()))}
CATALOGUES = tuple(dict.fromkeys(codes.CATALOGUE_OF_KIND.values()))


def _setting(store: Store, key: str) -> str | None:
    with store.reading() as session:
        value: str | None = session.scalar(select(Setting.value).where(Setting.key == key))
    return value


def download_catalogue(store: Store, call: Call, place: Place, now: dt.datetime, every: dt.timedelta) -> int:
    """Download what changed since the last time; how many lines were stored."""
    checked = _setting(store, CHECKED_KEY)
    if checked is not None and now - dt.datetime.fromisoformat(checked) < every:
        return 0
    stored = 0
    for infno in CATALOGUES:
        key = VERSION_KEY.format(infno=infno)
        version = _setting(store, key) or "0"
        found = read_catalogue(call(place, CatalogueDownload(infno, version), ""))
        newest = max([int(version), *(int(r.ver) for r in found.records if r.ver.isdigit())])
        with store.writing() as session:
            for record in found.records:
                stored += _store_line(session, infno, record)
            session.merge(Setting(key=key, value=str(newest)))
            if found.records:
                audit(
                    session.connection(), now, None, "catalogue_download", "catalogue", int(infno), len(found.records)
                )
    with store.writing() as session:
        session.merge(Setting(key=CHECKED_KEY, value=now.isoformat()))
    return stored


def _store_line(session: Session, infno: str, record: CatalogueRecord) -> int:
    active = record.vali_flag == "1"
    kind = KIND_OF_CHARGE_TYPE.get(record.med_chrgitm_type) or _FIRST_KIND[infno]
    session.merge(
        NationalItem(
            code=record.med_list_codg,
            catalogue=infno,
            name=record.med_list_name,
            pinyin=(record.pinyin or initials(record.med_list_name)).lower()[:100],
            spec=record.spec[:200],
            kind=kind,
            item_class=record.item_class,
            price_fen=to_fen(round_fen(record.pric)),
            version=record.ver,
            active=active,
        )
    )
    for item in session.scalars(
        select(CatalogueItem)
        .join(CatalogueMapping, CatalogueMapping.code == CatalogueItem.code)
        .where(CatalogueMapping.national_code == record.med_list_codg, CatalogueMapping.state == REVIEWED)
    ):
        item.item_class = record.item_class
        item.active = active
    return 1


# A line whose charge type the program does not know counts as its catalogue's first kind.
_FIRST_KIND = {infno: kind for kind, infno in reversed(list(codes.CATALOGUE_OF_KIND.items()))}
