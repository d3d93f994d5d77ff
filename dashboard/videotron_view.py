"""What the Videotron page shows, read in one short transaction as plain values, and the small
pieces its actions share: WIB entry, the labels of the tables, and the "changed by someone else"
check against what the page showed (slides have no version column; the page compares the values
it showed with the slide as it is now, inside the action's transaction).

The rules themselves (who may, which windows are valid, what fits on a screen) stay in
content.playlist and publishers.videotron.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from content import playlist
from content.infra.config import Settings
from content.infra.store import BlobStore
from content.infra.timeutil import WIB, as_utc, format_wib, utcnow
from content.org.actors import Actor
from content.playlist import (
    DaySchedule,
    OverrideInfo,
    PlayerKeyInfo,
    PlayerState,
    ScheduleForm,
    ScreenInfo,
    ScreenStatus,
    SlidePlays,
)
from content.playlist.screen_hours import snapshot
from publishers.videotron import feed_base_url

HISTORY = 10  # emergency overrides listed per screen
WEEK_DAYS = 7


@dataclass(frozen=True)
class Shown:
    now: datetime
    screens: tuple[ScreenStatus, ...]
    selected: ScreenStatus | None
    schedule: DaySchedule | None = None
    holding: tuple[OverrideInfo, ...] = ()  # emergency overrides on the screen now
    next_change: datetime | None = None
    players: tuple[PlayerState, ...] = ()
    plays_today: tuple[SlidePlays, ...] = ()
    plays_week: tuple[SlidePlays, ...] = ()
    week_since: datetime | None = None
    history: tuple[OverrideInfo, ...] = ()
    silent_after: timedelta = playlist.PLAYER_STALE_AFTER
    keys: tuple[PlayerKeyInfo, ...] = ()


def load(
    session: Session,
    wanted: object,
    now: datetime | None = None,
    *,
    actor: Actor | None = None,
    silent_after: timedelta = playlist.PLAYER_STALE_AFTER,
) -> Shown:
    """Every screen, and the details of the one asked for (or the first); with `actor`, the
    selected screen's player keys too. A player silent longer than `silent_after` is offline."""
    now = now or utcnow()
    screens = tuple(playlist.screens_overview(session, at=now, after=silent_after))
    if not screens:
        return Shown(now, screens, None, silent_after=silent_after)
    selected = next((s for s in screens if s.screen.id == wanted), screens[0])
    screen_id = selected.screen.id
    schedule = playlist.day_schedule(session, screen_id, now=now)
    current = playlist.playlist_at(session, screen_id, now)
    week_since = playlist.day_bounds(selected.screen, schedule.day - timedelta(WEEK_DAYS - 1))[0]
    return Shown(
        now=now,
        screens=screens,
        selected=selected,
        schedule=schedule,
        holding=current.overrides,
        next_change=current.next_change,
        players=tuple(playlist.player_states(session, screen_id, at=now, after=silent_after)),
        plays_today=tuple(
            playlist.plays_per_slide(session, screen_id, since=schedule.starts_at, until=now)
        ),
        plays_week=tuple(playlist.plays_per_slide(session, screen_id, since=week_since, until=now)),
        week_since=week_since,
        history=tuple(playlist.overrides(session, screen_id, limit=HISTORY)),
        silent_after=silent_after,
        keys=tuple(playlist.player_keys(session, actor, screen_id)) if actor else (),
    )


# --- entering times in WIB --------------------------------------------------------------------


def wib_input(moment: datetime | None) -> datetime | None:
    """A stored UTC time as a date-time picker shows it: naive, in WIB, to the minute."""
    if moment is None:
        return None
    return moment.astimezone(WIB).replace(tzinfo=None, second=0, microsecond=0)


def entered(value: datetime, original: datetime | None = None) -> datetime:
    """A picker's value (naive WIB) in UTC. Left as it was shown, the original time is kept to
    the second (the picker only knows minutes)."""
    if original is not None and value == wib_input(original):
        return original
    return as_utc(value)


# --- what the page showed, checked again when acting -------------------------------------------


@dataclass(frozen=True)
class SlideSeen:
    slide_id: int
    valid_from: datetime
    valid_until: datetime | None
    seconds: int

    @classmethod
    def of(cls, item: playlist.PlaylistItem) -> SlideSeen:
        return cls(item.slide_id, item.valid_from, item.valid_until, item.seconds)

    @property
    def window(self) -> playlist.SlideWindow:
        return playlist.SlideWindow(self.valid_from, self.valid_until, self.seconds)

    @property
    def key(self) -> str:
        """Widget keys of this slide's inputs: new values (someone saved) give fresh inputs."""
        fingerprint = repr((self.valid_from, self.valid_until, self.seconds)).encode()
        return f"{self.slide_id}_{zlib.crc32(fingerprint):08x}"


def moved(order: Sequence[int], slide_id: int, step: int) -> list[int]:
    """The order with one slide moved `step` places (up is -1), kept inside the list."""
    result = list(order)
    index = result.index(slide_id)
    target = min(max(index + step, 0), len(result) - 1)
    result.insert(target, result.pop(index))
    return result


@dataclass(frozen=True)
class ScheduleSeen:
    """A screen's schedule as the page showed it: sent back as `expected` when saving, and its
    fingerprint keys the form's inputs (a saved change gives fresh inputs)."""

    screen_id: int
    values: dict[str, Any]

    @classmethod
    def of(cls, screen: ScreenInfo) -> ScheduleSeen:
        return cls(screen.id, snapshot(screen))

    @property
    def key(self) -> str:
        fingerprint = repr(sorted(self.values.items(), key=lambda kv: kv[0])).encode()
        return f"{self.screen_id}_{zlib.crc32(fingerprint):08x}"


def form_of(screen: ScreenInfo) -> ScheduleForm:
    return ScheduleForm.of(screen)


def key_rows(keys: Sequence[PlayerKeyInfo]) -> list[dict[str, Any]]:
    return [
        {
            "Kunci": k.short_id,
            "Label": k.label or "-",
            "Dibuat": format_wib(k.created_at),
            "Oleh": k.created_by,
            "Status": "berlaku" if k.revoked_at is None else f"dicabut {format_wib(k.revoked_at)}",
        }
        for k in keys
    ]


# --- labels -----------------------------------------------------------------------------------


def zone_label(screen: ScreenInfo) -> str:
    return "WIB" if screen.timezone == "Asia/Jakarta" else screen.timezone


def hours_label(screen: ScreenInfo) -> str:
    opens, closes = screen.opens_at, screen.closes_at
    if opens is None or closes is None or opens == closes:
        return "24 jam"
    return f"{_hm(opens)}–{_hm(closes)} {zone_label(screen)}"


def _hm(moment: time) -> str:
    return moment.strftime("%H:%M")


def size_label(screen: ScreenInfo) -> str:
    return f"{screen.width}×{screen.height} px"


def status_label(status: ScreenStatus) -> str:
    if not status.screen.active:
        return "Nonaktif"
    if status.override is not None:
        return "DARURAT: informasi serta-merta"
    if not status.open_now:
        return "Di luar jam operasi"
    if status.playing == 0:
        return "Tidak ada slide"
    return f"Tayang · {status.playing} slide"


def players_label(players: Sequence[PlayerState]) -> str:
    if not players:
        return "Belum ada pemutar"
    online = sum(1 for p in players if p.online)
    return f"{online} dari {len(players)} terhubung"


def window_label(valid_from: datetime, valid_until: datetime | None) -> str:
    until = format_wib(valid_until) if valid_until is not None else "tanpa batas"
    return f"{format_wib(valid_from)} – {until}"


def skew_label(skew_ms: int) -> str:
    seconds = skew_ms / 1000
    if abs(skew_ms) < 1000:
        return f"{seconds:+.1f} dtk (tepat)"
    side = "lebih cepat" if skew_ms > 0 else "lebih lambat"
    return f"{seconds:+.1f} dtk ({side})"


def screen_rows(screens: Sequence[ScreenStatus]) -> list[dict[str, Any]]:
    return [
        {
            "Layar": s.screen.name,
            "Lokasi": s.screen.location or "-",
            "Ukuran": size_label(s.screen),
            "Jam operasi": hours_label(s.screen),
            "Status": status_label(s),
            "Pemutar": players_label(s.players),
            "Tayang hari ini": s.plays_today,
        }
        for s in screens
    ]


def player_rows(players: Sequence[PlayerState]) -> list[dict[str, Any]]:
    return [
        {
            "Pemutar": p.player_id,
            "Status": "terhubung" if p.online else "terputus",
            "Laporan terakhir": format_wib(p.last_seen_at, seconds=True),
            "Selisih jam": skew_label(p.skew_ms),
            "Slide sekarang": p.current_headline or (p.current_sha256 or "-")[:12],
            "Jumlah laporan": p.beats,
            "Peramban": p.user_agent or "-",
        }
        for p in players
    ]


def play_rows(plays: Sequence[SlidePlays]) -> list[dict[str, Any]]:
    return [
        {
            "Slide": p.headline or p.sha256[:12],
            "Konten": f"#{p.post_id}" if p.post_id else ("darurat" if p.is_override else "-"),
            "Tayang (kali)": p.plays,
            "Durasi total (menit)": round(p.seconds / 60, 1),
            "Terakhir tayang": format_wib(p.last_played_at),
        }
        for p in plays
    ]


def history_rows(history: Sequence[OverrideInfo]) -> list[dict[str, Any]]:
    return [
        {
            "Judul": o.headline,
            "Alasan": o.reason,
            "Oleh": o.created_by,
            "Mulai": format_wib(o.starts_at),
            "Berakhir": format_wib(o.ends_at) if o.ends_at else "saat dicabut",
            "Dicabut": (
                f"{format_wib(o.lifted_at)} oleh {o.lifted_by}".strip() if o.lifted_at else "-"
            ),
            "Alasan dicabut": o.lift_reason or "-",
        }
        for o in history
    ]


# --- images and addresses ---------------------------------------------------------------------


def slide_image(store: BlobStore, settings: Settings, sha256: str, mime: str) -> bytes | str:
    """The slide's bytes from the content store, or its address on the feed when this machine
    does not hold the image."""
    extension = playlist.SLIDE_MIMES.get(mime, "jpg")
    try:
        if store.exists(sha256, extension):
            return store.get(sha256, extension)
    except (OSError, ValueError):
        pass
    return feed_base_url(settings) + playlist.slide_path(sha256, mime)


def player_url(settings: Settings, slug: str) -> str:
    return f"{feed_base_url(settings)}/screens/{slug}/player"
