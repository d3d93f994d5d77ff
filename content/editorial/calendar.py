"""The publication calendar: what is planned, scheduled and published, per channel and OPD, on
WIB days. Three indexed range queries (post.planned_on, post.status + scheduled_at,
post_target.published_at), scoped to the OPDs the actor may see and bounded in days and rows.

A planned entry is a draft from a content plan (`content.editorial.plans`) on the day it is
planned for, until it is scheduled: a plan, not a promise to publish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from content.infra.errors import ValidationFailed
from content.infra.timeutil import WIB
from content.models import Account, Channel, Opd, Post, PostStatus, PostTarget, Screen, TargetStatus
from content.models.enums import ONCE_PUBLISHED
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require, visible_opd_ids

MAX_DAYS = 62  # a month view with its leading and trailing days fits comfortably
MAX_ENTRIES = 5_000
TITLE_CHARS = 120
_UPCOMING = (PostStatus.SCHEDULED, PostStatus.PUBLISHING)
_NOT_UPCOMING = (TargetStatus.PUBLISHED, TargetStatus.CANCELLED, TargetStatus.FAILED)
# Planned posts not scheduled yet (after that the schedule or the publication is the entry).
_PLANNED = (
    PostStatus.DRAFT,
    PostStatus.SUBMITTED,
    PostStatus.CHANGES_REQUESTED,
    PostStatus.APPROVED,
)

EntryKind = Literal["planned", "scheduled", "published", "taken_down"]


@dataclass(frozen=True)
class CalendarEntry:
    post_id: int
    opd_id: int
    opd_name: str
    channel: Channel
    target: str
    at: datetime  # UTC (a planned entry: 00:00 WIB of its day, which has no time yet)
    kind: EntryKind
    status: TargetStatus
    title: str
    is_simulator: bool

    @property
    def day(self) -> date:
        """The WIB calendar day the entry belongs to."""
        return self.at.astimezone(WIB).date()

    @property
    def time_wib(self) -> str:
        return self.at.astimezone(WIB).strftime("%H:%M")


def wib_day_bounds(
    day_from: date | None, day_until: date | None
) -> tuple[datetime | None, datetime | None]:
    """Instants for [first WIB day 00:00, the day after the last WIB day 00:00); None stays open."""
    start = datetime.combine(day_from, time(), WIB) if day_from else None
    end = datetime.combine(day_until + timedelta(days=1), time(), WIB) if day_until else None
    return start, end


def week_days(anchor: date) -> list[date]:
    """Monday to Sunday of the week containing `anchor`."""
    monday = anchor - timedelta(days=anchor.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def month_weeks(anchor: date) -> list[list[date]]:
    """The weeks (Monday first) that cover the month of `anchor`, with neighbouring days."""
    first = anchor.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    weeks, monday = [], first - timedelta(days=first.weekday())
    while monday < following:
        weeks.append([monday + timedelta(days=n) for n in range(7)])
        monday += timedelta(days=7)
    return weeks


def _columns(when: Any) -> Select[Any]:
    title = func.coalesce(func.nullif(Post.headline, ""), func.substr(Post.caption, 1, TITLE_CHARS))
    return (
        select(
            Post.id,
            Post.opd_id,
            Opd.short_name,
            PostTarget.channel,
            func.coalesce(Account.handle, Screen.name),
            when,
            PostTarget.status,
            title,
            func.coalesce(Account.is_simulator, False),
        )
        .select_from(PostTarget)
        .join(Post, Post.id == PostTarget.post_id)
        .join(Opd, Opd.id == Post.opd_id)
        .outerjoin(Account, Account.id == PostTarget.account_id)
        .outerjoin(Screen, Screen.id == PostTarget.screen_id)
    )


def _narrow(
    query: Select[Any], actor: Actor, opd_id: int | None, channel: Channel | None
) -> Select[Any]:
    visible = visible_opd_ids(actor)
    if visible is not None:
        query = query.where(Post.opd_id.in_(visible))
    if opd_id is not None:
        query = query.where(Post.opd_id == opd_id)
    if channel is not None:
        query = query.where(PostTarget.channel == channel)
    return query


def entries(
    session: Session,
    actor: Actor,
    first_day: date,
    last_day: date,
    *,
    opd_id: int | None = None,
    channel: Channel | None = None,
) -> list[CalendarEntry]:
    """Planned, scheduled and published targets from `first_day` to `last_day` (WIB,
    inclusive), by time (a day's planned entries first)."""
    actor = refresh(session, actor)
    require(actor, Action.VIEW_POSTS, actor.opd_id)
    if last_day < first_day or (last_day - first_day).days >= MAX_DAYS:
        raise ValidationFailed(f"Rentang kalender 1–{MAX_DAYS} hari.")
    start, end = wib_day_bounds(first_day, last_day)
    upcoming = _columns(Post.scheduled_at).where(
        Post.status.in_(_UPCOMING),
        Post.scheduled_at >= start,
        Post.scheduled_at < end,
        PostTarget.status.not_in(_NOT_UPCOMING),
    )
    published = _columns(PostTarget.published_at).where(
        PostTarget.status.in_(ONCE_PUBLISHED),
        PostTarget.published_at >= start,
        PostTarget.published_at < end,
    )
    planned = _columns(Post.planned_on).where(
        Post.status.in_(_PLANNED),
        Post.planned_on >= first_day,
        Post.planned_on <= last_day,
    )
    planned = _narrow(planned, actor, opd_id, channel).limit(MAX_ENTRIES)
    upcoming = _narrow(upcoming, actor, opd_id, channel).limit(MAX_ENTRIES)
    published = _narrow(published, actor, opd_id, channel).limit(MAX_ENTRIES)
    found = [_planned(row) for row in session.execute(planned)]
    found += [_entry("scheduled", row) for row in session.execute(upcoming)]
    found += [_entry("published", row) for row in session.execute(published)]
    return sorted(found, key=lambda e: (e.at, e.opd_name, e.channel.value, e.target))


def _entry(kind: EntryKind, row: Any) -> CalendarEntry:
    post_id, opd_id, opd_name, channel, target, at, status, title, simulator = row
    if kind == "published" and status is not TargetStatus.PUBLISHED:
        kind = "taken_down"  # it was live on that day, and has been taken down since
    return CalendarEntry(
        post_id, opd_id, opd_name, channel, target, at, kind, status, title, bool(simulator)
    )


def _planned(row: Any) -> CalendarEntry:
    post_id, opd_id, opd_name, channel, target, day, status, title, simulator = row
    at = datetime.combine(day, time(), WIB).astimezone(UTC)
    return CalendarEntry(
        post_id, opd_id, opd_name, channel, target, at, "planned", status, title, bool(simulator)
    )
