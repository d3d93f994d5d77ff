"""The newest reading of every target of the posts published in a period, as one subquery.

One index probe per target on (target_id, captured_at) — a loose index scan — instead of
grouping every snapshot, so the cost follows the number of posts, not of readings. PostgreSQL
gets a LATERAL join (its planner would otherwise hash all snapshots); SQLite a correlated
subquery on the primary key, which it already runs as a nested loop.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Subquery, and_, func, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from content.models import MetricSnapshot, Post, PostStatus, PostTarget
from content.monev.periods import Period

# A post taken down later keeps the engagement it had while it was live.
PUBLISHED_POSTS = (PostStatus.PUBLISHED, PostStatus.PARTIALLY_PUBLISHED, PostStatus.TAKEN_DOWN)
METRICS = ("impressions", "reach", "views", "likes", "comments", "shares", "saves", "clicks")


def published_in(period: Period) -> ColumnElement[bool]:
    return and_(
        Post.status.in_(PUBLISHED_POSTS),
        Post.published_at >= period.start,
        Post.published_at < period.end,
    )


def latest_readings(
    session: Session, period: Period, opd_ids: Iterable[int] | None = None
) -> Subquery:
    """Columns: target_id, post_id, opd_id, channel, published_at and the metric fields."""
    keys = (
        PostTarget.id.label("target_id"),
        Post.id.label("post_id"),
        Post.opd_id.label("opd_id"),
        PostTarget.channel.label("channel"),
        Post.published_at.label("published_at"),
    )
    newest = (
        select(MetricSnapshot)
        .where(MetricSnapshot.target_id == PostTarget.id)
        .order_by(MetricSnapshot.captured_at.desc(), MetricSnapshot.id.desc())
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        reading = newest.lateral("reading")
        query = select(*keys, *(reading.c[m] for m in METRICS)).join(reading, true())
    else:
        newest_id = (
            newest.with_only_columns(MetricSnapshot.id).correlate(PostTarget).scalar_subquery()
        )
        query = select(*keys, *(getattr(MetricSnapshot, m) for m in METRICS)).join(
            MetricSnapshot, MetricSnapshot.id == newest_id
        )
    query = (
        query.select_from(PostTarget)
        .join(Post, Post.id == PostTarget.post_id)
        .where(published_in(period))
    )
    if opd_ids is not None:
        query = query.where(Post.opd_id.in_(list(opd_ids)))
    return query.subquery("latest")


def engagements(latest: Subquery) -> ColumnElement[int]:
    c = latest.c
    return (
        func.coalesce(c.likes, 0)
        + func.coalesce(c.comments, 0)
        + func.coalesce(c.shares, 0)
        + func.coalesce(c.saves, 0)
    )


def exposure(latest: Subquery) -> ColumnElement[int]:
    """What engagement is a share of: impressions, else views, else reach."""
    return func.coalesce(latest.c.impressions, latest.c.views, latest.c.reach, 0)


def reach(latest: Subquery) -> ColumnElement[int]:
    return func.coalesce(latest.c.reach, latest.c.views, latest.c.impressions, 0)
