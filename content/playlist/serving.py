"""Videotron playlists: what the feed may serve: published things only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from content.infra.store import is_sha256
from content.infra.timeutil import utcnow
from content.models import (
    Channel,
    Media,
    Post,
    PostMedia,
    PostStatus,
    PostTarget,
    Slide,
    TargetStatus,
)
from content.models.enums import APPROVED_STATUSES
from content.models.videotron import ScreenOverride
from content.playlist.values import SLIDE_MIMES


def is_servable_slide(
    session: Session, sha256: str, extension: str, at: datetime | None = None
) -> bool:
    """A slide image is public once its post target is published on videotron and until its
    window ends (players fetch a week ahead, so a slide not yet begun is served), or while the
    emergency override it belongs to has not been lifted nor ended. An ended or withdrawn
    slide is no longer served, whatever a cache was told before."""
    at = at or utcnow()
    mime = next((m for m, ext in SLIDE_MIMES.items() if ext == extension), None)
    if not is_sha256(sha256) or mime is None:
        return False
    published = (
        select(Slide.id)
        .join(PostTarget, PostTarget.id == Slide.target_id)
        .where(
            Slide.sha256 == sha256,
            Slide.mime == mime,
            Slide.is_override.is_(False),
            PostTarget.channel == Channel.VIDEOTRON,
            PostTarget.status == TargetStatus.PUBLISHED,
            or_(Slide.valid_until.is_(None), Slide.valid_until > at),
        )
        .limit(1)
    )
    if session.scalar(published) is not None:
        return True
    override = (
        select(Slide.id)
        .join(ScreenOverride, ScreenOverride.slide_id == Slide.id)
        .where(
            Slide.sha256 == sha256,
            Slide.mime == mime,
            ScreenOverride.lifted_at.is_(None),
            or_(ScreenOverride.ends_at.is_(None), ScreenOverride.ends_at > at),
        )
        .limit(1)
    )
    return session.scalar(override) is not None


def is_public_photo(session: Session, sha256: str, extension: str) -> bool:
    """A photo may be fetched by Instagram's servers only when a post that uses it is approved
    (or further along, but not taken down) and targets Instagram."""
    if not is_sha256(sha256) or extension not in {"jpg", "png"}:
        return False
    mime = "image/png" if extension == "png" else "image/jpeg"
    query = (
        select(Media.id)
        .join(PostMedia, PostMedia.media_id == Media.id)
        .join(Post, Post.id == PostMedia.post_id)
        .join(PostTarget, PostTarget.post_id == Post.id)
        .where(
            Media.sha256 == sha256,
            Media.mime == mime,
            # A post taken down no longer lends its photo to anyone.
            Post.status.in_(APPROVED_STATUSES - {PostStatus.TAKEN_DOWN}),
            PostTarget.channel == Channel.INSTAGRAM,
            PostTarget.status != TargetStatus.CANCELLED,
        )
        .limit(1)
    )
    return session.scalar(query) is not None
