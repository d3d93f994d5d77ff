"""Videotron: emergency overrides, player heartbeats, idempotent proof of play.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screen_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("slide_id", sa.Integer(), nullable=False),
        sa.Column("headline", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["app_user.id"],
            name=op.f("fk_screen_override_created_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"],
            ["app_user.id"],
            name=op.f("fk_screen_override_lifted_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["screen_id"],
            ["screen.id"],
            name=op.f("fk_screen_override_screen_id_screen"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slide_id"],
            ["slide.id"],
            name=op.f("fk_screen_override_slide_id_slide"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen_override")),
        sa.UniqueConstraint("slide_id", name=op.f("uq_screen_override_slide_id")),
    )
    with op.batch_alter_table("screen_override", schema=None) as batch_op:
        batch_op.create_index(
            "ix_screen_override_screen_lifted", ["screen_id", "lifted_at"], unique=False
        )

    op.create_table(
        "player_heartbeat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("player_clock", sa.DateTime(timezone=True), nullable=False),
        sa.Column("skew_ms", sa.Integer(), nullable=False),
        sa.Column("current_sha256", sa.String(length=64), nullable=True),
        sa.Column("playlist_etag", sa.String(length=100), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("beats", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["screen_id"],
            ["screen.id"],
            name=op.f("fk_player_heartbeat_screen_id_screen"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_player_heartbeat")),
        sa.UniqueConstraint("screen_id", "player_id", name="uq_player_heartbeat_screen_player"),
    )

    # SQLite cannot add a constraint in place: batch mode copies the table.
    with op.batch_alter_table("play_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            "uq_play_event_client_event", ["screen_id", "player_id", "event_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("play_event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_play_event_client_event", type_="unique")
        batch_op.drop_column("event_id")

    op.drop_table("player_heartbeat")

    with op.batch_alter_table("screen_override", schema=None) as batch_op:
        batch_op.drop_index("ix_screen_override_screen_lifted")
    op.drop_table("screen_override")
