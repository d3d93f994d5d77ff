"""Platform costs: monthly budgets and the spending ledger.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHANNEL = sa.Enum(
    "x",
    "facebook",
    "instagram",
    "videotron",
    name="channel",
    native_enum=False,
    create_constraint=True,
    length=24,
)


def upgrade() -> None:
    op.create_table(
        "budget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", CHANNEL, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("amount_usd", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_budget_opd_id_opd")),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["app_user.id"], name=op.f("fk_budget_set_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget")),
    )
    op.create_index(
        "uq_budget_scope",
        "budget",
        ["platform", "month", sa.text("coalesce(opd_id, 0)")],
        unique=True,
    )
    op.create_table(
        "spend_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform", CHANNEL, nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("amount_usd", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_spend_entry_account_id_account")
        ),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_spend_entry_opd_id_opd")),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_spend_entry_post_id_post"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["post_target.id"],
            name=op.f("fk_spend_entry_target_id_post_target"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spend_entry")),
    )
    op.create_index("ix_spend_entry_opd_at", "spend_entry", ["opd_id", "at"])
    op.create_index("ix_spend_entry_platform_at", "spend_entry", ["platform", "at"])


def downgrade() -> None:
    op.drop_index("ix_spend_entry_platform_at", table_name="spend_entry")
    op.drop_index("ix_spend_entry_opd_at", table_name="spend_entry")
    op.drop_table("spend_entry")
    op.drop_index("uq_budget_scope", table_name="budget")
    op.drop_table("budget")
