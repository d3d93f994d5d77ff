"""The facts behind each OPD's score, aggregated in SQL (never by loading snapshots into Python).
Engagement comes from the newest reading of each target (see `latest.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from content.audit import AuditAction
from content.infra.timeutil import utcnow
from content.models import (
    AuditEvent,
    Channel,
    Decision,
    Opd,
    Post,
    PostTarget,
    Review,
)
from content.models.enums import ONCE_PUBLISHED
from content.monev.followers import growth as follower_growth
from content.monev.latest import engagements, exposure, latest_readings, published_in, reach
from content.monev.periods import Period
from content.monev.plays import minutes_per_opd
from content.monev.sql import seconds_between, week_index
from content.monev.workdays import working_hours


@dataclass
class OpdFacts:
    opd_id: int
    slug: str = ""
    name: str = ""
    published_posts: int = 0
    weeks_with_posts: int = 0
    engagements: int = 0  # likes + comments + shares + saves
    exposure: int = 0  # impressions (or views, or reach): what engagement is a share of
    reach: int = 0  # reach (or views, or impressions)
    published_targets: int = 0
    on_time_targets: int = 0
    # What the OPD controls (timeliness): drafts submitted ahead of their planned date, and
    # answers to "perlu perbaikan" within the configured working hours.
    timed_posts: int = 0  # published posts with a submission time
    ahead_posts: int = 0  # ... submitted at least `submit_lead_hours` before their planned time
    fixes: int = 0  # requests for changes whose answer is in, or overdue
    fixes_in_time: int = 0
    # What PPID Utama and the worker control, shown as their own figure (never charged here).
    review_seconds: float = 0.0
    reviews_timed: int = 0
    lag_seconds: float = 0.0  # published later than scheduled, summed over channels
    decisions: int = 0
    rejections: int = 0
    changes_requested: int = 0
    overrides: int = 0
    videotron_minutes: float = 0.0  # on-screen minutes of the OPD's slides (proof of play)
    videotron_reach: int = 0  # what those minutes add to `reach` (the configured weight)
    # Followers (X, Facebook Page, Instagram) at the first and last daily reading of the
    # period, summed over the accounts read on two days or more (`content.monev.followers`).
    follower_accounts: int = 0
    followers_start: int = 0
    followers_end: int = 0
    # Published posts per KIP category (the report's "publikasi menurut kategori KIP").
    kip: dict[str, int] = field(default_factory=dict)
    extra: dict[str, float] = field(default_factory=dict)


def _post_facts(session: Session, period: Period, facts: dict[int, OpdFacts]) -> None:
    week = week_index(session, Post.published_at, period.start)  # type: ignore[arg-type]
    query = (
        select(Post.opd_id, func.count(Post.id), func.count(func.distinct(week)))
        .where(published_in(period))
        .group_by(Post.opd_id)
    )
    for opd_id, posts, weeks in session.execute(query):
        if (fact := facts.get(opd_id)) is not None:
            fact.published_posts, fact.weeks_with_posts = int(posts), int(weeks)


def _metric_facts(session: Session, period: Period, facts: dict[int, OpdFacts]) -> None:
    latest = latest_readings(session, period)
    query = (
        select(
            latest.c.opd_id,
            func.sum(engagements(latest)),
            func.sum(exposure(latest)),
            func.sum(reach(latest)),
        )
        .where(latest.c.channel != Channel.VIDEOTRON)
        .group_by(latest.c.opd_id)
    )
    for opd_id, engaged, seen, reached in session.execute(query):
        if (fact := facts.get(opd_id)) is not None:
            fact.engagements, fact.exposure, fact.reach = (
                int(engaged or 0),
                int(seen or 0),
                int(reached or 0),
            )


def _ahead_facts(
    session: Session, period: Period, facts: dict[int, OpdFacts], lead_hours: float
) -> None:
    """Published posts submitted at least `lead_hours` before their planned time (the schedule,
    or the publication itself when published at once)."""
    planned = func.coalesce(Post.scheduled_at, Post.published_at)
    lead = seconds_between(session, planned, Post.submitted_at)  # type: ignore[arg-type]
    ahead = func.sum(case((lead >= lead_hours * 3600, 1), else_=0))
    query = (
        select(Post.opd_id, func.count(Post.id), ahead)
        .where(published_in(period), Post.submitted_at.is_not(None))
        .group_by(Post.opd_id)
    )
    for opd_id, timed, early in session.execute(query):
        if (fact := facts.get(opd_id)) is not None:
            fact.timed_posts, fact.ahead_posts = int(timed), int(early or 0)


def _fix_facts(
    session: Session,
    period: Period,
    facts: dict[int, OpdFacts],
    *,
    hours: float,
    holidays: frozenset[date],
    now: datetime,
) -> None:
    """Each request for changes in the period and the next submission of that post: answered
    within `hours` working hours, late, or (not yet due) left out."""
    answered = (
        select(func.min(AuditEvent.at))
        .where(
            AuditEvent.action == AuditAction.POST_SUBMITTED,
            AuditEvent.entity_type == "post",
            AuditEvent.entity_id == Review.post_id,
            AuditEvent.at > Review.created_at,
        )
        .correlate(Review)
        .scalar_subquery()
    )
    query = (
        select(Post.opd_id, Review.created_at, answered)
        .join(Post, Post.id == Review.post_id)
        .where(
            Review.decision == Decision.REQUEST_CHANGES,
            Review.created_at >= period.start,
            Review.created_at < period.end,
        )
    )
    for opd_id, asked, resubmitted in session.execute(query):
        if (fact := facts.get(opd_id)) is None:
            continue
        spent = working_hours(asked, resubmitted or now, holidays)
        if resubmitted is None and spent <= hours:
            continue  # still within its time: neither on time nor late yet
        fact.fixes += 1
        fact.fixes_in_time += int(resubmitted is not None and spent <= hours)


def _timeliness_facts(
    session: Session, period: Period, facts: dict[int, OpdFacts], grace_minutes: float
) -> None:
    """PPID Utama's review time and the worker's punctuality (shown apart from the score)."""
    late_by = seconds_between(session, PostTarget.published_at, Post.scheduled_at)  # type: ignore[arg-type]
    on_time = func.sum(case((late_by <= grace_minutes * 60, 1), else_=0))
    lag = func.sum(case((late_by > 0, late_by), else_=0.0))
    query = (
        select(Post.opd_id, func.count(PostTarget.id), on_time, lag)
        .join(Post, Post.id == PostTarget.post_id)
        .where(
            PostTarget.status.in_(ONCE_PUBLISHED),
            PostTarget.published_at >= period.start,
            PostTarget.published_at < period.end,
            Post.scheduled_at.is_not(None),
        )
        .group_by(Post.opd_id)
    )
    for opd_id, published, timely, late in session.execute(query):
        if (fact := facts.get(opd_id)) is not None:
            fact.published_targets, fact.on_time_targets = int(published), int(timely or 0)
            fact.lag_seconds = float(late or 0)
    turnaround = seconds_between(session, Post.decided_at, Post.submitted_at)  # type: ignore[arg-type]
    query2 = (
        select(Post.opd_id, func.sum(turnaround), func.count(Post.id))
        .where(
            Post.decided_at >= period.start,
            Post.decided_at < period.end,
            Post.submitted_at.is_not(None),
            Post.decided_at >= Post.submitted_at,
        )
        .group_by(Post.opd_id)
    )
    for opd_id, seconds, count in session.execute(query2):
        if (fact := facts.get(opd_id)) is not None:
            fact.review_seconds, fact.reviews_timed = float(seconds or 0), int(count)


def _compliance_facts(session: Session, period: Period, facts: dict[int, OpdFacts]) -> None:
    def counted(decision: Decision) -> ColumnElement[int]:
        return func.sum(case((Review.decision == decision, 1), else_=0))

    query = (
        select(
            Post.opd_id,
            func.count(Review.id),
            counted(Decision.REJECT),
            counted(Decision.REQUEST_CHANGES),
        )
        .join(Post, Post.id == Review.post_id)
        .where(Review.created_at >= period.start, Review.created_at < period.end)
        .group_by(Post.opd_id)
    )
    for opd_id, decisions, rejected, changes in session.execute(query):
        if (fact := facts.get(opd_id)) is None:
            continue
        fact.decisions, fact.rejections, fact.changes_requested = (
            int(decisions),
            int(rejected or 0),
            int(changes or 0),
        )
    overrides = (
        select(AuditEvent.opd_id, func.count(AuditEvent.id))
        .where(
            AuditEvent.action == AuditAction.POST_SCREENING_OVERRIDDEN,
            AuditEvent.at >= period.start,
            AuditEvent.at < period.end,
            AuditEvent.opd_id.is_not(None),
        )
        .group_by(AuditEvent.opd_id)
    )
    for audited_opd, count in session.execute(overrides):
        if audited_opd is not None and (fact := facts.get(audited_opd)) is not None:
            fact.overrides = int(count)


def _videotron_facts(
    session: Session, period: Period, facts: dict[int, OpdFacts], viewers_per_minute: float
) -> None:
    for opd_id, minutes in minutes_per_opd(session, period).items():
        if (fact := facts.get(opd_id)) is not None:
            fact.videotron_minutes = minutes
            fact.videotron_reach = round(minutes * viewers_per_minute)
            fact.reach += fact.videotron_reach


def _follower_facts(session: Session, period: Period, facts: dict[int, OpdFacts]) -> None:
    for opd_id, g in follower_growth(session, period, facts).items():
        fact = facts[opd_id]
        fact.follower_accounts, fact.followers_start, fact.followers_end = (
            g.accounts,
            g.start,
            g.end,
        )


def _kip_facts(session: Session, period: Period, facts: dict[int, OpdFacts]) -> None:
    query = (
        select(Post.opd_id, Post.kip_category, func.count(Post.id))
        .where(published_in(period))
        .group_by(Post.opd_id, Post.kip_category)
    )
    for opd_id, category, count in session.execute(query):
        if (fact := facts.get(opd_id)) is not None:
            fact.kip[str(getattr(category, "value", category))] = int(count)


def opd_facts(
    session: Session,
    period: Period,
    *,
    on_time_minutes: float,
    opd_ids: Iterable[int] | None = None,
    videotron_viewers_per_minute: float = 0.0,
    submit_lead_hours: float = 24.0,
    fix_working_hours: float = 8.0,
    holidays: frozenset[date] = frozenset(),
    now: datetime | None = None,
) -> list[OpdFacts]:
    """One row of facts per active OPD (scoped to `opd_ids` when given)."""
    query = select(Opd.id, Opd.slug, Opd.name).where(Opd.active)
    if opd_ids is not None:
        query = query.where(Opd.id.in_(list(opd_ids)))
    facts = {
        i: OpdFacts(i, slug, name) for i, slug, name in session.execute(query.order_by(Opd.name))
    }
    _post_facts(session, period, facts)
    _metric_facts(session, period, facts)
    _ahead_facts(session, period, facts, submit_lead_hours)
    _fix_facts(
        session, period, facts, hours=fix_working_hours, holidays=holidays, now=now or utcnow()
    )
    _timeliness_facts(session, period, facts, on_time_minutes)
    _compliance_facts(session, period, facts)
    _videotron_facts(session, period, facts, max(0.0, videotron_viewers_per_minute))
    _follower_facts(session, period, facts)
    _kip_facts(session, period, facts)
    return [facts[i] for i in facts]


FACT_FIELDS = [f.name for f in fields(OpdFacts) if f.name not in ("extra", "kip")]
