"""The publication machinery as people operate it: emergency stop, worker heartbeats, retries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.delivery import holds
from content.delivery import target_moves as moves
from content.delivery.target_moves import move
from content.infra.errors import InvalidTransition, NotFound, ValidationFailed
from content.infra.timeutil import utcnow
from content.models import (
    Channel,
    Post,
    PostStatus,
    PostTarget,
    PublicationPause,
    TargetStatus,
    WorkerHeartbeat,
)
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require, visible_opd_ids

# The dashboard shows a worker red when it has not been seen for this long.
WORKER_STALE_AFTER = timedelta(minutes=1)
RETRYABLE_TARGET_STATUSES = moves.RETRY.allowed_from


def current_pause(session: Session) -> PublicationPause | None:
    return session.scalar(select(PublicationPause).where(PublicationPause.active.is_(True)))


def pause_all(session: Session, actor: Actor, reason: str) -> PublicationPause:
    """Jeda semua publikasi: nothing scheduled starts until someone lifts the pause."""
    actor = refresh(session, actor)
    require(actor, Action.EMERGENCY_STOP)
    if not reason.strip():
        raise ValidationFailed("Tuliskan alasan jeda publikasi.")
    if current_pause(session) is not None:
        raise InvalidTransition("Publikasi sudah dijeda.")
    pause = PublicationPause(reason=reason.strip(), paused_by_id=actor.user_id, active=True)
    try:
        with session.begin_nested():
            session.add(pause)
    except IntegrityError as exc:  # another PPID Utama pressed the button at the same moment
        raise InvalidTransition("Publikasi sudah dijeda.") from exc
    audit.record(
        session,
        actor,
        AuditAction.PUBLICATION_PAUSED,
        "publication_pause",
        pause.id,
        reason=pause.reason,
    )
    return pause


def resume_all(session: Session, actor: Actor, reason: str = "") -> PublicationPause:
    actor = refresh(session, actor)
    require(actor, Action.EMERGENCY_STOP)
    pause = current_pause(session)
    if pause is None:
        raise InvalidTransition("Publikasi tidak sedang dijeda.")
    pause.active = None
    pause.lifted_by_id, pause.lifted_at, pause.lift_reason = actor.user_id, utcnow(), reason.strip()
    audit.record(
        session,
        actor,
        AuditAction.PUBLICATION_RESUMED,
        "publication_pause",
        pause.id,
        reason=reason.strip(),
    )
    return pause


def beat(
    session: Session, worker_id: str, *, hostname: str, pid: int, details: dict[str, Any]
) -> None:
    """Upsert this worker's heartbeat (one row per worker, not a growing log)."""
    values = {
        "worker_id": worker_id,
        "hostname": hostname,
        "pid": pid,
        "seen_at": utcnow(),
        "started_at": utcnow(),
        "details": details,
    }
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(WorkerHeartbeat).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["worker_id"],
        set_={"seen_at": values["seen_at"], "details": details, "hostname": hostname, "pid": pid},
    )
    session.execute(statement)


@dataclass(frozen=True)
class WorkerStatus:
    worker_id: str
    hostname: str
    seen_at: datetime
    alive: bool
    details: dict[str, Any]


def workers(session: Session, now: datetime | None = None) -> list[WorkerStatus]:
    now = now or utcnow()
    rows = session.scalars(select(WorkerHeartbeat).order_by(WorkerHeartbeat.seen_at.desc()))
    return [
        WorkerStatus(
            r.worker_id, r.hostname, r.seen_at, now - r.seen_at < WORKER_STALE_AFTER, r.details
        )
        for r in rows
    ]


def retry_target(session: Session, actor: Actor, target_id: int) -> PostTarget:
    """Put a failed (or held) target back in the queue, due now, with the same approved content."""
    actor = refresh(session, actor)
    locked = select(PostTarget).where(PostTarget.id == target_id).with_for_update(of=PostTarget)
    target = session.scalars(locked).unique().one_or_none()
    if target is None:
        raise NotFound(f"Target publikasi #{target_id} tidak ditemukan.")
    post: Post = target.post
    require(actor, Action.SCHEDULE, post.opd_id)
    if target.status not in RETRYABLE_TARGET_STATUSES:
        raise InvalidTransition(f"Target berstatus '{target.status.value}' tidak dapat diulang.")
    if post.approved_hash is None or post.approved_hash != post.content_hash:
        raise InvalidTransition("Konten berubah sejak disetujui; ajukan dan setujui ulang.")
    before = {"status": target.status, "last_error": target.last_error}
    move(target, moves.RETRY, due_at=utcnow())
    holds.lift(target)
    if post.status in {PostStatus.FAILED, PostStatus.PARTIALLY_PUBLISHED, PostStatus.PUBLISHED}:
        post.status = PostStatus.PUBLISHING
    audit.record(
        session,
        actor,
        AuditAction.TARGET_RETRIED,
        "post_target",
        target.id,
        opd_id=post.opd_id,
        before=before,
        after={"status": target.status},
    )
    return target


def problem_targets(session: Session, actor: Actor, *, limit: int = 100) -> list[PostTarget]:
    """Failed, held and unknown-outcome targets the actor may see, newest first."""
    actor = refresh(session, actor)
    require(actor, Action.VIEW_POSTS, actor.opd_id)
    statuses = [TargetStatus.FAILED, TargetStatus.WAITING, TargetStatus.UNKNOWN]
    query = select(PostTarget).join(Post).where(PostTarget.status.in_(statuses))
    visible = visible_opd_ids(actor)
    if visible is not None:
        query = query.where(Post.opd_id.in_(visible))
    query = query.order_by(PostTarget.id.desc()).limit(limit)
    return list(session.scalars(query).unique())


def recent_publications(
    session: Session, actor: Actor, *, per_channel: int = 10
) -> dict[Channel, list[PostTarget]]:
    """What went out lately, per channel (newest first, at most `per_channel` each): every
    target that reached its platform (published, or taken down since), for the OPDs the actor
    may see. The page shows each one's state, time and link to the live post."""
    actor = refresh(session, actor)
    require(actor, Action.VIEW_POSTS, actor.opd_id)
    query = select(PostTarget).join(Post).where(PostTarget.published_at.is_not(None))
    visible = visible_opd_ids(actor)
    if visible is not None:
        query = query.where(Post.opd_id.in_(visible))
    grouped: dict[Channel, list[PostTarget]] = {}
    for channel in Channel:
        rows = session.scalars(
            query.where(PostTarget.channel == channel)
            .order_by(PostTarget.published_at.desc(), PostTarget.id.desc())
            .limit(per_channel)
        ).unique()
        found = list(rows)
        if found:
            grouped[channel] = found
    return grouped
