"""Videotron that never goes dark: weekly hours, closures and the default slide per screen;
player keys (only a screen's own players may report).

Revision ID: 0012
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screen") as batch:
        batch.add_column(sa.Column("weekly_hours", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("closures", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column(
                "default_outside_hours", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
        batch.add_column(
            sa.Column("default_text", sa.String(length=200), nullable=False, server_default="")
        )
    op.create_table(
        "player_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["screen_id"],
            ["screen.id"],
            name=op.f("fk_player_key_screen_id_screen"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_player_key_created_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_player_key")),
        sa.UniqueConstraint("key_sha256", name=op.f("uq_player_key_key_sha256")),
    )
    op.create_index(op.f("ix_player_key_screen_id"), "player_key", ["screen_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_player_key_screen_id"), table_name="player_key")
    op.drop_table("player_key")
    with op.batch_alter_table("screen") as batch:
        batch.drop_column("default_text")
        batch.drop_column("default_outside_hours")
        batch.drop_column("closures")
        batch.drop_column("weekly_hours")
