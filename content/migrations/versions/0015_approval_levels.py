"""Governance: who wrote which content hash (four eyes on the words), two approval levels.

- `post_edit`: one row per content hash a user wrote. Filled from the audit trail, which has
  kept every `post.created` / `post.edited` / `post.edited_after_review` event with the content
  hash in its `after` snapshot; a post without such an event gets its author.
- `app_user.role` gains `admin_opd` (drafts for its OPD), bound to an OPD like `ppid_pembantu`.
- `account.needs_opd_approval` / `needs_city_approval`: existing accounts keep today's rule
  (PPID Utama only). `post.awaiting_level`: posts already submitted wait for PPID Utama.
  `review.level`: every earlier decision was PPID Utama's.

- `opd.kind` gains `partai` (a political party's secretariat).
- `dik_rule`: an OPD's own entries (`opd_id`) proposed by its PPID Pembantu and `approved` by
  PPID Utama; the UU KIP Pasal 17 ground, the decision's number and date, the review date.
  Existing entries are the city's, approved.

- `notification`: what waits for whom (a post to decide on, a decision on one's post).

Nothing is deleted: every post, review and audit row stays.

Revision ID: 0015
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

OLD_ROLES = ("ppid_pembantu", "ppid_utama", "analyst", "sysadmin")
NEW_ROLES = ("admin_opd", *OLD_ROLES)
EDIT_EVENTS = ("post.created", "post.edited", "post.edited_after_review")


LEVELS = "level IN ('opd', 'city')"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


OLD_KINDS = (
    "sekretariat",
    "inspektorat",
    "dinas",
    "badan",
    "kecamatan",
    "kelurahan",
    "bagian",
    "rsud",
    "bumd",
    "satpol",
    "lainnya",
)
NEW_KINDS = (*OLD_KINDS, "partai")


def _kinds(values: tuple[str, ...]) -> None:
    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_opd_opdkind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_opd_opdkind"), _in("kind", values))


def _roles(values: tuple[str, ...], bound: str) -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_app_user_pembantu_has_opd"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_app_user_role"), _in("role", values))
        batch_op.create_check_constraint(
            batch_op.f("ck_app_user_pembantu_has_opd"), f"{bound} OR opd_id IS NOT NULL"
        )


def upgrade() -> None:
    op.create_table(
        "post_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_post_edit_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_post_edit_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_edit")),
    )
    with op.batch_alter_table("post_edit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_edit_post_id"), ["post_id"], unique=False)

    _roles(NEW_ROLES, "role NOT IN ('ppid_pembantu', 'admin_opd')")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_opd_approval", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("needs_city_approval", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("awaiting_level", sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_post_approvallevel"), "awaiting_level IN ('opd', 'city')"
        )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level", sa.String(length=8), nullable=False, server_default="city")
        )
        batch_op.create_check_constraint(batch_op.f("ck_review_approvallevel"), LEVELS)
    _kinds(NEW_KINDS)
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "awaiting_approval",
                "changes_requested",
                "approved",
                "rejected",
                name="notificationkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["post.id"],
            name=op.f("fk_notification_post_id_post"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_notification_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_user_read", ["user_id", "read_at"], unique=False)
    with op.batch_alter_table("dik_rule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opd_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("approved", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("ground", sa.String(length=2), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("decision_number", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("decision_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("review_due", sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_dik_rule_opd_id_opd"), "opd", ["opd_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_dik_rule_opd_id"), ["opd_id"], unique=False)
    post = sa.table(
        "post",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("awaiting_level", sa.String),
        sa.column("author_id", sa.Integer),
        sa.column("content_hash", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.execute(post.update().where(post.c.status == "submitted").values(awaiting_level="city"))
    _fill_post_edits(post)


def _fill_post_edits(post: sa.TableClause) -> None:
    events = sa.table(
        "audit_event",
        sa.column("id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("entity_type", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("actor_id", sa.Integer),
        sa.column("after", sa.JSON),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    edits = sa.table(
        "post_edit",
        sa.column("post_id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("content_hash", sa.String),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    conn = op.get_bind()
    posts = {row.id: row for row in conn.execute(sa.select(post))}
    rows: list[dict[str, object]] = []
    found: set[int] = set()
    query = (
        sa.select(events)
        .where(
            events.c.entity_type == "post",
            events.c.action.in_(EDIT_EVENTS),
            events.c.actor_id.is_not(None),
        )
        .order_by(events.c.id)
    )
    for event in conn.execute(query):
        if event.entity_id not in posts:
            continue
        after = event.after if isinstance(event.after, dict) else {}
        rows.append(
            {
                "post_id": event.entity_id,
                "user_id": event.actor_id,
                "content_hash": str(after.get("content_hash") or ""),
                "at": event.at,
            }
        )
        found.add(event.entity_id)
    for post_id, row in posts.items():
        if post_id not in found:  # no creation event kept: the author wrote it
            rows.append(
                {
                    "post_id": post_id,
                    "user_id": row.author_id,
                    "content_hash": row.content_hash or "",
                    "at": row.created_at,
                }
            )
    if rows:
        op.bulk_insert(edits, rows)


def downgrade() -> None:
    # An OPD's own DIK entries did not exist before: they go; the city's stay.
    op.execute("DELETE FROM dik_rule WHERE opd_id IS NOT NULL")
    with op.batch_alter_table("dik_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dik_rule_opd_id"))
        batch_op.drop_constraint(batch_op.f("fk_dik_rule_opd_id_opd"), type_="foreignkey")
        for column in ("review_due", "decision_date", "decision_number", "ground", "approved"):
            batch_op.drop_column(column)
        batch_op.drop_column("opd_id")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_read")
    op.drop_table("notification")
    op.execute("UPDATE opd SET kind = 'lainnya' WHERE kind = 'partai'")
    _kinds(OLD_KINDS)
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_review_approvallevel"), type_="check")
        batch_op.drop_column("level")
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_post_approvallevel"), type_="check")
        batch_op.drop_column("awaiting_level")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("needs_city_approval")
        batch_op.drop_column("needs_opd_approval")
    # An OPD admin becomes what every OPD user was before: a PPID Pembantu.
    op.execute("UPDATE app_user SET role = 'ppid_pembantu' WHERE role = 'admin_opd'")
    _roles(OLD_ROLES, "role != 'ppid_pembantu'")
    with op.batch_alter_table("post_edit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_edit_post_id"))
    op.drop_table("post_edit")
