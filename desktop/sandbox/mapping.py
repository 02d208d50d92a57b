"""The agency's side of the catalogue mapping (医保目录对照): 3301 up, 3302 withdrawn.

A facility's fee line (2204) names its own item (``medins_list_codg``) and the national
code (``med_list_codg``); the agency takes it only when the facility mapped that item to
that code, as real gateways refuse lines that are not 对照.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from desktop.sandbox.calls import Call, Outcome, RefusedError, text


def _date(node: object, name: str) -> str:
    value = text(node, name, "input.data")  # type: ignore[arg-type]
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise RefusedError(f"input.data.{name} {value!r} is not a date like 2024-05-01") from None


def upload(call: Call) -> Outcome:
    node = call.node()
    where = "input.data"
    item, national = text(node, "fixmedins_hilist_id", where), text(node, "med_list_codg", where)
    found = call.connection.execute("SELECT 1 FROM catalogue WHERE med_list_codg = ?", (national,)).fetchone()
    if found is None:
        raise RefusedError(f"med_list_codg {national} is not in the national catalogue")
    existing = mapped(call.connection, call.code, item)
    if existing is not None and existing != national:
        raise RefusedError(f"目录已对照：{item} is mapped to {existing}; withdraw it first (3302)")
    call.connection.execute(
        "INSERT OR REPLACE INTO mapping VALUES (?,?,?,?,?,?,?,?)",
        (
            call.code,
            item,
            national,
            text(node, "list_type", where),
            text(node, "fixmedins_hilist_name", where),
            _date(node, "begndate"),
            _date(node, "enddate"),
            call.msgid,
        ),
    )
    return Outcome()


def withdraw(call: Call) -> Outcome:
    node = call.node()
    where = "input.data"
    if text(node, "fixmedins_code", where) != call.code:
        raise RefusedError("fixmedins_code is not the sending facility's")
    item, national = text(node, "fixmedins_hilist_id", where), text(node, "med_list_codg", where)
    gone = call.connection.execute(
        "DELETE FROM mapping WHERE code = ? AND fixmedins_hilist_id = ? AND med_list_codg = ?",
        (call.code, item, national),
    ).rowcount
    return Outcome(warn_msg="" if gone else f"{item} was not mapped to {national}")


def mapped(connection: sqlite3.Connection, code: str, item: str) -> str | None:
    """The national code the facility mapped its item to, or None."""
    row = connection.execute(
        "SELECT med_list_codg FROM mapping WHERE code = ? AND fixmedins_hilist_id = ?", (code, item)
    ).fetchone()
    return None if row is None else str(row[0])
