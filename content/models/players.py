"""Player keys (migration 0012): only a screen's own players may report plays and heartbeats.

A key is shown once when it is issued (to the launcher of the screen's PC) and stored only as
its sha256, so a database dump does not let anyone report for a screen.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from content.models.base import Base, UTCDateTime, created_at_column


class PlayerKey(Base):
    __tablename__ = "player_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"), index=True)
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
