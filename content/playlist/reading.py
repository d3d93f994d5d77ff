"""Videotron playlists: reading the playlist."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from content.infra.errors import NotFound
from content.infra.timeutil import utcnow
from content.models import (
    Channel,
    Opd,
    Post,
    PostTarget,
    Screen,
    Slide,
    TargetStatus,
    User,
)
from content.models.videotron import ScreenOverride
from content.playlist.hours import is_open, next_hours_change
from content.playlist.values import OverrideInfo, Playlist, PlaylistItem, ScreenInfo


def find_screen(session: Session, screen: Screen | int | str) -> Screen:
    if isinstance(screen, Screen):
        return screen
    found = (
        session.get(Screen, screen)
        if isinstance(screen, int)
        else session.scalar(select(Screen).where(Screen.slug == screen))
    )
    if found is None:
        raise NotFound(f"Layar '{screen}' tidak ditemukan.")
    return found


def _published_slides(screen_id: int) -> Select[Slide, int, str]:
    return (
        select(Slide, Post.id, Opd.name)
        .join(PostTarget, PostTarget.id == Slide.target_id)
        .join(Post, Post.id == PostTarget.post_id)
        .join(Opd, Opd.id == Post.opd_id)
        .where(
            Slide.screen_id == screen_id,
            Slide.is_override.is_(False),
            PostTarget.screen_id == screen_id,
            PostTarget.channel == Channel.VIDEOTRON,
            PostTarget.status == TargetStatus.PUBLISHED,
        )
        .order_by(Slide.position, Slide.valid_from, Slide.id)
    )


def _item(slide: Slide, post_id: int | None = None, opd_name: str = "") -> PlaylistItem:
    return PlaylistItem(
        slide_id=slide.id,
        sha256=slide.sha256,
        mime=slide.mime,
        seconds=slide.seconds,
        valid_from=slide.valid_from,
        valid_until=slide.valid_until,
        headline=slide.headline,
        position=slide.position,
        post_id=post_id,
        opd_name=opd_name,
        is_override=slide.is_override,
    )


def override_items(overrides: Sequence[OverrideInfo]) -> tuple[PlaylistItem, ...]:
    """Overrides as playlist items, in their order: they hold the screen while they last."""
    return tuple(
        PlaylistItem(
            slide_id=o.slide_id,
            sha256=o.sha256,
            mime=o.mime,
            seconds=o.seconds,
            valid_from=o.starts_at,
            valid_until=o.ends_at,
            headline=o.headline,
            position=index,
            is_override=True,
        )
        for index, o in enumerate(overrides)
    )


def _labels(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {row.id: row.display_name for row in rows}


def _override_infos(session: Session, rows: Sequence[ScreenOverride]) -> list[OverrideInfo]:
    labels = _labels(session, [r.created_by_id for r in rows] + [r.lifted_by_id for r in rows])
    return [
        OverrideInfo(
            id=row.id,
            screen_id=row.screen_id,
            slide_id=row.slide_id,
            sha256=row.slide.sha256,
            mime=row.slide.mime,
            headline=row.headline,
            reason=row.reason,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            created_by=labels.get(row.created_by_id or 0, "sistem"),
            created_at=row.created_at,
            seconds=row.slide.seconds,
            lifted_at=row.lifted_at,
            lifted_by=labels.get(row.lifted_by_id or 0, "") if row.lifted_at else "",
            lift_reason=row.lift_reason,
        )
        for row in rows
    ]


def _pending_overrides(session: Session, screen_id: int, at: datetime) -> list[ScreenOverride]:
    """Overrides not lifted and not ended: holding the screen now, or due to."""
    query = (
        select(ScreenOverride)
        .where(
            ScreenOverride.screen_id == screen_id,
            ScreenOverride.lifted_at.is_(None),
            or_(ScreenOverride.ends_at.is_(None), ScreenOverride.ends_at > at),
        )
        .order_by(ScreenOverride.starts_at, ScreenOverride.id)
    )
    return list(session.scalars(query))


def playlist_at(
    session: Session, screen: Screen | int | str, at: datetime | None = None
) -> Playlist:
    """What `screen` shows at `at` (default now), and the next moment that may change by the
    clock alone (a slide starting or ending, an override starting or ending, opening hours)."""
    at = at or utcnow()
    found = find_screen(session, screen)
    info = ScreenInfo.of(found)
    changes: list[datetime] = []
    if not found.active:
        return Playlist(info, at, False, ())
    overrides = _override_infos(session, _pending_overrides(session, found.id, at))
    holding = [o for o in overrides if o.active_at(at)]
    for override in overrides:
        changes += [m for m in (override.starts_at, override.ends_at) if m is not None and m > at]
    current: list[PlaylistItem] = []
    rows = session.execute(
        _published_slides(found.id).where(or_(Slide.valid_until.is_(None), Slide.valid_until > at))
    )
    for slide, post_id, opd_name in rows:
        if slide.valid_from > at:
            changes.append(slide.valid_from)
            continue
        current.append(_item(slide, post_id, opd_name))
        if slide.valid_until is not None:
            changes.append(slide.valid_until)
    open_now = is_open(found, at)
    hours_change = next_hours_change(found, at)
    if hours_change is not None:
        changes.append(hours_change)
    # An override holds the screen whatever the hours; otherwise the slides of the moment.
    items = override_items(holding) if holding else (tuple(current) if open_now else ())
    return Playlist(info, at, open_now, items, tuple(holding), min(changes, default=None))
