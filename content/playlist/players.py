"""Videotron playlists: proof of play and heartbeats (from players)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content.infra.errors import ValidationFailed
from content.infra.store import is_sha256
from content.infra.timeutil import utcnow
from content.models import (
    PlayEvent,
    Screen,
    Slide,
)
from content.models.videotron import PlayerHeartbeat
from content.playlist.reading import find_screen
from content.playlist.values import (
    _EVENT_ID,
    _PLAYER_ID,
    MAX_BATCH,
    MAX_PLAYERS_PER_SCREEN,
    MAX_SECONDS,
    PLAY_MAX_AGE,
    PLAY_MAX_AHEAD,
)


@dataclass(frozen=True)
class PlayInput:
    event_id: str  # the player's own id for this play: the same play sent twice counts once
    sha256: str
    played_at: datetime  # the player's clock
    seconds: float


@dataclass(frozen=True)
class PlayBatchResult:
    accepted: int
    duplicates: int
    rejected: int
    # Why plays were refused, as codes (PLAY_REFUSALS says each in Bahasa Indonesia).
    reasons: dict[str, int] = field(default_factory=dict)


PLAY_REFUSALS = {
    "malformed": "laporan tidak lengkap atau salah bentuk",
    "unknown_slide": "bukan slide layar ini",
    "before_slide": "diputar sebelum slide itu ada",
    "after_slide": "diputar sesudah masa tayang slide berakhir",
    "too_long": "lebih lama dari durasi slide",
    "too_old": "terlalu lama lampau",
    "future": "waktunya di masa depan",
    "overlap": "bertumpuk dengan tayangan lain pemutar yang sama",
}
# Clock correction is good to a few seconds; a slide may stay a moment longer while the next
# image decodes. Beyond these margins a report is not what a screen could have shown.
WINDOW_SLACK = timedelta(minutes=2)
SECONDS_SLACK = 5.0
OVERLAP_SLACK = 1.0


def _check_player(player_id: str) -> None:
    if not _PLAYER_ID.match(player_id):
        raise ValidationFailed("Identitas pemutar hanya huruf, angka, '-' dan '_' (maks. 64).")


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> int:
    dialect = session.get_bind().dialect.name
    table = cast(Table, PlayEvent.__table__)
    keys = ["screen_id", "player_id", "event_id"]
    if dialect == "postgresql":
        pg = postgresql.insert(table).values(rows).on_conflict_do_nothing(index_elements=keys)
        return len(session.execute(pg.returning(table.c.id)).all())
    if dialect == "sqlite":
        lite = sqlite.insert(table).values(rows).on_conflict_do_nothing(index_elements=keys)
        return len(session.execute(lite.returning(table.c.id)).all())
    inserted = 0  # another database: one savepoint per row
    for row in rows:
        try:
            with session.begin_nested():
                session.execute(insert(table).values(row))
            inserted += 1
        except IntegrityError:
            continue
    return inserted


@dataclass(frozen=True)
class _Window:
    """Everything a screen ever had under one image: earliest start, latest end, longest slide."""

    starts: datetime
    ends: datetime | None
    seconds: int


def _windows(session: Session, screen_id: int, shas: set[str]) -> dict[str, _Window]:
    rows = session.execute(
        select(Slide.sha256, Slide.valid_from, Slide.valid_until, Slide.seconds).where(
            Slide.screen_id == screen_id, Slide.sha256.in_(shas)
        )
    )
    found: dict[str, _Window] = {}
    for sha, starts, ends, seconds in rows:
        known = found.get(sha)
        if known is None:
            found[sha] = _Window(starts, ends, seconds)
            continue
        merged_end = None if known.ends is None or ends is None else max(known.ends, ends)
        found[sha] = _Window(min(known.starts, starts), merged_end, max(known.seconds, seconds))
    return found


def _refusal(  # noqa: PLR0911 - one answer per rule reads best
    event: PlayInput, played_at: datetime, window: _Window | None, received_at: datetime
) -> str | None:
    """Why a play cannot be true, as a code; None when it is plausible."""
    if _EVENT_ID.match(event.event_id) is None:
        return "malformed"
    if window is None:
        return "unknown_slide"
    if not 0 < event.seconds <= min(MAX_SECONDS, window.seconds + SECONDS_SLACK):
        return "too_long"
    if played_at < received_at - PLAY_MAX_AGE:
        return "too_old"
    ended_at = played_at + timedelta(seconds=event.seconds)
    if ended_at > received_at + PLAY_MAX_AHEAD:
        return "future"
    if played_at < window.starts - WINDOW_SLACK:
        return "before_slide"
    if window.ends is not None and played_at > window.ends + WINDOW_SLACK:
        return "after_slide"
    return None


def record_plays(
    session: Session,
    screen: Screen | int | str,
    player_id: str,
    events: Sequence[PlayInput],
    *,
    sent_at: datetime | None = None,
    received_at: datetime | None = None,
) -> PlayBatchResult:
    """Store a batch of plays. Idempotent: events already stored (same player, same event id)
    are counted as duplicates. Times are corrected by the player's clock offset at sending
    (`received_at - sent_at`), so a player with a wrong clock still reports true times.
    A play that no screen could have shown is refused with a reason code: not a slide of this
    screen, before the slide existed or after it ended, longer than the slide, in the future,
    or overlapping another play of the same batch (one player shows one slide at a time)."""
    found = find_screen(session, screen)
    _check_player(player_id)
    if len(events) > MAX_BATCH:
        raise ValidationFailed(f"Paling banyak {MAX_BATCH} laporan tayang per kiriman.")
    received_at = received_at or utcnow()
    offset = received_at - sent_at if sent_at is not None else timedelta(0)
    windows = _windows(session, found.id, {e.sha256 for e in events})
    rows: dict[str, dict[str, Any]] = {}
    reasons: dict[str, int] = {}
    busy_until: datetime | None = None
    for event in sorted(events, key=lambda e: e.played_at):
        played_at = event.played_at + offset
        reason = _refusal(event, played_at, windows.get(event.sha256), received_at)
        overlaps = busy_until is not None and played_at < busy_until - timedelta(
            seconds=OVERLAP_SLACK
        )
        if reason is None and event.event_id not in rows and overlaps:
            reason = "overlap"
        if reason is not None:
            reasons[reason] = reasons.get(reason, 0) + 1
            continue
        busy_until = played_at + timedelta(seconds=event.seconds)
        rows[event.event_id] = {
            "screen_id": found.id,
            "slide_sha256": event.sha256,
            "player_id": player_id,
            "event_id": event.event_id,
            "played_at": played_at,
            "seconds": float(event.seconds),
            "received_at": received_at,
        }
    rejected = sum(reasons.values())
    accepted = _insert_ignoring_duplicates(session, list(rows.values())) if rows else 0
    return PlayBatchResult(accepted, len(events) - rejected - accepted, rejected, reasons)


@dataclass(frozen=True)
class HeartbeatInput:
    player_id: str
    clock: datetime  # the player's clock when it sent the heartbeat
    current_sha256: str | None = None
    playlist_etag: str = ""
    user_agent: str = ""
    state: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HeartbeatResult:
    server_time: datetime
    skew_ms: int


def _bounded_state(state: dict[str, Any]) -> dict[str, Any]:
    """Only short scalar values, at most 20 of them: a player cannot fill the database."""
    plain: dict[str, Any] = {}
    for key, value in list(state.items())[:20]:
        if isinstance(value, bool | int | float) or value is None:
            plain[str(key)[:40]] = value
        elif isinstance(value, str):
            plain[str(key)[:40]] = value[:200]
    return plain


def record_heartbeat(
    session: Session,
    screen: Screen | int | str,
    beat: HeartbeatInput,
    *,
    received_at: datetime | None = None,
) -> HeartbeatResult:
    found = find_screen(session, screen)
    _check_player(beat.player_id)
    if beat.clock.tzinfo is None:
        raise ValidationFailed("Jam pemutar harus dengan zona waktu.")
    current = (
        beat.current_sha256 if beat.current_sha256 and is_sha256(beat.current_sha256) else None
    )
    received_at = received_at or utcnow()
    skew = round((beat.clock - received_at).total_seconds() * 1000)
    skew = max(-(2**31) + 1, min(2**31 - 1, skew))
    values: dict[str, Any] = {
        "last_seen_at": received_at,
        "player_clock": beat.clock,
        "skew_ms": skew,
        "current_sha256": current,
        "playlist_etag": beat.playlist_etag[:100],
        "user_agent": beat.user_agent[:300],
        "state": _bounded_state(beat.state),
    }
    row = session.scalar(
        select(PlayerHeartbeat).where(
            PlayerHeartbeat.screen_id == found.id, PlayerHeartbeat.player_id == beat.player_id
        )
    )
    if row is None:
        _make_room(session, found.id)
        try:
            with session.begin_nested():
                row = PlayerHeartbeat(
                    screen_id=found.id,
                    player_id=beat.player_id,
                    first_seen_at=received_at,
                    beats=0,
                    **values,
                )
                session.add(row)
        except IntegrityError:  # the same player's previous beat landed a moment ago
            row = session.scalars(
                select(PlayerHeartbeat).where(
                    PlayerHeartbeat.screen_id == found.id,
                    PlayerHeartbeat.player_id == beat.player_id,
                )
            ).one()
    for name, value in values.items():
        setattr(row, name, value)
    row.beats = (row.beats or 0) + 1
    session.flush()
    return HeartbeatResult(received_at, skew)


def _make_room(session: Session, screen_id: int) -> None:
    """Keep at most MAX_PLAYERS_PER_SCREEN rows: the longest silent player gives way."""
    count = session.scalar(
        select(func.count())
        .select_from(PlayerHeartbeat)
        .where(PlayerHeartbeat.screen_id == screen_id)
    )
    if (count or 0) < MAX_PLAYERS_PER_SCREEN:
        return
    oldest = session.scalar(
        select(PlayerHeartbeat.id)
        .where(PlayerHeartbeat.screen_id == screen_id)
        .order_by(PlayerHeartbeat.last_seen_at, PlayerHeartbeat.id)
        .limit(1)
    )
    session.execute(delete(PlayerHeartbeat).where(PlayerHeartbeat.id == oldest))
