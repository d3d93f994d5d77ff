"""Jobs that read from the platforms: engagement metrics and account health (token expiry).
Reads on X are paid: each batch is checked against the budget first and charged after."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import inbox
from content.costs.operations import Operation
from content.delivery import metrics
from content.delivery.preparation import PrepareCode, PrepareProblem, account_label, sentence
from content.infra.timeutil import utcnow
from content.models import Account, AccountHealth
from content.org.accounts import record_health
from publishers.social.base import Publisher
from publishers.social.result import ConnectionStatus, PublishError, Receipt
from scheduler import spending
from scheduler.context import WorkerContext
from scheduler.jobs import one_target, publisher_for_account

log = logging.getLogger("siaran.worker")


@dataclass(frozen=True)
class Reader:
    account_id: int
    opd_id: int | None
    publisher: Publisher
    label: str  # for the sentences: "X @dinkes"


def _readers(ctx: WorkerContext, account_ids: set[int]) -> list[Reader]:
    """A reader for each active account among `account_ids`. An account whose publisher cannot
    be prepared (credentials that do not open, a missing setting) is marked with the sentence
    saying why, and left out: the others are read all the same."""
    readers = []
    with ctx.transaction() as session:
        accounts = session.scalars(
            select(Account).where(Account.id.in_(account_ids), Account.active).order_by(Account.id)
        )
        for account in accounts:
            try:
                with one_target("preparing an account", account_id=account.id):
                    publisher = publisher_for_account(ctx, account)
            except PrepareProblem as trouble:
                log.warning("account not read: %s", trouble.code, extra={"account_id": account.id})
                _mark(session, account, trouble.message)
                continue
            readers.append(Reader(account.id, account.opd_id, publisher, account_label(account)))
    return readers


def _mark(session: Session, account: Account, message: str) -> None:
    """The account's trouble, where the administration page shows it (its token expiry kept)."""
    record_health(session, account.id, AccountHealth.ERROR, message, account.token_expires_at)


def read_operation(publisher: Publisher) -> Operation:
    """The operation a metric read of this publisher is charged as: X's publisher says which
    (an owned read or a lookup by id); the other platforms' reads are free and never refused."""
    choose = getattr(publisher, "read_operation", None)
    chosen = choose() if callable(choose) else None
    return chosen if isinstance(chosen, Operation) else Operation.READ_POST


def _read(ctx: WorkerContext, reader: Reader, targets: dict[str, int], now: datetime) -> int:
    operation = read_operation(reader.publisher)
    with ctx.transaction() as session:
        refusal = spending.read_refusal(session, reader.opd_id, len(targets), ctx.prices, operation)
    if refusal and reader.publisher.kind.value == "x":
        log.warning("metrics not read: %s", refusal, extra={"job": "metrics"})
        return 0
    refused: Receipt | None = None
    try:
        readings = reader.publisher.fetch_metrics(list(targets))
    except PublishError as exc:
        log.warning("metrics not read: %s", exc.receipt.summary(), extra={"job": "metrics"})
        readings, refused = [], exc.receipt
    calls = reader.publisher.paid_calls()
    rows = [(targets[m.remote_id], vars(m)) for m in readings if m.remote_id in targets]
    with ctx.transaction() as session:
        spending.record(
            session, calls, ctx.prices, opd_id=reader.opd_id, account_id=reader.account_id
        )
        if refused is not None and not refused.retryable:
            # A refusal (token, permission) is the account's: shown with it until fixed.
            account = session.get(Account, reader.account_id)
            if account is not None:
                _mark(session, account, refused.summary())
        return metrics.store_readings(session, now, rows)


def collect_metrics(ctx: WorkerContext, now: datetime | None = None) -> int:
    """Read every target that is due, one batched call series per account. One account's
    trouble (its credentials, a refusal, an unexpected error) stops only that account's reads."""
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
            with one_target("reading metrics", account_id=reader.account_id):
                stored += _read(ctx, reader, by_account[reader.account_id], now)
        except PrepareProblem:
            pass  # logged with its traceback; the next account is read all the same
        finally:
            reader.publisher.close()
    if stored:
        log.info("stored %d metric snapshots", stored, extra={"job": "metrics"})
    return stored


def _check(reader: Reader) -> ConnectionStatus:
    try:
        return reader.publisher.check_connection()
    except Exception:
        log.exception("account check failed", extra={"account_id": reader.account_id})
        message = sentence(PrepareCode.PUBLISHER_UNAVAILABLE, account=reader.label)
        return ConnectionStatus(AccountHealth.ERROR, message)
    finally:
        reader.publisher.close()


def check_accounts(ctx: WorkerContext) -> int:
    """Daily: can each account still publish, and until when? Warns ahead of token expiry.
    Every active account is checked; one whose credentials do not open is marked with the
    sentence saying who must renew them. Returns how many were checked (and reachable)."""
    with ctx.transaction() as session:
        ids = set(session.scalars(select(Account.id).where(Account.active)))
    checked = 0
    for reader in _readers(ctx, ids):
        status = _check(reader)
        calls = reader.publisher.paid_calls()
        with ctx.transaction() as session:
            spending.record(
                session, calls, ctx.prices, opd_id=reader.opd_id, account_id=reader.account_id
            )
            record_health(
                session,
                reader.account_id,
                status.health,
                status.message,
                status.token_expires_at,
                platform_ids=status.details,
            )
            if status.details.get("user_id"):  # X's id, kept for Kotak masuk's mention reads
                inbox.store_cursor(
                    session, reader.account_id, "x_user_id", status.details["user_id"]
                )
        checked += 1
    return checked
