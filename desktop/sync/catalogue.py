"""Catalogue downloads (1301 drugs, 1305 services, 1306 materials): classes and prices as the agency lists them.

The agency's class (甲/乙/丙) is the one that decides the split, so it replaces the local
one; the price becomes the catalogue's default price; a line the agency withdraws
(``vali_flag`` 0) is no longer offered at the counter. Settled visits keep the class
and price they were settled with. Each download asks only for lines newer than the last
version seen, and runs at most once per ``every``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CatalogueItem, Setting
from db.session import Store
from desktop.agency import Reply, codes
from desktop.agency.messages import CatalogueDownload, Message
from desktop.agency.replies import CatalogueRecord, read_catalogue
from desktop.money import round_fen, to_fen
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
                stored += _store_line(session, record)
            session.merge(Setting(key=key, value=str(newest)))
            if found.records:
                audit(
                    session.connection(), now, None, "catalogue_download", "catalogue", int(infno), len(found.records)
                )
    with store.writing() as session:
        session.merge(Setting(key=CHECKED_KEY, value=now.isoformat()))
    return stored


def _store_line(session: Session, record: CatalogueRecord) -> int:
    item = session.get(CatalogueItem, record.med_list_codg)
    price_fen = to_fen(round_fen(record.pric))
    active = record.vali_flag == "1"
    if item is None:
        kind = KIND_OF_CHARGE_TYPE.get(record.med_chrgitm_type)
        if kind is None or not active:
            return 0
        session.add(
            CatalogueItem(
                code=record.med_list_codg,
                name=record.med_list_name,
                kind=kind,
                item_class=record.item_class,
                price_fen=price_fen,
                active=True,
            )
        )
        return 1
    item.name = record.med_list_name
    item.item_class = record.item_class
    item.price_fen = price_fen
    item.active = active
    return 1
