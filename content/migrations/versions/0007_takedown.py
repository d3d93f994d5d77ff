"""Takedown ("Tarik publikasi"): the takedown record, the post and target statuses it uses, and
the kind of a platform attempt (publish or delete).

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_POST_BEFORE = (
    "draft",
    "submitted",
    "changes_requested",
    "rejected",
    "approved",
    "scheduled",
    "publishing",
    "published",
    "partially_published",
    "failed",
)
_TARGET_BEFORE = (
    "pending",
    "scheduled",
    "publishing",
    "unknown",
    "waiting",
    "published",
    "failed",
    "cancelled",
)
_POST_AFTER = (*_POST_BEFORE, "taken_down")
_TARGET_AFTER = (
    *_TARGET_BEFORE,
    "removal_due",
    "removing",
    "removed",
    "removal_failed",
    "remove_manually",
)
_APPROVED_BEFORE = (
    "approved",
    "scheduled",
    "publishing",
    "published",
    "partially_published",
    "failed",
)
_APPROVED_AFTER = (*_APPROVED_BEFORE, "taken_down")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _approved(values: tuple[str, ...]) -> str:
    return f"status NOT IN ({','.join(repr(v) for v in values)}) OR approved_hash IS NOT NULL"


def _statuses(post: tuple[str, ...], target: tuple[str, ...], approved: tuple[str, ...]) -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_post_poststatus"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_post_approved_has_hash"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_post_poststatus"), _in("status", post))
        batch_op.create_check_constraint(
            batch_op.f("ck_post_approved_has_hash"), _approved(approved)
        )
    with op.batch_alter_table("post_target", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_post_target_targetstatus"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_post_target_targetstatus"), _in("status", target)
        )


def upgrade() -> None:
    _statuses(_POST_AFTER, _TARGET_AFTER, _APPROVED_AFTER)
    with op.batch_alter_table("publish_attempt", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("action", sa.String(length=16), server_default="publish", nullable=False)
        )
    op.create_table(
        "takedown",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_takedown_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["app_user.id"],
            name=op.f("fk_takedown_requested_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown")),
        sa.UniqueConstraint("post_id", name=op.f("uq_takedown_post_id")),
    )


def downgrade() -> None:
    op.drop_table("takedown")
    with op.batch_alter_table("publish_attempt", schema=None) as batch_op:
        batch_op.drop_column("action")
    _statuses(_POST_BEFORE, _TARGET_BEFORE, _APPROVED_BEFORE)
