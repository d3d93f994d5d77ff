"""Videotron playlists: setting a screen's hours, closures and default slide (system admin)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time
from typing import Any

from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import ValidationFailed
from content.models import Screen
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require
from content.playlist.hours import check_closures, check_weekly_hours
from content.playlist.reading import find_screen

_UNSET: Any = object()


def _snapshot(screen: Screen) -> dict[str, Any]:
    return {
        "opens_at": screen.opens_at.strftime("%H:%M") if screen.opens_at else None,
        "closes_at": screen.closes_at.strftime("%H:%M") if screen.closes_at else None,
        "weekly_hours": screen.weekly_hours,
        "closures": screen.closures,
        "default_outside_hours": screen.default_outside_hours,
        "default_text": screen.default_text,
    }


def set_screen_schedule(
    session: Session,
    actor: Actor,
    screen: Screen | int | str,
    *,
    everyday: tuple[time, time] | None = _UNSET,
    weekly_hours: Mapping[str, Any] | None = _UNSET,
    closures: Sequence[Mapping[str, Any]] | None = _UNSET,
    default_outside_hours: bool | None = None,
    default_text: str | None = None,
) -> Screen:
    """Change what is given (everyday hours, per-weekday hours, closure days, whether the
    default slide shows outside hours, its line of text); what is not given stays. Players
    get the change with their next playlist."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_SCREENS)
    found = find_screen(session, screen)
    before = _snapshot(found)
    if everyday is not _UNSET:
        found.opens_at, found.closes_at = everyday if everyday is not None else (None, None)
    if weekly_hours is not _UNSET:
        found.weekly_hours = check_weekly_hours(weekly_hours) if weekly_hours else None
    if closures is not _UNSET:
        found.closures = check_closures(closures) if closures else None
    if default_outside_hours is not None:
        found.default_outside_hours = default_outside_hours
    if default_text is not None:
        if len(default_text.strip()) > 200:
            raise ValidationFailed("Teks slide bawaan maksimal 200 karakter.")
        found.default_text = default_text.strip()
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.VIDEOTRON_SCREEN_SCHEDULE_SET,
        "screen",
        found.id,
        before=before,
        after=_snapshot(found),
    )
    return found
