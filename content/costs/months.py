"""Budget months: "2026-11", counted in WIB like everything people see."""

from __future__ import annotations

import re
from datetime import datetime

from content.infra.errors import ValidationFailed
from content.infra.timeutil import WIB, utcnow
from content.monev.periods import parse_period

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def month_of(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%Y-%m")


def check_month(month: str) -> str:
    """The month as written ("2026-11", spaces around it dropped), or one Indonesian sentence."""
    value = month.strip()
    if not _MONTH.fullmatch(value):
        raise ValidationFailed(f"Bulan '{month}' tidak dikenali; tulis seperti 2026-11.")
    return value


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's first instant (UTC, from WIB midnights)."""
    period = parse_period(check_month(month))
    return period.start, period.end


def month_label(month: str) -> str:
    return parse_period(check_month(month)).label


def recent_months(now: datetime | None = None, *, back: int = 12, ahead: int = 1) -> list[str]:
    """Months to choose from, newest first: `ahead` months to come (a budget set in advance),
    the current month (WIB), and `back` months before it."""
    current = month_of(now or utcnow())
    year, month = int(current[:4]), int(current[5:])
    index = year * 12 + month - 1 + ahead
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index, index - ahead - back - 1, -1)]
