"""Running the publication machinery: the emergency stop and the workers' heartbeats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from content.infra.timeutil import utcnow
from content.models.base import Base, UTCDateTime


class PublicationPause(Base):
    """The emergency stop ("Jeda semua publikasi"): while one is active, nothing scheduled starts.

    `active` is TRUE while the pause holds and NULL once lifted; a unique index on it lets the
    database itself refuse a second simultaneous pause."""

    __tablename__ = "publication_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    active: Mapped[bool | None] = mapped_column(unique=True, default=True)
    reason: Mapped[str] = mapped_column(Text)
    paused_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    paused_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lift_reason: Mapped[str] = mapped_column(Text, default="")


class WorkerHeartbeat(Base):
    """Written by each worker every few seconds; the dashboard shows red after a minute."""

    __tablename__ = "worker_heartbeat"

    worker_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    hostname: Mapped[str] = mapped_column(String(200), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
