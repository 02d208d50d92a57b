"""whole packs and the diagnosis catalogue

Revision ID: 0011
Revises: 0004
Create Date: 2026-12-03 10:00:00

Which catalogue items may be sold in fractions of their unit: the counter and the
settlement refuse 1.5 of a 盒. Items already stored whose unit is a weight or a volume
are marked divisible; every other one is sold whole, which refuses nothing a clinic sold
before except a fraction of a pack.

The agency's diagnosis catalogue (1307), downloaded beside the shipped one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Units measured rather than counted: a prescription may take part of one.
_DIVISIBLE_UNITS = ("克", "g", "千克", "kg", "毫克", "mg", "毫升", "ml", "mL", "升", "L", "厘米", "cm", "米", "m")


def upgrade() -> None:
    with op.batch_alter_table("catalogue_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "divisible",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
                comment="sold in fractions of its unit (克, 毫升); false for whole packs (盒, 支)",
            )
        )
    catalogue = sa.table("catalogue_item", sa.column("unit", sa.String), sa.column("divisible", sa.Boolean))
    op.execute(catalogue.update().where(catalogue.c.unit.in_(_DIVISIBLE_UNITS)).values(divisible=True))
    op.create_table(
        "diagnosis_catalogue",
        sa.Column("code", sa.String(length=20), nullable=False, comment="diag_code (ICD-10, 医保版)"),
        sa.Column("name", sa.String(length=100), nullable=False, comment="diag_name"),
        sa.Column("initials", sa.String(length=100), nullable=False, comment="pinyin initials for keyboard search"),
        sa.Column("active", sa.Boolean(), nullable=False, comment="vali_flag"),
        sa.Column("ver", sa.String(length=30), nullable=False, comment="the catalogue version it came with"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_diagnosis_catalogue")),
    )


def downgrade() -> None:
    op.drop_table("diagnosis_catalogue")
    with op.batch_alter_table("catalogue_item", schema=None) as batch_op:
        batch_op.drop_column("divisible")
