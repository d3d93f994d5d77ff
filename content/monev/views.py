"""What the Monev page needs beside `compute`: one OPD's posts and weekly trend (scoped as
`compute` scopes: a PPID Pembantu reaches its own OPD only), every post of a period for the
export, the weekly trend as a table, and stepping between periods (WIB)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from content.infra.errors import NotFound
from content.infra.timeutil import WIB, format_wib, utcnow
from content.monev.periods import Period, parse_period
from content.monev.posts import PostRow, TrendPoint, post_rows, weekly_trend
from content.monev.report import Table
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require, visible_opd_ids

Kind = Literal["month", "quarter", "year"]
KIND_LABELS: dict[Kind, str] = {"month": "Bulan", "quarter": "Triwulan", "year": "Tahun"}


def _scope(session: Session, actor: Actor, opd_id: int | None) -> list[int] | None:
    """The OPD ids a query may cover (None: all). Another OPD answers as a missing one does."""
    actor = refresh(session, actor)
    require(actor, Action.VIEW_REPORTS)
    visible = visible_opd_ids(actor)
    if opd_id is None:
        return None if visible is None else sorted(visible)
    if visible is not None and opd_id not in visible:
        raise NotFound("OPD tidak ditemukan.")
    return [opd_id]


def posts(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    opd_id: int | None = None,
    limit: int | None = None,
) -> list[PostRow]:
    """The period's published posts with their newest numbers, newest first: one OPD's, or every
    post the actor may see (as `compute(...).posts` without a limit)."""
    return post_rows(session, period, _scope(session, actor, opd_id), limit=limit)


def trend(
    session: Session, actor: Actor, period: Period, *, opd_id: int | None = None
) -> list[TrendPoint]:
    """Posts, engagements and reach per week and channel: one OPD's, or all the actor sees."""
    return weekly_trend(session, period, _scope(session, actor, opd_id))


def trend_table(points: list[TrendPoint]) -> Table:
    header = ["Minggu mulai (WIB)", "Kanal", "Publikasi", "Interaksi", "Jangkauan"]
    rows = [
        [format_wib(p.week_start, "%d-%m-%Y"), p.channel, p.posts, p.engagements, p.reach]
        for p in points
    ]
    return header, rows


# --- periods ------------------------------------------------------------------------------------


def kind_of(period: Period) -> Kind:
    if "Q" in period.key:
        return "quarter"
    return "year" if re.fullmatch(r"\d{4}", period.key) else "month"


def _key(kind: Kind, year: int, index: int) -> str:
    """index: the month (0–11) or quarter (0–3) within the year."""
    if kind == "month":
        return f"{year:04d}-{index + 1:02d}"
    if kind == "quarter":
        return f"{year:04d}-Q{index + 1}"
    return f"{year:04d}"


def containing(kind: Kind, moment: datetime | None = None) -> Period:
    """The month, quarter or year (WIB) that holds `moment` (default: now)."""
    local = (moment or utcnow()).astimezone(WIB)
    index = {"month": local.month - 1, "quarter": (local.month - 1) // 3, "year": 0}[kind]
    return parse_period(_key(kind, local.year, index))


def shift(period: Period, step: int) -> Period:
    """The period `step` months, quarters or years after (or before) this one."""
    kind = kind_of(period)
    start = period.start.astimezone(WIB)
    if kind == "year":
        return parse_period(_key(kind, start.year + step, 0))
    per_year = 12 if kind == "month" else 4
    index = start.month - 1 if kind == "month" else (start.month - 1) // 3
    year, within = divmod(start.year * per_year + index + step, per_year)
    return parse_period(_key(kind, year, within))
