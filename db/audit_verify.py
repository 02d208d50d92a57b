"""Checking the audit chain: every entry follows the one before, and every sealed row still matches.

``verify`` walks the whole chain and every chained table: what ``clinic-pos audit
verify``, a backup and a restore run. ``verify(recent=N)`` walks only the newest N
entries and the rows they sealed: the start-up check, which must not make the counter
wait on a year of records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, inspect, select

from db.audit import (
    GENESIS,
    ChainedTable,
    EntryFields,
    Head,
    as_stored,
    entry_digest,
    layout_key,
    row_digest,
    row_key,
)
from db.models import AuditEntry, AuditHead, AuditLayout

MAX_LISTED = 50  # breaks listed in a report; the count says how many more


@dataclass(frozen=True, slots=True)
class Break:
    """One place where the store no longer matches its audit chain."""

    kind: str
    message: str
    seq: int | None = None  # the entry where it shows
    entry_id: int | None = None
    table: str | None = None
    row: str | None = None

    def as_json(self) -> dict[str, Any]:
        found = {"kind": self.kind, "message": self.message, "seq": self.seq, "entry_id": self.entry_id}
        if self.table is not None:
            found.update({"table": self.table, "row": self.row})
        return found


@dataclass(slots=True)
class Verdict:
    entries: int = 0
    first_seq: int = 1
    head: Head | None = None
    rows: dict[str, int] = field(default_factory=dict)
    breaks: list[Break] = field(default_factory=list)
    whole: bool = True

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        """The earliest entry where the chain breaks (a row no entry records comes after all those)."""
        if not self.breaks:
            return None
        return min(self.breaks, key=lambda b: (b.seq is None, b.seq or 0))

    def as_json(self) -> dict[str, Any]:
        first = self.first
        return {
            "ok": self.ok,
            "checked": "whole chain" if self.whole else f"entries from {self.first_seq}",
            "entries": self.entries,
            "head": None if self.head is None else self.head.as_json(),
            "rows": dict(sorted(self.rows.items())),
            "first_broken": None if first is None else first.as_json(),
            "breaks": [b.as_json() for b in sorted(self.breaks, key=lambda b: (b.seq is None, b.seq or 0))][
                :MAX_LISTED
            ],
            "breaks_total": len(self.breaks),
        }


@dataclass(frozen=True, slots=True)
class _Sealed:
    layout: str
    digest: str | None
    seq: int
    entry_id: int


_ENTRY_COLUMNS = (
    AuditEntry.id,
    AuditEntry.seq,
    AuditEntry.at,
    AuditEntry.staff_id,
    AuditEntry.action,
    AuditEntry.entity,
    AuditEntry.entity_id,
    AuditEntry.detail,
    AuditEntry.rows,
    AuditEntry.digest,
)


def verify(connection: Connection, *, expected: Head | None = None, recent: int | None = None) -> Verdict:
    """Walk the chain (the newest ``recent`` entries, or all) and the rows it sealed."""
    verdict = Verdict()
    stored = connection.execute(select(AuditHead.seq, AuditHead.digest).where(AuditHead.id == 1)).first()
    stored_head = None if stored is None else Head(stored.seq, stored.digest)
    sealed: dict[tuple[str, str], _Sealed] = {}
    previous, next_seq = GENESIS, 1
    query = select(*_ENTRY_COLUMNS).order_by(AuditEntry.id)
    if recent is not None and stored_head is not None and stored_head.seq > recent:
        verdict.whole = False
        start = stored_head.seq - recent + 1
        before = connection.execute(select(AuditEntry.id, AuditEntry.digest).where(AuditEntry.seq == start - 1)).first()
        if before is not None:
            previous, next_seq = before.digest, start
            query = query.where(AuditEntry.id > before.id)
        verdict.first_seq = next_seq
    last: Any = None
    for entry in connection.execute(query):
        verdict.entries += 1
        _follow(verdict, entry, previous, next_seq)
        previous, next_seq, last = entry.digest, entry.seq + 1, entry
        _note_rows(verdict, entry, sealed)
    verdict.head = None if last is None else Head(last.seq, last.digest)
    _check_head(verdict, stored_head, last)
    if expected is not None:
        _check_expected(connection, verdict, expected)
    layouts = _layouts(connection, verdict)
    tables = as_stored(connection)
    if verdict.whole:
        for chained in tables.values():
            _check_table(connection, verdict, chained, sealed, layouts)
    else:
        _check_sealed_rows(connection, verdict, tables, sealed, layouts)
    return verdict


def _follow(verdict: Verdict, entry: Any, previous: str, next_seq: int) -> None:
    where = {"seq": entry.seq, "entry_id": entry.id}
    if entry.seq > next_seq:
        gone = f"{next_seq}" if entry.seq == next_seq + 1 else f"{next_seq}–{entry.seq - 1}"
        verdict.breaks.append(
            Break("entries_missing", f"audit entries {gone} were deleted before entry {entry.seq}", **where)
        )
        return
    if entry.seq < next_seq:
        verdict.breaks.append(
            Break("entries_reordered", f"audit entry {entry.seq} stands after entry {next_seq - 1}", **where)
        )
        return
    fields = EntryFields(
        entry.seq, entry.at, entry.staff_id, entry.action, entry.entity, entry.entity_id, entry.detail, entry.rows
    )
    if entry_digest(previous, fields) != entry.digest:
        verdict.breaks.append(
            Break(
                "entry_changed",
                f"audit entry {entry.seq} ({entry.action} {entry.entity} {entry.entity_id}) does not match its "
                "digest: it, or the entry before it, was changed",
                **where,
            )
        )


def _note_rows(verdict: Verdict, entry: Any, sealed: dict[tuple[str, str], _Sealed]) -> None:
    try:
        recorded = json.loads(entry.rows)
        parts = [(table, part["layout"], part["rows"]) for table, part in recorded.items()]
    except (ValueError, TypeError, KeyError, AttributeError):
        verdict.breaks.append(
            Break("entry_changed", f"audit entry {entry.seq}'s rows are not readable", entry.seq, entry.id)
        )
        return
    for table, layout, rows in parts:
        for key, digest in rows.items():
            sealed[(table, key)] = _Sealed(layout, digest, entry.seq, entry.id)


def _check_head(verdict: Verdict, stored: Head | None, last: Any) -> None:
    if stored is None:
        verdict.breaks.append(Break("head_missing", "the chain's head row is gone"))
        return
    if last is None:
        if stored.seq:
            verdict.breaks.append(Break("entries_missing", f"the head is entry {stored.seq} but no entry is left"))
        return
    if stored.seq > last.seq:
        verdict.breaks.append(
            Break(
                "entries_missing",
                f"entries {last.seq + 1}–{stored.seq} were deleted: the head is entry {stored.seq}",
                stored.seq,
            )
        )
    elif (stored.seq, stored.digest) != (last.seq, last.digest):
        verdict.breaks.append(
            Break("head_mismatch", f"the head ({stored.text}) is not the newest entry", last.seq, last.id)
        )


def _check_expected(connection: Connection, verdict: Verdict, expected: Head) -> None:
    found = connection.execute(select(AuditEntry.id, AuditEntry.digest).where(AuditEntry.seq == expected.seq)).first()
    if found is None:
        verdict.breaks.append(
            Break(
                "entries_missing",
                f"no entry {expected.seq}: the head written down off the machine is gone",
                expected.seq,
            )
        )
    elif found.digest != expected.digest:
        verdict.breaks.append(
            Break(
                "head_mismatch",
                f"entry {expected.seq} is not the one written down off the machine ({expected.text})",
                expected.seq,
                found.id,
            )
        )


def _layouts(connection: Connection, verdict: Verdict) -> dict[str, tuple[str, tuple[str, ...]]]:
    layouts = {}
    for row in connection.execute(select(AuditLayout.key, AuditLayout.table_name, AuditLayout.columns)):
        columns = tuple(json.loads(row.columns))
        if layout_key(row.table_name, columns) != row.key:
            verdict.breaks.append(Break("layout_changed", f"the column list {row.key} of {row.table_name} was changed"))
            continue
        layouts[row.key] = (row.table_name, columns)
    return layouts


def _row_break(
    table: str,
    key: str,
    values: dict[str, Any] | None,
    seal: _Sealed | None,
    layouts: dict[str, tuple[str, tuple[str, ...]]],
) -> Break | None:
    """What is wrong with one sealed (or unsealed) row, if anything."""
    if seal is None:
        return Break(
            "row_unrecorded", f"{table} {key} is in no audit entry: added behind its back", table=table, row=key
        )
    seq, entry_id = seal.seq, seal.entry_id
    if values is None:
        if seal.digest is None:
            return None
        return Break("row_deleted", f"{table} {key}, sealed by entry {seq}, was deleted", seq, entry_id, table, key)
    if seal.digest is None:
        return Break(
            "row_unrecorded", f"{table} {key} was deleted by entry {seq} but is back", seq, entry_id, table, key
        )
    layout = layouts.get(seal.layout)
    if layout is None or layout[0] != table or any(name not in values for name in layout[1]):
        return Break("layout_changed", f"{table} {key}: its sealed column list is gone", seq, entry_id, table, key)
    if row_digest([values[name] for name in layout[1]]) != seal.digest:
        return Break("row_changed", f"{table} {key} was changed after entry {seq} sealed it", seq, entry_id, table, key)
    return None


def _rows(
    connection: Connection, chained: ChainedTable, keys: list[str] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    # Every column the store has (a seal taken before a column was declared chained names fewer;
    # a store older than the models lacks the newest): read what is there.
    present = {column["name"] for column in inspect(connection).get_columns(chained.name)}
    statement = select(*(column for column in chained.table.columns if column.name in present))
    if keys is not None:
        (key,) = chained.key
        statement = statement.where(key.in_(keys if key.type.python_type is str else [int(k) for k in keys]))
    for row in connection.execute(statement).mappings():
        yield row_key([row[c.name] for c in chained.key]), dict(row)


def _check_table(
    connection: Connection,
    verdict: Verdict,
    chained: ChainedTable,
    sealed: dict[tuple[str, str], _Sealed],
    layouts: dict[str, tuple[str, tuple[str, ...]]],
) -> None:
    """Every row of the table against its newest seal, and every seal against a row."""
    seen = set()
    for key, values in _rows(connection, chained):
        if chained.covers(key):
            seen.add(key)
            found = _row_break(chained.name, key, values, sealed.get((chained.name, key)), layouts)
            if found is not None:
                verdict.breaks.append(found)
    verdict.rows[chained.name] = len(seen)
    for (table, key), seal in sealed.items():
        if table == chained.name and key not in seen:
            found = _row_break(table, key, None, seal, layouts)
            if found is not None:
                verdict.breaks.append(found)


def _check_sealed_rows(
    connection: Connection,
    verdict: Verdict,
    tables: dict[str, ChainedTable],
    sealed: dict[tuple[str, str], _Sealed],
    layouts: dict[str, tuple[str, tuple[str, ...]]],
) -> None:
    """Only the rows the walked entries sealed (the start-up check's share)."""
    by_table: dict[str, list[str]] = {}
    for table, key in sealed:
        by_table.setdefault(table, []).append(key)
    for table, keys in by_table.items():
        chained = tables.get(table)
        if chained is None:
            continue
        present: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), 500):
            present.update(_rows(connection, chained, keys[start : start + 500]))
        verdict.rows[table] = len(present)
        for key in keys:
            found = _row_break(table, key, present.get(key), sealed[(table, key)], layouts)
            if found is not None:
                verdict.breaks.append(found)
