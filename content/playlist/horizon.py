"""Videotron playlists: the schedule a player holds, so the screen never depends on "now".

The feed sends every slide valid at some moment of the next `days` days (with its window), the
overrides that hold or will hold the screen, the open spans of the operating hours over the same
horizon, and the screen's default slide settings. The player decides locally what to show at
each instant, so a feed or LAN outage costs nothing until the horizon runs out.

The answer depends only on the local date and the database, not on the second it is asked, so
the feed's ETag stays the same until `next_change` (a slide entering the horizon or expiring,
an override ending, local midnight).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import or_
from sqlalchemy.orm import Session

from content.infra.timeutil import utcnow
from content.models import Screen, Slide
from content.playlist.hours import open_intervals, screen_zone
from content.playlist.reading import (
    _item,
    _override_infos,
    _pending_overrides,
    _published_slides,
    find_screen,
    override_items,
)
from content.playlist.values import PlaylistItem, ScreenInfo

DEFAULT_HORIZON_DAYS = 7
MAX_HORIZON_DAYS = 31


@dataclass(frozen=True)
class Schedule:
    screen: ScreenInfo
    start: datetime  # local midnight of the day asked about
    until: datetime  # end of the horizon
    items: tuple[PlaylistItem, ...]  # regular slides, in playing order, with their windows
    overrides: tuple[PlaylistItem, ...]  # emergency slides with their windows (is_override)
    open_spans: tuple[tuple[datetime, datetime], ...]
    next_change: datetime | None


def schedule_ahead(
    session: Session,
    screen: Screen | int | str,
    at: datetime | None = None,
    days: int = DEFAULT_HORIZON_DAYS,
) -> Schedule:
    """What `screen` may show from the start of today (its time zone) for `days` days."""
    at = at or utcnow()
    days = max(1, min(MAX_HORIZON_DAYS, days))
    found = find_screen(session, screen)
    info = ScreenInfo.of(found)
    zone = screen_zone(found)
    start = datetime.combine(at.astimezone(zone).date(), time(0), tzinfo=zone)
    until = start + timedelta(days=days + 1)
    tomorrow = start + timedelta(days=1)
    if not found.active:
        return Schedule(info, start, until, (), (), (), tomorrow)
    changes: list[datetime] = [tomorrow]
    rows = session.execute(
        _published_slides(found.id).where(
            or_(Slide.valid_until.is_(None), Slide.valid_until > at), Slide.valid_from < until
        )
    )
    items: list[PlaylistItem] = []
    for slide, post_id, opd_name in rows:
        items.append(_item(slide, post_id, opd_name))
        if slide.valid_until is not None:
            changes.append(slide.valid_until)
    overrides = _override_infos(session, _pending_overrides(session, found.id, at))
    held = override_items(overrides)
    changes += [o.ends_at for o in overrides if o.ends_at is not None]
    spans = tuple(open_intervals(found, start, until))
    return Schedule(info, start, until, tuple(items), held, spans, min(changes))
