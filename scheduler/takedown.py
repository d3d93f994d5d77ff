"""The worker's part of a takedown ("Tarik publikasi"): delete each marked target on its platform.

A delete is claimed like a publish (content.delivery.takedown.claim_removals: the claim and its
attempt row are committed before the platform is called), sent, and its outcome written with
what the call cost (X charges a delete). Retryable failures come back after a backoff; a delete
whose outcome was lost (the worker was killed, or the database was down) is claimed again once
its claim is stale and simply sent again: the platforms answer "not found" for what is already
gone, and that counts as removed. One target's trouble (credentials that do not open, a refusal)
is its own."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from content.delivery import takedown
from content.delivery.publishing import Failure
from content.delivery.takedown import Removal
from content.models import AttemptOutcome, PostTarget
from content.org.accounts import credentials
from publishers.social.base import Publisher
from publishers.social.registry import publisher_for
from publishers.social.result import PublishError, Reason, Receipt
from publishers.social.transport import CallRecord
from scheduler import jobs
from scheduler.context import WorkerContext

log = logging.getLogger("siaran.worker")
BATCH = 10


@dataclass(frozen=True)
class DeleteJob:
    removal: Removal
    publisher: Publisher | None
    # Why there is no publisher (the account cannot be used): the target fails with this.
    problem: Failure | None = None


def _prepare(session: Session, ctx: WorkerContext, removal: Removal) -> DeleteJob:
    target = session.get(PostTarget, removal.target_id)
    assert target is not None and target.account is not None
    try:
        account = target.account
        publisher = publisher_for(
            account, credentials(ctx.box, account), ctx.settings, ctx.publisher_config
        )
    except Exception as exc:  # this account's trouble stays this target's
        log.warning(
            "no publisher for a delete: %s",
            type(exc).__name__,
            extra={"target_id": removal.target_id},
        )
        problem = Failure(
            AttemptOutcome.PERMANENT,
            f"Akun {target.label} tidak dapat dipakai untuk menghapus (kredensial atau "
            "pengaturan akun bermasalah); perbaiki akunnya atau hapus manual di platform.",
            code="account_unusable",
        )
        return DeleteJob(removal, None, problem)
    return DeleteJob(removal, publisher)


def _call(job: DeleteJob) -> Receipt:
    assert job.publisher is not None
    try:
        return job.publisher.delete(job.removal.remote_id)
    except PublishError as exc:
        return exc.receipt
    except Exception as exc:
        log.exception("unexpected error while deleting", extra={"target_id": job.removal.target_id})
        # Nothing is known of what happened; a second delete is harmless.
        return Receipt(
            job.removal.channel,
            AttemptOutcome.RETRYABLE,
            Reason.UNKNOWN,
            platform_message=str(exc)[:500],
        )
    finally:
        job.publisher.close()


def _record(
    ctx: WorkerContext, removal: Removal, receipt: Receipt, calls: list[CallRecord]
) -> None:
    """The outcome and what the call cost, in one transaction."""

    def write(session: Session) -> None:
        jobs.charge(session, ctx, removal, calls)
        if receipt.ok:
            takedown.record_removed(
                session,
                removal,
                ctx.worker_id,
                http_status=receipt.http_status,
                already_gone=receipt.reason is Reason.NOT_FOUND,
            )
        elif receipt.reason is Reason.UNSUPPORTED:
            takedown.record_manual(session, removal, ctx.worker_id, receipt.to_failure())
        else:
            takedown.record_removal_failure(
                session,
                removal,
                ctx.worker_id,
                receipt.to_failure(),
                max_attempts=ctx.config.max_attempts,
                backoff=jobs.backoff(ctx, removal.attempt_number),
            )

    jobs.persist(ctx, write, f"delete of target {removal.target_id}")
    log.info(
        "delete: %s",
        receipt.summary() if not receipt.ok else "removed",
        extra={
            "worker_id": ctx.worker_id,
            "post_id": removal.post_id,
            "target_id": removal.target_id,
            "channel": removal.channel.value,
            "attempt": removal.attempt_number,
            "outcome": receipt.outcome.value,
        },
    )


def _run(ctx: WorkerContext, job: DeleteJob) -> None:
    removal = job.removal
    if job.problem is not None:
        problem = job.problem
        jobs.persist(
            ctx,
            lambda s: takedown.record_removal_failure(
                s, removal, ctx.worker_id, problem, max_attempts=ctx.config.max_attempts
            ),
            f"unusable account of target {removal.target_id}",
        )
        return
    receipt = _call(job)
    _record(ctx, removal, receipt, job.publisher.paid_calls() if job.publisher else [])


def remove(ctx: WorkerContext) -> int:
    """One batch of due (or lost) deletes, one after the other; returns how many were sent.
    Deletes are rare and each is one short call, so they do not take the publishing pool."""
    if ctx.stopping.is_set():
        return 0
    with ctx.transaction() as session:
        removals = takedown.claim_removals(
            session, ctx.worker_id, stale_after=ctx.config.stale_after, limit=BATCH
        )
        ready = [_prepare(session, ctx, removal) for removal in removals]
    for job in ready:
        if ctx.stopping.is_set():
            break  # the rest stay claimed; their claims go stale and are taken again
        _run(ctx, job)
    return len(ready)
