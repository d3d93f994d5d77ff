"""Kotak masuk: collected comments and mentions, the replies and hides sent on them, and the
collection cursors.

Revision ID: 0014
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str, length: int = 24) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


CHANNEL = ("x", "facebook", "instagram", "videotron")


def upgrade() -> None:
    op.create_table(
        "inbox_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("channel", _enum("channel", *CHANNEL), nullable=False),
        sa.Column("kind", _enum("inboxkind", "comment", "reply", "mention"), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=False),
        sa.Column("parent_remote_id", sa.String(length=200), nullable=True),
        sa.Column("thread_remote_id", sa.String(length=200), nullable=False),
        sa.Column("post_remote_id", sa.String(length=200), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("author_handle", sa.String(length=200), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("author_remote_id", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("route_reason", sa.String(length=40), nullable=False),
        sa.Column(
            "topic",
            _enum(
                "inboxtopic",
                "pengaduan",
                "permintaan_informasi",
                "pertanyaan",
                "apresiasi",
                "spam",
            ),
            nullable=True,
        ),
        sa.Column("topic_phrase", sa.String(length=100), nullable=False),
        sa.Column("proposed_opd_id", sa.Integer(), nullable=True),
        sa.Column("proposal_phrase", sa.String(length=100), nullable=False),
        sa.Column(
            "status",
            _enum("inboxstatus", "open", "answered", "closed", "hidden"),
            nullable=False,
        ),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "close_reason",
            _enum("closereason", "resolved", "no_action", "spam", "duplicate", "forwarded_lapor"),
            nullable=True,
        ),
        sa.Column("lapor_ticket", sa.String(length=60), nullable=False),
        sa.Column("hidden_on_platform", sa.Boolean(), nullable=False),
        sa.Column("deleted_on_platform", sa.Boolean(), nullable=False),
        sa.Column("ours", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_inbox_item_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_inbox_item_post_id_post"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_inbox_item_opd_id_opd")),
        sa.ForeignKeyConstraint(
            ["proposed_opd_id"], ["opd.id"], name=op.f("fk_inbox_item_proposed_opd_id_opd")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["app_user.id"], name=op.f("fk_inbox_item_assignee_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_item")),
        sa.UniqueConstraint("account_id", "remote_id", name="uq_inbox_item_account_remote"),
    )
    op.create_index("ix_inbox_item_thread", "inbox_item", ["account_id", "thread_remote_id"])
    op.create_index("ix_inbox_item_status_due", "inbox_item", ["status", "due_at"])
    op.create_index("ix_inbox_item_received", "inbox_item", ["received_at"])
    op.create_index("ix_inbox_item_opd_received", "inbox_item", ["opd_id", "received_at"])
    op.create_table(
        "inbox_outgoing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("action", _enum("outgoingaction", "reply", "hide"), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "outcome",
            _enum("outgoingoutcome", "awaiting_approval", "pending", "sent", "failed", "unknown"),
            nullable=False,
        ),
        sa.Column("remote_id", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error_code", sa.String(length=40), nullable=False),
        sa.Column("error_message", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["inbox_item.id"],
            name=op.f("fk_inbox_outgoing_item_id_inbox_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_inbox_outgoing_author_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_outgoing")),
    )
    op.create_index(op.f("ix_inbox_outgoing_item_id"), "inbox_outgoing", ["item_id"])
    op.create_index(op.f("ix_inbox_outgoing_outcome"), "inbox_outgoing", ["outcome"])
    op.create_table(
        "inbox_cursor",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_inbox_cursor_account_id_account")
        ),
        sa.PrimaryKeyConstraint("account_id", "source", name=op.f("pk_inbox_cursor")),
    )


def downgrade() -> None:
    op.drop_table("inbox_cursor")
    op.drop_index(op.f("ix_inbox_outgoing_outcome"), table_name="inbox_outgoing")
    op.drop_index(op.f("ix_inbox_outgoing_item_id"), table_name="inbox_outgoing")
    op.drop_table("inbox_outgoing")
    op.drop_index("ix_inbox_item_opd_received", table_name="inbox_item")
    op.drop_index("ix_inbox_item_received", table_name="inbox_item")
    op.drop_index("ix_inbox_item_status_due", table_name="inbox_item")
    op.drop_index("ix_inbox_item_thread", table_name="inbox_item")
    op.drop_table("inbox_item")
