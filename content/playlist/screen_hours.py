"""Videotron playlists: setting a screen's hours, closures and default slide (PPID Utama).

Two ways in, one service: `set_screen_schedule` takes checked values (the command line builds
them with `parse_span`, `parse_weekly` and `parse_closures`), and `schedule_from_form` reads what
someone typed in the dashboard's form into the same values. Either way bad input is one
Indonesian sentence and nothing is written. A closure day that is already past is refused when
it is new (a past day already on the list is kept: it is history, not a mistake). A change made
against an older view of the schedule (`expected`, the values the page showed) is refused as a
conflict instead of overwriting someone else's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import Conflict, ValidationFailed
from content.infra.timeutil import utcnow
from content.models import Screen
from content.org.actors import Actor
from content.playlist.hours import (
    CLOSURE_REASONS,
    check_closures,
    check_weekly_hours,
    screen_zone,
)
from content.playlist.reading import find_screen
from content.playlist.slides import require_videotron_manager
from content.playlist.values import ScreenInfo

_UNSET: Any = object()
MAX_DEFAULT_TEXT = 200
MAX_CLOSURES = 366
CLOSED_WORDS = {"tutup", "closed"}
SCHEDULE_CHANGED = (
    "Jadwal layar ini diubah orang lain sejak halaman dimuat; periksa lagi lalu ulangi."
)
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")


def snapshot(screen: Screen | ScreenInfo) -> dict[str, Any]:
    """The schedule as stored, in plain values (the audit row's before/after, and what a page
    shows and sends back as `expected`)."""
    return {
        "opens_at": screen.opens_at.strftime("%H:%M") if screen.opens_at else None,
        "closes_at": screen.closes_at.strftime("%H:%M") if screen.closes_at else None,
        "weekly_hours": screen.weekly_hours,
        "closures": screen.closures,
        "default_outside_hours": screen.default_outside_hours,
        "default_text": screen.default_text,
    }


# --- reading what people type ------------------------------------------------------------------


def parse_time(text: str) -> time:
    """'06:00' or '06.00' as a time of day, or one sentence why not ('25:00' is not a time)."""
    found = _CLOCK.match(text.strip())
    if found is not None:
        hour, minute = int(found.group(1)), int(found.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValidationFailed(f"Jam '{text.strip()}' tidak dikenali; tulis seperti 06:00 atau 22:00.")


def parse_span(text: str, *, overnight: bool = True) -> tuple[time, time] | None:
    """'06:00-22:00' as (opens, closes), None for 'tutup' (closed all day). Without `overnight`,
    closing must come after opening; with it, 18:00-02:00 closes the next morning (and equal
    times mean the whole day, content.playlist.hours)."""
    if text.strip().lower() in CLOSED_WORDS:
        return None
    start, dash, end = text.replace("–", "-").partition("-")
    if not dash or not start.strip() or not end.strip():
        raise ValidationFailed(
            f"Jam operasi '{text.strip()}' tidak dikenali; tulis seperti 06:00-22:00 atau tutup."
        )
    opens, closes = parse_time(start), parse_time(end)
    if not overnight and closes <= opens:
        raise ValidationFailed(
            f"Jam tutup {closes:%H:%M} harus setelah jam buka {opens:%H:%M}; centang "
            "“melewati tengah malam” bila layar memang menyala sampai lewat tengah malam."
        )
    return opens, closes


def _stored(span: tuple[time, time] | None) -> list[str] | None:
    return None if span is None else [span[0].strftime("%H:%M"), span[1].strftime("%H:%M")]


def parse_weekly(values: Iterable[str]) -> dict[str, list[str] | None]:
    """Command-line weekday hours: 'HARI=06:00-22:00' or 'HARI=tutup' (0 = Monday)."""
    weekly: dict[str, list[str] | None] = {}
    for value in values:
        day, _, span = value.partition("=")
        if not span:
            raise ValidationFailed(
                "Jam per hari ditulis HARI=06:00-22:00 atau HARI=tutup (0=Senin)."
            )
        weekly[day.strip()] = _stored(parse_span(span))
    return weekly


def parse_day(text: str) -> date:
    """'2026-12-25' or '25-12-2026' (or with slashes) as a date, or one sentence why not."""
    cleaned = text.strip()
    try:
        day_first = _DAY_FIRST.match(cleaned)
        if day_first is not None:
            day, month, year = (int(g) for g in day_first.groups())
            return date(year, month, day)
        return date.fromisoformat(cleaned)
    except ValueError as exc:
        raise ValidationFailed(
            f"Tanggal '{cleaned}' tidak dikenali; tulis seperti 25-12-2026."
        ) from exc


def _reason(text: str) -> str:
    wanted = text.strip().lower() or "other"
    for code, label in CLOSURE_REASONS.items():
        if wanted in {code, label}:
            return code
    raise ValidationFailed(
        f"Alasan tutup '{text.strip()}' tidak dikenali; pilih salah satu: "
        + ", ".join(CLOSURE_REASONS.values())
        + "."
    )


def parse_closures(values: Iterable[str], *, separator: str = ":") -> list[dict[str, str]]:
    """Closure days as stored, from '2026-12-25:holiday' (command line) or, with separator
    ' ', from a form's lines '25-12-2026 hari libur' (the reason may be left out)."""
    found: list[dict[str, str]] = []
    for value in values:
        if not value.strip():
            continue
        day, _, reason = value.strip().partition(separator)
        found.append({"day": parse_day(day).isoformat(), "reason": _reason(reason)})
    if len(found) > MAX_CLOSURES:
        raise ValidationFailed(f"Paling banyak {MAX_CLOSURES} hari tutup.")
    return found


@dataclass(frozen=True)
class ScheduleForm:
    """What the dashboard's form holds, as typed. Every day's hours: '06:00-22:00', or empty
    for a screen that is always on. Each weekday ('0' Monday … '6'): empty (as every day),
    '07:00-21:00' or 'tutup'. Closures: one per line, '25-12-2026 hari libur'."""

    everyday: str = ""
    weekdays: Mapping[str, str] = field(default_factory=dict)
    closures: str = ""
    overnight: bool = False
    default_outside_hours: bool = True
    default_text: str = ""

    @classmethod
    def of(cls, screen: Screen | ScreenInfo) -> ScheduleForm:
        """The form filled with the screen's schedule as stored."""
        everyday = (
            f"{screen.opens_at:%H:%M}-{screen.closes_at:%H:%M}"
            if screen.opens_at is not None and screen.closes_at is not None
            else ""
        )
        weekdays = {
            key: "tutup" if value is None else f"{value[0]}-{value[1]}"
            for key, value in (screen.weekly_hours or {}).items()
        }
        closures = "\n".join(
            f"{date.fromisoformat(c['day']):%d-%m-%Y} "
            f"{CLOSURE_REASONS.get(c.get('reason', 'other'), 'lainnya')}"
            for c in (screen.closures or [])
        )
        spans = [everyday, *weekdays.values()]
        overnight = any(
            span and span != "tutup" and span.split("-")[1] <= span.split("-")[0] for span in spans
        )
        return cls(
            everyday,
            weekdays,
            closures,
            overnight,
            screen.default_outside_hours,
            screen.default_text,
        )


def schedule_from_form(form: ScheduleForm) -> dict[str, Any]:
    """The changes for `set_screen_schedule`, or ValidationFailed with one sentence."""
    everyday: tuple[time, time] | None = None
    if form.everyday.strip():
        everyday = parse_span(form.everyday, overnight=form.overnight)
        if everyday is None:
            raise ValidationFailed(
                "Jam operasi setiap hari tidak bisa 'tutup'; kosongkan bila layar selalu menyala."
            )
    weekly: dict[str, list[str] | None] = {}
    for key, text in form.weekdays.items():
        if text.strip():
            weekly[key] = _stored(parse_span(text, overnight=form.overnight))
    if len(form.default_text.strip()) > MAX_DEFAULT_TEXT:
        raise ValidationFailed(f"Teks slide bawaan maksimal {MAX_DEFAULT_TEXT} karakter.")
    return {
        "everyday": everyday,
        "weekly_hours": weekly or None,
        "closures": parse_closures(form.closures.splitlines(), separator=" ") or None,
        "default_outside_hours": form.default_outside_hours,
        "default_text": form.default_text,
    }


# --- the service ---------------------------------------------------------------------------------


def _no_new_past_days(screen: Screen, closures: Sequence[Mapping[str, Any]], now: datetime) -> None:
    today = now.astimezone(screen_zone(screen)).date()
    kept = {str(c.get("day")) for c in screen.closures or []}
    for item in closures:
        day = date.fromisoformat(str(item["day"]))
        if day < today and day.isoformat() not in kept:
            raise ValidationFailed(
                f"Tanggal tutup {day:%d-%m-%Y} sudah lewat; isi hari ini atau sesudahnya."
            )


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
    expected: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Screen:
    """Change what is given (everyday hours, per-weekday hours, closure days, whether the
    default slide shows outside hours, its line of text); what is not given stays. Players
    get the change with their next playlist. PPID Utama only (the playlists' manager)."""
    actor = require_videotron_manager(session, actor)
    found = find_screen(session, screen)
    before = snapshot(found)
    if expected is not None and dict(expected) != before:
        raise Conflict(SCHEDULE_CHANGED)
    # Everything is checked before anything changes: a refusal leaves the screen as it was.
    given_weekly = weekly_hours is not _UNSET and bool(weekly_hours)
    weekly = check_weekly_hours(weekly_hours) if given_weekly and weekly_hours else None
    given_closures = closures is not _UNSET and bool(closures)
    checked = check_closures(closures) if given_closures and closures else []
    if closures is not _UNSET:
        _no_new_past_days(found, checked, now or utcnow())
    text = default_text.strip() if default_text is not None else None
    if text is not None and len(text) > MAX_DEFAULT_TEXT:
        raise ValidationFailed(f"Teks slide bawaan maksimal {MAX_DEFAULT_TEXT} karakter.")
    if everyday is not _UNSET:
        found.opens_at, found.closes_at = everyday if everyday is not None else (None, None)
    if weekly_hours is not _UNSET:
        found.weekly_hours = weekly
    if closures is not _UNSET:
        found.closures = checked or None
    if default_outside_hours is not None:
        found.default_outside_hours = default_outside_hours
    if text is not None:
        found.default_text = text
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.VIDEOTRON_SCREEN_SCHEDULE_SET,
        "screen",
        found.id,
        before=before,
        after=snapshot(found),
    )
    return found
