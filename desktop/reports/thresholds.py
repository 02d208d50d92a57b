"""``clinic-pos warning-thresholds``: the early warnings' thresholds, shown and set.

They are the installation's settings (``setting`` rows ``warning.*``), written through the
store's sessions so that the audit chain seals each change with who made it.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation

from db import audit
from db.models import Setting
from db.session import open_store
from desktop.cli_auth import Credentials, authenticate, require
from desktop.policy.codec import InputError
from desktop.reports.early_warning import Thresholds, read_thresholds
from desktop.staff import Permission

EXIT_BAD_INPUT = 2
NAMES = tuple(name for name in Thresholds.__dataclass_fields__ if name != "refused")


def _refuse(field: str, message: str) -> int:
    sys.stderr.write(json.dumps({"error": f"{field}: {message}", "field": field}, ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def _checked(name: str, text: str) -> str | None:
    """The value as stored, or None when it is not one the threshold can take."""
    if not text.isascii():
        return None
    if name == "min_visits":
        return text if text.isdigit() and 0 < int(text) <= 100_000 else None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return f"{value:f}" if value.is_finite() and 0 < value <= 10 else None


def thresholds_main(db: str, changes: list[str], signing_in: Credentials | None = None) -> int:
    """Set ``NAME=VALUE`` for each change (by an administrator, signed in), then print every threshold as JSON."""
    wanted: dict[str, str] = {}
    for change in changes:
        name, _, text = change.partition("=")
        name = name.removeprefix("warning.")
        if name not in NAMES:
            return _refuse("set", f"{name!r} is not a threshold; one of {', '.join(NAMES)}")
        value = _checked(name, text.strip())
        if value is None:
            return _refuse(f"set.{name}", f"{text!r} is not a value for {name}")
        wanted[name] = value
    store = open_store(db)
    try:
        now = dt.datetime.now(dt.UTC)
        staff_id = None
        if wanted:  # thresholds are settings: changed only by an administrator who signed in
            try:
                who = authenticate(store, signing_in or Credentials(), now)
                require(who, Permission.MANAGE)
            except InputError as exc:
                return _refuse(exc.field, exc.message)
            staff_id = who.staff_id
        with store.writing() as session:
            if wanted:
                for name, value in wanted.items():
                    session.merge(Setting(key=f"warning.{name}", value=value))
                session.flush()  # sealed by the session's own entry (db/audit.py)
                audit.record(
                    session.connection(),
                    at=now,
                    staff_id=staff_id,
                    action="warning_thresholds",
                    entity="setting",
                    entity_id="warning",
                    detail=wanted,
                )
            current = read_thresholds(session.connection())
    finally:
        store.dispose()
    print(json.dumps({**current.as_dict, "refused": list(current.refused)}, ensure_ascii=False, indent=2))
    return 0
