"""What is published: posts, their per-channel targets, photos and review decisions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from content.infra.timeutil import utcnow
from content.models.base import Base, UTCDateTime, created_at_column, str_enum
from content.models.enums import (
    ApprovalLevel,
    Channel,
    Decision,
    KipCategory,
    PostStatus,
    TargetStatus,
)
from content.models.org import Account, Opd, Screen, User

_APPROVED_SQL = (
    "status NOT IN ('approved','scheduled','publishing','published','partially_published','failed',"
    "'taken_down')"
    " OR approved_hash IS NOT NULL"
)


class Media(Base):
    """A photo after intake: metadata stripped, stored once by the sha256 of its bytes."""

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = created_at_column()

    @property
    def extension(self) -> str:
        return "png" if self.mime == "image/png" else "jpg"


class PlanImport(Base):
    """One upload of a monthly content plan ("rencana konten bulanan"): who, which file, what came
    of it. The drafts it created point back here, so the approval queue can filter by plan."""

    __tablename__ = "plan_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255), default="")
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()


class Post(Base):
    __tablename__ = "post"
    __table_args__ = (
        CheckConstraint(_APPROVED_SQL, name="approved_has_hash"),
        CheckConstraint(
            "status != 'scheduled' OR scheduled_at IS NOT NULL", name="scheduled_has_time"
        ),
        Index("ix_post_opd_status_updated", "opd_id", "status", "updated_at"),
        Index("ix_post_status_updated", "status", "updated_at"),
        Index("ix_post_status_scheduled", "status", "scheduled_at"),
        Index("ix_post_author_updated", "author_id", "updated_at"),
        Index("ix_post_opd_updated", "opd_id", "updated_at"),
        Index("ix_post_planned_on", "planned_on"),
        # A plan row imported twice (same words, same OPD) is one draft (migration 0023).
        Index("ux_post_opd_plan_fingerprint", "opd_id", "plan_fingerprint", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    caption: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(2000), default="")
    headline: Mapped[str] = mapped_column(String(300), default="")
    kip_category: Mapped[KipCategory] = mapped_column(
        str_enum(KipCategory), default=KipCategory.BERKALA
    )
    status: Mapped[PostStatus] = mapped_column(str_enum(PostStatus), default=PostStatus.DRAFT)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    approved_hash: Mapped[str | None] = mapped_column(String(64))
    # A PPID Utama override of blocking screening findings holds for exactly this content.
    screening_override_hash: Mapped[str | None] = mapped_column(String(64))
    screening_override_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Migration 0015. While submitted: whose sign-off it waits for (None otherwise).
    awaiting_level: Mapped[ApprovalLevel | None] = mapped_column(str_enum(ApprovalLevel, length=8))
    # Migration 0023. A draft from a content plan: the WIB day it is planned for (a plan, not a
    # schedule), the upload it came from and the fingerprint of its row.
    planned_on: Mapped[date | None] = mapped_column(Date)
    plan_import_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_import.id", ondelete="SET NULL"), index=True
    )
    plan_fingerprint: Mapped[str | None] = mapped_column(String(64))

    opd: Mapped[Opd] = relationship(lazy="joined")
    author: Mapped[User] = relationship(lazy="joined")
    targets: Mapped[list[PostTarget]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostTarget.id"
    )
    photos: Mapped[list[PostMedia]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostMedia.position"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="post", order_by="Review.id", cascade="all, delete-orphan"
    )
    edits: Mapped[list[PostEdit]] = relationship(
        back_populates="post", order_by="PostEdit.id", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def editor_ids(self) -> frozenset[int]:
        """Everyone who wrote any version of this content (the author's first draft included)."""
        return frozenset(edit.user_id for edit in self.edits)

    # SQLAlchemy adds "AND version = :old" to every UPDATE: a concurrent writer gets StaleDataError.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"Post({self.id}, {self.status.value})"


class PostMedia(Base):
    """A photo used by a post. Alt text belongs to the use: one photo may serve two posts."""

    __tablename__ = "post_media"
    __table_args__ = (UniqueConstraint("post_id", "position", name="uq_post_media_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    alt_text: Mapped[str] = mapped_column(Text, default="")

    post: Mapped[Post] = relationship(back_populates="photos")
    media: Mapped[Media] = relationship(lazy="joined")


class PostTarget(Base):
    """One post on one channel: a social account or a videotron screen."""

    __tablename__ = "post_target"
    __table_args__ = (
        CheckConstraint("(account_id IS NULL) != (screen_id IS NULL)", name="account_xor_screen"),
        CheckConstraint(
            "(channel = 'videotron') = (screen_id IS NOT NULL)", name="screen_iff_videotron"
        ),
        UniqueConstraint("post_id", "account_id", name="uq_post_target_account"),
        UniqueConstraint("post_id", "screen_id", name="uq_post_target_screen"),
        Index("ix_post_target_status_due", "status", "due_at"),
        Index("ix_post_target_published", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    screen_id: Mapped[int | None] = mapped_column(ForeignKey("screen.id"), index=True)
    text_override: Mapped[str | None] = mapped_column(Text)
    status: Mapped[TargetStatus] = mapped_column(
        str_enum(TargetStatus), default=TargetStatus.PENDING
    )
    # When the worker should next look at it: the schedule, or a retry after backoff.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remote_id: Mapped[str | None] = mapped_column(String(200))
    remote_url: Mapped[str | None] = mapped_column(String(2000))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_code: Mapped[str] = mapped_column(String(64), default="")
    # A hold's code (`delivery.holds.HoldCode`, "" when not held) and its sentence for people.
    wait_code: Mapped[str] = mapped_column(String(32), default="")
    wait_reason: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A platform container created and not yet published (Instagram), "content hash:id":
    # committed before the publishing call, reused by the next attempt of the same content.
    container_ref: Mapped[str | None] = mapped_column(String(200))

    post: Mapped[Post] = relationship(back_populates="targets")
    account: Mapped[Account | None] = relationship(lazy="joined")
    screen: Mapped[Screen | None] = relationship(lazy="joined")

    def text_for(self, caption: str) -> str:
        return caption if self.text_override is None else self.text_override

    @property
    def label(self) -> str:
        if self.account is not None:
            return f"{self.channel.value}:{self.account.handle}"
        return f"videotron:{self.screen.slug if self.screen else self.screen_id}"


class PostEdit(Base):
    """Who wrote which content hash of a post (migration 0015): the draft's creation and every
    edit that changed the content. Four eyes reads it: nobody decides on wording they wrote."""

    __tablename__ = "post_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = created_at_column()

    post: Mapped[Post] = relationship(back_populates="edits")


class Review(Base):
    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decision: Mapped[Decision] = mapped_column(str_enum(Decision))
    comment: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    # Migration 0015: the level this decision was taken at (before 0015: PPID Utama's).
    level: Mapped[ApprovalLevel] = mapped_column(
        str_enum(ApprovalLevel, length=8), default=ApprovalLevel.CITY
    )
    created_at: Mapped[datetime] = created_at_column()

    post: Mapped[Post] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship(lazy="joined")
