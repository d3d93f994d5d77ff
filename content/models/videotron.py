"""Videotron tables added by migration 0002: emergency overrides, player heartbeats, and the
client event id that makes proof of play idempotent.

`play_event` itself is declared in activity.py; its `event_id` column and unique constraint are
attached here so that everything migration 0002 adds is declared in one file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from content.models.activity import PlayEvent, Slide
from content.models.base import Base, UTCDateTime, created_at_column

# A player numbers its own plays; the same play sent again (after a lost answer) is stored once.
PlayEvent.event_id = mapped_column(String(64), nullable=True)
cast(Table, PlayEvent.__table__).append_constraint(
    UniqueConstraint("screen_id", "player_id", "event_id", name="uq_play_event_client_event")
)


class ScreenOverride(Base):
    """Informasi serta-merta (UU KIP Pasal 10): a slide that takes a screen at once, until its end
    time or until PPID Utama lifts it. The slide row carries the image and the time window; this
    row says who pushed it, why, and who lifted it."""

    __tablename__ = "screen_override"
    __table_args__ = (Index("ix_screen_override_screen_lifted", "screen_id", "lifted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"))
    slide_id: Mapped[int] = mapped_column(ForeignKey("slide.id", ondelete="CASCADE"), unique=True)
    headline: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = created_at_column()
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    lift_reason: Mapped[str] = mapped_column(Text, default="")

    slide: Mapped[Slide] = relationship(lazy="joined")


class PlayerHeartbeat(Base):
    """The last word from each player of a screen (one row per player, updated in place)."""

    __tablename__ = "player_heartbeat"
    __table_args__ = (
        UniqueConstraint("screen_id", "player_id", name="uq_player_heartbeat_screen_player"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"))
    player_id: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = created_at_column()
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    player_clock: Mapped[datetime] = mapped_column(UTCDateTime())
    # Player clock minus server clock when the heartbeat arrived; positive: the player is ahead.
    skew_ms: Mapped[int] = mapped_column(Integer, default=0)
    current_sha256: Mapped[str | None] = mapped_column(String(64))
    playlist_etag: Mapped[str] = mapped_column(String(100), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    beats: Mapped[int] = mapped_column(Integer, default=0)
