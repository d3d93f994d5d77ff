"""What players send (proof of play, heartbeats) and what they get (the playlist document).

Input is untrusted: every field is type-checked and bounded here before content/ sees it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from content.infra.errors import DomainError
from content.playlist import (
    MAX_BATCH,
    HeartbeatInput,
    PlayInput,
    PlaylistItem,
    Schedule,
    ScreenInfo,
)
from publishers.videotron.default import DefaultSlide

# A player's clock may be wrong by years (a dead RTC battery) but not by centuries; bounding the
# dates keeps every later sum (clock correction, durations) inside what datetime can hold.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_DEPTH = 8


class BadRequest(DomainError):
    """A body no player could have sent: answered 400 with the sentence, never a traceback."""


@dataclass(frozen=True)
class PlayerOptions:
    """Told to the player in every playlist, so a player's rhythm is set in one place."""

    poll_seconds: float = 30.0
    heartbeat_seconds: float = 60.0
    plays_flush_seconds: float = 30.0


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _item(item: PlaylistItem, screen: ScreenInfo) -> dict[str, Any]:
    return {
        "id": item.slide_id,
        "sha256": item.sha256,
        "url": item.path,
        "mime": item.mime,
        "width": screen.width,
        "height": screen.height,
        "seconds": item.seconds,
        "valid_from": _iso(item.valid_from),
        "valid_until": _iso(item.valid_until),
        "headline": item.headline,
        "opd": item.opd_name,
        "override": item.is_override,
    }


def playlist_document(
    schedule: Schedule, default: DefaultSlide, default_url: str, options: PlayerOptions
) -> dict[str, Any]:
    """What a player holds: every slide of the horizon with its window (overrides first), the
    open spans of the operating hours, the default slide, and when to ask again. The player
    decides locally, at each instant, what to show (see static/player.js `showable`)."""
    screen = schedule.screen
    return {
        "screen": {
            "slug": screen.slug,
            "name": screen.name,
            "width": screen.width,
            "height": screen.height,
            "offset_x": screen.offset_x,
            "offset_y": screen.offset_y,
            "timezone": screen.timezone,
        },
        "horizon": {"from": _iso(schedule.start), "until": _iso(schedule.until)},
        "hours": {
            "open": [[_iso(a), _iso(b)] for a, b in schedule.open_spans],
            "weekly": screen.weekly_hours or {},
            "everyday": [
                screen.opens_at.strftime("%H:%M") if screen.opens_at else None,
                screen.closes_at.strftime("%H:%M") if screen.closes_at else None,
            ],
            "closures": screen.closures or [],
        },
        "slides": [_item(item, screen) for item in schedule.overrides + schedule.items],
        "default": {
            "sha256": default.sha256,
            "url": default_url,
            "mime": default.mime,
            "outside_hours": screen.default_outside_hours,
            "clock_band": default.clock_band,
        },
        "next_change": _iso(schedule.next_change),
        "player": {
            "poll_seconds": options.poll_seconds,
            "heartbeat_seconds": options.heartbeat_seconds,
            "plays_flush_seconds": options.plays_flush_seconds,
        },
    }


def encode_document(document: Mapping[str, Any]) -> tuple[bytes, str]:
    """The body and its strong ETag: the same playlist gives the same bytes and tag."""
    body = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = body.encode()
    return data, f'"{hashlib.sha256(data).hexdigest()[:40]}"'


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags


def _depth(raw: bytes) -> int:
    """How deeply brackets nest, counted without parsing (strings skipped): the parser itself
    must never be asked to recurse a thousand levels."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _object(raw: bytes) -> dict[str, Any]:
    if _depth(raw) > MAX_DEPTH:
        raise BadRequest(f"Isi kiriman bersarang terlalu dalam (maksimal {MAX_DEPTH} tingkat).")
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadRequest("Isi kiriman bukan JSON yang sah.") from exc
    if not isinstance(value, dict):
        raise BadRequest("Isi kiriman harus objek JSON.")
    return value


def _text(value: Any, name: str, limit: int, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value) > limit or (required and not value):
        raise BadRequest(f"Kolom '{name}' harus teks (maksimal {limit} karakter).")
    return value


def _moment(value: Any, name: str) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise BadRequest(f"Kolom '{name}' harus waktu ISO 8601.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest(f"Kolom '{name}' harus waktu ISO 8601.") from exc
    if moment.tzinfo is None:
        raise BadRequest(f"Kolom '{name}' harus memuat zona waktu.")
    try:
        moment = moment.astimezone(UTC)
    except OverflowError as exc:
        raise BadRequest(f"Kolom '{name}' berada di luar rentang waktu yang masuk akal.") from exc
    if not EARLIEST <= moment < LATEST:
        raise BadRequest(f"Kolom '{name}' berada di luar rentang waktu yang masuk akal.")
    return moment


def parse_plays(raw: bytes) -> tuple[str, datetime | None, list[PlayInput], int]:
    """(player id, sent at, well-formed events, malformed events)."""
    body = _object(raw)
    player_id = _text(body.get("player_id"), "player_id", 64)
    sent_at = _moment(body["sent_at"], "sent_at") if body.get("sent_at") is not None else None
    events = body.get("events")
    if not isinstance(events, list) or len(events) > MAX_BATCH:
        raise BadRequest(f"Kolom 'events' harus daftar (maksimal {MAX_BATCH}).")
    parsed: list[PlayInput] = []
    malformed = 0
    for event in events:
        try:
            if not isinstance(event, dict):
                raise BadRequest("bukan objek")
            seconds = event.get("seconds")
            if isinstance(seconds, bool) or not isinstance(seconds, int | float):
                raise BadRequest("detik bukan angka")
            parsed.append(
                PlayInput(
                    event_id=_text(event.get("event_id"), "event_id", 64),
                    sha256=_text(event.get("sha256"), "sha256", 64),
                    played_at=_moment(event.get("played_at"), "played_at"),
                    seconds=float(seconds),
                )
            )
        except (BadRequest, OverflowError):
            malformed += 1  # one bad event does not cost the player the whole batch
    return player_id, sent_at, parsed, malformed


def parse_heartbeat(raw: bytes, user_agent: str) -> HeartbeatInput:
    body = _object(raw)
    state = body.get("state")
    return HeartbeatInput(
        player_id=_text(body.get("player_id"), "player_id", 64),
        clock=_moment(body.get("clock"), "clock"),
        current_sha256=_text(body.get("current_sha256"), "current_sha256", 64, required=False)
        or None,
        playlist_etag=_text(body.get("etag"), "etag", 100, required=False),
        user_agent=user_agent[:300],
        state=state if isinstance(state, dict) else {},
    )


def iso(moment: datetime) -> str:
    return _iso(moment) or ""
