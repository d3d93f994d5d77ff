"""Videotron playlists: dashboard reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from content.infra.timeutil import utcnow
from content.models import (
    PlayEvent,
    Screen,
    Slide,
)
from content.models.videotron import PlayerHeartbeat, ScreenOverride
from content.playlist.hours import day_bounds, screen_zone
from content.playlist.reading import (
    _item,
    _override_infos,
    _published_slides,
    find_screen,
    playlist_at,
)
from content.playlist.values import (
    PLAYER_STALE_AFTER,
    OverrideInfo,
    PlaylistItem,
    ScreenInfo,
    slide_path,
)


@dataclass(frozen=True)
class PlayerState:
    player_id: str
    first_seen_at: datetime
    last_seen_at: datetime
    player_clock: datetime
    skew_ms: int
    current_sha256: str | None
    current_headline: str
    playlist_etag: str
    user_agent: str
    state: dict[str, Any]
    beats: int
    online: bool  # heard from within the silence limit


def player_states(
    session: Session,
    screen: Screen | int | str,
    *,
    at: datetime | None = None,
    after: timedelta = PLAYER_STALE_AFTER,
) -> list[PlayerState]:
    """Each player's last heartbeat: when, its clock skew, what it showed; online when heard
    from within `after` (the `[videotron] player_silent_minutes` setting)."""
    found = find_screen(session, screen)
    at = at or utcnow()
    rows = list(
        session.scalars(
            select(PlayerHeartbeat)
            .where(PlayerHeartbeat.screen_id == found.id)
            .order_by(PlayerHeartbeat.last_seen_at.desc())
        )
    )
    headlines = _headlines(session, found.id, [r.current_sha256 for r in rows])
    return [
        PlayerState(
            player_id=r.player_id,
            first_seen_at=r.first_seen_at,
            last_seen_at=r.last_seen_at,
            player_clock=r.player_clock,
            skew_ms=r.skew_ms,
            current_sha256=r.current_sha256,
            current_headline=headlines.get(r.current_sha256 or "", ""),
            playlist_etag=r.playlist_etag,
            user_agent=r.user_agent,
            state=dict(r.state or {}),
            beats=r.beats,
            online=at - r.last_seen_at <= after,
        )
        for r in rows
    ]


def _headlines(session: Session, screen_id: int, shas: Iterable[str | None]) -> dict[str, str]:
    wanted = {s for s in shas if s}
    if not wanted:
        return {}
    rows = session.execute(
        select(Slide.sha256, Slide.headline)
        .where(Slide.screen_id == screen_id, Slide.sha256.in_(wanted))
        .order_by(Slide.id)
    )
    return {row.sha256: row.headline for row in rows}


@dataclass(frozen=True)
class SlidePlays:
    sha256: str
    mime: str
    headline: str
    post_id: int | None
    is_override: bool
    plays: int
    seconds: float
    last_played_at: datetime | None

    @property
    def path(self) -> str:
        return slide_path(self.sha256, self.mime)


def plays_per_slide(
    session: Session,
    screen: Screen | int | str,
    *,
    since: datetime,
    until: datetime | None = None,
) -> list[SlidePlays]:
    """Proof of play per slide image over [since, until), most played first."""
    found = find_screen(session, screen)
    until = until or utcnow()
    counted = session.execute(
        select(
            PlayEvent.slide_sha256,
            func.count(PlayEvent.id),
            func.coalesce(func.sum(PlayEvent.seconds), 0.0),
            func.max(PlayEvent.played_at),
        )
        .where(
            PlayEvent.screen_id == found.id,
            PlayEvent.played_at >= since,
            PlayEvent.played_at < until,
        )
        .group_by(PlayEvent.slide_sha256)
    ).all()
    slides: dict[str, Slide] = {}
    shas = [row[0] for row in counted]
    if shas:
        for found_slide in session.scalars(
            select(Slide)
            .where(Slide.screen_id == found.id, Slide.sha256.in_(shas))
            .order_by(Slide.id)
        ):
            slides.setdefault(found_slide.sha256, found_slide)
    result = []
    for sha256, plays, seconds, last in counted:
        slide = slides.get(sha256)
        result.append(
            SlidePlays(
                sha256=sha256,
                mime=slide.mime if slide else "image/jpeg",
                headline=slide.headline if slide else "",
                post_id=slide.post_id if slide else None,
                is_override=slide.is_override if slide else False,
                plays=int(plays),
                seconds=float(seconds),
                last_played_at=last,
            )
        )
    return sorted(result, key=lambda r: (-r.plays, r.sha256))


@dataclass(frozen=True)
class ScheduleEntry:
    item: PlaylistItem
    live_now: bool

    @property
    def thumbnail_path(self) -> str:
        return self.item.path


@dataclass(frozen=True)
class DaySchedule:
    screen: ScreenInfo
    day: date
    starts_at: datetime
    ends_at: datetime
    entries: tuple[ScheduleEntry, ...]
    overrides: tuple[OverrideInfo, ...]


def day_schedule(
    session: Session,
    screen: Screen | int | str,
    day: date | None = None,
    *,
    now: datetime | None = None,
) -> DaySchedule:
    """The published slides whose window touches a calendar day of the screen (default today),
    in playing order, with what plays right now, and that day's overrides."""
    found = find_screen(session, screen)
    now = now or utcnow()
    day = day or now.astimezone(screen_zone(found)).date()
    start, end = day_bounds(found, day)
    rows = session.execute(
        _published_slides(found.id).where(
            Slide.valid_from < end, or_(Slide.valid_until.is_(None), Slide.valid_until > start)
        )
    )
    live = {i.slide_id for i in playlist_at(session, found, now).items}
    entries = tuple(
        ScheduleEntry(_item(slide, post_id, opd), slide.id in live) for slide, post_id, opd in rows
    )
    day_overrides = session.scalars(
        select(ScreenOverride)
        .where(
            ScreenOverride.screen_id == found.id,
            ScreenOverride.starts_at < end,
            or_(ScreenOverride.ends_at.is_(None), ScreenOverride.ends_at > start),
            or_(ScreenOverride.lifted_at.is_(None), ScreenOverride.lifted_at > start),
        )
        .order_by(ScreenOverride.starts_at)
    )
    return DaySchedule(
        ScreenInfo.of(found),
        day,
        start,
        end,
        entries,
        tuple(_override_infos(session, list(day_overrides))),
    )


@dataclass(frozen=True)
class ScreenStatus:
    screen: ScreenInfo
    open_now: bool
    playing: int  # slides in the playlist now
    override: OverrideInfo | None
    next_change: datetime | None
    players: tuple[PlayerState, ...]
    plays_today: int


def screens_overview(
    session: Session, *, at: datetime | None = None, after: timedelta = PLAYER_STALE_AFTER
) -> list[ScreenStatus]:
    """Every screen with its state now: for the dashboard's first view."""
    at = at or utcnow()
    result = []
    for screen in session.scalars(select(Screen).order_by(Screen.name)):
        playlist = playlist_at(session, screen, at)
        start, _end = day_bounds(screen, at.astimezone(screen_zone(screen)).date())
        plays = session.scalar(
            select(func.count(PlayEvent.id)).where(
                PlayEvent.screen_id == screen.id,
                PlayEvent.played_at >= start,
                PlayEvent.played_at <= at,
            )
        )
        result.append(
            ScreenStatus(
                screen=playlist.screen,
                open_now=playlist.open_now,
                playing=len(playlist.items),
                override=playlist.overrides[0] if playlist.overrides else None,
                next_change=playlist.next_change,
                players=tuple(player_states(session, screen, at=at, after=after)),
                plays_today=int(plays or 0),
            )
        )
    return result
