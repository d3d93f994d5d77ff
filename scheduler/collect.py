"""Jobs that read from the platforms: engagement metrics and account health (token expiry)."""

from __future__ import annotations

import logging
from collections import defaultdict

from sqlalchemy import select

from content import metrics
from content.accounts import credentials, record_health
from content.models import Account
from content.timeutil import utcnow
from publishers.base import Publisher
from publishers.registry import publisher_for
from publishers.result import PublishError
from scheduler.context import WorkerContext

log = logging.getLogger("siaran.worker")


def _publishers(ctx: WorkerContext, account_ids: set[int]) -> dict[int, Publisher]:
    with ctx.transaction() as session:
        accounts = session.scalars(
            select(Account).where(Account.id.in_(account_ids), Account.active)
        )
        return {a.id: publisher_for(a, credentials(ctx.box, a), ctx.settings) for a in accounts}


def collect_metrics(ctx: WorkerContext) -> int:
    """Read every target that is due, one batched call series per account."""
    now = utcnow()
    schedules = metrics.schedules_from(ctx.settings.section("metrics"))
    with ctx.transaction() as session:
        due = metrics.due_readings(session, now, schedules)
    by_account: dict[int, dict[str, int]] = defaultdict(dict)
    for reading in due:
        by_account[reading.account_id][reading.remote_id] = reading.target_id
    stored = 0
    for account_id, publisher in _publishers(ctx, set(by_account)).items():
        targets = by_account[account_id]
        try:
            readings = publisher.fetch_metrics(list(targets))
        except PublishError as exc:
            log.warning("metrics not read: %s", exc.receipt.summary(), extra={"job": "metrics"})
            continue
        finally:
            publisher.close()
        rows = [(targets[m.remote_id], vars(m)) for m in readings if m.remote_id in targets]
        with ctx.transaction() as session:
            stored += metrics.store_readings(session, now, rows)
    if stored:
        log.info("stored %d metric snapshots", stored, extra={"job": "metrics"})
    return stored


def check_accounts(ctx: WorkerContext) -> int:
    """Daily: can each account still publish, and until when? Warns ahead of token expiry."""
    with ctx.transaction() as session:
        ids = set(session.scalars(select(Account.id).where(Account.active)))
    checked = 0
    for account_id, publisher in _publishers(ctx, ids).items():
        try:
            status = publisher.check_connection()
        finally:
            publisher.close()
        with ctx.transaction() as session:
            record_health(
                session, account_id, status.health, status.message, status.token_expires_at
            )
        checked += 1
    return checked
