"""Videotron playlists: screens whose players have gone silent (the dashboard's red alerts and
the worker's notifications).

How long a player may stay silent before it counts as gone is a setting, `[videotron]
player_silent_minutes` (default 2); `silent_after(settings)` reads it for the pages and the
worker alike. `tell_silent` tells PPID Utama and everyone who watches the status page once per
silence: the occasion is the screen, the player and the moment it was last heard from, so a
player that comes back and goes silent again is a new occasion and a new notification.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.infra.config import Settings
from content.infra.timeutil import as_utc, utcnow
from content.models import NotificationKind, PlayerHeartbeat, Role, Screen, User
from content.org import notifications
from content.org.actors import Actor
from content.org.permissions import Action, can
from content.playlist.reports import _headlines
from content.playlist.values import PLAYER_STALE_AFTER

MAX_SILENT_MINUTES = 24 * 60


@dataclass(frozen=True)
class SilentPlayer:
    screen_slug: str
    screen_name: str
    player_id: str
    last_seen_at: datetime
    skew_ms: int
    current_headline: str  # the last slide it said it showed ("" if none or unknown)
    screen_id: int = 0

    @property
    def occasion(self) -> str:
        """This silence: the screen, the player and when it was last heard from (fits 120)."""
        millis = int(as_utc(self.last_seen_at).timestamp() * 1000)
        return f"player_silent:{self.screen_id}:{self.player_id}:{millis}"


def silent_after(settings: Settings) -> timedelta:
    """`[videotron] player_silent_minutes` (default 2, between 1 minute and a day)."""
    value = settings.section("videotron").get("player_silent_minutes")
    try:
        minutes = float(value) if value is not None else None
    except (TypeError, ValueError):
        minutes = None
    if minutes is None or math.isnan(minutes):  # missing or unreadable: the default
        return PLAYER_STALE_AFTER
    return timedelta(minutes=min(max(minutes, 1.0), MAX_SILENT_MINUTES))


def minutes_label(after: timedelta) -> str:
    """'2' for two minutes, '1,5' for ninety seconds (how the pages say the limit)."""
    minutes = after.total_seconds() / 60
    return str(int(minutes)) if minutes == int(minutes) else f"{minutes:.1f}".replace(".", ",")


def silent_players(
    session: Session, *, at: datetime | None = None, after: timedelta = PLAYER_STALE_AFTER
) -> list[SilentPlayer]:
    """Players of active screens not heard from for longer than `after`, longest silent first."""
    at = at or utcnow()
    rows = session.execute(
        select(PlayerHeartbeat, Screen.slug, Screen.name)
        .join(Screen, Screen.id == PlayerHeartbeat.screen_id)
        .where(Screen.active.is_(True), PlayerHeartbeat.last_seen_at < at - after)
        .order_by(PlayerHeartbeat.last_seen_at, PlayerHeartbeat.id)
    ).all()
    found: list[SilentPlayer] = []
    for beat, slug, name in rows:
        headlines = _headlines(session, beat.screen_id, [beat.current_sha256])
        found.append(
            SilentPlayer(
                slug,
                name,
                beat.player_id,
                beat.last_seen_at,
                beat.skew_ms,
                headlines.get(beat.current_sha256 or "", ""),
                beat.screen_id,
            )
        )
    return found


def watchers(session: Session) -> list[int]:
    """Who hears of a silent screen: every active PPID Utama, and everyone else whose role sees
    the status page (where silent players show red), e.g. the system administrators."""
    return [
        user.id
        for user in session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
        if user.role is Role.PPID_UTAMA or can(Actor.of(user), Action.VIEW_OPERATIONS)
    ]


def tell_silent(
    session: Session, *, at: datetime | None = None, after: timedelta = PLAYER_STALE_AFTER
) -> int:
    """Tell the watchers of each silence not told yet, in the caller's transaction (the
    notification names the screen); how many notifications were written."""
    silent = silent_players(session, at=at, after=after)
    if not silent:
        return 0
    people = watchers(session)
    return sum(
        notifications.tell(
            session,
            people,
            NotificationKind.PLAYER_SILENT,
            subject=player.screen_name,
            dedupe_key=player.occasion,
        )
        for player in silent
    )
