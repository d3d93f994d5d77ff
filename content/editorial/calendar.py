"""The publication calendar: one entry per post and WIB day — planned, scheduled, published (in
part), taken down — with the channels it goes to, scoped to the OPDs the actor may see and
bounded in days and rows. Entries come from sources (`SOURCES`: posts, with two indexed range
queries on post.status + scheduled_at and post_target.published_at; content plans, on
post.planned_on) and have kinds (`KINDS`: label and colour for the legend), so another source
adds its entries and kind without touching the page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from content.infra.errors import ValidationFailed
from content.infra.timeutil import WIB
from content.labels import CALENDAR_KIND_LABELS
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


@dataclass(frozen=True)
class EntryKind:
    """What an entry is (scheduled, published, …), as the legend shows it: the kinds are data,
    so a new source of entries (e.g. imported plans) adds its own kind here."""

    code: str
    label: str
    colour: str  # a colour name the dashboard draws ("blue", "green", "orange", "gray", "violet")


KINDS: dict[str, EntryKind] = {
    kind.code: kind
    for kind in (
        EntryKind("planned", CALENDAR_KIND_LABELS["planned"], "violet"),
        EntryKind("scheduled", CALENDAR_KIND_LABELS["scheduled"], "blue"),
        EntryKind("published", CALENDAR_KIND_LABELS["published"], "green"),
        EntryKind("partial", CALENDAR_KIND_LABELS["partial"], "orange"),
        EntryKind("taken_down", CALENDAR_KIND_LABELS["taken_down"], "gray"),
    )
}


@dataclass(frozen=True)
class ChannelMark:
    """One channel of an entry: where it goes or went, and that target's state."""

    channel: Channel
    target: str  # account handle or screen name
    status: TargetStatus | None
    is_simulator: bool


@dataclass(frozen=True)
class CalendarEntry:
    """One post on one WIB day, with every channel it goes to or went to."""

    post_id: int | None  # None for an entry that is not a post (yet)
    opd_id: int
    opd_name: str
    at: datetime  # UTC; the earliest of its channels
    kind: str  # a key of KINDS
    title: str
    channels: tuple[ChannelMark, ...]

    @property
    def day(self) -> date:
        """The WIB calendar day the entry belongs to."""
        return self.at.astimezone(WIB).date()

    @property
    def time_wib(self) -> str:
        return self.at.astimezone(WIB).strftime("%H:%M")

    @property
    def kind_info(self) -> EntryKind:
        return KINDS[self.kind]

    @property
    def is_simulator(self) -> bool:
        """Some of its channels go to the simulator (training mode)."""
        return any(c.is_simulator for c in self.channels)


@dataclass(frozen=True)
class Window:
    """What a source is asked for: [start, end) in UTC and the reader's filters."""

    start: datetime
    end: datetime
    opd_id: int | None
    channel: Channel | None


# A source of entries; `entries` asks each one. Another kind (imported plans) registers its own.
EntrySource = Callable[[Session, Actor, Window], list[CalendarEntry]]


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
            Post.status,
        )
        .select_from(PostTarget)
        .join(Post, Post.id == PostTarget.post_id)
        .join(Opd, Opd.id == Post.opd_id)
        .outerjoin(Account, Account.id == PostTarget.account_id)
        .outerjoin(Screen, Screen.id == PostTarget.screen_id)
    )


def narrow(query: Select[Any], actor: Actor, opd_column: Any, window: Window) -> Select[Any]:
    """Only what the reader may see, and their OPD filter (for any source's query)."""
    visible = visible_opd_ids(actor)
    if visible is not None:
        query = query.where(opd_column.in_(visible))
    if window.opd_id is not None:
        query = query.where(opd_column == window.opd_id)
    return query


def _by_channel(query: Select[Any], window: Window) -> Select[Any]:
    return query if window.channel is None else query.where(PostTarget.channel == window.channel)


def _kind_of(source_kind: str, target: TargetStatus, post: PostStatus) -> str:
    if source_kind != "published":
        return source_kind
    if target is not TargetStatus.PUBLISHED:
        return "taken_down"  # it was live on that day, and has been taken down since
    return "partial" if post is PostStatus.PARTIALLY_PUBLISHED else "published"


def _grouped(rows: list[tuple[str, Any]]) -> list[CalendarEntry]:
    """One entry per post, kind and WIB day, its channels in the channel order."""
    groups: dict[tuple[int, str, date], list[Any]] = defaultdict(list)
    for source_kind, row in rows:
        post_id, _, _, _, _, at, target_status, _, _, post_status = row
        kind = _kind_of(source_kind, target_status, post_status)
        groups[(post_id, kind, at.astimezone(WIB).date())].append(row)
    found = []
    order = list(Channel)
    for (post_id, kind, _), members in groups.items():
        first = min(members, key=lambda r: r[5])
        marks = sorted(
            {ChannelMark(r[3], r[4], r[6], bool(r[8])) for r in members},
            key=lambda m: (order.index(m.channel), m.target),
        )
        found.append(
            CalendarEntry(post_id, first[1], first[2], first[5], kind, first[7], tuple(marks))
        )
    return found


def post_entries(session: Session, actor: Actor, window: Window) -> list[CalendarEntry]:
    """Posts scheduled in the window (channels still to go) and posts that went out in it."""
    upcoming = _columns(Post.scheduled_at).where(
        Post.status.in_(_UPCOMING),
        Post.scheduled_at >= window.start,
        Post.scheduled_at < window.end,
        PostTarget.status.not_in(_NOT_UPCOMING),
    )
    published = _columns(PostTarget.published_at).where(
        PostTarget.status.in_(ONCE_PUBLISHED),
        PostTarget.published_at >= window.start,
        PostTarget.published_at < window.end,
    )
    upcoming = _by_channel(narrow(upcoming, actor, Post.opd_id, window), window)
    published = _by_channel(narrow(published, actor, Post.opd_id, window), window)
    rows = [("scheduled", r) for r in session.execute(upcoming.limit(MAX_ENTRIES))]
    rows += [("published", r) for r in session.execute(published.limit(MAX_ENTRIES))]
    return _grouped(rows)


def planned_entries(session: Session, actor: Actor, window: Window) -> list[CalendarEntry]:
    """Drafts from a content plan (`content.editorial.plans`) on the day they are planned for,
    until they are scheduled: a plan, not a promise to publish (00:00 WIB: no time yet)."""
    first = window.start.astimezone(WIB).date()
    last = (window.end - timedelta(microseconds=1)).astimezone(WIB).date()
    planned = _columns(Post.planned_on).where(
        Post.status.in_(_PLANNED), Post.planned_on >= first, Post.planned_on <= last
    )
    planned = _by_channel(narrow(planned, actor, Post.opd_id, window), window)
    rows = []
    for row in session.execute(planned.limit(MAX_ENTRIES)):
        values = list(row)
        values[5] = datetime.combine(row[5], time(), WIB).astimezone(UTC)
        rows.append(("planned", tuple(values)))
    return _grouped(rows)


SOURCES: dict[str, EntrySource] = {"posts": post_entries, "plans": planned_entries}


def entries(
    session: Session,
    actor: Actor,
    first_day: date,
    last_day: date,
    *,
    opd_id: int | None = None,
    channel: Channel | None = None,
) -> list[CalendarEntry]:
    """Every source's entries from `first_day` to `last_day` (WIB, inclusive), by time."""
    actor = refresh(session, actor)
    require(actor, Action.VIEW_POSTS, actor.opd_id)
    if last_day < first_day or (last_day - first_day).days >= MAX_DAYS:
        raise ValidationFailed(f"Rentang kalender 1–{MAX_DAYS} hari.")
    start, end = wib_day_bounds(first_day, last_day)
    assert start is not None and end is not None
    window = Window(start, end, opd_id, channel)
    found = [entry for source in SOURCES.values() for entry in source(session, actor, window)]
    return sorted(found, key=lambda e: (e.at, e.opd_name, e.post_id or 0, e.kind))
