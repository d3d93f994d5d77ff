"""One unit of platform work: publish (or look up) one target. Built inside a transaction,
run outside it, its outcome written in a new short transaction."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol, TypeVar

from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from content.delivery import publishing
from content.delivery.preparation import (
    PrepareCode,
    PrepareProblem,
    check_photos,
    open_account,
    problem,
)
from content.delivery.publishing import Claim, Failure
from content.models import Account, AttemptOutcome, Channel, Post, PostTarget, TargetStatus
from publishers.social.base import Publisher
from publishers.social.classify import for_attempt
from publishers.social.registry import publisher_for
from publishers.social.result import PublishError, Reason, Receipt
from publishers.social.target import TargetContent, build_target_content
from publishers.social.transport import CallRecord
from scheduler import spending
from scheduler.context import WorkerContext

log = logging.getLogger("siaran.worker")
T = TypeVar("T")


class Publishers:
    """The publishers of one dispatch tick: one per account, shared by that tick's jobs, so an
    account's calls reuse one HTTP session (keep-alive) and its credentials are opened once.
    A publisher is closed when the tick is over and the last job using it has given it back.
    Sharing keeps the ledger right: a publisher records its paid calls per thread, and a job
    takes them on its own thread right after its call."""

    def __init__(self, ctx: WorkerContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._built: dict[int, Publisher] = {}
        self._users: dict[int, int] = {}
        self._open = True

    def take(self, account: Account) -> Publisher:
        """The account's publisher, built on first use (PrepareProblem when it cannot be)."""
        with self._lock:
            publisher = self._built.get(account.id)
            if publisher is None:
                publisher = publisher_for_account(self._ctx, account)
                self._built[account.id] = publisher
            self._users[account.id] = self._users.get(account.id, 0) + 1
            return publisher

    def give_back(self, account_id: int) -> None:
        with self._lock:
            self._users[account_id] -= 1
            if self._users[account_id] == 0 and not self._open:
                self._built.pop(account_id).close()

    def close(self) -> None:
        """The tick is over: close what no job is using (the rest closes as its jobs end)."""
        with self._lock:
            self._open = False
            for account_id in [a for a, n in self._users.items() if n == 0]:
                self._built.pop(account_id).close()

    def built(self) -> int:
        with self._lock:
            return len(self._built)


@dataclass(frozen=True)
class SocialJob:
    claim: Claim
    content: TargetContent
    publisher: Publisher
    first_attempt_at: datetime | None = None  # for reconciliation: the window starts here
    shared: Publishers | None = None  # the tick's publishers it came from (else its own)
    account_id: int = 0

    def done_with_publisher(self) -> None:
        if self.shared is None:
            self.publisher.close()
        else:
            self.shared.give_back(self.account_id)


@dataclass(frozen=True)
class VideotronJob:
    claim: Claim


Job = SocialJob | VideotronJob


@contextmanager
def one_target(what: str, **extra: object) -> Iterator[None]:
    """Whatever goes wrong here is the trouble of one target (or account) alone: an unexpected
    error becomes a PrepareProblem (PREPARE_FAILED). The database's own errors pass through:
    they are every target's trouble, and the job runs again on its next tick."""
    try:
        yield
    except (PrepareProblem, SQLAlchemyError):
        raise
    except Exception as exc:
        log.exception("unexpected error while %s", what, extra=extra)
        raise problem(PrepareCode.PREPARE_FAILED) from exc


def publisher_for_account(ctx: WorkerContext, account: Account) -> Publisher:
    """The account's publisher; raises PrepareProblem when its credentials do not open, a
    credential or setting is missing, or the publisher cannot be built."""
    creds = open_account(ctx.box, account)
    try:
        return publisher_for(account, creds, ctx.settings, ctx.publisher_config)
    except Exception as exc:
        # The builder's own words go to the log only (never the credentials: they are masked).
        log.warning("publisher not built: %s", type(exc).__name__, extra={"account_id": account.id})
        raise problem(PrepareCode.PUBLISHER_UNAVAILABLE, account) from exc


def prepare(
    session: Session,
    ctx: WorkerContext,
    claim: Claim,
    first_attempt_at: datetime | None = None,
    *,
    photos: bool = True,
    shared: Publishers | None = None,
) -> Job:
    """Everything the platform call needs, read inside the claim's transaction. Raises
    PrepareProblem (with its code and sentence) when this target cannot be prepared; nothing
    else but a database error leaves. `photos=False` for a reconciliation, which looks the post
    up by its text and needs no photo. With `shared`, the publisher is the tick's one for the
    account (the job gives it back with `done_with_publisher`)."""
    with one_target("preparing a target", target_id=claim.target_id):
        target = session.get(PostTarget, claim.target_id)
        post = session.get(Post, claim.post_id)
        assert target is not None and post is not None
        if photos:
            check_photos(post, ctx.store)
        if claim.channel is Channel.VIDEOTRON:
            return VideotronJob(claim)
        account = target.account
        assert account is not None
        content = build_target_content(post, target, ctx.store, ctx.publisher_config)
        content = replace(content, save_container=partial(_keep_container, ctx, content))
        publisher = (
            shared.take(account) if shared is not None else publisher_for_account(ctx, account)
        )
        return SocialJob(claim, content, publisher, first_attempt_at, shared, account.id)


def fail_unprepared(
    session: Session, ctx: WorkerContext, claim: Claim, trouble: PrepareProblem
) -> TargetStatus:
    """The claimed target could not be prepared: its attempt is closed with the code and the
    sentence, and the target fails (or, for an unexpected error, waits for its backoff) like any
    platform refusal. Its due time moves on, so it never stays at the head of the queue."""
    outcome = AttemptOutcome.RETRYABLE if trouble.retryable else AttemptOutcome.PERMANENT
    status = publishing.record_failure(
        session,
        claim,
        ctx.worker_id,
        Failure(outcome, trouble.message, trouble.code),
        max_attempts=ctx.config.max_attempts,
        backoff=backoff(ctx, claim.attempt_number),
    )
    log.warning(
        "target not prepared: %s",
        trouble.code,
        extra={
            "worker_id": ctx.worker_id,
            "post_id": claim.post_id,
            "target_id": claim.target_id,
            "channel": claim.channel.value,
            "attempt": claim.attempt_number,
            "outcome": outcome.value,
        },
    )
    return status


def _keep_container(ctx: WorkerContext, content: TargetContent, container: str) -> None:
    """Commit a new platform container before the call that publishes it (so a lost answer or
    a killed worker leads the next attempt to publish it, not to make another). If it cannot be
    written nothing is published: the attempt is retried."""
    try:
        with ctx.transaction() as session:
            publishing.keep_container(session, content.target_id, content.content_hash, container)
    except OperationalError:
        raise PublishError(
            Receipt(
                content.channel,
                AttemptOutcome.RETRYABLE,
                Reason.UNKNOWN,
                platform_message="the container could not be recorded; nothing was published",
            )
        ) from None


def backoff(ctx: WorkerContext, attempt: int) -> timedelta:
    """Exponential, capped, with ±20 % jitter so retries of many targets do not march together."""
    base = min(
        ctx.config.backoff_max_seconds, ctx.config.backoff_seconds * 2 ** max(0, attempt - 1)
    )
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def persist(ctx: WorkerContext, write: Callable[[Session], T], what: str) -> T | None:
    """Write an outcome, waiting out a database restart (up to about a minute). If it still
    cannot be written, the target stays claimed and the reconciler settles it later."""
    delay = 0.5
    deadline = time.monotonic() + 60
    while True:
        try:
            with ctx.transaction() as session:
                return write(session)
        except OperationalError:
            if time.monotonic() > deadline or ctx.stopping.is_set():
                log.exception("could not record %s; left for reconciliation", what)
                return None
            log.warning("database unavailable while recording %s; retrying", what)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def _call(job: SocialJob) -> Receipt:
    try:
        return job.publisher.publish(job.content)
    except PublishError as exc:
        return exc.receipt
    except Exception as exc:
        log.exception("unexpected error while publishing", extra={"target_id": job.claim.target_id})
        return Receipt(
            job.content.channel,
            AttemptOutcome.UNKNOWN,
            Reason.UNKNOWN,
            platform_message=str(exc)[:500],
        )


class Charged(Protocol):
    """What a charge is booked against: a publish claim or a delete (a takedown's removal)."""

    @property
    def target_id(self) -> int: ...
    @property
    def post_id(self) -> int: ...


def charge(session: Session, ctx: WorkerContext, work: Charged, calls: list[CallRecord]) -> None:
    """Book what the calls of one target's work cost, against its OPD, account and post."""
    target = session.get(PostTarget, work.target_id)
    post = session.get(Post, work.post_id)
    spending.record(
        session,
        calls,
        ctx.prices,
        opd_id=post.opd_id if post else None,
        account_id=target.account_id if target else None,
        post_id=work.post_id,
        target_id=work.target_id,
    )


def record(
    ctx: WorkerContext, claim: Claim, receipt: Receipt, calls: list[CallRecord] | None = None
) -> None:
    """The outcome and what the calls cost, in one transaction (a batch of one)."""
    record_all(ctx, [Answered(claim, receipt, calls or [])])


@dataclass(frozen=True)
class Answered:
    """A call that ended: its claim, what the platform said, and what the calls cost."""

    claim: Claim
    receipt: Receipt
    calls: list[CallRecord]


def _outcome(ctx: WorkerContext, answered: Answered) -> publishing.Outcome:
    receipt, claim = answered.receipt, answered.claim
    if receipt.ok:
        published = publishing.Published(
            remote_id=receipt.remote_id or "",
            url=receipt.url,
            http_status=receipt.http_status,
            reconciled=receipt.outcome is AttemptOutcome.RECONCILED,
        )
        return publishing.Outcome(claim, published)
    return publishing.Outcome(claim, receipt.to_failure(), backoff(ctx, claim.attempt_number))


def _log_outcome(ctx: WorkerContext, answered: Answered) -> None:
    claim, receipt = answered.claim, answered.receipt
    log.info(
        receipt.summary(),
        extra={
            "worker_id": ctx.worker_id,
            "post_id": claim.post_id,
            "target_id": claim.target_id,
            "channel": claim.channel.value,
            "attempt": claim.attempt_number,
            "outcome": receipt.outcome.value,
        },
    )


def record_all(ctx: WorkerContext, batch: list[Answered]) -> None:
    """The outcomes of many calls and what they cost, in one transaction of a fixed number of
    statements. If the batch cannot be written for a reason of its own (not the database being
    down: `persist` waits that out), each outcome is tried alone, so one bad row does not leave
    the others to the reconciler; what still cannot be written stays claimed and is reconciled."""

    def write(session: Session) -> None:
        spending.record_many(
            session, [(a.claim.target_id, a.calls) for a in batch if a.calls], ctx.prices
        )
        publishing.record_outcomes(
            session,
            [_outcome(ctx, a) for a in batch],
            ctx.worker_id,
            max_attempts=ctx.config.max_attempts,
        )

    try:
        persist(ctx, write, f"{len(batch)} outcomes")
    except Exception:
        if len(batch) == 1:
            log.exception(
                "outcome not recorded; left for reconciliation",
                extra={"target_id": batch[0].claim.target_id},
            )
            return
        log.exception("a batch of %d outcomes not recorded; one by one", len(batch))
        for answered in batch:
            record_all(ctx, [answered])
        return
    for answered in batch:
        _log_outcome(ctx, answered)


def run_social(ctx: WorkerContext, job: SocialJob) -> None:
    """Call the platform, then hand the outcome to the worker's group commit (it returns once
    the outcome is written); the target leaves the in-flight set only then."""
    try:
        try:
            receipt = for_attempt(_call(job), job.claim.attempt_number)
            # On this thread, before the publisher is given back: this call's cost, no other's.
            calls = job.publisher.paid_calls()
        finally:
            job.done_with_publisher()
        ctx.outcomes.submit(Answered(job.claim, receipt, calls), partial(record_all, ctx))
    finally:
        ctx.done(job.claim.target_id)


def run_videotron(ctx: WorkerContext, job: VideotronJob) -> None:
    from content.infra.errors import DomainError
    from publishers.videotron.publish import publish_slide, slide_url

    claim = job.claim
    try:

        def write(session: Session) -> str:
            target = session.get(PostTarget, claim.target_id)
            assert target is not None
            slide = publish_slide(session, target, ctx.store, ctx.settings)
            publishing.record_success(
                session,
                claim,
                ctx.worker_id,
                remote_id=slide.sha256,
                url=slide_url(ctx.settings, slide),
            )
            return slide.sha256

        try:
            sha = persist(ctx, write, f"slide of target {claim.target_id}")
            log.info(
                "videotron slide ready",
                extra={
                    "target_id": claim.target_id,
                    "post_id": claim.post_id,
                    "outcome": "success" if sha else "unrecorded",
                },
            )
        except DomainError as exc:
            failure = Failure(AttemptOutcome.PERMANENT, exc.message, "render")
            persist(
                ctx,
                lambda s: publishing.record_failure(
                    s, claim, ctx.worker_id, failure, max_attempts=ctx.config.max_attempts
                ),
                "render failure",
            )
        except SQLAlchemyError:
            raise  # left claimed: the reconciler looks for the slide
        except Exception:
            # Not a refusal the renderer knows (that is a DomainError): retried after a backoff.
            log.exception(
                "unexpected error while rendering a slide", extra={"target_id": claim.target_id}
            )
            trouble = problem(PrepareCode.PREPARE_FAILED)
            persist(ctx, lambda s: fail_unprepared(s, ctx, claim, trouble), "render failure")
    finally:
        ctx.done(claim.target_id)


def run(ctx: WorkerContext, job: Job) -> None:
    if isinstance(job, SocialJob):
        run_social(ctx, job)
    else:
        run_videotron(ctx, job)
