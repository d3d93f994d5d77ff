"""Per-post and per-week engagement, from the newest reading of each target (in SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.models import KipCategory, MetricSnapshot, Opd, Post, PostTarget
from content.monev.latest import (
    METRICS,
    engagements,
    exposure,
    latest_readings,
    published_in,
    reach,
)
from content.monev.periods import Period
from content.monev.sql import week_index


@dataclass(frozen=True)
class PostRow:
    post_id: int
    opd: str
    published_at: datetime
    caption: str
    channel_count: int
    values: dict[str, int]

    @property
    def engagement_rate(self) -> float:
        engaged = sum(self.values[k] for k in ("likes", "comments", "shares", "saves"))
        return engaged / self.values["exposure"] if self.values["exposure"] else 0.0


def post_rows(
    session: Session, period: Period, opd_ids: list[int] | None = None, *, limit: int | None = None
) -> list[PostRow]:
    latest = latest_readings(session, period, opd_ids)
    sums = [func.sum(func.coalesce(latest.c[m], 0)).label(m) for m in METRICS]
    metrics = (
        select(
            latest.c.post_id,
            *sums,
            func.sum(exposure(latest)).label("exposure"),
            func.sum(reach(latest)).label("reach_any"),
        )
        .group_by(latest.c.post_id)
        .subquery()
    )
    channels = (
        select(PostTarget.post_id, func.count(PostTarget.id).label("n"))
        .group_by(PostTarget.post_id)
        .subquery()
    )
    query = (
        select(Post.id, Opd.slug, Post.published_at, Post.caption, channels.c.n, metrics)
        .join(Opd, Opd.id == Post.opd_id)
        .join(channels, channels.c.post_id == Post.id)
        .outerjoin(metrics, metrics.c.post_id == Post.id)
        .where(published_in(period))
        .order_by(Post.published_at.desc(), Post.id.desc())
    )
    if opd_ids is not None:
        query = query.where(Post.opd_id.in_(opd_ids))
    if limit is not None:
        query = query.limit(limit)
    rows = []
    for row in session.execute(query).mappings():
        values = {m: int(row[m] or 0) for m in (*METRICS, "exposure", "reach_any")}
        rows.append(
            PostRow(
                row["id"], row["slug"], row["published_at"], row["caption"], int(row["n"]), values
            )
        )
    return rows


@dataclass(frozen=True)
class KipRow:
    """Publications of one KIP category (UU KIP: berkala, serta-merta, setiap saat) in a
    period, with what their readings add up to."""

    category: KipCategory
    posts: int
    exposure: int
    engagements: int


def kip_rows(session: Session, period: Period, opd_ids: list[int] | None = None) -> list[KipRow]:
    """Every category, in the enum's order, also those with no publication (a zero is news)."""
    latest = latest_readings(session, period, opd_ids)
    metrics = (
        select(
            latest.c.post_id,
            func.sum(exposure(latest)).label("exposure"),
            func.sum(engagements(latest)).label("engagements"),
        )
        .group_by(latest.c.post_id)
        .subquery()
    )
    query = (
        select(
            Post.kip_category,
            func.count(Post.id),
            func.sum(func.coalesce(metrics.c.exposure, 0)),
            func.sum(func.coalesce(metrics.c.engagements, 0)),
        )
        .outerjoin(metrics, metrics.c.post_id == Post.id)
        .where(published_in(period))
        .group_by(Post.kip_category)
    )
    if opd_ids is not None:
        query = query.where(Post.opd_id.in_(opd_ids))
    found = {row[0]: row for row in session.execute(query)}
    rows = []
    for category in KipCategory:
        _, posts, seen, engaged = found.get(category, (category, 0, 0, 0))
        rows.append(KipRow(category, int(posts), int(seen or 0), int(engaged or 0)))
    return rows


@dataclass(frozen=True)
class TrendPoint:
    week_start: datetime
    channel: str
    posts: int
    engagements: int
    reach: int


def weekly_trend(
    session: Session, period: Period, opd_ids: list[int] | None = None
) -> list[TrendPoint]:
    latest = latest_readings(session, period, opd_ids)
    week = week_index(session, latest.c.published_at, period.start)
    query = (
        select(
            week.label("week"),
            latest.c.channel,
            func.count(func.distinct(latest.c.post_id)),
            func.sum(engagements(latest)),
            func.sum(reach(latest)),
        )
        .group_by(week, latest.c.channel)
        .order_by(week, latest.c.channel)
    )
    return [
        TrendPoint(
            period.start + timedelta(weeks=int(w)), channel.value, int(p), int(e or 0), int(r or 0)
        )
        for w, channel, p, e, r in session.execute(query)
    ]


def growth(session: Session, post_id: int) -> list[tuple[datetime, str, int, int]]:
    """How one post's numbers grew: (captured_at, channel, engagements, reach) per snapshot."""
    engaged = (
        func.coalesce(MetricSnapshot.likes, 0)
        + func.coalesce(MetricSnapshot.comments, 0)
        + func.coalesce(MetricSnapshot.shares, 0)
        + func.coalesce(MetricSnapshot.saves, 0)
    )
    reached = func.coalesce(
        MetricSnapshot.reach, MetricSnapshot.views, MetricSnapshot.impressions, 0
    )
    query = (
        select(MetricSnapshot.captured_at, PostTarget.channel, engaged, reached)
        .join(PostTarget, PostTarget.id == MetricSnapshot.target_id)
        .where(PostTarget.post_id == post_id)
        .order_by(MetricSnapshot.captured_at)
    )
    return [(at, ch.value, int(e), int(r)) for at, ch, e, r in session.execute(query)]
