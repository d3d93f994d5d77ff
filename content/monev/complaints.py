"""The Pengelola Pengaduan Publik part: where the inbox's measures plug into the Monev.

THE PLUG: `content.inbox` (built in its own issue) is to offer
`measures(session, opd_id, start, end)` (start/end: UTC, end exclusive) returning a
`ComplaintMeasures` or a mapping with the same keys, or None when it holds nothing for that OPD.
Until that module exists, `inbox_measures` answers None and the part reads "belum ada data":
never a 0 that looks like a judgement, and its weight is shared by the other parts.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from content.labels import NO_DATA_LABEL


@dataclass(frozen=True)
class ComplaintMeasures:
    received: int  # complaints (comments, mentions, messages needing an answer) in the period
    answered: int
    answered_in_time: int  # within the configured working hours


def _source() -> Any:
    """`content.inbox.measures`, or None while the inbox is not part of this installation."""
    try:
        module = importlib.import_module("content.inbox")
    except ModuleNotFoundError:
        return None
    return getattr(module, "measures", None)


def inbox_measures(
    session: Session, opd_id: int, start: datetime, end: datetime
) -> ComplaintMeasures | None:
    """The OPD's complaint figures for [start, end), or None: "belum ada data"."""
    measures = _source()
    if measures is None:
        return None
    found = measures(session, opd_id, start, end)
    if found is None:
        return None
    if isinstance(found, Mapping):
        return ComplaintMeasures(
            int(found["received"]), int(found["answered"]), int(found["answered_in_time"])
        )
    return ComplaintMeasures(int(found.received), int(found.answered), int(found.answered_in_time))


def complaint_part(measures: ComplaintMeasures | None, hours: float) -> tuple[float | None, str]:
    """(0–100 or None, why): the share of complaints answered within `hours` working hours."""
    if measures is None:
        return None, f"{NO_DATA_LABEL.capitalize()}: kotak masuk pengaduan belum tersedia."
    if not measures.received:
        return None, f"{NO_DATA_LABEL.capitalize()}: tidak ada pengaduan dalam periode ini."
    score = 100.0 * measures.answered_in_time / measures.received
    return score, (
        f"{measures.answered_in_time} dari {measures.received} pengaduan dijawab dalam "
        f"{hours:g} jam kerja ({measures.answered} dijawab seluruhnya)."
    )
