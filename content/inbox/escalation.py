"""Overdue items escalate: an open item past its service level (`due_at`, set from
`content.inbox.service_levels`) is told once to every active PPID Utama and to the assigned
OPD's active PPID Pembantu, and marked escalated (audited). The notice names the item by its
number only (`NotificationKind.INBOX_OVERDUE`, subject the item's number), so it never carries
the citizen's words nor another OPD's content; a Pembantu is told only of its own OPD's items.

Run by the worker every minute or so: the conditional UPDATE on `escalated_at` makes one worker
escalate an item, and the notification's `dedupe_key` makes a repeated run tell no one twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from content.audit import AuditAction, record
from content.infra.timeutil import utcnow
from content.models import InboxItem, InboxStatus, NotificationKind, Role, User
from content.org.actors import SYSTEM, Actor
from content.org.notifications import tell

BATCH = 200


def dedupe_key(item_id: int) -> str:
    return f"inbox_overdue:{item_id}"


def _active(session: Session, role: Role, opd_id: int | None = None) -> list[int]:
    query = select(User.id).where(User.active, User.role == role)
    if opd_id is not None:
        query = query.where(User.opd_id == opd_id)
    return list(session.scalars(query.order_by(User.id)))


def escalate_overdue(
    session: Session, *, actor: Actor = SYSTEM, now: datetime | None = None, limit: int = BATCH
) -> int:
    """Escalate the open items past their due time that were not yet escalated (the longest
    overdue first, at most `limit`); how many were escalated."""
    now = now or utcnow()
    items = session.scalars(
        select(InboxItem)
        .where(
            InboxItem.status == InboxStatus.OPEN,
            InboxItem.due_at < now,
            InboxItem.escalated_at.is_(None),
        )
        .order_by(InboxItem.due_at, InboxItem.id)
        .limit(limit)
    ).all()
    if not items:
        return 0
    utama = _active(session, Role.PPID_UTAMA)
    pembantu: dict[int, list[int]] = {}
    escalated = 0
    for item in items:
        taken = session.execute(
            update(InboxItem)
            .where(InboxItem.id == item.id, InboxItem.escalated_at.is_(None))
            .values(escalated_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(taken, "rowcount", 0) != 1:
            continue  # another worker escalated it meanwhile
        people = list(utama)
        if item.opd_id is not None:
            if item.opd_id not in pembantu:
                pembantu[item.opd_id] = _active(session, Role.PPID_PEMBANTU, item.opd_id)
            people += pembantu[item.opd_id]
        told = tell(
            session, people, NotificationKind.INBOX_OVERDUE,
            subject=str(item.id), dedupe_key=dedupe_key(item.id),
        )  # fmt: skip
        record(
            session, actor, AuditAction.INBOX_ESCALATED, "inbox_item", item.id,
            opd_id=item.opd_id, after={"due_at": item.due_at, "told": told},
        )  # fmt: skip
        escalated += 1
    session.expire_all()
    return escalated
