"""Settling unknown outcomes: an attempt's reason code and platform words, a target's pending
platform container (Instagram).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publish_attempt") as batch:
        batch.add_column(
            sa.Column("reason", sa.String(length=32), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("platform_message", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("post_target") as batch:
        batch.add_column(sa.Column("container_ref", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("post_target") as batch:
        batch.drop_column("container_ref")
    with op.batch_alter_table("publish_attempt") as batch:
        batch.drop_column("platform_message")
        batch.drop_column("reason")
