"""out-of-area filing (异地备案) and the settlement's insurance areas

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:00:00

A person's 异地安置 or 转诊备案 with its place and dates, from the agency or entered by
staff; and on each settlement the insured area and the clinic's division it was settled
with, which its 2201/2207 carry. Settlements made before take their person's and facility's
areas, which is what their messages carried until now.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "area_filing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False, comment="relocation 异地安置, referral 转诊备案"),
        sa.Column(
            "place_admdvs", sa.String(length=6), nullable=False, comment="where care is filed for (安置地/转入地)"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True, comment="null: until withdrawn"),
        sa.Column("origin", sa.String(length=10), nullable=False, comment="agency, or staff (from the paper)"),
        sa.Column("document_no", sa.String(length=50), nullable=False, comment="the filing's number on the paper"),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True, comment="null when from the agency"),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('relocation', 'referral')", name=op.f("ck_area_filing_kind")),
        sa.CheckConstraint("origin IN ('agency', 'staff')", name=op.f("ck_area_filing_origin")),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_until >= valid_from", name=op.f("ck_area_filing_dates_in_order")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_area_filing_person_id_person")),
        sa.ForeignKeyConstraint(["recorded_by"], ["staff.id"], name=op.f("fk_area_filing_recorded_by_staff")),
        sa.ForeignKeyConstraint(["withdrawn_by"], ["staff.id"], name=op.f("fk_area_filing_withdrawn_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_filing")),
    )
    with op.batch_alter_table("area_filing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_filing_person_id"), ["person_id"], unique=False)

    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "insuplc_admdvs",
                sa.String(length=6),
                server_default="",
                nullable=False,
                comment="the person's insured area when settled",
            )
        )
        batch_op.add_column(
            sa.Column(
                "mdtrtarea_admvs",
                sa.String(length=6),
                server_default="",
                nullable=False,
                comment="the clinic's division, where care happened",
            )
        )
        batch_op.add_column(
            sa.Column(
                "area_filing_id",
                sa.Integer(),
                nullable=True,
                comment="the 异地备案 that paid an out-of-area visit",
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_settlement_area_filing_id_area_filing"), "area_filing", ["area_filing_id"], ["id"]
        )
    op.execute(
        "UPDATE settlement SET insuplc_admdvs = (SELECT person.insuplc_admdvs FROM person"
        " WHERE person.id = settlement.person_id)"
    )
    op.execute(
        "UPDATE settlement SET mdtrtarea_admvs = (SELECT facility.admdvs FROM visit JOIN facility"
        " ON facility.id = visit.facility_id WHERE visit.id = settlement.visit_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_settlement_area_filing_id_area_filing"), type_="foreignkey")
        batch_op.drop_column("area_filing_id")
        batch_op.drop_column("mdtrtarea_admvs")
        batch_op.drop_column("insuplc_admdvs")
    with op.batch_alter_table("area_filing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_filing_person_id"))
    op.drop_table("area_filing")
