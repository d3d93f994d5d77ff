"""Plain values for what pages draw, read from the ORM inside the transaction that loaded it, so
nothing is lazily loaded after the session closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from content.editorial.posts import channel_text
from content.models import (
    ApprovalLevel,
    Channel,
    Decision,
    KipCategory,
    Post,
    PostStatus,
    PostTarget,
    TargetStatus,
)


@dataclass(frozen=True)
class TargetView:
    id: int
    channel: Channel
    account_id: int | None
    screen_id: int | None
    label: str
    text: str
    text_override: str | None
    status: TargetStatus
    is_simulator: bool
    size: tuple[int, int] | None  # a screen's pixels
    last_error: str
    last_error_code: str
    wait_reason: str
    remote_url: str | None
    attempts: int
    published_at: datetime | None = None


@dataclass(frozen=True)
class PhotoView:
    media_id: int
    sha256: str
    extension: str
    alt_text: str
    name: str
    width: int
    height: int


@dataclass(frozen=True)
class ReviewView:
    decision: Decision
    reviewer: str
    comment: str
    at: datetime


@dataclass(frozen=True)
class PostView:
    id: int
    version: int
    status: PostStatus
    opd_id: int
    opd_name: str
    author_id: int
    author: str
    caption: str
    link: str
    headline: str
    kip: KipCategory
    planned_on: date | None  # the author's wish for the day (or the content plan's)
    scheduled_at: datetime | None
    updated_at: datetime
    submitted_at: datetime | None
    override_reason: str
    targets: tuple[TargetView, ...]
    photos: tuple[PhotoView, ...]
    reviews: tuple[ReviewView, ...]
    # What `workflow.available_steps` reads besides the above: whose sign-off it waits for and
    # who wrote any of its wording (four eyes).
    awaiting_level: ApprovalLevel | None
    editor_ids: frozenset[int]

    @property
    def channels(self) -> list[Channel]:
        return list(dict.fromkeys(t.channel for t in self.targets))

    @property
    def last_review(self) -> ReviewView | None:
        return self.reviews[-1] if self.reviews else None


def _target(post: Post, target: PostTarget) -> TargetView:
    account, screen = target.account, target.screen
    if account is not None:
        label = f"{account.display_name} ({account.handle})"
    else:
        label = screen.name if screen else f"#{target.screen_id}"
    return TargetView(
        target.id,
        target.channel,
        target.account_id,
        target.screen_id,
        label,
        channel_text(post, target),
        target.text_override,
        target.status,
        bool(account and account.is_simulator),
        (screen.width, screen.height) if screen else None,
        target.last_error,
        target.last_error_code,
        target.wait_reason,
        target.remote_url,
        target.attempts,
        target.published_at,
    )


def post_view(post: Post) -> PostView:
    return PostView(
        id=post.id,
        version=post.version,
        status=post.status,
        opd_id=post.opd_id,
        opd_name=post.opd.short_name,
        author_id=post.author_id,
        author=post.author.display_name,
        caption=post.caption,
        link=post.link,
        headline=post.headline,
        kip=post.kip_category,
        planned_on=post.planned_on,
        scheduled_at=post.scheduled_at,
        updated_at=post.updated_at,
        submitted_at=post.submitted_at,
        override_reason=post.screening_override_reason,
        targets=tuple(_target(post, t) for t in post.targets),
        photos=tuple(
            PhotoView(
                p.media_id,
                p.media.sha256,
                p.media.extension,
                p.alt_text,
                p.media.original_name,
                p.media.width,
                p.media.height,
            )
            for p in post.photos
        ),
        reviews=tuple(
            ReviewView(r.decision, r.reviewer.display_name, r.comment, r.created_at)
            for r in post.reviews
        ),
        awaiting_level=post.awaiting_level,
        editor_ids=post.editor_ids,
    )
