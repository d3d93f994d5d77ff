"""Videotron playlists: screens whose players have gone silent (for the dashboard's alerts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.infra.timeutil import utcnow
from content.models import PlayerHeartbeat, Screen
from content.playlist.reports import _headlines
from content.playlist.values import PLAYER_STALE_AFTER


@dataclass(frozen=True)
class SilentPlayer:
    screen_slug: str
    screen_name: str
    player_id: str
    last_seen_at: datetime
    skew_ms: int
    current_headline: str  # the last slide it said it showed ("" if none or unknown)


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
            )
        )
    return found
