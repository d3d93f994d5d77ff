"""Videotron playlists: emergency override (informasi serta-merta)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import InvalidTransition, NotFound, ValidationFailed
from content.infra.timeutil import utcnow
from content.models import (
    Screen,
    Slide,
)
from content.models.videotron import ScreenOverride
from content.org.actors import Actor
from content.playlist.reading import _override_infos, find_screen
from content.playlist.slides import (
    _check_image,
    _check_seconds,
    _check_window,
    require_videotron_manager,
)
from content.playlist.values import MAX_HEADLINE, MAX_REASON, OverrideInfo


def push_override(
    session: Session,
    actor: Actor,
    screen: Screen | int | str,
    *,
    sha256: str,
    mime: str,
    headline: str,
    reason: str,
    ends_at: datetime | None = None,
    starts_at: datetime | None = None,
    seconds: int | None = None,
    now: datetime | None = None,
) -> ScreenOverride:
    """Put a rendered emergency slide on a screen at once (or at `starts_at`), above every
    other slide and regardless of operating hours, until `ends_at` or until lifted."""
    actor = require_videotron_manager(session, actor)
    found = find_screen(session, screen)
    _check_image(sha256, mime)
    if not reason.strip():
        raise ValidationFailed("Tuliskan alasan penayangan darurat (informasi serta-merta).")
    now = now or utcnow()
    starts_at = starts_at or now
    _check_window(starts_at, ends_at)
    if ends_at is not None and ends_at <= now:
        raise ValidationFailed("Waktu berakhir penayangan darurat sudah lewat.")
    seconds = found.default_seconds if seconds is None else seconds
    _check_seconds(seconds)
    slide = Slide(
        post_id=None,
        screen_id=found.id,
        target_id=None,
        sha256=sha256,
        mime=mime,
        headline=headline[:MAX_HEADLINE],
        valid_from=starts_at,
        valid_until=ends_at,
        seconds=seconds,
        position=0,
        is_override=True,
    )
    session.add(slide)
    session.flush()
    override = ScreenOverride(
        screen_id=found.id,
        slide_id=slide.id,
        headline=headline[:MAX_HEADLINE],
        reason=reason.strip()[:MAX_REASON],
        starts_at=starts_at,
        ends_at=ends_at,
        created_by_id=actor.user_id,
        created_at=now,
    )
    session.add(override)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.VIDEOTRON_OVERRIDE_PUSHED,
        "screen_override",
        override.id,
        after={
            "screen": found.slug,
            "sha256": sha256,
            "headline": override.headline,
            "starts_at": starts_at,
            "ends_at": ends_at,
        },
        reason=override.reason,
    )
    return override


def lift_override(
    session: Session,
    actor: Actor,
    override_id: int,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> ScreenOverride:
    actor = require_videotron_manager(session, actor)
    override = session.get(ScreenOverride, override_id)
    if override is None:
        raise NotFound("Penayangan darurat tidak ditemukan.")
    now = now or utcnow()
    if override.lifted_at is not None or (override.ends_at is not None and override.ends_at <= now):
        raise InvalidTransition("Penayangan darurat ini sudah berakhir.")
    override.lifted_at, override.lifted_by_id = now, actor.user_id
    override.lift_reason = reason.strip()[:MAX_REASON]
    slide = override.slide
    slide.valid_until = max(now, slide.valid_from + timedelta(microseconds=1))
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.VIDEOTRON_OVERRIDE_LIFTED,
        "screen_override",
        override.id,
        before={"ends_at": override.ends_at},
        after={"lifted_at": now},
        reason=override.lift_reason,
    )
    return override


def overrides(
    session: Session, screen: Screen | int | str, *, limit: int = 20
) -> list[OverrideInfo]:
    """The latest overrides of a screen, newest first (active, ended and lifted)."""
    found = find_screen(session, screen)
    rows = session.scalars(
        select(ScreenOverride)
        .where(ScreenOverride.screen_id == found.id)
        .order_by(ScreenOverride.created_at.desc(), ScreenOverride.id.desc())
        .limit(limit)
    )
    return _override_infos(session, list(rows))
