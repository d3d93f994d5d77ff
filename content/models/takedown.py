"""A takedown ("Tarik publikasi"): PPID Utama's decision to remove a published post from every
channel, with its reason. One per post (a unique constraint), so a second request is refused
even when two people press the button at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from content.models.base import Base, UTCDateTime, created_at_column
from content.models.org import User


class Takedown(Base):
    __tablename__ = "takedown"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = created_at_column()
    reason: Mapped[str] = mapped_column(Text)
    # Set when the last channel is settled (removed, failed for good, or left to a person).
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    requested_by: Mapped[User | None] = relationship(lazy="joined")
