"""Storing what the worker collected: one row per (account, remote id), updated in place when
the same item is read again (edited text, hidden on the platform), so a restart or an
overlapping read never duplicates an item. Cursors keep where a source stopped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.inbox.routing import route
from content.inbox.rules import current_rules
from content.inbox.service_levels import ServiceLevels
from content.inbox.triage import Rules, propose
from content.infra.timeutil import utcnow
from content.models import (
    Account,
    InboxCursor,
    InboxItem,
    InboxKind,
    InboxStatus,
    Opd,
    Post,
    PostTarget,
)


@dataclass(frozen=True)
class Incoming:
    """One comment, reply or mention as a platform reported it (publishers build these)."""

    remote_id: str
    kind: InboxKind
    text: str
    received_at: datetime
    author_handle: str = ""
    author_name: str = ""
    author_remote_id: str = ""
    parent_remote_id: str | None = None
    post_remote_id: str | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Stored:
    new: int
    updated: int
    gone: int = 0


def mark_gone(session: Session, account_id: int, complete: Sequence[str], seen: set[str]) -> int:
    """Items under posts whose comments were read in full that the platform no longer returns
    (deleted by their author or by the platform) are marked so; they stay for the record."""
    if not complete:
        return 0
    gone = 0
    for item in session.scalars(
        select(InboxItem).where(
            InboxItem.account_id == account_id,
            InboxItem.post_remote_id.in_(list(complete)),
            InboxItem.deleted_on_platform.is_(False),
        )
    ):
        if item.remote_id not in seen:
            item.deleted_on_platform = True
            gone += 1
    session.flush()
    return gone


def _posts_by_remote_id(
    session: Session, account_id: int, remote_ids: set[str]
) -> dict[str, tuple[int, int]]:
    """{remote post id: (post id, its OPD)} for our posts on this account among `remote_ids`."""
    if not remote_ids:
        return {}
    rows = session.execute(
        select(PostTarget.remote_id, Post.id, Post.opd_id)
        .join(Post, Post.id == PostTarget.post_id)
        .where(PostTarget.account_id == account_id, PostTarget.remote_id.in_(remote_ids))
    )
    return {str(remote): (post_id, opd_id) for remote, post_id, opd_id in rows}


def upsert(
    session: Session,
    account: Account,
    incoming: Sequence[Incoming],
    *,
    levels: ServiceLevels | None = None,
    now: datetime | None = None,
    complete: Sequence[str] = (),
) -> Stored:
    """Insert new items (routed, with their due time) and update known ones (text, hidden).
    Routing and the workflow state of a known item are never changed by a new read.
    `complete`: the posts whose comments were read in full (see `mark_gone`)."""
    now, levels = now or utcnow(), levels or ServiceLevels()
    unique = {i.remote_id: i for i in incoming}
    known = {
        item.remote_id: item
        for item in session.scalars(
            select(InboxItem).where(
                InboxItem.account_id == account.id, InboxItem.remote_id.in_(list(unique))
            )
        )
    }
    posts = _posts_by_remote_id(
        session, account.id, {i.post_remote_id for i in unique.values() if i.post_remote_id}
    )
    slugs = {slug: opd_id for slug, opd_id in session.execute(select(Opd.slug, Opd.id))}
    new = updated = 0
    rules: Rules | None = None  # read once, only when something new arrives
    for remote_id, data in unique.items():
        item = known.get(remote_id)
        if item is not None:
            changed = (item.text, item.hidden_on_platform, item.deleted_on_platform)
            if changed != (data.text, data.hidden, False):
                item.text, item.hidden_on_platform = data.text, data.hidden
                item.deleted_on_platform = False
                updated += 1
            continue
        post_id, post_opd = posts.get(data.post_remote_id or "", (None, None))
        opd_id, reason = route(post_opd, account.opd_id)
        rules = rules or current_rules(session)
        proposal = propose(data.text, rules)
        proposed = slugs.get(proposal.opd_slug or "") if opd_id is None else None
        session.add(
            InboxItem(
                account_id=account.id,
                channel=account.kind,
                kind=data.kind,
                remote_id=remote_id,
                parent_remote_id=data.parent_remote_id,
                thread_remote_id=data.parent_remote_id or remote_id,
                post_remote_id=data.post_remote_id,
                post_id=post_id,
                author_handle=data.author_handle[:200],
                author_name=data.author_name[:200],
                author_remote_id=data.author_remote_id[:200],
                text=data.text,
                received_at=data.received_at,
                collected_at=now,
                opd_id=opd_id,
                route_reason=reason.value,
                topic=proposal.topic,
                topic_phrase=proposal.topic_phrase[:100],
                proposed_opd_id=proposed,
                proposal_phrase=proposal.opd_phrase[:100] if proposed else "",
                status=InboxStatus.HIDDEN if data.hidden else InboxStatus.OPEN,
                due_at=levels.due_at(data.received_at, proposal.topic),
                hidden_on_platform=data.hidden,
            )
        )
        new += 1
    session.flush()
    gone = mark_gone(session, account.id, complete, set(unique))
    return Stored(new, updated, gone)


def read_cursor(session: Session, account_id: int, source: str) -> str | None:
    cursor = session.get(InboxCursor, (account_id, source))
    return cursor.value if cursor else None


def store_cursor(session: Session, account_id: int, source: str, value: str) -> None:
    """Written in the same transaction as the items it covers, so the two never disagree."""
    cursor = session.get(InboxCursor, (account_id, source))
    if cursor is None:
        session.add(InboxCursor(account_id=account_id, source=source, value=value))
    else:
        cursor.value, cursor.updated_at = value, utcnow()
    session.flush()
