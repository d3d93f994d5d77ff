"""Dashboard indexes: an author's and an OPD's newest posts, the calendar's published targets,
and the audit log filtered by action, OPD or actor, newest first.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# (index, table, columns): every one serves a "filter, newest first, one page" query.
INDEXES = (
    ("ix_post_author_updated", "post", ["author_id", "updated_at"]),
    ("ix_post_opd_updated", "post", ["opd_id", "updated_at"]),
    ("ix_post_target_published", "post_target", ["published_at"]),
    ("ix_audit_event_action_at", "audit_event", ["action", "at"]),
    ("ix_audit_event_opd_at", "audit_event", ["opd_id", "at"]),
    ("ix_audit_event_actor_at", "audit_event", ["actor_id", "at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
