"""The agency's diagnosis catalogue (1307 疾病与诊断目录下载), at most once per ``every``.

The diagnosis box offers the shipped common diagnoses (``resources/diagnoses``); the
agency's catalogue is the one its 2203 checks codes and names against, so each line
downloaded renames a shipped code, adds one, or (``vali_flag`` 0) withdraws it. Asks only
for lines newer than the last version seen, like the item catalogues (1301/1305/1306).

The downloaded file's columns are the national interface's (diag_list_id, cpr…, cgy_code,
sor_code, diag_code, diag_name, used_std, natstd_diag_code, clnc_diag_code, vali_flag, rid,
ver, ver_name); written in upper case as in the national file, or in lower case as in a
JSON answer, they read the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db.models import DiagnosisEntry, Setting
from db.session import Store
from desktop.agency import ProtocolError, Reply
from desktop.agency.messages import CatalogueDownload, Message
from desktop.agency.values import read_decimal, read_text
from desktop.diagnoses import initials_of
from desktop.sync.outbox import audit
from desktop.sync.sessions import Place

Call = Callable[[Place, Message, str], Reply]
INFNO = "1307"
CHECKED_KEY = "sync.diagnoses_checked_at"
VERSION_KEY = f"sync.catalogue_ver.{INFNO}"
CODE_LENGTH, NAME_LENGTH = 20, 100  # diag_code 字符型 20, diag_name 字符型 100, as 2203 sends them


@dataclass(frozen=True, slots=True)
class DiagnosisRecord:
    diag_code: str
    diag_name: str
    vali_flag: str
    ver: str


def read_diagnosis_catalogue(reply: Reply) -> list[DiagnosisRecord]:
    output = reply.checked().output
    data = output.get("data", [])
    if not isinstance(data, list):
        raise ProtocolError("output.data", "must be a list")
    records = []
    for index, raw in enumerate(data):
        at = f"output.data[{index}]"
        record = _lower_keys(raw, at)
        flag = read_text(record, "vali_flag", at, required=False) or "1"
        if flag not in ("0", "1"):
            raise ProtocolError(f"{at}.vali_flag", f"{flag!r} is not 0 or 1")
        name = read_text(record, "diag_name", at)
        if len(name) > NAME_LENGTH:
            raise ProtocolError(f"{at}.diag_name", f"is longer than {NAME_LENGTH} characters")
        code = read_text(record, "diag_code", at)
        if len(code) > CODE_LENGTH:
            raise ProtocolError(f"{at}.diag_code", f"{code!r} is longer than {CODE_LENGTH} characters")
        records.append(DiagnosisRecord(code, name, flag, read_text(record, "ver", at, required=False)))
    count = read_decimal(output, "data_cn", "output", places=0)
    if count != len(records):
        raise ProtocolError("output.data_cn", f"says {count} records but {len(records)} came")
    return records


def _lower_keys(raw: Any, at: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ProtocolError(at, "must be a JSON object")
    return {str(key).lower(): value for key, value in raw.items()}


def _setting(store: Store, key: str) -> str | None:
    with store.reading() as session:
        value: str | None = session.scalar(select(Setting.value).where(Setting.key == key))
    return value


def download_diagnoses(store: Store, call: Call, place: Place, now: dt.datetime, every: dt.timedelta) -> int:
    """Download what changed since the last time; how many lines were stored."""
    checked = _setting(store, CHECKED_KEY)
    if checked is not None and now - dt.datetime.fromisoformat(checked) < every:
        return 0
    version = _setting(store, VERSION_KEY) or "0"
    records = read_diagnosis_catalogue(call(place, CatalogueDownload(INFNO, version), ""))
    newest = max([int(version), *(int(r.ver) for r in records if r.ver.isdigit())])
    initials = {r.diag_name: initials_of(r.diag_name) for r in records}  # before the write lock
    with store.writing() as session:
        for record in records:
            session.merge(
                DiagnosisEntry(
                    code=record.diag_code,
                    name=record.diag_name,
                    initials=initials[record.diag_name],
                    active=record.vali_flag == "1",
                    ver=record.ver,
                )
            )
        session.merge(Setting(key=VERSION_KEY, value=str(newest)))
        session.merge(Setting(key=CHECKED_KEY, value=now.isoformat()))
        if records:
            audit(session.connection(), now, None, "catalogue_download", "catalogue", int(INFNO), len(records))
    return len(records)
