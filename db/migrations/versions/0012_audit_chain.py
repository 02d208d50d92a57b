"""the audit chain: entries hash-chained over the rows they record

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10 09:00:00

Entries already in the log are chained in the order they were written, and every row the
models declare chained is sealed by baseline entries (``audit_sealed``), so the chain
starts from what the store holds at the upgrade. Rows changed before it cannot be told
apart; rows changed after it can.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_layout",
        sa.Column("key", sa.String(length=32), nullable=False, comment="digest of table and columns"),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("columns", sa.Text(), nullable=False, comment="JSON list, in digest order"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_audit_layout")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True, comment="place in the chain, from 1"))
        batch_op.add_column(
            sa.Column(
                "rows",
                sa.Text(),
                nullable=True,
                comment="JSON: {table: {layout, rows: {key: digest}}} this entry sealed",
            )
        )
        batch_op.add_column(
            sa.Column(
                "digest",
                sa.String(length=64),
                nullable=True,
                comment="SHA-256 over the previous digest, this entry and rows",
            )
        )
    _chain_what_is_there(op.get_bind())
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("rows", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("digest", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_seq"), ["seq"])
        batch_op.create_index(batch_op.f("ix_audit_log_entity"), ["entity", "entity_id"], unique=False)


def _chain_what_is_there(connection: sa.Connection) -> None:
    from db.audit import GENESIS, EntryFields, as_stored, entry_digest, everything, record
    from db.models import UtcDateTime

    log = sa.table(
        "audit_log",
        sa.column("id", sa.Integer()),
        sa.column("at", UtcDateTime()),
        sa.column("staff_id", sa.Integer()),
        sa.column("action", sa.String()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.String()),
        sa.column("detail", sa.Text()),
        sa.column("seq", sa.Integer()),
        sa.column("rows", sa.Text()),
        sa.column("digest", sa.String()),
    )
    previous, seq = GENESIS, 0
    for entry in connection.execute(sa.select(log).order_by(log.c.id)).all():
        seq += 1
        fields = EntryFields(
            seq, entry.at, entry.staff_id, entry.action, entry.entity, entry.entity_id, entry.detail, "{}"
        )
        previous = entry_digest(previous, fields)
        connection.execute(sa.update(log).where(log.c.id == entry.id).values(seq=seq, rows="{}", digest=previous))
    connection.execute(
        sa.text("INSERT INTO audit_head (id, seq, digest) VALUES (1, :seq, :digest)"), {"seq": seq, "digest": previous}
    )
    tables = as_stored(connection)
    now = dt.datetime.now(dt.UTC)
    for batch in everything(connection, tables):
        detail = {"why": "rows that were in the store when the audit chain began", "rows": len(batch.keys)}
        record(
            connection,
            at=now,
            staff_id=None,
            action="audit_sealed",
            entity=batch.table,
            entity_id=json.dumps([batch.keys[0], batch.keys[-1]], default=str)[:40],
            detail=detail,
            rows=[batch],
            tables=tables,
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_entity"))
        batch_op.drop_constraint(batch_op.f("uq_audit_log_seq"), type_="unique")
        batch_op.drop_column("digest")
        batch_op.drop_column("rows")
        batch_op.drop_column("seq")
    op.drop_table("audit_layout")
    op.drop_table("audit_head")
