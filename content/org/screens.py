"""Videotron screens (LED walls): exact pixel size, offset, timing and where they stand."""

from __future__ import annotations

import re
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import ValidationFailed
from content.models import Screen
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
MAX_SIDE = 8192


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{1,5})\s*[x×]\s*(\d{1,5})\s*", text)
    if not match:
        raise ValidationFailed(f"Ukuran layar '{text}' tidak dikenali; tulis seperti 1408x400.")
    width, height = int(match.group(1)), int(match.group(2))
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ValidationFailed(f"Ukuran layar harus 1–{MAX_SIDE} piksel per sisi.")
    return width, height


def parse_hours(text: str) -> tuple[time, time]:
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*", text)
    if not match:
        raise ValidationFailed(f"Jam operasi '{text}' tidak dikenali; tulis seperti 06:00-22:00.")
    try:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        return time(h1, m1), time(h2, m2)
    except ValueError as exc:
        raise ValidationFailed(f"Jam operasi '{text}' bukan jam yang sah.") from exc


def add_screen(
    session: Session,
    actor: Actor,
    *,
    slug: str,
    name: str,
    size: str,
    location: str = "",
    offset: tuple[int, int] = (0, 0),
    default_seconds: int = 10,
    timezone: str = "Asia/Jakarta",
    hours: str | None = None,
    viewing_distance_m: float | None = None,
) -> Screen:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_SCREENS)
    slug = slug.strip().lower()
    if not _SLUG.match(slug):
        raise ValidationFailed("Slug layar 2–64 karakter: huruf kecil, angka dan strip.")
    if session.scalar(select(Screen.id).where(Screen.slug == slug)) is not None:
        raise ValidationFailed(f"Layar '{slug}' sudah ada.")
    width, height = parse_size(size)
    if not 1 <= default_seconds <= 3600:
        raise ValidationFailed("Durasi slide bawaan 1–3600 detik.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(f"Zona waktu '{timezone}' tidak dikenal.") from exc
    opens, closes = parse_hours(hours) if hours else (None, None)
    screen = Screen(
        slug=slug,
        name=name.strip() or slug,
        location=location.strip(),
        width=width,
        height=height,
        offset_x=offset[0],
        offset_y=offset[1],
        default_seconds=default_seconds,
        timezone=timezone,
        opens_at=opens,
        closes_at=closes,
        viewing_distance_m=viewing_distance_m,
    )
    session.add(screen)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.SCREEN_CREATED,
        "screen",
        screen.id,
        after={"slug": slug, "size": size},
    )
    return screen


def list_screens(session: Session) -> list[Screen]:
    return list(session.scalars(select(Screen).order_by(Screen.name)))
