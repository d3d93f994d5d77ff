"""One unit of platform work: publish (or look up) one target. Built inside a transaction,
run outside it, its outcome written in a new short transaction."""

from __future__ import annotations

import logging
import random
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


@dataclass(frozen=True)
class SocialJob:
    claim: Claim
    content: TargetContent
    publisher: Publisher
    first_attempt_at: datetime | None = None  # for reconciliation: the window starts here


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
) -> Job:
    """Everything the platform call needs, read inside the claim's transaction. Raises
    PrepareProblem (with its code and sentence) when this target cannot be prepared; nothing
    else but a database error leaves. `photos=False` for a reconciliation, which looks the post
    up by its text and needs no photo."""
    with one_target("preparing a target", target_id=claim.target_id):
        target = session.get(PostTarget, claim.target_id)
        post = session.get(Post, claim.post_id)
        assert target is not None and post is not None
        if photos:
            check_photos(post, ctx.store)
        if claim.channel is Channel.VIDEOTRON:
            return VideotronJob(claim)
        assert target.account is not None
        publisher = publisher_for_account(ctx, target.account)
        content = build_target_content(post, target, ctx.store, ctx.publisher_config)
        content = replace(content, save_container=partial(_keep_container, ctx, content))
        return SocialJob(claim, content, publisher, first_attempt_at)


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
    finally:
        job.publisher.close()


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
    """The outcome and what the calls cost, in one transaction."""

    def write(session: Session) -> None:
        charge(session, ctx, claim, calls or [])
        if receipt.ok:
            publishing.record_success(
                session,
                claim,
                ctx.worker_id,
                remote_id=receipt.remote_id or "",
                url=receipt.url,
                http_status=receipt.http_status,
                reconciled=receipt.outcome is AttemptOutcome.RECONCILED,
            )
            return
        failure = receipt.to_failure()
        publishing.record_failure(
            session,
            claim,
            ctx.worker_id,
            failure,
            max_attempts=ctx.config.max_attempts,
            backoff=backoff(ctx, claim.attempt_number),
        )

    persist(ctx, write, f"target {claim.target_id}")
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


def run_social(ctx: WorkerContext, job: SocialJob) -> None:
    try:
        receipt = for_attempt(_call(job), job.claim.attempt_number)
        record(ctx, job.claim, receipt, job.publisher.paid_calls())
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
