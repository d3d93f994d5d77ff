"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:25:56.190633
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "opd",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
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
                name="opdkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opd")),
        sa.UniqueConstraint("slug", name=op.f("uq_opd_slug")),
    )
    op.create_table(
        "screen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("offset_x", sa.Integer(), nullable=False),
        sa.Column("offset_y", sa.Integer(), nullable=False),
        sa.Column("default_seconds", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=True),
        sa.Column("closes_at", sa.Time(), nullable=True),
        sa.Column("viewing_distance_m", sa.Double(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("default_seconds > 0", name=op.f("ck_screen_positive_seconds")),
        sa.CheckConstraint("width > 0 AND height > 0", name=op.f("ck_screen_positive_size")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen")),
        sa.UniqueConstraint("slug", name=op.f("uq_screen_slug")),
    )
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "x",
                "facebook",
                "instagram",
                "videotron",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.Column("credentials_encrypted", sa.Text(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("is_simulator", sa.Boolean(), nullable=False),
        sa.Column(
            "health",
            sa.Enum(
                "unknown",
                "ok",
                "expiring",
                "error",
                name="accounthealth",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("health_message", sa.Text(), nullable=False),
        sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind != 'videotron'", name=op.f("ck_account_social_kind")),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_account_opd_id_opd")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("kind", "handle", name="uq_account_kind_handle"),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_opd_id"), ["opd_id"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "ppid_pembantu",
                "ppid_utama",
                "analyst",
                "sysadmin",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role != 'ppid_pembantu' OR opd_id IS NOT NULL",
            name=op.f("ck_app_user_pembantu_has_opd"),
        ),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_app_user_opd_id_opd")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_user_opd_id"), ["opd_id"], unique=False)

    op.create_table(
        "play_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("slide_sha256", sa.String(length=64), nullable=False),
        sa.Column("player_id", sa.String(length=200), nullable=False),
        sa.Column("played_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["screen_id"], ["screen.id"], name=op.f("fk_play_event_screen_id_screen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_play_event")),
    )
    with op.batch_alter_table("play_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_play_event_screen_played", ["screen_id", "played_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_play_event_slide_sha256"), ["slide_sha256"], unique=False
        )

    op.create_table(
        "audit_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_audit_event_actor_id_app_user")
        ),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_audit_event_opd_id_opd")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index("ix_audit_event_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_event_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_opd_id"), ["opd_id"], unique=False)

    op.create_table(
        "dik_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pattern", sa.String(length=500), nullable=False),
        sa.Column("is_regex", sa.Boolean(), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "block",
                "warn",
                name="severity",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_dik_rule_created_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dik_rule")),
    )
    op.create_table(
        "media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["app_user.id"], name=op.f("fk_media_uploaded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("sha256", name=op.f("uq_media_sha256")),
    )
    op.create_table(
        "post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=2000), nullable=False),
        sa.Column("headline", sa.String(length=300), nullable=False),
        sa.Column(
            "kip_category",
            sa.Enum(
                "berkala",
                "serta_merta",
                "setiap_saat",
                name="kipcategory",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "changes_requested",
                "rejected",
                "approved",
                "scheduled",
                "publishing",
                "published",
                "partially_published",
                "failed",
                name="poststatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("approved_hash", sa.String(length=64), nullable=True),
        sa.Column("screening_override_hash", sa.String(length=64), nullable=True),
        sa.Column("screening_override_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status != 'scheduled' OR scheduled_at IS NOT NULL",
            name=op.f("ck_post_scheduled_has_time"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('approved','scheduled','publishing','published','partially_published','failed') OR approved_hash IS NOT NULL",
            name=op.f("ck_post_approved_has_hash"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_post_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_post_opd_id_opd")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post")),
    )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_post_opd_status_updated", ["opd_id", "status", "updated_at"], unique=False
        )
        batch_op.create_index("ix_post_status_scheduled", ["status", "scheduled_at"], unique=False)
        batch_op.create_index("ix_post_status_updated", ["status", "updated_at"], unique=False)

    op.create_table(
        "post_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("alt_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_post_media_media_id_media")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_post_media_post_id_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_media")),
        sa.UniqueConstraint("post_id", "position", name="uq_post_media_position"),
    )
    with op.batch_alter_table("post_media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_media_media_id"), ["media_id"], unique=False)

    op.create_table(
        "post_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "x",
                "facebook",
                "instagram",
                "videotron",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("screen_id", sa.Integer(), nullable=True),
        sa.Column("text_override", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "scheduled",
                "publishing",
                "unknown",
                "waiting",
                "published",
                "failed",
                "cancelled",
                name="targetstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remote_id", sa.String(length=200), nullable=True),
        sa.Column("remote_url", sa.String(length=2000), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_error_code", sa.String(length=64), nullable=False),
        sa.Column("wait_reason", sa.Text(), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(channel = 'videotron') = (screen_id IS NOT NULL)",
            name=op.f("ck_post_target_screen_iff_videotron"),
        ),
        sa.CheckConstraint(
            "(account_id IS NULL) != (screen_id IS NULL)",
            name=op.f("ck_post_target_account_xor_screen"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_post_target_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_post_target_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["screen_id"], ["screen.id"], name=op.f("fk_post_target_screen_id_screen")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_target")),
        sa.UniqueConstraint("post_id", "account_id", name="uq_post_target_account"),
        sa.UniqueConstraint("post_id", "screen_id", name="uq_post_target_screen"),
    )
    with op.batch_alter_table("post_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_target_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_target_post_id"), ["post_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_target_screen_id"), ["screen_id"], unique=False)
        batch_op.create_index("ix_post_target_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "approve",
                "request_changes",
                "reject",
                name="decision",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_review_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["app_user.id"], name=op.f("fk_review_reviewer_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_post_id"), ["post_id"], unique=False)

    op.create_table(
        "metric_snapshot",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("impressions", sa.BigInteger(), nullable=True),
        sa.Column("reach", sa.BigInteger(), nullable=True),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("likes", sa.BigInteger(), nullable=True),
        sa.Column("comments", sa.BigInteger(), nullable=True),
        sa.Column("shares", sa.BigInteger(), nullable=True),
        sa.Column("saves", sa.BigInteger(), nullable=True),
        sa.Column("clicks", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["post_target.id"],
            name=op.f("fk_metric_snapshot_target_id_post_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_snapshot")),
    )
    with op.batch_alter_table("metric_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            "ix_metric_snapshot_target_captured", ["target_id", "captured_at"], unique=False
        )

    op.create_table(
        "publish_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "started",
                "success",
                "retryable",
                "permanent",
                "unknown",
                "reconciled",
                name="attemptoutcome",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["post_target.id"],
            name=op.f("fk_publish_attempt_target_id_post_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publish_attempt")),
    )
    with op.batch_alter_table("publish_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publish_attempt_target_id"), ["target_id"], unique=False
        )

    op.create_table(
        "slide",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime", sa.String(length=32), nullable=False),
        sa.Column("headline", sa.String(length=300), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_override", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_slide_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["screen_id"], ["screen.id"], name=op.f("fk_slide_screen_id_screen")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["post_target.id"],
            name=op.f("fk_slide_target_id_post_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slide")),
    )
    with op.batch_alter_table("slide", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slide_post_id"), ["post_id"], unique=False)
        batch_op.create_index(
            "ix_slide_screen_valid", ["screen_id", "valid_from", "valid_until"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_slide_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_slide_target_id"), ["target_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("slide", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slide_target_id"))
        batch_op.drop_index(batch_op.f("ix_slide_sha256"))
        batch_op.drop_index("ix_slide_screen_valid")
        batch_op.drop_index(batch_op.f("ix_slide_post_id"))

    op.drop_table("slide")
    with op.batch_alter_table("publish_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publish_attempt_target_id"))

    op.drop_table("publish_attempt")
    with op.batch_alter_table("metric_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_snapshot_target_captured")

    op.drop_table("metric_snapshot")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_post_id"))

    op.drop_table("review")
    with op.batch_alter_table("post_target", schema=None) as batch_op:
        batch_op.drop_index("ix_post_target_status_due")
        batch_op.drop_index(batch_op.f("ix_post_target_screen_id"))
        batch_op.drop_index(batch_op.f("ix_post_target_post_id"))
        batch_op.drop_index(batch_op.f("ix_post_target_account_id"))

    op.drop_table("post_target")
    with op.batch_alter_table("post_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_media_media_id"))

    op.drop_table("post_media")
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_status_updated")
        batch_op.drop_index("ix_post_status_scheduled")
        batch_op.drop_index("ix_post_opd_status_updated")
        batch_op.drop_index(batch_op.f("ix_post_author_id"))

    op.drop_table("post")
    op.drop_table("media")
    op.drop_table("dik_rule")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_opd_id"))
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.drop_index("ix_audit_event_at")
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    with op.batch_alter_table("play_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_play_event_slide_sha256"))
        batch_op.drop_index("ix_play_event_screen_played")

    op.drop_table("play_event")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_opd_id"))

    op.drop_table("app_user")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_opd_id"))

    op.drop_table("account")
    op.drop_table("screen")
    op.drop_table("opd")
