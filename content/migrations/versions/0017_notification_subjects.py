"""Notifications beyond a post's review: scheduled, published, failed, serta-merta, an expiring
token, a budget warning, an overdue inbox item, a silent videotron player. Each may name its
subject (an account's or a screen's name) and carry a key that makes a repeated job tell once.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OLD_KINDS = ("awaiting_approval", "changes_requested", "approved", "rejected")
NEW_KINDS = (
    *OLD_KINDS,
    "scheduled",
    "published",
    "publish_failed",
    "serta_merta",
    "token_expiring",
    "budget_warning",
    "inbox_overdue",
    "player_silent",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_notification_notificationkind"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_notification_notificationkind"), _in("kind", NEW_KINDS)
        )
        batch_op.add_column(sa.Column("subject", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("dedupe_key", sa.String(length=120), nullable=True))
        batch_op.create_index("ux_notification_user_dedupe", ["user_id", "dedupe_key"], unique=True)


def downgrade() -> None:
    kept = sa.table("notification", sa.column("kind", sa.String()))
    op.execute(kept.delete().where(kept.c.kind.not_in(OLD_KINDS)))
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ux_notification_user_dedupe")
        batch_op.drop_column("dedupe_key")
        batch_op.drop_column("subject")
        batch_op.drop_constraint(batch_op.f("ck_notification_notificationkind"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_notification_notificationkind"), _in("kind", OLD_KINDS)
        )
