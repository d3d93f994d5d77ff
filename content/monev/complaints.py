"""The Pengelola Pengaduan Publik part, from the inbox (`content.inbox.measures`: complaints
routed to the OPD in the period, answered, answered before their due time). A period without
any complaint reads "belum ada data": never a 0 that looks like a judgement, and its weight is
shared by the other parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from content.inbox.measures import measures as inbox_measures_of
from content.labels import NO_DATA_LABEL


@dataclass(frozen=True)
class ComplaintMeasures:
    received: int  # complaints (comments, mentions, messages needing an answer) in the period
    answered: int
    answered_in_time: int  # within the configured working hours


def inbox_measures(
    session: Session, opd_id: int, start: datetime, end: datetime
) -> ComplaintMeasures:
    """The OPD's complaint figures for [start, end)."""
    found = inbox_measures_of(session, opd_id, start, end)
    return ComplaintMeasures(found.received, found.answered, found.answered_in_time)


def complaint_part(measures: ComplaintMeasures | None, hours: float) -> tuple[float | None, str]:
    """(0–100 or None, why): the share of complaints answered within `hours` working hours."""
    if measures is None or not measures.received:
        return None, f"{NO_DATA_LABEL.capitalize()}: tidak ada pengaduan dalam periode ini."
    score = 100.0 * measures.answered_in_time / measures.received
    return score, (
        f"{measures.answered_in_time} dari {measures.received} pengaduan dijawab dalam "
        f"{hours:g} jam kerja ({measures.answered} dijawab seluruhnya)."
    )
