"""What the Monev reads beside posts: each social account's followers once a day (migration 0021),
and each review of a DIK entry, the record behind "Inventaris DIK ditinjau tahun ini"."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from content.models.base import Base, UTCDateTime, created_at_column


class FollowerSnapshot(Base):
    """An account's follower count on one day (WIB). One row per account and day: the daily job
    skips an account that already has today's row, so a restart reads nothing twice."""

    __tablename__ = "follower_snapshot"
    __table_args__ = (UniqueConstraint("account_id", "day", name="uq_follower_snapshot_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    followers: Mapped[int] = mapped_column()
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DikReview(Base):
    """One review of a DIK entry (the yearly review of the Daftar DIK page): who, and on which
    day. The entry's next review date moves a year on."""

    __tablename__ = "dik_review"
    __table_args__ = (Index("ix_dik_review_rule_day", "rule_id", "reviewed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("dik_rule.id", ondelete="CASCADE"))
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = created_at_column()
