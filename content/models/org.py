"""Who and where: OPDs, users, social accounts, videotron screens."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from content.models.base import Base, UTCDateTime, created_at_column, str_enum
from content.models.enums import (
    AccountHealth,
    Channel,
    EmailState,
    NotificationKind,
    OpdKind,
    Role,
)


class Opd(Base):
    __tablename__ = "opd"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[OpdKind] = mapped_column(str_enum(OpdKind))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"Opd({self.slug!r})"


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(
            "role NOT IN ('ppid_pembantu', 'admin_opd') OR opd_id IS NOT NULL",
            name="pembantu_has_opd",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    # For single sign-on: the identity provider's e-mail maps to this user.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()

    opd: Mapped[Opd | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"User({self.username!r}, {self.role.value})"


class Account(Base):
    """A social media account an OPD (or the whole city, when opd_id is NULL) publishes to."""

    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("kind != 'videotron'", name="social_kind"),
        UniqueConstraint("kind", "handle", name="uq_account_kind_handle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Channel] = mapped_column(str_enum(Channel))
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    handle: Mapped[str] = mapped_column(String(200))
    # Fernet token of a JSON object; never logged, never shown back.
    credentials_encrypted: Mapped[str] = mapped_column(Text, default="")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    is_simulator: Mapped[bool] = mapped_column(default=False)
    health: Mapped[AccountHealth] = mapped_column(
        str_enum(AccountHealth), default=AccountHealth.UNKNOWN
    )
    health_message: Mapped[str] = mapped_column(Text, default="")
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()
    # Migration 0015: which sign-offs a post to this account needs (`ApprovalLevel`). A
    # city-wide account always needs PPID Utama's.
    needs_opd_approval: Mapped[bool] = mapped_column(default=False)
    needs_city_approval: Mapped[bool] = mapped_column(default=True)

    opd: Mapped[Opd | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"Account({self.kind.value}:{self.handle!r})"


class Screen(Base):
    """A videotron (LED wall). Sizes are the controller's input in pixels."""

    __tablename__ = "screen"
    __table_args__ = (
        CheckConstraint("width > 0 AND height > 0", name="positive_size"),
        CheckConstraint("default_seconds > 0", name="positive_seconds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200), default="")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    offset_x: Mapped[int] = mapped_column(Integer, default=0)
    offset_y: Mapped[int] = mapped_column(Integer, default=0)
    default_seconds: Mapped[int] = mapped_column(Integer, default=10)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    opens_at: Mapped[time | None] = mapped_column()
    closes_at: Mapped[time | None] = mapped_column()
    viewing_distance_m: Mapped[float | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()
    # Migration 0012. Per weekday ("0" Monday … "6" Sunday): ["HH:MM", "HH:MM"], or null for a
    # day without hours; a weekday not listed keeps opens_at/closes_at. Closures: dates in the
    # screen's time zone with a reason code ({"day": "2026-12-25", "reason": "holiday"}).
    weekly_hours: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    closures: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Outside hours the player shows the default slide (True) or goes dark (False, the LED off).
    default_outside_hours: Mapped[bool] = mapped_column(default=True)
    # The line under the city's name on the default slide (empty: the screen's name).
    default_text: Mapped[str] = mapped_column(String(200), default="")

    def __repr__(self) -> str:
        return f"Screen({self.slug!r}, {self.width}x{self.height})"


class Notification(Base):
    """Something waiting for one person (migration 0015): a post to decide on, a decision on
    their post. It names the post by its id only, and only people who may see that post get one."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_read", "user_id", "read_at"),
        # One notification per person and occasion (e.g. "screen X silent since T"): a job that
        # runs every minute tells once. NULL keys never collide.
        Index("ux_notification_user_dedupe", "user_id", "dedupe_key", unique=True),
        # The mail job's queue: what is pending (and due) or left in `sending`.
        Index("ix_notification_email_state", "email_state", "email_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, length=32))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    # What a notification without a post is about, as shown (an account's or a screen's name,
    # an inbox item's number); never another OPD's content.
    subject: Mapped[str | None] = mapped_column(String(120))
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = created_at_column()
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Migration 0019: its e-mail (see EmailState), sent by the worker at most once.
    email_state: Mapped[EmailState | None] = mapped_column(str_enum(EmailState, length=16))
    email_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    email_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # next try, when pending
    email_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_error: Mapped[str] = mapped_column(String(300), default="", server_default="")


class NotificationPreference(Base):
    """Whether a person also gets a kind of notification by e-mail (migration 0019). No row:
    `content.org.notifications.EMAIL_BY_DEFAULT` decides. The bell always shows it."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    # Checked in Python only: a kind added later needs no change to this table.
    kind: Mapped[NotificationKind] = mapped_column(
        Enum(
            NotificationKind,
            native_enum=False,
            create_constraint=False,
            length=32,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        primary_key=True,
    )
    email: Mapped[bool] = mapped_column()
