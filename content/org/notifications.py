"""Who is told when something waits for them: the reviewers at the level a submitted post waits
for, every PPID Utama when a serta-merta post is submitted, and the author when their post is
decided on.

A notification names the post by its number only and goes only to people who may see that post
(the OPD's own people, or city-wide roles), so none reveals another OPD's content. Written in
the caller's transaction, with the change it announces.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from content.infra.timeutil import utcnow
from content.labels import NOTIFICATION_SENTENCES
from content.models import ApprovalLevel, Notification, NotificationKind, Post, Role, User
from content.org.actors import Actor, refresh
from content.org.permissions import LEVEL_REVIEWERS, Action, can

MAX_LISTED = 50


@dataclass(frozen=True)
class Shown:
    id: int
    kind: NotificationKind
    post_id: int | None
    sentence: str
    at: datetime
    read: bool


def _tell(session: Session, user_ids: Iterable[int], kind: NotificationKind, post: Post) -> None:
    tell(session, user_ids, kind, post_id=post.id)


def tell(
    session: Session,
    user_ids: Iterable[int],
    kind: NotificationKind,
    *,
    post_id: int | None = None,
    subject: str | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Write one notification per person, in the caller's transaction; how many were new.

    The caller has chosen the people (only those who may see the subject). With `dedupe_key`, a
    person already told about that occasion is not told again (a job that runs every minute
    tells once); the unique index backs this up against two writers at once.
    """
    people = list(dict.fromkeys(user_ids))
    if dedupe_key is not None and people:
        told = set(
            session.scalars(
                select(Notification.user_id).where(
                    Notification.dedupe_key == dedupe_key, Notification.user_id.in_(people)
                )
            )
        )
        people = [p for p in people if p not in told]
    for user_id in people:
        session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                post_id=post_id,
                subject=subject[:120] if subject else None,
                dedupe_key=dedupe_key,
            )
        )
    return len(people)


def reviewers_waiting(session: Session, post: Post, level: ApprovalLevel) -> None:
    """Tell everyone who may sign `post` off at `level`, except those who wrote its wording."""
    role = LEVEL_REVIEWERS[level]
    query = select(User).where(User.active, User.role == role)
    if level is ApprovalLevel.OPD:
        query = query.where(User.opd_id == post.opd_id)
    users = [
        u
        for u in session.scalars(query)
        if u.id not in post.editor_ids
        and u.id != post.author_id
        and can(Actor.of(u), Action.REVIEW, post.opd_id)
    ]
    _tell(session, [u.id for u in users], NotificationKind.AWAITING_APPROVAL, post)


def serta_merta_raised(session: Session, post: Post) -> None:
    """Tell every active PPID Utama at once that a serta-merta post was submitted, whichever
    level signs it off first (PPID Utama sees every OPD's posts)."""
    query = select(User.id).where(User.active, User.role == Role.PPID_UTAMA)
    users = [u for u in session.scalars(query) if u not in post.editor_ids]
    _tell(session, users, NotificationKind.SERTA_MERTA, post)


def author_told(session: Session, post: Post, kind: NotificationKind) -> None:
    """Tell the post's author about a decision on it."""
    _tell(session, [post.author_id], kind, post)


def unread_count(session: Session, actor: Actor) -> int:
    query = select(func.count()).where(
        Notification.user_id == actor.user_id, Notification.read_at.is_(None)
    )
    return session.scalar(query) or 0


def latest(session: Session, actor: Actor, limit: int = MAX_LISTED) -> list[Shown]:
    """This person's newest notifications, unread first."""
    actor = refresh(session, actor)
    query = (
        select(Notification)
        .where(Notification.user_id == actor.user_id)
        .order_by(Notification.read_at.is_not(None), Notification.id.desc())
        .limit(limit)
    )
    return [
        Shown(
            n.id,
            n.kind,
            n.post_id,
            NOTIFICATION_SENTENCES[n.kind].format(post=n.post_id, subject=n.subject or ""),
            n.created_at,
            n.read_at is not None,
        )
        for n in session.scalars(query)
    ]


def mark_all_read(session: Session, actor: Actor) -> int:
    """Mark this person's unread notifications read; how many there were."""
    actor = refresh(session, actor)
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
