"""Jobs that read from the platforms: engagement metrics and account health (token expiry).
Reads on X are paid: each batch is checked against the budget first and charged after."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from content import metrics
from content.accounts import credentials, record_health
from content.models import Account
from content.timeutil import utcnow
from publishers.base import Publisher
from publishers.registry import publisher_for
from publishers.result import PublishError
from scheduler import spending
from scheduler.context import WorkerContext

log = logging.getLogger("siaran.worker")


@dataclass(frozen=True)
class Reader:
    account_id: int
    opd_id: int | None
    publisher: Publisher


def _readers(ctx: WorkerContext, account_ids: set[int]) -> list[Reader]:
    with ctx.transaction() as session:
        accounts = session.scalars(
            select(Account).where(Account.id.in_(account_ids), Account.active)
        )
        return [
            Reader(a.id, a.opd_id, publisher_for(a, credentials(ctx.box, a), ctx.settings))
            for a in accounts
        ]


def _read(ctx: WorkerContext, reader: Reader, targets: dict[str, int], now: datetime) -> int:
    with ctx.transaction() as session:
        refusal = spending.read_refusal(session, reader.opd_id, len(targets), ctx.prices)
    if refusal and reader.publisher.kind.value == "x":
        log.warning("metrics not read: %s", refusal, extra={"job": "metrics"})
        return 0
    spending.forget_calls()
    try:
        readings = reader.publisher.fetch_metrics(list(targets))
    except PublishError as exc:
        log.warning("metrics not read: %s", exc.receipt.summary(), extra={"job": "metrics"})
        readings = []
    calls = spending.calls_made()
    rows = [(targets[m.remote_id], vars(m)) for m in readings if m.remote_id in targets]
    with ctx.transaction() as session:
        spending.record(
            session, calls, ctx.prices, opd_id=reader.opd_id, account_id=reader.account_id
        )
        return metrics.store_readings(session, now, rows)


def collect_metrics(ctx: WorkerContext, now: datetime | None = None) -> int:
    """Read every target that is due, one batched call series per account."""
    now = now or utcnow()
    schedules = metrics.schedules_from(ctx.settings.section("metrics"))
    with ctx.transaction() as session:
        due = metrics.due_readings(session, now, schedules)
    by_account: dict[int, dict[str, int]] = defaultdict(dict)
    for reading in due:
        by_account[reading.account_id][reading.remote_id] = reading.target_id
    stored = 0
    for reader in _readers(ctx, set(by_account)):
        try:
            stored += _read(ctx, reader, by_account[reader.account_id], now)
        finally:
            reader.publisher.close()
    if stored:
        log.info("stored %d metric snapshots", stored, extra={"job": "metrics"})
    return stored


def check_accounts(ctx: WorkerContext) -> int:
    """Daily: can each account still publish, and until when? Warns ahead of token expiry."""
    with ctx.transaction() as session:
        ids = set(session.scalars(select(Account.id).where(Account.active)))
    checked = 0
    for reader in _readers(ctx, ids):
        spending.forget_calls()
        try:
            status = reader.publisher.check_connection()
        finally:
            reader.publisher.close()
        calls = spending.calls_made()
        with ctx.transaction() as session:
            spending.record(
                session, calls, ctx.prices, opd_id=reader.opd_id, account_id=reader.account_id
            )
            record_health(
                session, reader.account_id, status.health, status.message, status.token_expires_at
            )
        checked += 1
    return checked
