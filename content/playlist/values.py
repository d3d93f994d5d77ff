"""Videotron playlists: values handed to callers (plain data: a dashboard may keep them after
the session closes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from content.models import (
    Screen,
)

SLIDE_MIMES = {"image/png": "png", "image/jpeg": "jpg"}
MAX_SECONDS = 3600
MAX_BATCH = 500
MAX_PLAYERS_PER_SCREEN = 16
MAX_HEADLINE = 300
MAX_REASON = 2000
# A proof of play older than this, or from the future (after clock correction), is refused.
PLAY_MAX_AGE = timedelta(days=31)
PLAY_MAX_AHEAD = timedelta(minutes=5)
# A player not heard from for this long shows as offline on the dashboard.
PLAYER_STALE_AFTER = timedelta(minutes=2)
_PLAYER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_EVENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass(frozen=True)
class ScreenInfo:
    id: int
    slug: str
    name: str
    location: str
    width: int
    height: int
    offset_x: int
    offset_y: int
    default_seconds: int
    timezone: str
    opens_at: time | None
    closes_at: time | None
    viewing_distance_m: float | None
    active: bool
    weekly_hours: dict[str, Any] | None = None
    closures: list[dict[str, Any]] | None = None
    default_outside_hours: bool = True
    default_text: str = ""

    @classmethod
    def of(cls, screen: Screen) -> ScreenInfo:
        return cls(
            screen.id,
            screen.slug,
            screen.name,
            screen.location,
            screen.width,
            screen.height,
            screen.offset_x,
            screen.offset_y,
            screen.default_seconds,
            screen.timezone,
            screen.opens_at,
            screen.closes_at,
            screen.viewing_distance_m,
            screen.active,
            screen.weekly_hours,
            screen.closures,
            screen.default_outside_hours,
            screen.default_text,
        )


def slide_path(sha256: str, mime: str) -> str:
    """Where the feed serves a slide, relative to the feed's base URL (thumbnails use it too)."""
    return f"/slides/{sha256}.{SLIDE_MIMES.get(mime, 'jpg')}"


@dataclass(frozen=True)
class PlaylistItem:
    slide_id: int
    sha256: str
    mime: str
    seconds: int
    valid_from: datetime
    valid_until: datetime | None
    headline: str
    position: int
    post_id: int | None = None
    opd_name: str = ""
    is_override: bool = False

    @property
    def extension(self) -> str:
        return SLIDE_MIMES.get(self.mime, "jpg")

    @property
    def path(self) -> str:
        return slide_path(self.sha256, self.mime)


@dataclass(frozen=True)
class OverrideInfo:
    id: int
    screen_id: int
    slide_id: int
    sha256: str
    mime: str
    headline: str
    reason: str
    starts_at: datetime
    ends_at: datetime | None
    created_by: str
    created_at: datetime
    seconds: int = 10
    lifted_at: datetime | None = None
    lifted_by: str = ""
    lift_reason: str = ""

    def active_at(self, at: datetime) -> bool:
        ended = self.ends_at is not None and self.ends_at <= at
        return self.lifted_at is None and self.starts_at <= at and not ended

    @property
    def path(self) -> str:
        return slide_path(self.sha256, self.mime)


@dataclass(frozen=True)
class Playlist:
    screen: ScreenInfo
    at: datetime
    open_now: bool  # inside the operating hours
    items: tuple[PlaylistItem, ...]
    overrides: tuple[OverrideInfo, ...] = ()  # the ones holding the screen now
    next_change: datetime | None = None  # when this answer may change without anyone acting

    @property
    def override_active(self) -> bool:
        return bool(self.overrides)


SLIDE_CHANGED = "Slide ini diubah orang lain sejak halaman dimuat; periksa lagi lalu ulangi."
ORDER_CHANGED = "Playlist layar ini diubah orang lain sejak halaman dimuat; periksa urutannya lagi."


@dataclass(frozen=True)
class SlideWindow:
    """When and how long a slide plays, as someone saw it: a change made against an older
    window is refused as a conflict instead of overwriting someone else's."""

    valid_from: datetime
    valid_until: datetime | None
    seconds: int
