"""Sign-in throttling: failures counted per account name and per client address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from content.models.base import Base, UTCDateTime


class SignInThrottle(Base):
    """Recent failed sign-ins of one account name or one client address, and when the next
    attempt from it will be checked. The key is a hash: neither the names people typed (a
    password typed into the wrong field) nor their addresses are kept in clear."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "account" or "address"
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_allowed_at: Mapped[datetime] = mapped_column(UTCDateTime())
