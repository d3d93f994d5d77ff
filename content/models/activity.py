"""What happened: publish attempts, metric snapshots, slides, plays, the audit log, DIK rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from content.infra.timeutil import utcnow
from content.models.base import Base, UTCDateTime, created_at_column, str_enum
from content.models.enums import AttemptOutcome, Severity


class PublishAttempt(Base):
    """Written before the platform is called, so a crash leaves a trace to reconcile."""

    __tablename__ = "publish_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("post_target.id", ondelete="CASCADE"), index=True
    )
    worker_id: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[AttemptOutcome] = mapped_column(
        str_enum(AttemptOutcome), default=AttemptOutcome.STARTED
    )
    http_status: Mapped[int | None] = mapped_column(Integer)
    error_code: Mapped[str] = mapped_column(String(64), default="")
    error_message: Mapped[str] = mapped_column(Text, default="")
    remote_id: Mapped[str | None] = mapped_column(String(200))
    # What was attempted: "publish", or "delete" after a takedown (content/delivery/takedown.py).
    action: Mapped[str] = mapped_column(String(16), default="publish", server_default="publish")
    # Why, as a code the worker branches on (publishers.social.result.Reason), and the
    # platform's own words: reconciliation of a duplicate refusal needs both after the receipt
    # is gone.
    reason: Mapped[str] = mapped_column(String(32), default="", server_default="")
    platform_message: Mapped[str] = mapped_column(Text, default="", server_default="")


class MetricSnapshot(Base):
    """Append-only engagement readings; the latest and the growth are derived in SQL."""

    __tablename__ = "metric_snapshot"
    __table_args__ = (Index("ix_metric_snapshot_target_captured", "target_id", "captured_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("post_target.id", ondelete="CASCADE"))
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    impressions: Mapped[int | None] = mapped_column(BigInteger)
    reach: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    saves: Mapped[int | None] = mapped_column(BigInteger)
    clicks: Mapped[int | None] = mapped_column(BigInteger)


class Slide(Base):
    """A rendered videotron slide of a post for one screen, content-addressed by its image."""

    __tablename__ = "slide"
    __table_args__ = (Index("ix_slide_screen_valid", "screen_id", "valid_from", "valid_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), index=True
    )
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id"))
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("post_target.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(32), default="image/png")
    headline: Mapped[str] = mapped_column(String(300), default="")
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seconds: Mapped[int] = mapped_column(Integer, default=10)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_override: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()


class PlayEvent(Base):
    """Proof of play reported by a videotron player."""

    __tablename__ = "play_event"
    __table_args__ = (Index("ix_play_event_screen_played", "screen_id", "played_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id"))
    slide_sha256: Mapped[str] = mapped_column(String(64), index=True)
    player_id: Mapped[str] = mapped_column(String(200), default="")
    played_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seconds: Mapped[float] = mapped_column(default=0.0)
    received_at: Mapped[datetime] = created_at_column()


class AuditEvent(Base):
    """Every state change and every credential or role change, written in the same transaction."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity", "entity_type", "entity_id"),
        Index("ix_audit_event_at", "at"),
        Index("ix_audit_event_action_at", "action", "at"),
        Index("ix_audit_event_opd_at", "opd_id", "at"),
        Index("ix_audit_event_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")


class DikRule(Base):
    """A term or pattern from a Daftar Informasi yang Dikecualikan: the city's (kept by PPID
    Utama, `opd_id` NULL) or one OPD's (proposed by its PPID Pembantu, screening that OPD's
    posts once PPID Utama approved it). Fields after `created_at`: migration 0015."""

    __tablename__ = "dik_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    pattern: Mapped[str] = mapped_column(String(500))
    is_regex: Mapped[bool] = mapped_column(default=False)
    severity: Mapped[Severity] = mapped_column(str_enum(Severity), default=Severity.BLOCK)
    reason: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = created_at_column()
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    approved: Mapped[bool] = mapped_column(default=True)
    # UU KIP Pasal 17 letter ("a" … "j"), the decision that set the exemption, and when the
    # entry is due for its yearly review.
    ground: Mapped[str] = mapped_column(String(2), default="")
    decision_number: Mapped[str] = mapped_column(String(200), default="")
    decision_date: Mapped[date | None] = mapped_column()
    review_due: Mapped[date | None] = mapped_column()
