"""state comments: the outbox's void state and the settlement's differs status

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:50:00

0003 added the states without their column comments, which only a database that keeps
comments (PostgreSQL) notices; SQLite keeps none, so there is nothing to do there, and
altering a column on SQLite would copy the whole table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COMMENTS = (
    ("outbox", "state", "pending, done, set_aside", "pending, done, set_aside, void (never needed: reversed first)"),
    (
        "settlement",
        "status",
        "pending, confirmed, rejected",
        "pending, confirmed, differs (the agency's split is not ours), rejected",
    ),
)


def _comment(new: bool) -> None:
    if op.get_context().dialect.name == "sqlite":
        return
    for table, column, before, after in _COMMENTS:
        op.alter_column(
            table,
            column,
            existing_type=sa.String(length=20),
            existing_nullable=False,
            comment=after if new else before,
            existing_comment=before if new else after,
        )


def upgrade() -> None:
    _comment(new=True)


def downgrade() -> None:
    _comment(new=False)
