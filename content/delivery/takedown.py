"""Takedown ("Tarik publikasi"): PPID Utama removes a published post from every channel.

The decision is one transaction: the takedown row with its reason, the post marked taken down,
each published social target marked for deletion, the post's videotron slides ended at once
(the feed's playlist drops them on its next read), and the audit event. The deletes themselves
are the worker's (scheduler/takedown.py), claimed like publishes: the claim and its attempt row
(action "delete") are committed before the platform is called. A delete is idempotent on the
platforms (an already deleted post answers "not found", which counts as removed), so a delete
whose outcome was lost is settled simply by sending it again.

The post keeps its history: attempts, metric snapshots and costs stay, and Monev still counts
the time it was live (`ONCE_PUBLISHED`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.elements import ColumnElement

from content import audit
from content.audit import AuditAction
from content.delivery import target_moves as moves
from content.delivery.publishing import MAX_MESSAGE, Failure, finish_attempt
from content.delivery.target_moves import applies, move, moving
from content.editorial.posts import check_version, load_post, snapshot
from content.editorial.workflow import TAKEDOWN
from content.infra.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from content.infra.timeutil import utcnow
from content.labels import POST_STATUS_LABELS
from content.models import (
    AttemptOutcome,
    Channel,
    Post,
    PostStatus,
    PostTarget,
    PublishAttempt,
    Slide,
    Takedown,
    TargetStatus,
    WorkerHeartbeat,
)
from content.org.actors import Actor, refresh, worker_actor
from content.org.permissions import Action, require

TAKEABLE = TAKEDOWN.allowed_from
# Targets that never went live: nothing to delete, and a retry must not publish them now.
NEVER_LIVE = moves.CANCEL.allowed_from
UNSETTLED = (TargetStatus.REMOVAL_DUE, TargetStatus.REMOVING)
DELETE = "delete"
MAX_REASON = 2_000
ALREADY_TAKEN_DOWN = "Konten ini sudah ditarik."
# Code of a target whose platform has no delete API: a person deletes it (the message says how).
MANUAL_CODE = "manual_delete"


@dataclass(frozen=True)
class Removal:
    """A delete this worker holds, and the attempt row written for it."""

    target_id: int
    post_id: int
    attempt_id: int
    channel: Channel
    remote_id: str
    attempt_number: int


# --- the decision ------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Tuliskan alasan penarikan; alasan ini dicatat di jejak audit.")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"Alasan penarikan maksimal {MAX_REASON} karakter.")
    return reason


def end_slides(session: Session, post_id: int, now: datetime) -> int:
    """The post's slides stop now (those still to come never start); they stay in the history."""
    query = select(Slide).where(
        Slide.post_id == post_id, or_(Slide.valid_until.is_(None), Slide.valid_until > now)
    )
    slides = list(session.scalars(query))
    for slide in slides:
        slide.valid_until = max(now, slide.valid_from + timedelta(microseconds=1))
    return len(slides)


def _mark_targets(post: Post, now: datetime) -> None:
    for target in post.targets:
        if applies(target, moves.END_SLIDE) and target.channel is Channel.VIDEOTRON:
            move(target, moves.END_SLIDE)  # its slides end in this same transaction
        elif applies(target, moves.REMOVE):
            move(target, moves.REMOVE, due_at=now, claimed_by=None)
            target.last_error, target.last_error_code = "", ""
        elif applies(target, moves.CANCEL):
            move(target, moves.CANCEL, due_at=None)


def takedown(
    session: Session,
    actor: Actor,
    post_id: int,
    reason: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Takedown:
    """Withdraw a published (or partially published) post from every channel: PPID Utama only,
    with a reason. A second takedown of the same post is refused with ALREADY_TAKEN_DOWN."""
    actor = refresh(session, actor)
    if actor.is_system:
        raise PermissionDenied("Penarikan publikasi harus atas nama seorang pengguna (--as).")
    require(actor, Action.TAKE_DOWN)
    reason = _reason(reason)
    post = load_post(session, post_id, lock=True)
    if post.status is PostStatus.TAKEN_DOWN:
        raise InvalidTransition(ALREADY_TAKEN_DOWN)
    check_version(post, expected_version)
    if post.status not in TAKEABLE:
        raise InvalidTransition(
            f"Konten #{post.id} berstatus '{POST_STATUS_LABELS[post.status]}'; hanya konten yang "
            "sudah terbit yang dapat ditarik."
        )
    now = now or utcnow()
    before = snapshot(post)
    record = Takedown(post_id=post.id, requested_by_id=actor.user_id, reason=reason)
    record.requested_at = now
    session.add(record)
    _mark_targets(post, now)
    ended = end_slides(session, post.id, now)
    post.status = PostStatus.TAKEN_DOWN
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "Konten ini baru saja diubah orang lain; muat ulang lalu coba lagi."
        ) from exc
    _settle(session, post.id, now)
    audit.record(
        session,
        actor,
        AuditAction.POST_TAKEN_DOWN,
        "post",
        post.id,
        opd_id=post.opd_id,
        before=before,
        after={
            **snapshot(post),
            "channels": {t.label: t.status for t in post.targets},
            "slides_ended": ended,
        },
        reason=reason,
    )
    return record


def takedown_of(session: Session, post_id: int) -> Takedown | None:
    return session.scalar(select(Takedown).where(Takedown.post_id == post_id))


# --- the worker's side -----------------------------------------------------------------------


def _claimable(worker_id: str, now: datetime, stale_after: timedelta) -> ColumnElement[bool]:
    """Due deletes, and deletes whose claim was lost: held by a worker that stopped beating, or
    by this very worker in an earlier run whose outcome could not be written."""
    alive = select(WorkerHeartbeat.worker_id).where(WorkerHeartbeat.seen_at >= now - stale_after)
    due = (PostTarget.status == TargetStatus.REMOVAL_DUE) & (PostTarget.due_at <= now)
    lost = (
        (PostTarget.status == TargetStatus.REMOVING)
        & (PostTarget.claimed_at < now - stale_after)
        & (
            (PostTarget.claimed_by == worker_id)
            | PostTarget.claimed_by.not_in(alive)
            | PostTarget.claimed_by.is_(None)
        )
    )
    return or_(due, lost)


def claim_removals(
    session: Session,
    worker_id: str,
    *,
    stale_after: timedelta,
    now: datetime | None = None,
    limit: int = 10,
) -> list[Removal]:
    """Claim up to `limit` deletes for this worker, exclusively on every backend (SKIP LOCKED on
    PostgreSQL, then a conditional UPDATE that a row claimed meanwhile no longer matches), and
    write each one's attempt row. The caller commits before calling any platform."""
    now = now or utcnow()
    claimable = _claimable(worker_id, now, stale_after)
    query = (
        select(PostTarget.id)
        .where(claimable)
        .order_by(PostTarget.due_at, PostTarget.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=PostTarget, skip_locked=True)
    ids = list(session.scalars(query))
    if not ids:
        return []
    taken = session.execute(
        moving(moves.CLAIM_REMOVAL, PostTarget.id.in_(ids), claimable)
        .values(claimed_by=worker_id, claimed_at=now)
        .returning(PostTarget.id)
    )
    removals = [_start(session, target_id, worker_id, now) for target_id in sorted(taken.scalars())]
    session.flush()
    return removals


def _start(session: Session, target_id: int, worker_id: str, now: datetime) -> Removal:
    target = session.get(PostTarget, target_id, populate_existing=True)
    assert target is not None
    # A delete started earlier and never recorded is closed as unknown: it is being sent again.
    session.execute(
        update(PublishAttempt)
        .where(
            PublishAttempt.target_id == target_id,
            PublishAttempt.action == DELETE,
            PublishAttempt.outcome == AttemptOutcome.STARTED,
        )
        .values(
            outcome=AttemptOutcome.UNKNOWN,
            finished_at=now,
            error_message="Hasil tidak tercatat (pekerja berhenti); penghapusan dikirim ulang.",
        )
        .execution_options(synchronize_session=False)
    )
    number = 1 + int(
        session.scalar(
            select(func.count(PublishAttempt.id)).where(
                PublishAttempt.target_id == target_id, PublishAttempt.action == DELETE
            )
        )
        or 0
    )
    attempt = PublishAttempt(
        target_id=target_id,
        worker_id=worker_id,
        started_at=now,
        action=DELETE,
        remote_id=target.remote_id,
    )
    session.add(attempt)
    session.flush()
    return Removal(
        target_id, target.post_id, attempt.id, target.channel, target.remote_id or "", number
    )


def _finish(
    session: Session, removal: Removal, outcome: AttemptOutcome, **fields: object
) -> PostTarget:
    target = finish_attempt(session, removal.attempt_id, removal.target_id, outcome, **fields)
    target.claimed_by = None
    return target


def _audit(
    session: Session, worker_id: str, target: PostTarget, event: AuditAction, reason: str = ""
) -> None:
    audit.record(
        session,
        worker_actor(worker_id),
        event,
        "post_target",
        target.id,
        opd_id=target.post.opd_id,
        after={
            "post_id": target.post_id,
            "channel": target.channel,
            "remote_id": target.remote_id,
            "status": target.status,
        },
        reason=reason,
    )


def _settle(session: Session, post_id: int, now: datetime | None = None) -> None:
    """The takedown is settled once no delete is due or under way."""
    open_ = session.scalar(
        select(func.count(PostTarget.id)).where(
            PostTarget.post_id == post_id, PostTarget.status.in_(UNSETTLED)
        )
    )
    if not open_:
        session.execute(
            update(Takedown)
            .where(Takedown.post_id == post_id, Takedown.settled_at.is_(None))
            .values(settled_at=now or utcnow())
            .execution_options(synchronize_session=False)
        )


def record_removed(
    session: Session,
    removal: Removal,
    worker_id: str,
    *,
    http_status: int | None = None,
    already_gone: bool = False,
) -> None:
    """The platform no longer has the post (deleted now, or it was gone already)."""
    note = "Sudah tidak ada di platform." if already_gone else ""
    target = _finish(
        session, removal, AttemptOutcome.SUCCESS, http_status=http_status, error_message=note
    )
    move(target, moves.DELETED, last_error="", last_error_code="")
    session.flush()
    _audit(session, worker_id, target, AuditAction.TARGET_REMOVED, note)
    _settle(session, removal.post_id)


def record_manual(session: Session, removal: Removal, worker_id: str, failure: Failure) -> None:
    """The platform has no delete API: the target waits for a person; the message says how."""
    target = _finish(
        session,
        removal,
        AttemptOutcome.PERMANENT,
        error_code=MANUAL_CODE,
        error_message=failure.message[:MAX_MESSAGE],
    )
    move(target, moves.REMOVE_BY_HAND)
    target.last_error, target.last_error_code = failure.message[:MAX_MESSAGE], MANUAL_CODE
    session.flush()
    _audit(session, worker_id, target, AuditAction.TARGET_REMOVE_MANUALLY, failure.message)
    _settle(session, removal.post_id)


def record_removal_failure(
    session: Session,
    removal: Removal,
    worker_id: str,
    failure: Failure,
    *,
    max_attempts: int,
    backoff: timedelta = timedelta(0),
) -> TargetStatus:
    """Retryable (and unknown: a delete may simply be sent again) → due again after the backoff
    or the platform's reset time, until the attempts run out; permanent → failed now."""
    target = _finish(
        session,
        removal,
        failure.outcome,
        http_status=failure.http_status,
        error_code=failure.code[:64],
        error_message=failure.message[:MAX_MESSAGE],
    )
    target.last_error, target.last_error_code = failure.message[:MAX_MESSAGE], failure.code[:64]
    again = failure.outcome in {AttemptOutcome.RETRYABLE, AttemptOutcome.UNKNOWN}
    if again and removal.attempt_number < max_attempts:
        retry_at = max(failure.retry_at or utcnow(), utcnow() + backoff)
        move(target, moves.BACK_OFF_REMOVAL, due_at=retry_at)
        session.flush()
        return target.status
    move(target, moves.REMOVAL_FAILS)
    session.flush()
    _audit(session, worker_id, target, AuditAction.TARGET_REMOVAL_FAILED, failure.message)
    _settle(session, removal.post_id)
    return target.status


# --- after the worker: a person's part ------------------------------------------------------

# A person may settle these by hand: no delete API, or a delete the platform kept refusing.
BY_HAND = moves.CONFIRM_REMOVED.allowed_from


def _own_target(session: Session, actor: Actor, target_id: int) -> tuple[Actor, PostTarget]:
    actor = refresh(session, actor)
    if actor.is_system:
        raise PermissionDenied("Penarikan publikasi harus atas nama seorang pengguna (--as).")
    require(actor, Action.TAKE_DOWN)
    locked = select(PostTarget).where(PostTarget.id == target_id).with_for_update(of=PostTarget)
    target = session.scalars(locked).unique().one_or_none()
    if target is None or target.post.status is not PostStatus.TAKEN_DOWN:
        raise InvalidTransition(f"Target #{target_id} bukan bagian dari konten yang ditarik.")
    return actor, target


def confirm_manual_removal(session: Session, actor: Actor, target_id: int) -> PostTarget:
    """PPID Utama confirms the post was deleted by hand on the platform (Instagram)."""
    actor, target = _own_target(session, actor, target_id)
    if target.status not in BY_HAND:
        raise InvalidTransition("Target ini tidak menunggu penghapusan manual.")
    before = {"status": target.status, "last_error": target.last_error}
    move(target, moves.CONFIRM_REMOVED, claimed_by=None)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.TARGET_REMOVED_MANUALLY,
        "post_target",
        target.id,
        opd_id=target.post.opd_id,
        before=before,
        after={"post_id": target.post_id, "channel": target.channel, "status": target.status},
    )
    _settle(session, target.post_id)
    return target


def retry_removal(session: Session, actor: Actor, target_id: int) -> PostTarget:
    """A delete the platform refused (an expired token since renewed, say) is due again now."""
    actor, target = _own_target(session, actor, target_id)
    if not applies(target, moves.RETRY_REMOVAL):
        raise InvalidTransition("Hanya penghapusan yang gagal yang dapat diulang.")
    before = {"status": target.status, "last_error": target.last_error}
    move(target, moves.RETRY_REMOVAL, due_at=utcnow())
    session.execute(
        update(Takedown)
        .where(Takedown.post_id == target.post_id)
        .values(settled_at=None)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.TARGET_REMOVAL_RETRIED,
        "post_target",
        target.id,
        opd_id=target.post.opd_id,
        before=before,
        after={"status": target.status},
    )
    return target


# --- what people see -------------------------------------------------------------------------

CANDIDATES = 50


@dataclass(frozen=True)
class Candidate:
    """A published post PPID Utama may take down."""

    post_id: int
    version: int
    opd_name: str
    caption: str
    published_at: datetime | None


@dataclass(frozen=True)
class ChannelState:
    """Where a taken-down post stands on one channel; `message` says what a person must do
    (Instagram's manual step) or what the platform answered."""

    target_id: int
    channel: Channel
    label: str
    status: TargetStatus
    remote_url: str | None
    message: str


@dataclass(frozen=True)
class TakedownView:
    post_id: int
    opd_name: str
    caption: str
    requested_by: str
    requested_at: datetime
    reason: str
    settled_at: datetime | None
    channels: tuple[ChannelState, ...]


def candidates(session: Session, actor: Actor, limit: int = CANDIDATES) -> list[Candidate]:
    """Published posts, newest publication first, for PPID Utama's takedown form."""
    actor = refresh(session, actor)
    require(actor, Action.TAKE_DOWN)
    query = (
        select(Post)
        .where(Post.status.in_(TAKEABLE))
        .order_by(Post.published_at.desc(), Post.id.desc())
        .limit(limit)
    )
    return [
        Candidate(p.id, p.version, p.opd.short_name, p.caption, p.published_at)
        for p in session.scalars(query).unique()
    ]


def _channel_state(target: PostTarget) -> ChannelState:
    where = (
        target.account.handle if target.account else (target.screen.name if target.screen else "")
    )
    return ChannelState(
        target.id, target.channel, where, target.status, target.remote_url, target.last_error
    )


def recent(session: Session, actor: Actor, limit: int = 20) -> list[TakedownView]:
    """The latest takedowns with each channel's state, for those who may take posts down."""
    actor = refresh(session, actor)
    require(actor, Action.TAKE_DOWN)
    rows = session.execute(
        select(Takedown, Post)
        .join(Post, Post.id == Takedown.post_id)
        .order_by(Takedown.requested_at.desc(), Takedown.id.desc())
        .limit(limit)
    ).unique()
    return [
        TakedownView(
            post.id,
            post.opd.short_name,
            post.caption,
            record.requested_by.display_name if record.requested_by else "",
            record.requested_at,
            record.reason,
            record.settled_at,
            tuple(_channel_state(t) for t in post.targets),
        )
        for record, post in rows
    ]
