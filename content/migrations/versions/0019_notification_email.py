"""Notifications by e-mail: each notification's e-mail state (sent by the worker at most once)
and each person's choice, per kind, of bell only or bell and e-mail.

Revision ID: 0019
Revises: 0017
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None

STATES = ("pending", "sending", "sent", "failed", "unknown")


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "email_state",
                sa.Enum(*STATES, name="emailstate", native_enum=False, length=16),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("email_attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("email_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("email_claimed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("email_sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("email_error", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_notification_emailstate"),
            f"email_state IN ({', '.join(repr(s) for s in STATES)})",
        )
        batch_op.create_index("ix_notification_email_state", ["email_state", "email_due_at"])
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_notification_preference_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preference")),
    )


def downgrade() -> None:
    op.drop_table("notification_preference")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_email_state")
        batch_op.drop_constraint(batch_op.f("ck_notification_emailstate"), type_="check")
        for column in (
            "email_error",
            "email_sent_at",
            "email_claimed_at",
            "email_due_at",
            "email_attempts",
            "email_state",
        ):
            batch_op.drop_column(column)
