"""The audit log's one writer: every entry, from every part of the program, goes through ``record``.

One function, so that what an entry holds, and how it is bound to the entries before it
(the log is to be hash-chained), is decided in one place. It runs inside the caller's
transaction, on the statement prepared once: a settlement writes one on its hot path.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, insert

from db.models import AuditEntry
from db.prepared import Prepared

_INSERT = Prepared(insert(AuditEntry), ("at", "staff_id", "action", "entity", "entity_id", "detail"))


def record(
    connection: Connection,
    now: dt.datetime,
    staff_id: int | None,
    action: str,
    entity: str,
    entity_id: int | str,
    detail: Any,
) -> None:
    """Who (``None``: the program itself) did what to which row, and the masked particulars."""
    _INSERT.run(
        connection,
        {
            "at": now,
            "staff_id": staff_id,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "detail": json.dumps(detail, ensure_ascii=False, default=str),
        },
    )
