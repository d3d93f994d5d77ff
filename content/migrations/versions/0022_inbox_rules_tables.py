"""Kotak masuk: the phrase rules and saved replies move from data files into tables (edited in
the dashboard), seeded from the files that ship with the project; an item remembers when it
was escalated past its service level, and indexes answer the menu's counts and the escalation job.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from content.inbox.defaults import reply_rows, rule_rows

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TOPICS = ("pengaduan", "permintaan_informasi", "pertanyaan", "apresiasi", "spam")


def _topic() -> sa.Enum:
    return sa.Enum(*TOPICS, name="inboxtopic", native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    rules = op.create_table(
        "inbox_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.String(length=100), nullable=False),
        sa.Column("topic", _topic(), nullable=True),
        sa.Column("opd_slug", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_rule")),
    )
    replies = op.create_table(
        "inbox_saved_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("topic", _topic(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["opd_id"], ["opd.id"], name=op.f("fk_inbox_saved_reply_opd_id_opd"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_saved_reply")),
    )
    with op.batch_alter_table("inbox_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_inbox_item_opd_status_due", ["opd_id", "status", "due_at"], unique=False
        )
        batch_op.create_index(
            "ix_inbox_item_escalation", ["status", "escalated_at", "due_at"], unique=False
        )
    # Existing installs keep the rules and replies they had in the files.
    now = datetime.now(UTC)
    op.bulk_insert(rules, [r | {"created_at": now} for r in rule_rows()])
    op.bulk_insert(replies, [r | {"created_at": now} for r in reply_rows()])


def downgrade() -> None:
    with op.batch_alter_table("inbox_item", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_item_escalation")
        batch_op.drop_index("ix_inbox_item_opd_status_due")
        batch_op.drop_column("escalated_at")
    op.drop_table("inbox_saved_reply")
    op.drop_table("inbox_rule")
