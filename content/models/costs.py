"""Platform money: monthly budgets and the ledger of what each paid call cost."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from content.infra.timeutil import utcnow
from content.models.base import Base, UTCDateTime, str_enum
from content.models.enums import Channel

Money = Numeric(12, 4)


class Budget(Base):
    """A monthly ceiling for one platform, city-wide (opd_id NULL) or for one OPD."""

    __tablename__ = "budget"
    __table_args__ = (
        # One budget per platform, month and scope; NULL (city-wide) counts as one scope too.
        Index("uq_budget_scope", "platform", "month", func.coalesce("opd_id", 0), unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Channel] = mapped_column(str_enum(Channel))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM, in WIB
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    amount_usd: Mapped[Decimal] = mapped_column(Money)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SpendEntry(Base):
    """One charged call (or the charged part of it), from the publishers' call log."""

    __tablename__ = "spend_entry"
    __table_args__ = (
        Index("ix_spend_entry_platform_at", "platform", "at"),
        Index("ix_spend_entry_opd_at", "opd_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    platform: Mapped[Channel] = mapped_column(str_enum(Channel))
    action: Mapped[str] = mapped_column(String(32))
    units: Mapped[int] = mapped_column(Integer, default=1)
    amount_usd: Mapped[Decimal] = mapped_column(Money)
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("post_target.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(Text, default="")
