"""Videotron playlists: what each screen shows now, until when, and what its players reported.

A screen's playlist is its slides whose validity window holds at that moment and whose post
target (channel videotron) is published, in their order, inside the screen's operating hours.
An emergency override (informasi serta-merta, UU KIP Pasal 10) pushed by PPID Utama takes the
screen at once, operating hours or not, until its end time or until it is lifted by hand.

Rendering happens in publishers.videotron; this module only records the rendered slides by their
sha256. Times are UTC in the database; days and operating hours are in the screen's time zone.

Players have no login (a browser on the controller PC): their writes (proof of play, heartbeats)
are bounded and checked against the screen's own slides instead of against a role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, Table, delete, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content import audit
from content.actors import Actor, refresh
from content.errors import InvalidTransition, NotFound, ValidationFailed
from content.models import (
    Channel,
    Media,
    Opd,
    PlayEvent,
    Post,
    PostMedia,
    PostTarget,
    Screen,
    Slide,
    TargetStatus,
    User,
)
from content.models.enums import APPROVED_STATUSES
from content.models.videotron import PlayerHeartbeat, ScreenOverride
from content.permissions import Action, require
from content.store import is_sha256
from content.timeutil import WIB, utcnow

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


# ---------------------------------------------------------------------------------------------
# Values handed to callers (plain data: a dashboard may keep them after the session closes)


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


# ---------------------------------------------------------------------------------------------
# Time zones and operating hours


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


# ---------------------------------------------------------------------------------------------
# Reading the playlist


def find_screen(session: Session, screen: Screen | int | str) -> Screen:
    if isinstance(screen, Screen):
        return screen
    found = (
        session.get(Screen, screen)
        if isinstance(screen, int)
        else session.scalar(select(Screen).where(Screen.slug == screen))
    )
    if found is None:
        raise NotFound(f"Layar '{screen}' tidak ditemukan.")
    return found


def _published_slides(screen_id: int) -> Select[Slide, int, str]:
    return (
        select(Slide, Post.id, Opd.name)
        .join(PostTarget, PostTarget.id == Slide.target_id)
        .join(Post, Post.id == PostTarget.post_id)
        .join(Opd, Opd.id == Post.opd_id)
        .where(
            Slide.screen_id == screen_id,
            Slide.is_override.is_(False),
            PostTarget.screen_id == screen_id,
            PostTarget.channel == Channel.VIDEOTRON,
            PostTarget.status == TargetStatus.PUBLISHED,
        )
        .order_by(Slide.position, Slide.valid_from, Slide.id)
    )


def _item(slide: Slide, post_id: int | None = None, opd_name: str = "") -> PlaylistItem:
    return PlaylistItem(
        slide_id=slide.id,
        sha256=slide.sha256,
        mime=slide.mime,
        seconds=slide.seconds,
        valid_from=slide.valid_from,
        valid_until=slide.valid_until,
        headline=slide.headline,
        position=slide.position,
        post_id=post_id,
        opd_name=opd_name,
        is_override=slide.is_override,
    )


def _labels(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {row.id: row.display_name for row in rows}


def _override_infos(session: Session, rows: Sequence[ScreenOverride]) -> list[OverrideInfo]:
    labels = _labels(session, [r.created_by_id for r in rows] + [r.lifted_by_id for r in rows])
    return [
        OverrideInfo(
            id=row.id,
            screen_id=row.screen_id,
            slide_id=row.slide_id,
            sha256=row.slide.sha256,
            mime=row.slide.mime,
            headline=row.headline,
            reason=row.reason,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            created_by=labels.get(row.created_by_id or 0, "sistem"),
            created_at=row.created_at,
            seconds=row.slide.seconds,
            lifted_at=row.lifted_at,
            lifted_by=labels.get(row.lifted_by_id or 0, "") if row.lifted_at else "",
            lift_reason=row.lift_reason,
        )
        for row in rows
    ]


def _pending_overrides(session: Session, screen_id: int, at: datetime) -> list[ScreenOverride]:
    """Overrides not lifted and not ended: holding the screen now, or due to."""
    query = (
        select(ScreenOverride)
        .where(
            ScreenOverride.screen_id == screen_id,
            ScreenOverride.lifted_at.is_(None),
            or_(ScreenOverride.ends_at.is_(None), ScreenOverride.ends_at > at),
        )
        .order_by(ScreenOverride.starts_at, ScreenOverride.id)
    )
    return list(session.scalars(query))


def playlist_at(
    session: Session, screen: Screen | int | str, at: datetime | None = None
) -> Playlist:
    """What `screen` shows at `at` (default now), and the next moment that may change by the
    clock alone (a slide starting or ending, an override starting or ending, opening hours)."""
    at = at or utcnow()
    found = find_screen(session, screen)
    info = ScreenInfo.of(found)
    changes: list[datetime] = []
    if not found.active:
        return Playlist(info, at, False, ())
    overrides = _override_infos(session, _pending_overrides(session, found.id, at))
    holding = [o for o in overrides if o.active_at(at)]
    for override in overrides:
        changes += [m for m in (override.starts_at, override.ends_at) if m is not None and m > at]
    current: list[PlaylistItem] = []
    rows = session.execute(
        _published_slides(found.id).where(or_(Slide.valid_until.is_(None), Slide.valid_until > at))
    )
    for slide, post_id, opd_name in rows:
        if slide.valid_from > at:
            changes.append(slide.valid_from)
            continue
        current.append(_item(slide, post_id, opd_name))
        if slide.valid_until is not None:
            changes.append(slide.valid_until)
    open_now = is_open(found, at)
    hours_change = next_hours_change(found, at)
    if hours_change is not None:
        changes.append(hours_change)
    if holding:
        items = tuple(
            PlaylistItem(
                slide_id=o.slide_id,
                sha256=o.sha256,
                mime=o.mime,
                seconds=o.seconds,
                valid_from=o.starts_at,
                valid_until=o.ends_at,
                headline=o.headline,
                position=index,
                is_override=True,
            )
            for index, o in enumerate(holding)
        )
    else:
        items = tuple(current) if open_now else ()
    return Playlist(info, at, open_now, items, tuple(holding), min(changes, default=None))


# ---------------------------------------------------------------------------------------------
# What the feed may serve: published things only


def is_servable_slide(session: Session, sha256: str, extension: str) -> bool:
    """A slide image is public once its post target is published on videotron, or while the
    emergency override it belongs to has not been lifted."""
    mime = next((m for m, ext in SLIDE_MIMES.items() if ext == extension), None)
    if not is_sha256(sha256) or mime is None:
        return False
    published = (
        select(Slide.id)
        .join(PostTarget, PostTarget.id == Slide.target_id)
        .where(
            Slide.sha256 == sha256,
            Slide.mime == mime,
            Slide.is_override.is_(False),
            PostTarget.channel == Channel.VIDEOTRON,
            PostTarget.status == TargetStatus.PUBLISHED,
        )
        .limit(1)
    )
    if session.scalar(published) is not None:
        return True
    override = (
        select(Slide.id)
        .join(ScreenOverride, ScreenOverride.slide_id == Slide.id)
        .where(Slide.sha256 == sha256, Slide.mime == mime, ScreenOverride.lifted_at.is_(None))
        .limit(1)
    )
    return session.scalar(override) is not None


def is_public_photo(session: Session, sha256: str, extension: str) -> bool:
    """A photo may be fetched by Instagram's servers only when a post that uses it is approved
    (or further along) and targets Instagram."""
    if not is_sha256(sha256) or extension not in {"jpg", "png"}:
        return False
    mime = "image/png" if extension == "png" else "image/jpeg"
    query = (
        select(Media.id)
        .join(PostMedia, PostMedia.media_id == Media.id)
        .join(Post, Post.id == PostMedia.post_id)
        .join(PostTarget, PostTarget.post_id == Post.id)
        .where(
            Media.sha256 == sha256,
            Media.mime == mime,
            Post.status.in_(APPROVED_STATUSES),
            PostTarget.channel == Channel.INSTAGRAM,
            PostTarget.status != TargetStatus.CANCELLED,
        )
        .limit(1)
    )
    return session.scalar(query) is not None


# ---------------------------------------------------------------------------------------------
# Writing slides (the worker after rendering; PPID Utama for order and windows)


def _check_image(sha256: str, mime: str) -> None:
    if not is_sha256(sha256):
        raise ValidationFailed("Alamat slide bukan sha256 yang sah.")
    if mime not in SLIDE_MIMES:
        raise ValidationFailed("Slide harus gambar PNG atau JPEG.")


def _check_window(valid_from: datetime, valid_until: datetime | None) -> None:
    if valid_from.tzinfo is None or (valid_until is not None and valid_until.tzinfo is None):
        raise ValidationFailed("Waktu berlaku slide harus dengan zona waktu.")
    if valid_until is not None and valid_until <= valid_from:
        raise ValidationFailed("Akhir masa tayang harus sesudah awalnya.")


def _check_seconds(seconds: int) -> None:
    if not 1 <= seconds <= MAX_SECONDS:
        raise ValidationFailed(f"Durasi slide 1–{MAX_SECONDS} detik.")


def require_videotron_manager(session: Session, actor: Actor) -> Actor:
    """The actor as the database knows them now, if they may manage the playlists."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_VIDEOTRON)
    return actor


def _writer(session: Session, actor: Actor) -> Actor:
    # The worker (a system actor) records what PPID Utama approved; people need the right.
    return actor if actor.is_system else require_videotron_manager(session, actor)


def _next_position(session: Session, screen_id: int) -> int:
    last = session.scalar(
        select(func.max(Slide.position)).where(
            Slide.screen_id == screen_id, Slide.is_override.is_(False)
        )
    )
    return 0 if last is None else int(last) + 1


def _snapshot(slide: Slide) -> dict[str, Any]:
    return {
        "sha256": slide.sha256,
        "valid_from": slide.valid_from,
        "valid_until": slide.valid_until,
        "seconds": slide.seconds,
        "position": slide.position,
    }


def record_slide(
    session: Session,
    actor: Actor,
    target: PostTarget,
    *,
    sha256: str,
    mime: str,
    headline: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    seconds: int | None = None,
) -> Slide:
    """The slide of a videotron target (one per target: a re-render replaces the image and
    keeps the slide's place and window). It plays once the target is published."""
    actor = _writer(session, actor)
    screen = target.screen
    if target.channel is not Channel.VIDEOTRON or screen is None:
        raise ValidationFailed("Hanya target videotron yang mempunyai slide.")
    post = target.post
    if post.status not in APPROVED_STATUSES or post.approved_hash != post.content_hash:
        raise InvalidTransition(
            "Konten ini belum disetujui atau berubah sesudah disetujui; slide tidak dicatat."
        )
    _check_image(sha256, mime)
    _check_window(valid_from, valid_until)
    seconds = screen.default_seconds if seconds is None else seconds
    _check_seconds(seconds)
    slide = session.scalar(
        select(Slide).where(Slide.target_id == target.id, Slide.is_override.is_(False))
    )
    if slide is not None:
        before = _snapshot(slide)
        slide.sha256, slide.mime, slide.headline = sha256, mime, headline[:MAX_HEADLINE]
        session.flush()
        audit.record(
            session,
            actor,
            "videotron.slide_rerendered",
            "slide",
            slide.id,
            opd_id=post.opd_id,
            before=before,
            after=_snapshot(slide),
        )
        return slide
    slide = Slide(
        post_id=post.id,
        screen_id=screen.id,
        target_id=target.id,
        sha256=sha256,
        mime=mime,
        headline=headline[:MAX_HEADLINE],
        valid_from=valid_from,
        valid_until=valid_until,
        seconds=seconds,
        position=_next_position(session, screen.id),
        is_override=False,
    )
    session.add(slide)
    session.flush()
    audit.record(
        session,
        actor,
        "videotron.slide_recorded",
        "slide",
        slide.id,
        opd_id=post.opd_id,
        after=_snapshot(slide) | {"screen": screen.slug, "target_id": target.id},
    )
    return slide


def _slide_for_change(session: Session, slide_id: int) -> Slide:
    slide = session.get(Slide, slide_id)
    if slide is None or slide.is_override:
        raise NotFound("Slide tidak ditemukan (slide darurat diatur lewat penggantian darurat).")
    return slide


def set_slide_schedule(
    session: Session,
    actor: Actor,
    slide_id: int,
    *,
    valid_from: datetime,
    valid_until: datetime | None,
    seconds: int | None = None,
) -> Slide:
    """PPID Utama sets when a slide plays (None: until ended) and for how many seconds."""
    actor = require_videotron_manager(session, actor)
    slide = _slide_for_change(session, slide_id)
    _check_window(valid_from, valid_until)
    if seconds is not None:
        _check_seconds(seconds)
    before = _snapshot(slide)
    slide.valid_from, slide.valid_until = valid_from, valid_until
    slide.seconds = slide.seconds if seconds is None else seconds
    session.flush()
    audit.record(
        session,
        actor,
        "videotron.slide_scheduled",
        "slide",
        slide.id,
        before=before,
        after=_snapshot(slide),
    )
    return slide


def end_slide(
    session: Session, actor: Actor, slide_id: int, *, reason: str = "", now: datetime | None = None
) -> Slide:
    """Take a slide off its screen from now on (it stays in the history)."""
    actor = require_videotron_manager(session, actor)
    slide = _slide_for_change(session, slide_id)
    now = now or utcnow()
    before = _snapshot(slide)
    slide.valid_until = max(now, slide.valid_from + timedelta(microseconds=1))
    session.flush()
    audit.record(
        session,
        actor,
        "videotron.slide_ended",
        "slide",
        slide.id,
        before=before,
        after=_snapshot(slide),
        reason=reason[:MAX_REASON],
    )
    return slide


def reorder_slides(
    session: Session, actor: Actor, screen: Screen | int | str, slide_ids: Sequence[int]
) -> None:
    """The given slides of the screen take positions 0, 1, 2 … in that order; the others keep
    their relative order after them."""
    actor = require_videotron_manager(session, actor)
    found = find_screen(session, screen)
    slides = list(
        session.scalars(
            select(Slide)
            .where(Slide.screen_id == found.id, Slide.is_override.is_(False))
            .order_by(Slide.position, Slide.id)
        )
    )
    by_id = {s.id: s for s in slides}
    unknown = [i for i in slide_ids if i not in by_id]
    if unknown or len(set(slide_ids)) != len(slide_ids):
        raise ValidationFailed("Urutan memuat slide yang bukan milik layar ini atau ganda.")
    ordered = [by_id[i] for i in slide_ids] + [s for s in slides if s.id not in set(slide_ids)]
    before = [s.id for s in slides]
    for position, slide in enumerate(ordered):
        slide.position = position
    session.flush()
    audit.record(
        session,
        actor,
        "videotron.slides_reordered",
        "screen",
        found.id,
        before={"order": before},
        after={"order": [s.id for s in ordered]},
    )


# ---------------------------------------------------------------------------------------------
# Emergency override (informasi serta-merta)


def push_override(
    session: Session,
    actor: Actor,
    screen: Screen | int | str,
    *,
    sha256: str,
    mime: str,
    headline: str,
    reason: str,
    ends_at: datetime | None = None,
    starts_at: datetime | None = None,
    seconds: int | None = None,
    now: datetime | None = None,
) -> ScreenOverride:
    """Put a rendered emergency slide on a screen at once (or at `starts_at`), above every
    other slide and regardless of operating hours, until `ends_at` or until lifted."""
    actor = require_videotron_manager(session, actor)
    found = find_screen(session, screen)
    _check_image(sha256, mime)
    if not reason.strip():
        raise ValidationFailed("Tuliskan alasan penayangan darurat (informasi serta-merta).")
    now = now or utcnow()
    starts_at = starts_at or now
    _check_window(starts_at, ends_at)
    if ends_at is not None and ends_at <= now:
        raise ValidationFailed("Waktu berakhir penayangan darurat sudah lewat.")
    seconds = found.default_seconds if seconds is None else seconds
    _check_seconds(seconds)
    slide = Slide(
        post_id=None,
        screen_id=found.id,
        target_id=None,
        sha256=sha256,
        mime=mime,
        headline=headline[:MAX_HEADLINE],
        valid_from=starts_at,
        valid_until=ends_at,
        seconds=seconds,
        position=0,
        is_override=True,
    )
    session.add(slide)
    session.flush()
    override = ScreenOverride(
        screen_id=found.id,
        slide_id=slide.id,
        headline=headline[:MAX_HEADLINE],
        reason=reason.strip()[:MAX_REASON],
        starts_at=starts_at,
        ends_at=ends_at,
        created_by_id=actor.user_id,
        created_at=now,
    )
    session.add(override)
    session.flush()
    audit.record(
        session,
        actor,
        "videotron.override_pushed",
        "screen_override",
        override.id,
        after={
            "screen": found.slug,
            "sha256": sha256,
            "headline": override.headline,
            "starts_at": starts_at,
            "ends_at": ends_at,
        },
        reason=override.reason,
    )
    return override


def lift_override(
    session: Session,
    actor: Actor,
    override_id: int,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> ScreenOverride:
    actor = require_videotron_manager(session, actor)
    override = session.get(ScreenOverride, override_id)
    if override is None:
        raise NotFound("Penayangan darurat tidak ditemukan.")
    now = now or utcnow()
    if override.lifted_at is not None or (override.ends_at is not None and override.ends_at <= now):
        raise InvalidTransition("Penayangan darurat ini sudah berakhir.")
    override.lifted_at, override.lifted_by_id = now, actor.user_id
    override.lift_reason = reason.strip()[:MAX_REASON]
    slide = override.slide
    slide.valid_until = max(now, slide.valid_from + timedelta(microseconds=1))
    session.flush()
    audit.record(
        session,
        actor,
        "videotron.override_lifted",
        "screen_override",
        override.id,
        before={"ends_at": override.ends_at},
        after={"lifted_at": now},
        reason=override.lift_reason,
    )
    return override


def overrides(
    session: Session, screen: Screen | int | str, *, limit: int = 20
) -> list[OverrideInfo]:
    """The latest overrides of a screen, newest first (active, ended and lifted)."""
    found = find_screen(session, screen)
    rows = session.scalars(
        select(ScreenOverride)
        .where(ScreenOverride.screen_id == found.id)
        .order_by(ScreenOverride.created_at.desc(), ScreenOverride.id.desc())
        .limit(limit)
    )
    return _override_infos(session, list(rows))


# ---------------------------------------------------------------------------------------------
# Proof of play and heartbeats (from players)


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
    Events for images that are not slides of this screen are rejected."""
    found = find_screen(session, screen)
    _check_player(player_id)
    if len(events) > MAX_BATCH:
        raise ValidationFailed(f"Paling banyak {MAX_BATCH} laporan tayang per kiriman.")
    received_at = received_at or utcnow()
    offset = received_at - sent_at if sent_at is not None else timedelta(0)
    known = set(
        session.scalars(
            select(Slide.sha256).where(
                Slide.screen_id == found.id, Slide.sha256.in_({e.sha256 for e in events})
            )
        )
    )
    rows: dict[str, dict[str, Any]] = {}
    rejected = 0
    for event in events:
        played_at = event.played_at + offset if event.played_at.tzinfo else None
        valid = (
            _EVENT_ID.match(event.event_id) is not None
            and event.sha256 in known
            and 0 < event.seconds <= MAX_SECONDS
            and played_at is not None
            and received_at - PLAY_MAX_AGE <= played_at <= received_at + PLAY_MAX_AHEAD
        )
        if not valid or played_at is None:
            rejected += 1
            continue
        rows[event.event_id] = {
            "screen_id": found.id,
            "slide_sha256": event.sha256,
            "player_id": player_id,
            "event_id": event.event_id,
            "played_at": played_at,
            "seconds": float(event.seconds),
            "received_at": received_at,
        }
    accepted = _insert_ignoring_duplicates(session, list(rows.values())) if rows else 0
    return PlayBatchResult(accepted, len(events) - rejected - accepted, rejected)


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


# ---------------------------------------------------------------------------------------------
# Dashboard reads


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
    online: bool  # heard from within PLAYER_STALE_AFTER


def player_states(
    session: Session, screen: Screen | int | str, *, at: datetime | None = None
) -> list[PlayerState]:
    """Each player's last heartbeat: when, its clock skew, what it showed."""
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
            online=at - r.last_seen_at <= PLAYER_STALE_AFTER,
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


def screens_overview(session: Session, *, at: datetime | None = None) -> list[ScreenStatus]:
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
                players=tuple(player_states(session, screen, at=at)),
                plays_today=int(plays or 0),
            )
        )
    return result
