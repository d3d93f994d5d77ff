"""Videotron playlists: time zones and operating hours."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from content.models import (
    Screen,
)
from content.playlist.values import ScreenInfo
from content.timeutil import WIB


def screen_zone(screen: Screen | ScreenInfo) -> ZoneInfo:
    try:
        return ZoneInfo(screen.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return WIB


def is_open(screen: Screen | ScreenInfo, at: datetime) -> bool:
    """Inside the operating hours (local time of the screen). No hours: always open.
    Hours that cross midnight (18:00–02:00) are read as such; equal times mean all day."""
    opens, closes = screen.opens_at, screen.closes_at
    if opens is None or closes is None or opens == closes:
        return True
    local = at.astimezone(screen_zone(screen)).time()
    if opens < closes:
        return opens <= local < closes
    return local >= opens or local < closes


def next_hours_change(screen: Screen | ScreenInfo, at: datetime) -> datetime | None:
    opens, closes = screen.opens_at, screen.closes_at
    if opens is None or closes is None or opens == closes:
        return None
    zone = screen_zone(screen)
    today = at.astimezone(zone).date()
    moments = [
        datetime.combine(today + timedelta(days=shift), moment, tzinfo=zone)
        for shift in (0, 1, 2)
        for moment in (opens, closes)
    ]
    return min(m for m in moments if m > at).astimezone(at.tzinfo)


def day_bounds(screen: Screen | ScreenInfo, day: date) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day of the screen, as aware datetimes (UTC comparable)."""
    zone = screen_zone(screen)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
