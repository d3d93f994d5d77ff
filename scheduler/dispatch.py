"""Due targets → claims → jobs on the worker's thread pool; in-doubt targets → reconciliation."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.delivery import publishing
from content.delivery.holds import Hold, HoldCode
from content.delivery.preparation import PrepareProblem
from content.delivery.publishing import Claim
from content.infra.timeutil import utcnow
from content.models import Channel, PostTarget, Slide
from publishers.social.classify import duplicate_not_found
from publishers.social.result import PublishError, Reason, Receipt
from publishers.social.transport import CallRecord
from scheduler import jobs, spending
from scheduler.context import WorkerContext

log = logging.getLogger("siaran.worker")
CAP_RECHECK = timedelta(hours=1)
# Platform clocks and ours differ a little: look from a bit before the first attempt.
MARGIN = timedelta(minutes=5)


@dataclass
class _Batch:
    """What the checks of one batch of claims read once, not once a claim."""

    # Each account's publications in the last 24 h, read on first use (it includes the batch's
    # own claims, which are publishing now) and lowered for each claim held back.
    published: dict[int, int] = field(default_factory=dict)
    # The scopes with an X budget this month (spending.budgeted_scopes), read on first use.
    budgeted: set[int | None] | None = None


def _over_daily_cap(session: Session, ctx: WorkerContext, claim: Claim, batch: _Batch) -> bool:
    published = batch.published
    target = session.get(PostTarget, claim.target_id)
    if target is None or target.account_id is None:
        return False
    cap = ctx.config.daily_caps.get(claim.channel)
    if cap is None:
        return False
    account_id = target.account_id
    if account_id not in published:
        since = utcnow() - timedelta(hours=24)
        published[account_id] = publishing.published_since(session, account_id, since)
    if published[account_id] > cap:
        published[account_id] -= 1  # held: no longer publishing
        return True
    return False


def _hold_reason(
    session: Session,
    ctx: WorkerContext,
    claim: Claim,
    undecided: set[int],
    batch: _Batch,
) -> tuple[Hold, datetime | None] | None:
    """A claimed target that must wait: the account's daily cap, or the money for a paid call
    (held without an end: raising the budget releases it)."""
    if _over_daily_cap(session, ctx, claim, batch):
        return Hold(HoldCode.DAILY_CAP), utcnow() + CAP_RECHECK
    target = session.get(PostTarget, claim.target_id)
    assert target is not None
    if batch.budgeted is None:
        batch.budgeted = spending.budgeted_scopes(session, Channel.X)
    refusal = spending.budget_refusal(session, target, ctx.prices, undecided, batch.budgeted)
    return None if refusal is None else (refusal, None)


def dispatch(ctx: WorkerContext, pool: Executor) -> int:
    """Keep the pool busy while work is due: claim what there is room for, hand it over, and as
    soon as a call finishes claim again (no waiting for the next tick). Returns how many."""
    handed = 0
    publishers = jobs.Publishers(ctx)  # one per account for the whole tick
    try:
        while not ctx.stopping.is_set():
            if ctx.free_slots() < _batch_floor(ctx):
                ctx.wait_for_room(_batch_floor(ctx), timeout=ctx.config.dispatch_seconds * 5)
            if ctx.free_slots() == 0:
                break
            claimed, ready = _dispatch_batch(ctx, pool, publishers)
            handed += ready
            # A batch whose claims were all held or failed to prepare frees its slots at once:
            # claim again now, so the targets behind them are not left for the next tick.
            if claimed == 0:
                break
    finally:
        publishers.close()
    return handed


def _batch_floor(ctx: WorkerContext) -> int:
    """Claim again once this many slots are free (at least one): the queued claims keep the
    calls busy meanwhile, and claims are written in batches rather than one as each call ends."""
    return max(1, min(ctx.config.queued, ctx.capacity // 2))


def _settle_claim(
    session: Session,
    ctx: WorkerContext,
    claim: Claim,
    *,
    undecided: set[int],
    batch: _Batch,
    publishers: jobs.Publishers,
) -> jobs.Job | None:
    """A claimed target's way on: held (cap, budget), failed or backed off because it cannot be
    prepared (its own trouble, with its sentence), or a job ready for the pool."""
    try:
        with jobs.one_target("checking a claim", target_id=claim.target_id):
            held = _hold_reason(session, ctx, claim, undecided, batch)
        if held is not None:
            reason, until = held
            publishing.release(session, claim)
            publishing.hold(session, claim.target_id, reason, until)
            return None
        return jobs.prepare(session, ctx, claim, shared=publishers)
    except PrepareProblem as trouble:
        jobs.fail_unprepared(session, ctx, claim, trouble)
        return None


def _dispatch_batch(
    ctx: WorkerContext, pool: Executor, publishers: jobs.Publishers
) -> tuple[int, int]:
    """Claim up to the free slots and settle each claim. Returns (claimed, handed to the pool)."""
    if ctx.stopping.is_set() or ctx.free_slots() == 0:
        return 0, 0
    ready: list[jobs.Job] = []
    with ctx.transaction() as session:
        publishing.release_held(session)
        # The loaded targets are held for the batch, so preparing a claim reads nothing again.
        loaded = publishing.claim_due_loaded(session, ctx.worker_id, limit=ctx.free_slots())
        claims = [claim for claim, _ in loaded]
        ctx.take([c.target_id for c in claims])
        try:
            undecided = {c.target_id for c in claims}
            batch = _Batch()
            for claim in claims:
                undecided.discard(claim.target_id)
                job = _settle_claim(
                    session,
                    ctx,
                    claim,
                    undecided=undecided,
                    batch=batch,
                    publishers=publishers,
                )
                if job is None:
                    ctx.done(claim.target_id)
                else:
                    ready.append(job)
        except BaseException:
            for claim in claims:
                ctx.done(claim.target_id)
            raise
    for job in ready:
        ctx.track(pool.submit(jobs.run, ctx, job), job.claim)
    return len(claims), len(ready)


def _reconcile_one(ctx: WorkerContext, job: jobs.Job) -> None:
    claim = job.claim
    try:
        if isinstance(job, jobs.VideotronJob):

            def settle(session: Session) -> None:
                slide = session.scalar(select(Slide).where(Slide.target_id == claim.target_id))
                if slide is None:
                    publishing.requeue(
                        session,
                        claim,
                        ctx.worker_id,
                        "Slide belum dibuat; diulang.",
                        max_attempts=ctx.config.max_attempts,
                    )
                else:
                    publishing.record_success(
                        session,
                        claim,
                        ctx.worker_id,
                        remote_id=slide.sha256,
                        url=None,
                        reconciled=True,
                    )

            jobs.persist(ctx, settle, f"reconciliation of target {claim.target_id}")
            return
        found: Receipt | None
        try:
            first = job.first_attempt_at
            found = job.publisher.find_existing(job.content, first - MARGIN if first else None)
        except PublishError as exc:
            note = exc.receipt.summary()
            jobs.persist(
                ctx,
                lambda s: publishing.still_in_doubt(s, claim, note),
                "unanswered reconciliation",
            )
            return
        finally:
            job.publisher.close()
        calls = job.publisher.paid_calls()
        if found is not None:
            jobs.record(ctx, claim, found, calls)
        else:
            jobs.persist(ctx, partial(_not_found, ctx, claim, calls), "requeue")
    finally:
        ctx.done(claim.target_id)


def _prepare_lookup(session: Session, ctx: WorkerContext, claim: Claim) -> jobs.Job | None:
    """The lookup of one in-doubt target, or None when it cannot be prepared: then it stays in
    doubt (it may be live, so it is never failed) with the sentence saying what to fix."""
    first = publishing.first_attempt_at(session, claim.target_id)
    try:
        return jobs.prepare(session, ctx, claim, first, photos=False)
    except PrepareProblem as trouble:
        target = session.get(PostTarget, claim.target_id)
        if target is not None and target.last_error_code != trouble.code:  # once, not every tick
            log.warning(
                "in-doubt target not looked up: %s",
                trouble.code,
                extra={"target_id": claim.target_id, "post_id": claim.post_id},
            )
        publishing.still_in_doubt(session, claim, trouble.message, code=trouble.code)
        ctx.done(claim.target_id)
        return None


def _not_found(ctx: WorkerContext, claim: Claim, calls: list[CallRecord], s: Session) -> None:
    """Nothing on the platform: publish again (bounded by max_attempts) — except after a
    duplicate refusal, whose text the platform holds for some other post: fail, never loop."""
    jobs.charge(s, ctx, claim, calls)
    attempt = publishing.last_attempt(s, claim)
    if attempt is not None and attempt.reason == Reason.DUPLICATE.value:
        refusal = duplicate_not_found(
            claim.channel, attempt.error_code, attempt.http_status, attempt.platform_message
        )
        publishing.give_up(s, claim, ctx.worker_id, refusal.to_failure())
        log.info("duplicate refused, not ours: failed", extra={"target_id": claim.target_id})
        return
    attempts = ctx.config.max_attempts
    note = f"Tidak ditemukan di platform setelah {attempts} percobaan; tidak dikirim lagi."
    status = publishing.requeue(s, claim, ctx.worker_id, note, max_attempts=attempts)
    log.info(
        "not on the platform",
        extra={"target_id": claim.target_id, "outcome": status.value},
    )


def reconcile(ctx: WorkerContext) -> int:
    """Ask the platform about every target whose outcome nobody knows, one at a time."""
    if ctx.stopping.is_set():
        return 0
    pending: list[jobs.Job] = []
    with ctx.transaction() as session:
        doubtful = publishing.in_doubt(
            session,
            stale_after=ctx.config.stale_after,
            worker_id=ctx.worker_id,
            in_flight=ctx.in_flight(),
            settle=ctx.config.settle,
            answered_settle=ctx.config.answered_settle,
        )
        taken: list[int] = []
        try:
            for claim in doubtful:
                if not publishing.adopt(session, claim, ctx.worker_id):
                    continue
                ctx.take([claim.target_id])
                taken.append(claim.target_id)
                job = _prepare_lookup(session, ctx, claim)
                if job is not None:
                    pending.append(job)
        except BaseException:
            for target_id in taken:
                ctx.done(target_id)
            raise
    for job in pending:
        _reconcile_one(ctx, job)
    return len(pending)
