"""The complaint-handling figures of one OPD for Monev: how many items reached it, how many got
a first response within the service level, the median time to that first response, and how
many were closed or forwarded to SP4N-LAPOR!. Counts come from SQL; the median from the
first-response durations of the period (one OPD's items: a small list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from content.models import CloseReason, InboxItem, InboxStatus


@dataclass(frozen=True)
class Measures:
    received: int
    answered: int
    answered_in_time: int
    closed: int
    forwarded: int
    median_first_response: timedelta | None

    @property
    def share_in_time(self) -> float | None:
        """Share of received items answered within the service level (None: nothing came)."""
        return self.answered_in_time / self.received if self.received else None

    @property
    def share_closed(self) -> float | None:
        return self.closed / self.received if self.received else None


def measures(session: Session, opd_id: int, start: datetime, end: datetime) -> Measures:
    """Items routed to `opd_id` received in [start, end)."""
    window = (
        InboxItem.opd_id == opd_id,
        InboxItem.received_at >= start,
        InboxItem.received_at < end,
    )
    answered = InboxItem.first_response_at.is_not(None)

    def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = session.execute(
        select(
            func.count(InboxItem.id),
            count(answered),
            count(answered & (InboxItem.first_response_at <= InboxItem.due_at)),
            count(InboxItem.status == InboxStatus.CLOSED),
            count(InboxItem.close_reason == CloseReason.FORWARDED_LAPOR),
        ).where(*window)
    ).one()
    pairs = session.execute(
        select(InboxItem.received_at, InboxItem.first_response_at).where(*window, answered)
    ).all()
    seconds = [(first - received).total_seconds() for received, first in pairs if first]
    return Measures(
        received=int(row[0]),
        answered=int(row[1]),
        answered_in_time=int(row[2]),
        closed=int(row[3]),
        forwarded=int(row[4]),
        median_first_response=timedelta(seconds=median(seconds)) if seconds else None,
    )
