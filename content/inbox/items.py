"""Reading the inbox: the filtered list (one SQL query, paged, newest first) and one thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, Select, false, func, select
from sqlalchemy.orm import Session

from content.inbox.rights import may_view, require_view
from content.infra.errors import NotFound
from content.infra.timeutil import utcnow
from content.models import (
    Channel,
    InboxItem,
    InboxKind,
    InboxOutgoing,
    InboxStatus,
    InboxTopic,
    Role,
)
from content.org.actors import Actor, refresh

PAGE_SIZE = 50
OPEN_STATES = (InboxStatus.OPEN, InboxStatus.ANSWERED)


@dataclass(frozen=True)
class InboxFilter:
    status: InboxStatus | None = None
    channel: Channel | None = None
    opd_id: int | None = None
    triage: bool = False  # only items still waiting for PPID Utama to assign them
    overdue: bool = False  # open and past their due time
    escalated: bool = False  # open, past their due time and escalated to PPID Utama
    account_id: int | None = None


@dataclass(frozen=True)
class InboxRow:
    id: int
    channel: Channel
    kind: InboxKind
    topic: InboxTopic | None
    account_handle: str
    author: str
    text: str
    received_at: datetime
    opd_id: int | None
    status: InboxStatus
    due_at: datetime
    overdue: bool
    version: int


def _scoped(actor: Actor, query: Select[InboxItem]) -> Select[InboxItem]:
    if actor.role is Role.PPID_PEMBANTU:
        return query.where(InboxItem.opd_id == actor.opd_id)
    if not may_view(actor, None):
        return query.where(false())
    return query


def list_items(
    session: Session,
    actor: Actor,
    filters: InboxFilter = InboxFilter(),
    *,
    page: int = 0,
    page_size: int = PAGE_SIZE,
    now: datetime | None = None,
) -> list[InboxRow]:
    """The items `actor` may see that match `filters`, newest first (overdue: the longest
    overdue first), one page."""
    actor, now = refresh(session, actor), now or utcnow()
    query = _scoped(actor, select(InboxItem))
    if filters.status is not None:
        query = query.where(InboxItem.status == filters.status)
    if filters.channel is not None:
        query = query.where(InboxItem.channel == filters.channel)
    if filters.opd_id is not None:
        query = query.where(InboxItem.opd_id == filters.opd_id)
    if filters.triage:
        query = query.where(InboxItem.opd_id.is_(None))
    if filters.account_id is not None:
        query = query.where(InboxItem.account_id == filters.account_id)
    if filters.overdue:
        query = query.where(
            InboxItem.status == InboxStatus.OPEN,
            InboxItem.due_at < now,
        )
    if filters.escalated:
        query = query.where(
            InboxItem.status == InboxStatus.OPEN,
            InboxItem.escalated_at.is_not(None),
        )
    if filters.overdue or filters.escalated:  # the longest overdue first (its index's order)
        order = (InboxItem.due_at.asc(), InboxItem.id.asc())
    else:
        order = (InboxItem.received_at.desc(), InboxItem.id.desc())
    query = query.order_by(*order).offset(page * page_size).limit(page_size)
    return [_row(item, now) for item in session.scalars(query)]


MENU_CAP = 99  # the menu says "99+" beyond this: counting stops there, so a backlog costs nothing


def menu_count(session: Session, actor: Actor, now: datetime | None = None) -> int:
    """How many open items wait for this person, for the menu (one query, index ranges only,
    at most MENU_CAP + 1 counted): for PPID Utama the new items no OPD has yet plus every
    overdue one city-wide; for a PPID Pembantu its OPD's items still without a first response;
    nobody else acts on the inbox (0)."""
    actor, now = refresh(session, actor), now or utcnow()

    def capped(*conditions: ColumnElement[bool]) -> ScalarSelect[int]:
        rows = select(InboxItem.id).where(InboxItem.status == InboxStatus.OPEN, *conditions)
        return (
            select(func.count()).select_from(rows.limit(MENU_CAP + 1).subquery()).scalar_subquery()
        )

    if actor.role is Role.PPID_UTAMA:
        # Two disjoint counts (overdue; untriaged and not yet due), each an index range: an OR
        # in one WHERE would read the whole table.
        overdue = capped(InboxItem.due_at < now)
        untriaged = capped(InboxItem.opd_id.is_(None), InboxItem.due_at >= now)
        total = int(session.scalar(select(overdue + untriaged)) or 0)
    elif actor.role is Role.PPID_PEMBANTU and actor.opd_id is not None:
        total = int(session.scalar(select(capped(InboxItem.opd_id == actor.opd_id))) or 0)
    else:
        total = 0
    return min(total, MENU_CAP + 1)


def _row(item: InboxItem, now: datetime) -> InboxRow:
    return InboxRow(
        id=item.id,
        channel=item.channel,
        kind=item.kind,
        topic=item.topic,
        account_handle=item.account.handle,
        author=item.author_name or item.author_handle,
        text=item.text,
        received_at=item.received_at,
        opd_id=item.opd_id,
        status=item.status,
        due_at=item.due_at,
        overdue=item.status is InboxStatus.OPEN and item.due_at < now,
        version=item.version,
    )


def get_item(session: Session, actor: Actor, item_id: int) -> InboxItem:
    item = session.get(InboxItem, item_id)
    if item is None:
        raise NotFound("Pesan Kotak masuk ini tidak ditemukan.")
    require_view(actor, item.opd_id)
    return item


@dataclass(frozen=True)
class Thread:
    item: InboxItem
    messages: list[InboxItem]  # the thread's collected items, oldest first
    outgoing: list[InboxOutgoing]  # what the city sent or queued on it


def thread(session: Session, actor: Actor, item_id: int) -> Thread:
    """One item with the rest of its thread and the city's replies, for the thread view."""
    actor = refresh(session, actor)
    item = get_item(session, actor, item_id)
    messages = list(
        session.scalars(
            select(InboxItem)
            .where(
                InboxItem.account_id == item.account_id,
                InboxItem.thread_remote_id == item.thread_remote_id,
            )
            .order_by(InboxItem.received_at, InboxItem.id)
        )
    )
    ids = [m.id for m in messages]
    outgoing = list(
        session.scalars(
            select(InboxOutgoing)
            .where(InboxOutgoing.item_id.in_(ids))
            .order_by(InboxOutgoing.created_at, InboxOutgoing.id)
        )
    )
    return Thread(item, messages, outgoing)
