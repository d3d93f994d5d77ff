"""The daily follower reading: each active X, Facebook Page and Instagram account's followers,
one snapshot per account and WIB day. The job runs every hour but reads only the accounts that
have no snapshot for today yet, so a restart (or a second worker) on the same day reads nothing
twice. X's read is a paid User: Read: checked against the budget first, charged after."""

from __future__ import annotations

import logging
from datetime import datetime

from content import costs
from content.costs.operations import Operation
from content.delivery.preparation import PrepareProblem
from content.infra.timeutil import utcnow
from content.models import Channel
from content.monev import followers
from publishers.social.result import PublishError
from scheduler import spending
from scheduler.collect import Reader, _readers
from scheduler.context import WorkerContext
from scheduler.jobs import one_target

log = logging.getLogger("siaran.worker")


def _refusal(ctx: WorkerContext, reader: Reader) -> str | None:
    if reader.publisher.kind is not Channel.X or not ctx.prices.paid(Channel.X):
        return None
    amount = costs.estimate_reads(ctx.prices, Operation.READ_USER, 1)
    with ctx.transaction() as session:
        check = costs.may_spend(session, Channel.X, amount, reader.opd_id, prices=ctx.prices)
    return None if check.allowed else check.reason


def _read_one(ctx: WorkerContext, reader: Reader, now: datetime) -> bool:
    refusal = _refusal(ctx, reader)
    if refusal:
        log.warning("followers not read: %s", refusal, extra={"account_id": reader.account_id})
        return False
    fetch = getattr(reader.publisher, "fetch_followers", None)
    if not callable(fetch):
        return False
    try:
        count = fetch()
    except PublishError as exc:
        count = None
        log.warning(
            "followers not read: %s", exc.receipt.summary(), extra={"account_id": reader.account_id}
        )
    calls = reader.publisher.paid_calls()
    with ctx.transaction() as session:
        spending.record(
            session, calls, ctx.prices, opd_id=reader.opd_id, account_id=reader.account_id
        )
        if not isinstance(count, int):
            return False
        return followers.store_snapshot(
            session, reader.account_id, followers.local_day(now), count, now
        )


def collect_followers(ctx: WorkerContext, now: datetime | None = None) -> int:
    """Read today's followers of every account not read today; returns how many were stored.
    One account's trouble stops only that account's reading (it is tried again next hour)."""
    now = now or utcnow()
    with ctx.transaction() as session:
        due = followers.accounts_due(session, followers.local_day(now))
    stored = 0
    for reader in _readers(ctx, set(due)):
        try:
            with one_target("reading followers", account_id=reader.account_id):
                stored += int(_read_one(ctx, reader, now))
        except PrepareProblem:
            pass  # logged with its traceback; the next account is read all the same
        finally:
            reader.publisher.close()
    if stored:
        log.info("stored %d follower counts", stored, extra={"job": "followers"})
    return stored
