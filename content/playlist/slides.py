"""Videotron playlists: writing slides (the worker after rendering; PPID Utama for order and
windows)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from content.infra.store import is_sha256
from content.infra.timeutil import utcnow
from content.models import (
    Channel,
    PostTarget,
    Screen,
    Slide,
)
from content.models.enums import APPROVED_STATUSES
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require
from content.playlist.reading import find_screen
from content.playlist.values import (
    MAX_HEADLINE,
    MAX_REASON,
    MAX_SECONDS,
    ORDER_CHANGED,
    SLIDE_CHANGED,
    SLIDE_MIMES,
    SlideWindow,
)


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
            AuditAction.VIDEOTRON_SLIDE_RERENDERED,
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
        AuditAction.VIDEOTRON_SLIDE_RECORDED,
        "slide",
        slide.id,
        opd_id=post.opd_id,
        after=_snapshot(slide) | {"screen": screen.slug, "target_id": target.id},
    )
    return slide


def _slide_for_change(session: Session, slide_id: int, expected: SlideWindow | None) -> Slide:
    slide = session.get(Slide, slide_id, with_for_update=True)
    if slide is None or slide.is_override:
        raise NotFound("Slide tidak ditemukan (slide darurat diatur lewat penggantian darurat).")
    current = SlideWindow(slide.valid_from, slide.valid_until, slide.seconds)
    if expected is not None and current != expected:
        raise Conflict(SLIDE_CHANGED)
    return slide


def set_slide_schedule(
    session: Session,
    actor: Actor,
    slide_id: int,
    *,
    valid_from: datetime,
    valid_until: datetime | None,
    seconds: int | None = None,
    expected: SlideWindow | None = None,
) -> Slide:
    """PPID Utama sets when a slide plays (None: until ended) and for how many seconds."""
    actor = require_videotron_manager(session, actor)
    slide = _slide_for_change(session, slide_id, expected)
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
        AuditAction.VIDEOTRON_SLIDE_SCHEDULED,
        "slide",
        slide.id,
        before=before,
        after=_snapshot(slide),
    )
    return slide


def end_slide(
    session: Session,
    actor: Actor,
    slide_id: int,
    *,
    reason: str = "",
    now: datetime | None = None,
    expected: SlideWindow | None = None,
) -> Slide:
    """Take a slide off its screen from now on (it stays in the history)."""
    actor = require_videotron_manager(session, actor)
    slide = _slide_for_change(session, slide_id, expected)
    now = now or utcnow()
    if slide.valid_until is not None and slide.valid_until <= now:
        raise InvalidTransition("Slide ini sudah berakhir.")
    before = _snapshot(slide)
    slide.valid_until = max(now, slide.valid_from + timedelta(microseconds=1))
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.VIDEOTRON_SLIDE_ENDED,
        "slide",
        slide.id,
        before=before,
        after=_snapshot(slide),
        reason=reason[:MAX_REASON],
    )
    return slide


def reorder_slides(
    session: Session,
    actor: Actor,
    screen: Screen | int | str,
    slide_ids: Sequence[int],
    *,
    expected_order: Sequence[int] | None = None,
) -> None:
    """The given slides of the screen take positions 0, 1, 2 … in that order; the others keep
    their relative order after them. With `expected_order` (the order the person saw), a
    reorder made meanwhile by someone else is refused as a conflict."""
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
    before = [s.id for s in slides]
    if expected_order is not None:
        seen = set(expected_order)
        if [i for i in before if i in seen] != list(expected_order):
            raise Conflict(ORDER_CHANGED)
    ordered = [by_id[i] for i in slide_ids] + [s for s in slides if s.id not in set(slide_ids)]
    for position, slide in enumerate(ordered):
        slide.position = position
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.VIDEOTRON_SLIDES_REORDERED,
        "screen",
        found.id,
        before={"order": before},
        after={"order": [s.id for s in ordered]},
    )
