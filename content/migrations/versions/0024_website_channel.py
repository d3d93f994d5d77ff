"""The website channel: an OPD's WordPress site is a fifth channel, so every column that stores a
channel (accounts, targets, budgets, the spending ledger, Kotak masuk items) accepts "website".

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

OLD = ("x", "facebook", "instagram", "videotron")
NEW = (*OLD, "website")
# (table, column) for every CHECK named ck_<table>_channel (the enum's name is "channel").
COLUMNS = (
    ("account", "kind"),
    ("post_target", "channel"),
    ("budget", "platform"),
    ("spend_entry", "platform"),
    ("inbox_item", "channel"),
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _replace(values: tuple[str, ...]) -> None:
    # SQLite rebuilds each table to change a CHECK and cannot reflect the budget's expression
    # index (one budget per scope): it is dropped first and made again after.
    op.drop_index("uq_budget_scope", table_name="budget")
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"ck_{table}_channel"), type_="check")
            batch_op.create_check_constraint(batch_op.f(f"ck_{table}_channel"), _in(column, values))
    op.create_index(
        "uq_budget_scope",
        "budget",
        ["platform", "month", sa.text("coalesce(opd_id, 0)")],
        unique=True,
    )


def upgrade() -> None:
    _replace(NEW)


def downgrade() -> None:
    # Website accounts and targets have nowhere to go under the old constraint, and deleting
    # them would lose their attempts and audit links: a database that used the channel stays.
    bind = op.get_bind()
    used = (
        bind.execute(
            sa.text("SELECT COUNT(*) FROM post_target WHERE channel = 'website'")
        ).scalar_one()
        + bind.execute(sa.text("SELECT COUNT(*) FROM account WHERE kind = 'website'")).scalar_one()
    )
    if used:
        raise RuntimeError("website accounts or targets exist: remove them before downgrading")
    _replace(OLD)
