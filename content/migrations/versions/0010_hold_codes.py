"""Hold codes: a held target's reason as a code (`post_target.wait_code`), its sentence derived.

Existing holds are converted by the test the code used until now: a held target whose sentence
names the budget ("anggaran") is a `budget` hold; the daily cap's sentence is a `daily_cap` hold.

Revision ID: 0010
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None

DAILY_CAP = "Batas harian publikasi akun ini tercapai; menunggu 24 jam bergulir."


def upgrade() -> None:
    with op.batch_alter_table("post_target", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("wait_code", sa.String(length=32), nullable=False, server_default="")
        )
    target = sa.table(
        "post_target",
        sa.column("status", sa.String),
        sa.column("wait_reason", sa.Text),
        sa.column("wait_code", sa.String),
    )
    waiting = target.c.status == "waiting"
    op.execute(
        target.update()
        .where(waiting, target.c.wait_reason.contains("anggaran"))
        .values(wait_code="budget")
    )
    op.execute(
        target.update()
        .where(waiting, target.c.wait_code == "", target.c.wait_reason == DAILY_CAP)
        .values(wait_code="daily_cap")
    )


def downgrade() -> None:
    with op.batch_alter_table("post_target", schema=None) as batch_op:
        batch_op.drop_column("wait_code")
