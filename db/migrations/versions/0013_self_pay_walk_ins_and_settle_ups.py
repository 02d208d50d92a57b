"""self-pay visits, walk-ins and settle-ups

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 06:37:52

A self-pay (自费) visit is a settlement with no fund, no account and no message for the
agency: its person may be a walk-in off the roster, and it has no msgid. A settle-up
(补收 / 退费) is its own row beside the settlement whose split the agency changed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_BEFORE = "pending, confirmed, differs (the agency's split is not ours), rejected"
STATUS_AFTER = "pending, confirmed, differs (the agency's split is not ours), rejected; local (self-pay)"
MSGID_BEFORE = "the 2207 msgid, fixed before sending"
MSGID_AFTER = "the 2207 msgid, fixed before sending; none for self-pay"


def upgrade() -> None:
    op.create_table(
        "walk_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column(
            "id_number", sa.String(length=18), nullable=False, comment="only when a card or typed number gave it"
        ),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["recorded_by"], ["staff.id"], name=op.f("fk_walk_in_recorded_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walk_in")),
    )
    op.create_table(
        "settle_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False, comment="collect (补收) or refund (退费)"),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column(
            "agency_setl_id", sa.String(length=30), nullable=False, comment="the agency's settlement number it follows"
        ),
        sa.CheckConstraint("kind IN ('collect', 'refund')", name=op.f("ck_settle_up_kind")),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_settle_up_amount_positive")),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlement.id"], name=op.f("fk_settle_up_settlement_id_settlement")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_settle_up_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settle_up")),
        sa.UniqueConstraint("settlement_id", name=op.f("uq_settle_up_settlement_id")),
    )
    op.create_index("ix_settle_up_at", "settle_up", ["at"], unique=False)

    with op.batch_alter_table("reversal", schema=None) as batch_op:
        batch_op.alter_column(
            "msgid",
            existing_type=sa.String(length=30),
            nullable=True,
            comment="the 2208 msgid; none for self-pay",
        )

    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "self_pay",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
                comment="自费: no fund, no account, never sent to the agency",
            )
        )
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=True, comment="none for a walk-in")
        batch_op.alter_column(
            "msgid",
            existing_type=sa.String(length=30),
            nullable=True,
            comment=MSGID_AFTER,
            existing_comment=MSGID_BEFORE,
        )
        batch_op.alter_column(
            "status",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            comment=STATUS_AFTER,
            existing_comment=STATUS_BEFORE,
        )
        batch_op.create_check_constraint(
            "insured_is_sent", sa.text("self_pay OR (person_id IS NOT NULL AND msgid IS NOT NULL)")
        )
        batch_op.create_check_constraint(
            "self_pay_is_cash", sa.text("NOT self_pay OR (fund_fen = 0 AND account_fen = 0)")
        )

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("walk_in_id", sa.Integer(), nullable=True, comment="a self-pay patient off the roster")
        )
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=True, comment="none for a walk-in")
        batch_op.create_foreign_key(batch_op.f("fk_visit_walk_in_id_walk_in"), "walk_in", ["walk_in_id"], ["id"])
        batch_op.create_check_constraint("one_patient", sa.text("(person_id IS NULL) <> (walk_in_id IS NULL)"))


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint("one_patient", type_="check")
        batch_op.drop_constraint(batch_op.f("fk_visit_walk_in_id_walk_in"), type_="foreignkey")
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False, comment=None)
        batch_op.drop_column("walk_in_id")

    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.drop_constraint("self_pay_is_cash", type_="check")
        batch_op.drop_constraint("insured_is_sent", type_="check")
        batch_op.alter_column(
            "status",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            comment=STATUS_BEFORE,
            existing_comment=STATUS_AFTER,
        )
        batch_op.alter_column(
            "msgid",
            existing_type=sa.String(length=30),
            nullable=False,
            comment=MSGID_BEFORE,
            existing_comment=MSGID_AFTER,
        )
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False, comment=None)
        batch_op.drop_column("self_pay")

    with op.batch_alter_table("reversal", schema=None) as batch_op:
        batch_op.alter_column("msgid", existing_type=sa.String(length=30), nullable=False, comment=None)

    op.drop_index("ix_settle_up_at", table_name="settle_up")
    op.drop_table("settle_up")
    op.drop_table("walk_in")
