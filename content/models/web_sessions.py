"""Dashboard sessions kept on the server: the browser holds only an opaque token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from content.models.base import Base, UTCDateTime


class WebSession(Base):
    """One signed-in browser (all its tabs share the cookie). The key is the SHA-256 of the
    token, so a copy of the database does not let anyone ride on a live session. A session ends
    once: `ended_at` and a reason code (`content.org.web_sessions.EndReason`) are set together."""

    __tablename__ = "web_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    via_sso: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the absolute limit
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(16))
