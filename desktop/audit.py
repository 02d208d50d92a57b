"""The audit log's one way in: every audited act is written by ``record``.

Settlements, reversals, signatures, signings, setting changes, sign-ins and the relay's
acts all go through here, inside the transaction that does what they record, so one
place can see (and later chain) every entry. Personal data in ``detail`` is the caller's
to mask; ``detail`` is stored as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, insert

from db.models import AuditEntry
from db.prepared import Prepared

# Prepared once: a settlement writes one on its hot path.
_INSERT = Prepared(insert(AuditEntry), ("at", "staff_id", "action", "entity", "entity_id", "detail"))


def record(
    connection: Connection,
    at: dt.datetime,
    staff_id: int | None,
    action: str,
    entity: str,
    entity_id: int | str,
    detail: Any,
) -> None:
    """One audit entry, in the caller's transaction: who (``staff_id``, None for the program
    itself), did what (``action``) to which record (``entity``, ``entity_id``), when."""
    _INSERT.run(
        connection,
        {
            "at": at,
            "staff_id": staff_id,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "detail": json.dumps(detail, ensure_ascii=False, default=str),
        },
    )
