"""Service levels: within how many working hours a message must get its first response, per
kind. Working hours are WIB office hours on working days (Monday to Friday, minus the holidays
listed in the settings), so a complaint on Friday evening is due on Monday, not on Saturday.

Settings (`[inbox]`): `working_hours = [8, 16]` (WIB), `holidays = ["2026-12-25", ...]`
(national holidays and cuti bersama: the moving ones are set each year from the SKB 3 Menteri),
and `[inbox.response_hours]` per kind (pengaduan, permintaan_informasi, pertanyaan, apresiasi,
spam; `default` for an item without a kind).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from content.infra.timeutil import WIB
from content.models import InboxTopic

DEFAULT_HOURS: dict[str, float] = {
    InboxTopic.PENGADUAN.value: 8.0,  # one working day
    InboxTopic.PERTANYAAN.value: 8.0,
    InboxTopic.PERMINTAAN_INFORMASI.value: 16.0,  # answer or route to the PPID within two days
    InboxTopic.APRESIASI.value: 24.0,
    InboxTopic.SPAM.value: 24.0,
    "default": 8.0,
}
# Fixed-date national holidays; the moving ones (Idulfitri, Waisak, Imlek, ...) come from the
# settings, each year, with cuti bersama.
FIXED_HOLIDAYS = ((1, 1), (5, 1), (6, 1), (8, 17), (12, 25))


@dataclass(frozen=True)
class ServiceLevels:
    hours: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_HOURS))
    day_start: int = 8
    day_end: int = 16
    holidays: frozenset[date] = frozenset()

    @classmethod
    def from_settings(cls, section: Mapping[str, Any]) -> ServiceLevels:
        hours = dict(DEFAULT_HOURS) | {
            str(k): float(v) for k, v in (section.get("response_hours") or {}).items()
        }
        start, end = section.get("working_hours") or (8, 16)
        days = frozenset(date.fromisoformat(str(d)) for d in section.get("holidays") or [])
        return cls(hours, int(start), int(end), days)

    def is_working_day(self, day: date) -> bool:
        fixed = (day.month, day.day) in FIXED_HOLIDAYS
        return day.weekday() < 5 and not fixed and day not in self.holidays

    def hours_for(self, topic: InboxTopic | None) -> float:
        key = topic.value if topic is not None else "default"
        return self.hours.get(key, self.hours.get("default", 8.0))

    def due_at(self, received: datetime, topic: InboxTopic | None) -> datetime:
        """`received` plus the kind's working hours, counted only inside WIB office hours."""
        left = timedelta(hours=self.hours_for(topic))
        moment = received.astimezone(WIB)
        for _ in range(3660):  # ten years of days: a bound, never reached with sane settings
            day = moment.date()
            opens = datetime.combine(day, time(self.day_start), WIB)
            closes = datetime.combine(day, time(self.day_end), WIB)
            if self.is_working_day(day) and moment < closes:
                start = max(moment, opens)
                if start + left <= closes:
                    return (start + left).astimezone(received.tzinfo)
                left -= closes - start
            moment = datetime.combine(day + timedelta(days=1), time(0), WIB)
        raise ValueError("no working day within ten years: check the holidays setting")


def holidays_of(values: Iterable[str]) -> frozenset[date]:
    return frozenset(date.fromisoformat(v) for v in values)
