"""fund and reports: signing start and end kinds, ATC codes, the month's totals

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 09:00:00

The capitation fund counts a signing's months by how it began and ended (洪府厅发〔2019〕
102号 第二十八条); a signing the agency reassigned was recorded with origin 'reassigned'
and starts so. Antibiotic warnings read the catalogue's ATC codes. ``month_total`` is
filled from the settlements that stand and kept by triggers (``db.month_totals``); a
counter in ``setting`` moves with every change to the signings (``db.signings_changed``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import month_totals, signings_changed

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("signing", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "start_kind",
                sa.String(length=12),
                server_default="continuing",
                nullable=False,
                comment="continuing, first (首次选定), moved (住址改变), reassigned (原机构暂停或终止)",
            )
        )
        batch_op.add_column(
            sa.Column(
                "end_kind",
                sa.String(length=12),
                nullable=True,
                comment="null (simply ended or open), moved, reassigned",
            )
        )
        batch_op.create_check_constraint("start_kind", "start_kind IN ('continuing', 'first', 'moved', 'reassigned')")
        batch_op.create_check_constraint("end_kind", "end_kind IS NULL OR end_kind IN ('moved', 'reassigned')")
    op.execute("UPDATE signing SET start_kind = 'reassigned' WHERE origin = 'reassigned'")
    with op.batch_alter_table("catalogue_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "atc_code",
                sa.String(length=10),
                nullable=True,
                comment="WHO ATC code of a drug (J01: antibacterials for systemic use)",
            )
        )
    op.create_table(
        "month_total",
        sa.Column("facility_id", sa.String(length=20), nullable=False),
        sa.Column("month", sa.Date(), nullable=False, comment="the first day of the visits' month"),
        sa.Column("policy", sa.String(length=40), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("fund_fen", sa.BigInteger(), nullable=False),
        sa.Column("account_fen", sa.BigInteger(), nullable=False),
        sa.Column("cash_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["facility_id"], ["facility.id"], name=op.f("fk_month_total_facility_id_facility")),
        sa.PrimaryKeyConstraint("facility_id", "month", "policy", name=op.f("pk_month_total")),
    )
    connection = op.get_bind()
    month_totals.rebuild(connection)
    month_totals.install(connection)
    signings_changed.install(connection)


def downgrade() -> None:
    signings_changed.uninstall(op.get_bind())
    month_totals.uninstall(op.get_bind())
    op.drop_table("month_total")
    with op.batch_alter_table("catalogue_item", schema=None) as batch_op:
        batch_op.drop_column("atc_code")
    with op.batch_alter_table("signing", schema=None) as batch_op:
        batch_op.drop_constraint("ck_signing_end_kind", type_="check")
        batch_op.drop_constraint("ck_signing_start_kind", type_="check")
        batch_op.drop_column("end_kind")
        batch_op.drop_column("start_kind")
