"""When to read engagement, and keeping what was read (append-only snapshots).

Each channel has a reading schedule in hours after publication. The curve of the first days is
read often where reads are free (Meta); on X, where every read is charged, a post is read on a
few days only and never twice in one UTC day (repeated reads of a post in one UTC day are free,
but only within that day, so one read a day is the most that is worth paying for).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from content.models import Channel, MetricSnapshot, PostTarget, TargetStatus

_DAILY_TO_30 = tuple(24 * day for day in range(3, 31))
DEFAULT_SCHEDULES: dict[Channel, tuple[float, ...]] = {
    Channel.X: (1, 24, 48, 168, 720),
    Channel.FACEBOOK: (1, 3, 6, 12, 24, 36, 48, *_DAILY_TO_30),
    Channel.INSTAGRAM: (1, 3, 6, 12, 24, 36, 48, *_DAILY_TO_30),
}
ONCE_PER_UTC_DAY = frozenset({Channel.X})
METRIC_FIELDS = ("impressions", "reach", "views", "likes", "comments", "shares", "saves", "clicks")


def schedules_from(section: Mapping[str, Any]) -> dict[Channel, tuple[float, ...]]:
    """`[metrics] x = [1, 24, 48, 168, 720]` in the settings file replaces a channel's schedule."""
    result = dict(DEFAULT_SCHEDULES)
    for name, hours in section.items():
        result[Channel(name)] = tuple(sorted(float(h) for h in hours))
    return result


@dataclass(frozen=True)
class DueReading:
    target_id: int
    account_id: int
    channel: Channel
    remote_id: str


def is_due(
    channel: Channel,
    published_at: datetime,
    last_read: datetime | None,
    now: datetime,
    schedule: Sequence[float],
) -> bool:
    passed = [
        published_at + timedelta(hours=h)
        for h in schedule
        if published_at + timedelta(hours=h) <= now
    ]
    if not passed:
        return False
    if last_read is not None and last_read >= passed[-1]:
        return False
    return not (
        channel in ONCE_PER_UTC_DAY and last_read is not None and last_read.date() == now.date()
    )


def due_readings(
    session: Session, now: datetime, schedules: Mapping[Channel, Sequence[float]]
) -> list[DueReading]:
    """Published social targets whose next scheduled reading has come (last reading from SQL)."""
    horizon = max(max(s) for s in schedules.values())
    last = (
        select(MetricSnapshot.target_id, func.max(MetricSnapshot.captured_at).label("at"))
        .group_by(MetricSnapshot.target_id)
        .subquery()
    )
    query = (
        select(
            PostTarget.id,
            PostTarget.account_id,
            PostTarget.channel,
            PostTarget.remote_id,
            PostTarget.published_at,
            last.c.at,
        )
        .outerjoin(last, last.c.target_id == PostTarget.id)
        .where(
            PostTarget.status == TargetStatus.PUBLISHED,
            PostTarget.channel.in_(list(schedules)),
            PostTarget.remote_id.is_not(None),
            PostTarget.published_at >= now - timedelta(hours=horizon + 24),
        )
    )
    due = []
    for target_id, account_id, channel, remote_id, published_at, last_read in session.execute(
        query
    ):
        if account_id and is_due(channel, published_at, last_read, now, schedules[channel]):
            due.append(DueReading(target_id, account_id, channel, remote_id))
    return due


def store_readings(
    session: Session, captured_at: datetime, rows: Iterable[tuple[int, Mapping[str, int | None]]]
) -> int:
    """Append one snapshot per (target id, values)."""
    values = [
        {
            "target_id": target_id,
            "captured_at": captured_at,
            **{f: data.get(f) for f in METRIC_FIELDS},
        }
        for target_id, data in rows
    ]
    if values:
        session.execute(insert(MetricSnapshot), values)
    return len(values)
