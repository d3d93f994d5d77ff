"""Monthly content plans imported from a spreadsheet: the upload (`plan_import`) and, on the
drafts it creates, the planned WIB day, the upload they came from and their row's fingerprint
(unique per OPD, so the same file imported twice creates nothing twice).

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("rejected_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["app_user.id"],
            name=op.f("fk_plan_import_imported_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_import")),
    )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("plan_import_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("plan_fingerprint", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_post_plan_import_id_plan_import"),
            "plan_import",
            ["plan_import_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_post_planned_on", ["planned_on"])
        batch_op.create_index(batch_op.f("ix_post_plan_import_id"), ["plan_import_id"])
        batch_op.create_index(
            "ux_post_opd_plan_fingerprint", ["opd_id", "plan_fingerprint"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ux_post_opd_plan_fingerprint")
        batch_op.drop_index(batch_op.f("ix_post_plan_import_id"))
        batch_op.drop_index("ix_post_planned_on")
        batch_op.drop_constraint(
            batch_op.f("fk_post_plan_import_id_plan_import"), type_="foreignkey"
        )
        batch_op.drop_column("plan_fingerprint")
        batch_op.drop_column("plan_import_id")
        batch_op.drop_column("planned_on")
    op.drop_table("plan_import")
