"""The audit log that proves itself: append-only entries, hash-chained over the rows they record.

Each entry's ``digest`` is SHA-256 over the previous entry's digest, the entry's own
fields and ``rows``: for each table it wrote, the digest of every row it wrote (or
rewrote), taken over the columns the models declare chained (``db.audit_rules``). So
editing a sealed row changes what its digest would be; deleting a row leaves a digest
with nothing to match; editing, deleting or reordering entries breaks the chain at that
place; and deleting the newest entries leaves the chain short of its head, which is also
kept off the machine (sent with each sync, printed on the day close).

A row is checked against the newest entry that recorded it: a row that changes later
(the ledger's signature, a signing closed) is recorded again by the entry of that change.
Entries are appended one at a time: the single ``audit_head`` row is read with ``FOR
UPDATE`` on PostgreSQL, so two counters queue; on SQLite the write transaction
(``BEGIN IMMEDIATE``) already holds the lock.

The settlement's hot path pays a few prepared reads and one update here; the statements
are built once per table and column and run through ``db.prepared``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from weakref import WeakKeyDictionary

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    bindparam,
    event,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from db.audit_rules import AUDIT, Chained, Unchained
from db.models import AuditEntry, AuditHead, AuditLayout, Base
from db.prepared import Prepared

GENESIS = "0" * 64
ROW_DIGEST_HEX = 32  # 128 bits a row: collision-proof for any store, a third of a full digest's space


# --- what is chained, read from the models ---------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainedTable:
    """One table the chain seals: its key, the columns in each row's digest, and its layout's key."""

    table: Table
    key: tuple[Column[Any], ...]
    columns: tuple[Column[Any], ...]
    bookkeeping_keys: tuple[str, ...]
    name: str = field(init=False)
    column_names: tuple[str, ...] = field(init=False)
    layout: str = field(init=False)

    def __post_init__(self) -> None:
        # Worked out once: the settlement's hot path asks for them on every row it seals.
        names = tuple(str(column.name) for column in self.columns)  # plain str, not SQLAlchemy's quoted_name
        object.__setattr__(self, "name", str(self.table.name))
        object.__setattr__(self, "column_names", names)
        object.__setattr__(self, "layout", layout_key(self.table.name, names))

    def covers(self, row_key: str) -> bool:
        return not row_key.startswith(self.bookkeeping_keys) if self.bookkeeping_keys else True


def layout_key(table: str, columns: Sequence[str]) -> str:
    return hashlib.sha256(json.dumps([table, list(columns)]).encode()).hexdigest()[:32]


def chained_tables(metadata: MetaData | None = None) -> dict[str, ChainedTable]:
    """The tables declared ``Chained``, each with the columns not declared ``Unchained``."""
    if metadata is None:
        return _chained_in_models()
    found = {}
    for table in metadata.sorted_tables:
        rule = table.info.get(AUDIT)
        if not isinstance(rule, Chained):
            continue
        columns = tuple(c for c in table.columns if not isinstance(c.info.get(AUDIT), Unchained))
        found[str(table.name)] = ChainedTable(table, tuple(table.primary_key.columns), columns, rule.bookkeeping_keys)
    return found


def as_stored(connection: Connection) -> dict[str, ChainedTable]:
    """The chained tables with only the columns this store has yet: for a migration that seals
    what it finds before later migrations add more."""
    inspector = sa_inspect(connection)
    found = {}
    for name, chained in _chained_in_models().items():
        if not inspector.has_table(name):
            continue  # a table a later migration makes
        present = {column["name"] for column in inspector.get_columns(name)}
        columns = tuple(c for c in chained.columns if c.name in present)
        found[name] = ChainedTable(chained.table, chained.key, columns, chained.bookkeeping_keys)
    return found


@functools.cache
def _chained_in_models() -> dict[str, ChainedTable]:
    return chained_tables(Base.metadata)


# --- digests ---------------------------------------------------------------------------


def canonical(value: Any) -> Any:
    """A stored value as the same JSON on every backend: UTC timestamps, ISO dates, bytes by digest."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("a naive timestamp cannot be sealed")
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot seal a {type(value).__name__}")


def _dump(value: Any) -> bytes:
    """Canonical JSON: keys sorted, no spaces, UTF-8 as is (orjson: the hot path digests every row)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def row_digest(values: Sequence[Any]) -> str:
    return hashlib.sha256(_dump([canonical(v) for v in values])).hexdigest()[:ROW_DIGEST_HEX]


def row_key(values: Sequence[Any]) -> str:
    return "/".join([str(v) for v in values])


@dataclass(frozen=True, slots=True)
class EntryFields:
    seq: int
    at: dt.datetime
    staff_id: int | None
    action: str
    entity: str
    entity_id: str
    detail: str
    rows: str


def entry_digest(previous: str, entry: EntryFields) -> str:
    body = [
        entry.seq,
        canonical(entry.at),
        entry.staff_id,
        entry.action,
        entry.entity,
        entry.entity_id,
        entry.detail,
        entry.rows,
    ]
    return hashlib.sha256(previous.encode() + b"\n" + _dump(body)).hexdigest()


# --- appending -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rows:
    """The rows of ``table`` whose ``column`` equals ``value``: what an entry records."""

    table: str
    column: str
    value: Any


@dataclass(frozen=True, slots=True)
class Batch:
    """The rows of ``table`` with these primary keys (a baseline's, read without a prepared statement)."""

    table: str
    keys: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Deleted:
    """A row removed on purpose by the entry's action (a lease let go, say): recorded as gone."""

    table: str
    key: str


@dataclass(frozen=True, slots=True)
class Head:
    seq: int
    digest: str

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "digest": self.digest}

    @property
    def text(self) -> str:
        """How the head is written down off the machine: ``seq:digest``."""
        return f"{self.seq}:{self.digest}"


@functools.cache
def _rows_query(table: str, column: str) -> Prepared:
    chained = _chained_in_models()[table]
    statement = select(*(c.label(f"k_{c.name}") for c in chained.key), *chained.columns).where(
        chained.table.c[column] == bindparam("v")
    )
    return Prepared(statement, ("v",))


_ONE = literal_column("1", Integer())  # the head's only row, written into the SQL (no parameter)
_HEAD = select(AuditHead.seq, AuditHead.digest).where(AuditHead.id == _ONE)
_HEAD_READ = Prepared(_HEAD, ())
_HEAD_LOCK = Prepared(_HEAD.with_for_update(), ())
_ADVANCE = Prepared(
    update(AuditHead).where(AuditHead.id == _ONE).values(seq=bindparam("b_seq"), digest=bindparam("b_digest")),
    ("b_seq", "b_digest"),
)
_APPEND = Prepared(
    insert(AuditEntry),
    ("at", "staff_id", "action", "entity", "entity_id", "detail", "seq", "rows", "digest"),
)
_layouts_known: WeakKeyDictionary[Engine, set[str]] = WeakKeyDictionary()


def _ensure_layouts(connection: Connection, tables: Iterable[ChainedTable]) -> None:
    known = _layouts_known.setdefault(connection.engine, set())
    for chained in tables:
        if chained.layout in known:
            continue
        maker = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        connection.execute(
            maker(AuditLayout)
            .values(key=chained.layout, table_name=chained.name, columns=json.dumps(list(chained.column_names)))
            .on_conflict_do_nothing(index_elements=["key"])
        )
        known.add(chained.layout)


def forget_layouts(engine: Engine) -> None:
    """A store replaced under a live engine (a restore): its layouts are looked up again."""
    _layouts_known.pop(engine, None)


def read_head(connection: Connection) -> Head:
    row = _HEAD_READ.one(connection, {})
    return Head(row.seq, row.digest)


Spec = Rows | Batch | Deleted


def _found(connection: Connection, chained: ChainedTable, spec: Rows | Batch) -> Sequence[Sequence[Any]]:
    if isinstance(spec, Rows) and chained is _chained_in_models().get(spec.table):
        rows: Sequence[Sequence[Any]] = _rows_query(spec.table, spec.column).all(connection, {"v": spec.value})
        return rows
    (key,) = chained.key
    where = chained.table.c[spec.column] == spec.value if isinstance(spec, Rows) else key.in_(spec.keys)
    return connection.execute(select(*chained.key, *chained.columns).where(where)).all()


def seal_rows(
    connection: Connection, rows: Sequence[Spec], tables: Mapping[str, ChainedTable] | None = None
) -> dict[str, dict[str, Any]]:
    """The ``rows`` field of an entry: for each table, its layout and the digest of every row named.

    ``tables``: the chained tables as this store has them, when it is older than the models
    (a migration sealing what it found).
    """
    tables = tables or _chained_in_models()
    sealed: dict[str, dict[str, Any]] = {}
    for spec in rows:
        chained = tables[spec.table]
        part = sealed.setdefault(spec.table, {"layout": chained.layout, "rows": {}})
        if isinstance(spec, Deleted):
            part["rows"][spec.key] = None
            continue
        width = len(chained.key)
        for found in _found(connection, chained, spec):
            key = row_key(found[:width])
            if chained.covers(key):
                part["rows"][key] = row_digest(found[width:])
    _ensure_layouts(connection, (tables[name] for name in sealed))
    return {name: part for name, part in sealed.items() if part["rows"]}


def record(
    connection: Connection,
    *,
    at: dt.datetime,
    staff_id: int | None,
    action: str,
    entity: str,
    entity_id: str | int,
    detail: Any,
    rows: Sequence[Spec] = (),
    tables: Mapping[str, ChainedTable] | None = None,
) -> Head:
    """Append one entry, sealing ``rows``, inside the caller's write transaction; the new head."""
    sealed = seal_rows(connection, rows, tables)
    locking = connection.dialect.name == "postgresql"
    head = (_HEAD_LOCK if locking else _HEAD_READ).one(connection, {})
    fields = EntryFields(
        seq=head.seq + 1,
        at=at,
        staff_id=staff_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        detail=json.dumps(detail, ensure_ascii=False, default=str),
        rows=_dump(sealed).decode() if sealed else "{}",
    )
    digest = entry_digest(head.digest, fields)
    _APPEND.run(
        connection,
        {
            "at": fields.at,
            "staff_id": fields.staff_id,
            "action": fields.action,
            "entity": fields.entity,
            "entity_id": fields.entity_id,
            "detail": fields.detail,
            "seq": fields.seq,
            "rows": fields.rows,
            "digest": digest,
        },
    )
    _ADVANCE.run(connection, {"b_seq": fields.seq, "b_digest": digest})
    return Head(fields.seq, digest)


def rows_by_key(table: str, keys: Iterable[Any]) -> list[Rows]:
    """``Rows`` naming single rows of ``table`` by primary key."""
    chained = _chained_in_models()[table]
    (key,) = chained.key
    return [Rows(table, key.name, value) for value in keys]


def everything(
    connection: Connection, tables: Mapping[str, ChainedTable] | None = None, per_entry: int = 2000
) -> list[Batch]:
    """Every chained row in the store, in batches of ``per_entry``: what baseline entries seal."""
    batches: list[Batch] = []
    for name, chained in (tables or _chained_in_models()).items():
        (key,) = chained.key
        keys = list(connection.execute(select(key).order_by(key)).scalars())
        batches.extend(Batch(name, tuple(keys[n : n + per_entry])) for n in range(0, len(keys), per_entry))
    return batches


# --- writes through the ORM ------------------------------------------------------------


def seal_session_writes(factory: sessionmaker[Session]) -> None:
    """Seal every chained row a session of ``factory`` writes through the ORM, at each flush.

    The program's own actions (a settlement, a reversal, a signing) append their entries
    themselves, saying who did what; this catches the rest written through the ORM (the
    demo's roster, a setting changed) so that no chained row is left unsealed. A row
    written with Core statements is sealed by the entry of the action that wrote it.
    """
    event.listen(factory, "after_flush", _seal_flushed)


def _changed_chained(obj: Any, chained: ChainedTable) -> bool:
    state = sa_inspect(obj)
    names = set(chained.column_names)
    return any(
        attribute.key in names and attribute.history.has_changes()
        for attribute in state.attrs
        if attribute.key in state.mapper.column_attrs
    )


def _seal_flushed(session: Session, _context: Any) -> None:
    tables = _chained_in_models()
    specs: list[Spec] = []
    written: dict[str, int] = {}
    changes = [(obj, False) for obj in session.new] + [(obj, False) for obj in session.dirty]
    changes += [(obj, True) for obj in session.deleted]
    for obj, deleted in changes:
        table = getattr(obj, "__table__", None)
        chained = None if table is None else tables.get(table.name)
        if chained is None or chained.table is not table:
            continue
        identity = sa_inspect(obj).mapper.primary_key_from_instance(obj)  # new rows have no identity key yet
        if any(value is None for value in identity):
            continue
        key = row_key(identity)
        if not chained.covers(key) or (not deleted and obj not in session.new and not _changed_chained(obj, chained)):
            continue
        (column,) = chained.key
        specs.append(Deleted(chained.name, key) if deleted else Rows(chained.name, column.name, identity[0]))
        written[chained.name] = written.get(chained.name, 0) + 1
    if specs:
        record(
            session.connection(),
            at=dt.datetime.now(dt.UTC),
            staff_id=None,
            action="rows_written",
            entity=",".join(sorted(written))[:40],
            entity_id=sum(written.values()),
            detail=written,
            rows=specs,
        )
