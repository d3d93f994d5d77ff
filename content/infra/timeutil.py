"""Times are stored in UTC and entered and shown in WIB (Asia/Jakarta, UTC+7, no DST)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from content.infra.errors import ValidationFailed

WIB = ZoneInfo("Asia/Jakarta")
# Month names as Bekasi writes them (dates in Bahasa Indonesia, never the locale's).
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
SHORT_MONTHS = tuple(m[:3] for m in MONTHS)  # "Jan" … "Des"
_INPUT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A naive datetime is read as WIB, because that is what people in Bekasi type."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    return moment.astimezone(UTC)


def parse_wib(text: str) -> datetime:
    """Parse a date-time typed in WIB (or ISO 8601 with an offset) into UTC."""
    cleaned = text.strip().removesuffix("WIB").strip()
    try:
        return as_utc(datetime.fromisoformat(cleaned))
    except ValueError:
        pass
    for fmt in _INPUT_FORMATS:
        try:
            return as_utc(datetime.strptime(cleaned, fmt))
        except ValueError:
            continue
    raise ValidationFailed(f"Waktu '{text}' tidak dikenali; tulis seperti 2026-11-24 09:00 (WIB).")


def format_wib(moment: datetime | None, fmt: str | None = None, *, seconds: bool = False) -> str:
    """ "30 Nov 2026 14:05 WIB" (the one way the app writes a moment; `content.formats`);
    `fmt` only where a machine-readable form is wanted."""
    if moment is None:
        return "–"
    local = as_utc(moment).astimezone(WIB)
    if fmt is not None:
        return f"{local.strftime(fmt)} WIB"
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{local.day} {SHORT_MONTHS[local.month - 1]} {local.year} {clock} WIB"
