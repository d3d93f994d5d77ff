"""Monev periods — a month, a quarter or a year — in WIB, as UTC boundaries."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from content.infra.errors import ValidationFailed
from content.infra.timeutil import MONTHS, WIB


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86_400

    @property
    def weeks(self) -> int:
        """Weeks counted from the period's start; a trailing part week counts as a week."""
        return max(1, math.ceil(self.days / 7))


def _wib(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=WIB).astimezone(UTC)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def parse_period(text: str) -> Period:
    """'2026-11', '2026-Q4' or '2026'."""
    value = text.strip().upper()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return Period(
                value,
                f"{MONTHS[month - 1]} {year}",
                _wib(year, month),
                _wib(*_next_month(year, month)),
            )
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = 3 * (quarter - 1) + 1
        end = _wib(year + 1, 1) if quarter == 4 else _wib(year, first + 3)
        return Period(value, f"Triwulan {quarter} {year}", _wib(year, first), end)
    if re.fullmatch(r"\d{4}", value):
        year = int(value)
        return Period(value, f"Tahun {year}", _wib(year, 1), _wib(year + 1, 1))
    raise ValidationFailed(f"Periode '{text}' tidak dikenali; tulis 2026-11, 2026-Q4 atau 2026.")
