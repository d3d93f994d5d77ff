"""Videotron playlists: time zones, operating hours per weekday, and closures.

A screen's hours on a local day come from its weekly hours for that weekday when set, else from
its everyday `opens_at`/`closes_at`; a closure day (holiday, event, repair) has none. Hours that
cross midnight (18:00–02:00) belong to the day they open; equal times mean the whole day; a
screen without any hours is always open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from content.infra.errors import ValidationFailed
from content.infra.timeutil import WIB
from content.models import (
    Screen,
)
from content.playlist.values import ScreenInfo

# Closure reasons are codes (shown through CLOSURE_REASONS), never free sentences.
CLOSURE_REASONS = {
    "holiday": "hari libur",
    "event": "acara",
    "maintenance": "perawatan",
    "other": "lainnya",
}
ALWAYS = "always"  # hours_on: no hours at all (open all the time)


def screen_zone(screen: Screen | ScreenInfo) -> ZoneInfo:
    try:
        return ZoneInfo(screen.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return WIB


def _clock(text: Any) -> time | None:
    if not isinstance(text, str):
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def parse_clock(text: str) -> time:
    """'06:00' as a time of day, or one sentence why not."""
    found = _clock(text.strip())
    if found is None:
        raise ValidationFailed(f"Jam '{text}' tidak dikenali; tulis seperti 06:00.")
    return found


def check_weekly_hours(weekly: Mapping[str, Any]) -> dict[str, list[str] | None]:
    """Weekly hours as stored: keys "0" (Monday) … "6", values ["HH:MM", "HH:MM"] or None."""
    checked: dict[str, list[str] | None] = {}
    for key, value in weekly.items():
        if key not in {str(d) for d in range(7)}:
            raise ValidationFailed("Hari dalam jam operasi mingguan harus 0 (Senin) sampai 6.")
        if value is None:
            checked[key] = None
            continue
        if not isinstance(value, Sequence) or len(value) != 2 or None in map(_clock, value):
            raise ValidationFailed("Jam operasi harian ditulis seperti ['06:00', '22:00'].")
        checked[key] = [_clock(v).strftime("%H:%M") for v in value]  # type: ignore[union-attr]
    return checked


def check_closures(closures: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    checked: list[dict[str, str]] = []
    for item in closures:
        reason = item.get("reason", "other")
        if reason not in CLOSURE_REASONS:
            raise ValidationFailed("Alasan tutup harus salah satu: " + ", ".join(CLOSURE_REASONS))
        try:
            day = date.fromisoformat(str(item.get("day")))
        except ValueError as exc:
            raise ValidationFailed("Tanggal tutup ditulis seperti 2026-12-25.") from exc
        checked.append({"day": day.isoformat(), "reason": reason})
    return checked


def _closed_days(screen: Screen | ScreenInfo) -> set[date]:
    days: set[date] = set()
    for item in screen.closures or ():
        try:
            days.add(date.fromisoformat(str(item.get("day"))))
        except (ValueError, AttributeError):
            continue
    return days


def hours_on(screen: Screen | ScreenInfo, day: date) -> tuple[time, time] | str | None:
    """(opens, closes) of a local day, ALWAYS for a screen without hours, None when closed."""
    if day in _closed_days(screen):
        return None
    weekly = screen.weekly_hours or {}
    key = str(day.weekday())
    if key in weekly:
        value = weekly[key]
        if value is None:
            return None
        opens, closes = _clock(value[0]), _clock(value[1])
        return (opens, closes) if opens is not None and closes is not None else None
    if screen.opens_at is None or screen.closes_at is None:
        return ALWAYS
    return screen.opens_at, screen.closes_at


def open_intervals(
    screen: Screen | ScreenInfo, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The open spans overlapping [start, end), merged and in order (aware datetimes)."""
    zone = screen_zone(screen)
    first = start.astimezone(zone).date() - timedelta(
        days=1
    )  # yesterday's hours may cross midnight
    last = end.astimezone(zone).date()
    spans: list[tuple[datetime, datetime]] = []
    day = first
    while day <= last:
        hours = hours_on(screen, day)
        begin = datetime.combine(day, time(0), tzinfo=zone)
        if hours == ALWAYS:
            spans.append((begin, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)))
        elif isinstance(hours, tuple):
            opens, closes = hours
            until_day = day if opens < closes else day + timedelta(days=1)
            spans.append(
                (
                    datetime.combine(day, opens, tzinfo=zone),
                    datetime.combine(until_day, closes, tzinfo=zone),
                )
            )
        day += timedelta(days=1)
    merged: list[tuple[datetime, datetime]] = []
    for begin, finish in sorted(spans):
        if finish <= start or begin >= end:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


def is_open(screen: Screen | ScreenInfo, at: datetime) -> bool:
    """Inside the operating hours (local time of the screen)."""
    return any(b <= at < f for b, f in open_intervals(screen, at, at + timedelta(microseconds=1)))


def next_hours_change(screen: Screen | ScreenInfo, at: datetime) -> datetime | None:
    """The next moment the screen opens or closes, within a week; None when it never does."""
    spans = open_intervals(screen, at, at + timedelta(days=8))
    moments = [m for span in spans for m in span if m > at]
    if not moments:
        return None
    moment = min(moments)
    if moment >= at + timedelta(days=8):
        return None
    return moment.astimezone(at.tzinfo)


def day_bounds(screen: Screen | ScreenInfo, day: date) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day of the screen, as aware datetimes (UTC comparable)."""
    zone = screen_zone(screen)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
