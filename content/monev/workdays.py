"""Working days and working hours (WIB, Monday to Friday, minus the configured holidays): the
clock of UU KIP's deadlines and of an OPD's answer to "perlu perbaikan"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from content.infra.timeutil import WIB

MAX_DAYS = 400  # beyond a year of waiting, the exact number of hours no longer matters


def is_working_day(day: date, holidays: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    """The date `days` working days after `start` (the day of receipt does not count)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            left -= 1
    return current


def working_hours(
    start: datetime,
    end: datetime,
    holidays: frozenset[date] = frozenset(),
    *,
    day_start: float = 8.0,
    day_end: float = 16.0,
) -> float:
    """Working hours between two moments (aware datetimes), counting only the office hours
    [day_start, day_end) WIB of working days."""
    if end <= start:
        return 0.0
    first, last = start.astimezone(WIB), end.astimezone(WIB)
    total = 0.0
    day = first.date()
    for _ in range(MAX_DAYS):
        if day > last.date():
            break
        if is_working_day(day, holidays):
            opens = datetime.combine(day, time(), WIB) + timedelta(hours=day_start)
            closes = datetime.combine(day, time(), WIB) + timedelta(hours=day_end)
            overlap = min(closes, last) - max(opens, first)
            total += max(0.0, overlap.total_seconds() / 3600)
        day += timedelta(days=1)
    return total
