"""The worker's side of the workflow: claiming due targets, recording what the platform said,
and deriving the post's status from its targets. Plain SQLAlchemy: no platform calls here.

A claim and its `PublishAttempt` row are committed *before* the platform is called, so a worker
killed mid-call leaves a trace: the target stays `publishing` (or `unknown`) until a worker
reconciles it by asking the platform whether the post exists. Nothing is retried blindly.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from content import audit
from content.audit import AuditAction
from content.delivery import target_moves as moves
from content.delivery.holds import LIFTED, Hold
from content.delivery.operations import current_pause
from content.delivery.target_moves import move, moving
from content.editorial.posts import content_hash
from content.infra.timeutil import utcnow
from content.models import (
    AttemptOutcome,
    Channel,
    Post,
    PostStatus,
    PostTarget,
    PublishAttempt,
    TargetStatus,
    WorkerHeartbeat,
)
from content.models.enums import ONCE_PUBLISHED
from content.org import notifications
from content.org.actors import Actor, worker_actor

ACTIVE = frozenset({TargetStatus.SCHEDULED, TargetStatus.PUBLISHING, TargetStatus.UNKNOWN})
HELD = frozenset({TargetStatus.WAITING})
CLAIMABLE_POSTS = (PostStatus.SCHEDULED, PostStatus.PUBLISHING)
MAX_MESSAGE = 2_000
# The audit event of each status the worker moves a post to.
STATUS_EVENTS = {
    PostStatus.PUBLISHING: AuditAction.POST_PUBLISHING,
    PostStatus.PUBLISHED: AuditAction.POST_PUBLISHED,
    PostStatus.PARTIALLY_PUBLISHED: AuditAction.POST_PARTIALLY_PUBLISHED,
    PostStatus.FAILED: AuditAction.POST_FAILED,
}


@dataclass(frozen=True)
class Claim:
    """A target this worker holds, and the attempt row written for it."""

    target_id: int
    post_id: int
    attempt_id: int
    channel: Channel
    attempt_number: int


@dataclass(frozen=True)
class Failure:
    """What the platform (or the network) said, kept word for word for the people who fix it."""

    outcome: AttemptOutcome
    message: str
    code: str = ""
    http_status: int | None = None
    retry_at: datetime | None = None
    reason: str = ""  # a code (publishers.social.result.Reason) to branch on, not for people
    platform_message: str = ""  # the platform's own words, already redacted


def _due_ids(session: Session, now: datetime, limit: int) -> list[int]:
    # Oldest due first. No target can hold the head of this queue: every way out of a claim
    # (published, failed, held, backed off, requeued) changes its status or moves `due_at` on.
    query = (
        select(PostTarget.id)
        .join(Post, Post.id == PostTarget.post_id)
        .where(
            PostTarget.status == TargetStatus.SCHEDULED,
            PostTarget.due_at <= now,
            Post.status.in_(CLAIMABLE_POSTS),
        )
        .order_by(PostTarget.due_at, PostTarget.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Rows another worker is claiming right now are skipped, not waited for.
        query = query.with_for_update(of=PostTarget, skip_locked=True)
    return list(session.scalars(query))


def _take(session: Session, target_ids: list[int], worker_id: str, now: datetime) -> list[int]:
    """The atomic conditional UPDATE that makes claims exclusive on every backend: a row another
    worker took first no longer matches `status = scheduled`."""
    result = session.execute(
        moving(moves.CLAIM, PostTarget.id.in_(target_ids))
        .values(claimed_by=worker_id, claimed_at=now)
        .returning(PostTarget.id)
    )
    return sorted(result.scalars())


def _set_posts_status(session: Session, post_ids: list[int], **values: object) -> None:
    # A Core UPDATE: the worker's progress does not bump the version people edit against, and
    # two workers finishing two targets of one post do not fight over it.
    session.execute(
        update(Post)
        .where(Post.id.in_(post_ids))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def claim_due(
    session: Session, worker_id: str, *, now: datetime | None = None, limit: int = 10
) -> list[Claim]:
    """Claim up to `limit` due targets for this worker; nothing while publication is paused.
    A batch costs a fixed number of queries, whatever its size."""
    return [claim for claim, _ in claim_due_loaded(session, worker_id, now=now, limit=limit)]


def claim_due_loaded(
    session: Session, worker_id: str, *, now: datetime | None = None, limit: int = 10
) -> list[tuple[Claim, PostTarget]]:
    """`claim_due`, with each claim's target loaded (its post, the post's targets and photos
    with it): a caller that holds them while it prepares the calls reads no row twice."""
    now = now or utcnow()
    if current_pause(session) is not None:
        return []
    due = _due_ids(session, now, limit)
    taken = _take(session, due, worker_id, now) if due else []
    if not taken:
        return []
    targets = _load_targets(session, taken)
    started = [t for t in targets if _as_approved(t.post)]
    for target in targets:
        if not _as_approved(target.post):
            _fail_target(session, target, worker_id, now, HASH_MISMATCH)
    if not started:
        return []
    ids = [t.id for t in started]
    # One UPDATE for every target's attempt count, one batched INSERT for the attempt rows.
    session.execute(
        update(PostTarget)
        .where(PostTarget.id.in_(ids))
        .values(attempts=PostTarget.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    rows = [{"target_id": i, "worker_id": worker_id, "started_at": now} for i in ids]
    inserted = session.execute(
        insert(PublishAttempt).returning(
            PublishAttempt.target_id, PublishAttempt.id, sort_by_parameter_order=True
        ),
        rows,
    )
    attempt_ids = {target_id: attempt_id for target_id, attempt_id in inserted}
    for target in started:
        set_committed_value(target, "attempts", target.attempts + 1)
    refresh_posts_status(session, [t.post_id for t in started], worker_actor(worker_id))
    return [(Claim(t.id, t.post_id, attempt_ids[t.id], t.channel, t.attempts), t) for t in started]


def _load_targets(session: Session, ids: list[int]) -> list[PostTarget]:
    """The claimed targets (fresh), then their posts with all their targets and photos. Two
    steps, not one chain of eager loads: refreshing the targets again through the posts would
    reset the targets' own link to their post, and every post would be read again one by one."""
    fresh = select(PostTarget).where(PostTarget.id.in_(ids))
    targets = list(session.scalars(fresh.execution_options(populate_existing=True)))
    post_ids = {t.post_id for t in targets}
    query = select(Post).where(Post.id.in_(post_ids))
    posts = session.scalars(
        query.options(selectinload(Post.targets), selectinload(Post.photos)).execution_options(
            populate_existing=True
        )
    )
    by_id = {post.id: post for post in posts}
    for target in targets:  # the link, held: the session keeps only what is referenced
        set_committed_value(target, "post", by_id[target.post_id])
    return sorted(targets, key=lambda t: t.id)


# What is published is exactly what was approved: anything else is refused outright.
HASH_MISMATCH = Failure(
    AttemptOutcome.PERMANENT,
    "Isi konten berbeda dari yang disetujui; publikasi ditolak.",
    code="hash_mismatch",
)


def _as_approved(post: Post) -> bool:
    return post.approved_hash is not None and content_hash(post) == post.approved_hash


def _fail_target(
    session: Session, target: PostTarget, worker_id: str, now: datetime, failure: Failure
) -> None:
    session.add(
        PublishAttempt(
            target_id=target.id,
            worker_id=worker_id,
            started_at=now,
            finished_at=now,
            outcome=failure.outcome,
            error_code=failure.code,
            error_message=failure.message,
        )
    )
    move(target, moves.FAIL, claimed_by=None)
    target.last_error, target.last_error_code = failure.message[:MAX_MESSAGE], failure.code[:64]
    session.flush()
    refresh_post_status(session, target.post_id, worker_actor(worker_id))
    notifications.targets_ended(session, {target.id: target.status})


def finish_attempt(
    session: Session, attempt_id: int, target_id: int, outcome: AttemptOutcome, **fields: object
) -> PostTarget:
    """Close an attempt (a publish, or a takedown's delete) with its outcome and what the
    platform said; returns its target, freshly read, for the caller to move."""
    attempt = session.get(PublishAttempt, attempt_id)
    target = session.get(PostTarget, target_id, populate_existing=True)
    assert attempt is not None and target is not None
    attempt.finished_at, attempt.outcome = utcnow(), outcome
    for name, value in fields.items():
        setattr(attempt, name, value)
    return target


@dataclass(frozen=True)
class Published:
    """The platform took the post (or reconciliation found it there)."""

    remote_id: str
    url: str | None
    http_status: int | None = None
    reconciled: bool = False


@dataclass(frozen=True)
class Outcome:
    """One claim's answer, as the batch writer takes it: published, or a failure with the
    backoff its retry waits (ignored for anything but a retryable failure)."""

    claim: Claim
    answer: Published | Failure
    backoff: timedelta = timedelta(0)


def _succeed(attempt: PublishAttempt, target: PostTarget, answer: Published, now: datetime) -> None:
    attempt.finished_at = now
    attempt.outcome = AttemptOutcome.RECONCILED if answer.reconciled else AttemptOutcome.SUCCESS
    attempt.remote_id, attempt.http_status = answer.remote_id, answer.http_status
    move(target, moves.SUCCEED, remote_id=answer.remote_id, remote_url=answer.url, published_at=now)
    target.claimed_by, target.container_ref = None, None
    target.last_error, target.last_error_code = "", ""


def _fail(
    attempt: PublishAttempt,
    target: PostTarget,
    failure: Failure,
    now: datetime,
    *,
    max_attempts: int,
    backoff: timedelta,
) -> None:
    """Store the platform's answer and decide the target's next state:
    retryable → scheduled again after the backoff (or the platform's reset time), until the
    attempts run out; permanent → failed now; unknown → held for reconciliation."""
    attempt.finished_at, attempt.outcome = now, failure.outcome
    attempt.http_status = failure.http_status
    attempt.error_code = failure.code[:64]
    attempt.error_message = failure.message[:MAX_MESSAGE]
    attempt.reason = failure.reason[:32]
    attempt.platform_message = failure.platform_message[:MAX_MESSAGE]
    target.last_error, target.last_error_code = failure.message[:MAX_MESSAGE], failure.code[:64]
    if failure.outcome is AttemptOutcome.UNKNOWN:
        move(target, moves.DOUBT, claimed_by=None)
    elif failure.outcome is AttemptOutcome.RETRYABLE and target.attempts < max_attempts:
        retry_at = max(failure.retry_at or now, now + backoff)
        move(target, moves.BACK_OFF, claimed_by=None, due_at=retry_at)
    else:
        move(target, moves.FAIL, claimed_by=None)


def record_outcomes(
    session: Session, outcomes: Sequence[Outcome], worker_id: str, *, max_attempts: int
) -> dict[int, TargetStatus]:
    """Close the attempts of many claims and move their targets, in a fixed number of
    statements whatever the batch's size (attempts and targets read in one query each, written
    in one batched UPDATE each, then the posts' statuses and their audit events). Returns each
    target's new status by target id."""
    if not outcomes:
        return {}
    attempt_ids = [o.claim.attempt_id for o in outcomes]
    target_ids = [o.claim.target_id for o in outcomes]
    attempts = {
        a.id: a
        for a in session.scalars(select(PublishAttempt).where(PublishAttempt.id.in_(attempt_ids)))
    }
    targets = {
        t.id: t
        for t in session.scalars(
            select(PostTarget)
            .where(PostTarget.id.in_(target_ids))
            .execution_options(populate_existing=True)
        )
    }
    now = utcnow()
    for o in outcomes:
        attempt, target = attempts[o.claim.attempt_id], targets[o.claim.target_id]
        if isinstance(o.answer, Published):
            _succeed(attempt, target, o.answer, now)
        else:
            _fail(attempt, target, o.answer, now, max_attempts=max_attempts, backoff=o.backoff)
    session.flush()
    refresh_posts_status(session, [o.claim.post_id for o in outcomes], worker_actor(worker_id))
    statuses = {target_id: targets[target_id].status for target_id in target_ids}
    # The author (and the OPD's Sekretaris) hear of what ended, in the same batch.
    notifications.targets_ended(session, statuses)
    return statuses


def record_success(
    session: Session,
    claim: Claim,
    worker_id: str,
    *,
    remote_id: str,
    url: str | None,
    http_status: int | None = None,
    reconciled: bool = False,
) -> None:
    answer = Published(remote_id, url, http_status, reconciled)
    record_outcomes(session, [Outcome(claim, answer)], worker_id, max_attempts=0)


def record_failure(
    session: Session,
    claim: Claim,
    worker_id: str,
    failure: Failure,
    *,
    max_attempts: int,
    backoff: timedelta = timedelta(0),
) -> TargetStatus:
    """One claim's failure (see `_fail` for the target's next state)."""
    outcome = Outcome(claim, failure, backoff)
    return record_outcomes(session, [outcome], worker_id, max_attempts=max_attempts)[
        claim.target_id
    ]


def release(session: Session, claim: Claim) -> None:
    """Give a claim back untouched (shutdown before the platform was called)."""
    session.delete(session.get(PublishAttempt, claim.attempt_id))
    session.execute(
        moving(moves.RELEASE, PostTarget.id == claim.target_id).values(
            claimed_by=None, attempts=PostTarget.attempts - 1
        )
    )


def hold(session: Session, target_id: int, hold: Hold, until: datetime | None) -> None:
    """Keep a due target waiting (budget, daily cap) with its hold's code and sentence."""
    session.execute(
        moving(moves.HOLD, PostTarget.id == target_id).values(
            due_at=until, claimed_by=None, **hold.values()
        )
    )


def release_held(session: Session, *, now: datetime | None = None) -> int:
    """Held targets whose wait is over go back to the queue (the budget check runs again)."""
    now = now or utcnow()
    result = session.execute(moving(moves.LIFT, PostTarget.due_at <= now).values(**LIFTED))
    return int(result.rowcount)  # type: ignore[attr-defined]


def in_doubt(
    session: Session,
    *,
    now: datetime | None = None,
    stale_after: timedelta,
    worker_id: str | None = None,
    in_flight: Collection[int] = (),
    settle: timedelta = timedelta(0),
    answered_settle: timedelta = timedelta(0),
) -> list[Claim]:
    """Targets whose outcome nobody knows: `unknown` ones, `publishing` ones whose worker has
    stopped beating (killed mid-call), and this worker's own claims that are no longer in flight
    (its outcome could not be written, e.g. the database was down). They are reconciled, never
    blindly retried — and only once the lost call can no longer land, so "not found on the
    platform" really means it never arrived: `settle` (longer than the read timeout) after a
    call that got no answer, `answered_settle` after the platform answered (a 5xx, a duplicate
    refusal, a garbled body: the call is over, only the platform's listing may lag)."""
    now = now or utcnow()
    alive = select(WorkerHeartbeat.worker_id).where(WorkerHeartbeat.seen_at >= now - stale_after)
    orphaned = (PostTarget.claimed_at < now - stale_after) & (
        PostTarget.claimed_by.not_in(alive) | PostTarget.claimed_by.is_(None)
    )
    if worker_id is not None:
        mine = (PostTarget.claimed_by == worker_id) & PostTarget.id.not_in(list(in_flight) or [-1])
        orphaned = orphaned | mine
    query = select(PostTarget).where(
        or_(
            PostTarget.status == TargetStatus.UNKNOWN,
            (PostTarget.status == TargetStatus.PUBLISHING) & orphaned,
        )
    )
    claims = []
    for target in session.scalars(query.order_by(PostTarget.id)).unique():
        attempt = session.scalar(
            select(PublishAttempt)
            .where(PublishAttempt.target_id == target.id)
            .order_by(PublishAttempt.id.desc())
            .limit(1)
        )
        if attempt is not None and _settled(attempt, now, settle, answered_settle):
            claims.append(
                Claim(target.id, target.post_id, attempt.id, target.channel, target.attempts)
            )
    return claims


def _settled(
    attempt: PublishAttempt, now: datetime, settle: timedelta, answered_settle: timedelta
) -> bool:
    if attempt.http_status is not None and attempt.finished_at is not None:
        return attempt.finished_at <= now - answered_settle
    return attempt.started_at <= now - settle


def adopt(session: Session, claim: Claim, worker_id: str) -> bool:
    """Take over an in-doubt target for reconciliation (exclusive, like a claim)."""
    result = session.execute(
        moving(moves.ADOPT, PostTarget.id == claim.target_id).values(
            claimed_by=worker_id, claimed_at=utcnow()
        )
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def requeue(
    session: Session, claim: Claim, worker_id: str, note: str, *, max_attempts: int
) -> TargetStatus:
    """The platform says the post does not exist: it is safe to publish again, now — unless the
    target has used its attempts, then it fails with `note` (each re-send is a new attempt row,
    written by the claim before the call). The in-doubt attempt keeps what the platform said."""
    target = session.get(PostTarget, claim.target_id, populate_existing=True)
    attempt = session.get(PublishAttempt, claim.attempt_id)
    assert target is not None
    if attempt is not None and attempt.finished_at is None:  # its worker died mid-call
        attempt.finished_at, attempt.outcome = utcnow(), AttemptOutcome.UNKNOWN
        attempt.error_message = note[:MAX_MESSAGE]
    if target.attempts >= max_attempts:
        move(target, moves.FAIL, claimed_by=None, last_error=note[:MAX_MESSAGE])
    else:
        move(target, moves.REQUEUE, claimed_by=None, due_at=utcnow())
    session.flush()
    refresh_post_status(session, claim.post_id, worker_actor(worker_id))
    notifications.targets_ended(session, {target.id: target.status})
    return target.status


def give_up(session: Session, claim: Claim, worker_id: str, failure: Failure) -> None:
    """Reconciliation settled the doubt as a failure (a duplicate refusal whose earlier post is
    not there): the target fails for good, with what the platform said, never re-sent."""
    target = session.get(PostTarget, claim.target_id, populate_existing=True)
    assert target is not None
    move(target, moves.FAIL, claimed_by=None)
    target.last_error, target.last_error_code = failure.message[:MAX_MESSAGE], failure.code[:64]
    session.flush()
    refresh_post_status(session, claim.post_id, worker_actor(worker_id))
    notifications.targets_ended(session, {target.id: target.status})


def first_attempt_at(session: Session, target_id: int) -> datetime | None:
    """When the target was first tried: reconciliation looks for the post from then on, since
    any earlier attempt — not only the latest — may be the one that landed."""
    query = select(func.min(PublishAttempt.started_at)).where(PublishAttempt.target_id == target_id)
    return session.scalar(query)


def last_attempt(session: Session, claim: Claim) -> PublishAttempt | None:
    return session.get(PublishAttempt, claim.attempt_id)


def keep_container(session: Session, target_id: int, content_hash: str, container: str) -> None:
    """Remember a platform container created for this content and not yet published, so the
    next attempt publishes it instead of creating another."""
    session.execute(
        update(PostTarget)
        .where(PostTarget.id == target_id)
        .values(container_ref=f"{content_hash}:{container}"[:200])
        .execution_options(synchronize_session=False)
    )


def kept_container(target: PostTarget, content_hash: str) -> str | None:
    """The container kept for exactly this content (an edited and re-approved post gets none)."""
    kept_hash, _, container = (target.container_ref or "").partition(":")
    return container if container and kept_hash == content_hash else None


def refresh_post_status(session: Session, post_id: int, actor: Actor) -> PostStatus:
    """The post's status follows its targets: publishing while any is in flight, then published,
    partially published or failed. Each change is an audit event."""
    return refresh_posts_status(session, [post_id], actor)[post_id]


def refresh_posts_status(
    session: Session, post_ids: Collection[int], actor: Actor
) -> dict[int, PostStatus]:
    """`refresh_post_status` for many posts at once, in a fixed number of statements: their
    targets' statuses in one query, the posts in another, one UPDATE per new status, and the
    audit events in one batched insert."""
    ids = sorted(set(post_ids))
    if not ids:
        return {}
    statuses: dict[int, list[TargetStatus]] = {post_id: [] for post_id in ids}
    query = select(PostTarget.post_id, PostTarget.status).where(PostTarget.post_id.in_(ids))
    for post_id, status in session.execute(query):
        statuses[post_id].append(status)
    posts = session.scalars(
        select(Post).where(Post.id.in_(ids)).execution_options(populate_existing=True)
    ).all()
    result: dict[int, PostStatus] = {}
    moved: dict[PostStatus, list[Post]] = {}
    for post in posts:
        new = derive_status(statuses[post.id], post.status)
        result[post.id] = new
        if new is not post.status:
            moved.setdefault(new, []).append(post)
    now = utcnow()
    for new, group in moved.items():
        values: dict[str, object] = {"status": new, "updated_at": now}
        if new in {PostStatus.PUBLISHED, PostStatus.PARTIALLY_PUBLISHED}:
            values["published_at"] = now
        _set_posts_status(session, [p.id for p in group], **values)
        for post in group:
            audit.record(
                session,
                actor,
                STATUS_EVENTS[new],
                "post",
                post.id,
                opd_id=post.opd_id,
                before={"status": post.status},
                after={"status": new},
            )
            # What the UPDATE wrote, without reading the post again.
            for name, value in values.items():
                set_committed_value(post, name, value)
    return result


def derive_status(statuses: Sequence[TargetStatus], current: PostStatus) -> PostStatus:
    if current is PostStatus.TAKEN_DOWN:
        return current  # a takedown is final; its deletes are tracked per target
    if any(s in ACTIVE | HELD for s in statuses):
        started = any(s not in {TargetStatus.SCHEDULED} for s in statuses)
        return PostStatus.PUBLISHING if started or current is PostStatus.PUBLISHING else current
    published = sum(s is TargetStatus.PUBLISHED for s in statuses)
    if published == len(statuses):
        return PostStatus.PUBLISHED
    return PostStatus.PARTIALLY_PUBLISHED if published else PostStatus.FAILED


def still_in_doubt(session: Session, claim: Claim, note: str, *, code: str | None = None) -> None:
    """Reconciliation could not tell (the platform did not answer, or the lookup could not be
    prepared: `code` says why): ask again later."""
    values: dict[str, object] = {"last_error": note[:MAX_MESSAGE]}
    if code is not None:
        values["last_error_code"] = code[:64]
    session.execute(
        moving(moves.DOUBT, PostTarget.id == claim.target_id).values(claimed_by=None, **values)
    )


def published_since(session: Session, account_id: int, since: datetime) -> int:
    """Publications (and publications under way) of one account since a moment: the daily cap."""
    query = select(func.count(PostTarget.id)).where(
        PostTarget.account_id == account_id,
        or_(
            # A post taken down since still counted against the cap when it went out.
            PostTarget.status.in_(ONCE_PUBLISHED) & (PostTarget.published_at >= since),
            PostTarget.status == TargetStatus.PUBLISHING,
        ),
    )
    return int(session.scalar(query) or 0)


def videotron_targets_to_prepare(session: Session) -> list[tuple[int, str]]:
    """(target id, content hash) of videotron targets of approved or scheduled posts: the worker
    renders their slides ahead of time, so a headline that cannot fit shows up before the hour."""
    query = (
        select(PostTarget.id, Post.content_hash)
        .join(Post, Post.id == PostTarget.post_id)
        .where(
            PostTarget.channel == Channel.VIDEOTRON,
            PostTarget.status.in_([TargetStatus.PENDING, TargetStatus.SCHEDULED]),
            Post.status.in_([PostStatus.APPROVED, PostStatus.SCHEDULED]),
        )
    )
    return [(target_id, digest) for target_id, digest in session.execute(query)]


def note_problem(session: Session, target_id: int, message: str, code: str) -> None:
    """A problem found ahead of publication, shown with the target; its status does not change."""
    session.execute(
        update(PostTarget)
        .where(PostTarget.id == target_id)
        .values(last_error=message[:MAX_MESSAGE], last_error_code=code[:64])
        .execution_options(synchronize_session=False)
    )
