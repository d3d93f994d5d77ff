"""Kotak masuk jobs: collect comments from the platforms, and send the replies and hides people
queued in the dashboard. Each account is read on its own (like the metrics job): one account's
trouble stops only that account's reads.

Settings (`[inbox]` in the settings file): `days` (posts of the last N days are read, default
14), the service levels (`content/inbox/service_levels.py`), `collect_seconds` (default 300),
`send_seconds` (default 5), `settle_seconds` (a reply claimed this long without an answer is
looked up on its thread, default 120; more than the read timeout), `escalate_seconds` (how
often overdue items are looked for and escalated to PPID Utama, default 60).

A reply is claimed (committed as UNKNOWN) before the platform call and settled after; one that
got no clear answer is looked up on its thread and only sent again when it is not there.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from content import costs, inbox
from content.costs.operations import post_operation
from content.delivery.preparation import PrepareProblem
from content.inbox import Incoming
from content.inbox.actions import Claimed
from content.inbox.service_levels import ServiceLevels
from content.infra.timeutil import utcnow
from content.models import Account, AccountHealth, Channel, OutgoingAction, PostTarget, TargetStatus
from content.org.accounts import record_health
from content.org.actors import worker_actor
from publishers.social.conversations import Conversations, Mentions, describe
from publishers.social.result import Outcome, PublishError, Receipt
from scheduler import spending
from scheduler.collect import Reader, _readers
from scheduler.context import WorkerContext
from scheduler.jobs import one_target

log = logging.getLogger("siaran.worker")
COLLECTED = (Channel.FACEBOOK, Channel.INSTAGRAM)


@dataclass(frozen=True)
class InboxSettings:
    days: float = 14.0
    collect_seconds: float = 300.0
    send_seconds: float = 5.0
    settle_seconds: float = 120.0
    escalate_seconds: float = 60.0

    @classmethod
    def of(cls, section: Mapping[str, Any]) -> InboxSettings:
        known = {
            k: float(v)
            for k, v in section.items()
            if k in cls.__dataclass_fields__ and isinstance(v, int | float)
        }
        return cls(**known)


def settings_of(ctx: WorkerContext) -> InboxSettings:
    return InboxSettings.of(ctx.settings.section("inbox"))


def _posts_to_read(ctx: WorkerContext, now: datetime, days: float) -> dict[int, list[str]]:
    """{account id: remote ids of our posts published in the window} for collected channels."""
    with ctx.transaction() as session:
        rows = session.execute(
            select(PostTarget.account_id, PostTarget.remote_id).where(
                PostTarget.status == TargetStatus.PUBLISHED,
                PostTarget.channel.in_(COLLECTED),
                PostTarget.remote_id.is_not(None),
                PostTarget.account_id.is_not(None),
                PostTarget.published_at >= now - timedelta(days=days),
            )
        )
        posts: dict[int, list[str]] = defaultdict(list)
        for account_id, remote_id in rows:
            if account_id is not None:
                posts[account_id].append(str(remote_id))
    return posts


MENTIONS = "x_mentions"
X_USER = "x_user_id"  # written by the account check (scheduler.collect.check_accounts)
MENTION_PAGE = 100


def _x_accounts(ctx: WorkerContext) -> set[int]:
    with ctx.transaction() as session:
        return set(
            session.scalars(select(Account.id).where(Account.active, Account.kind == Channel.X))
        )


def _read_mentions(
    ctx: WorkerContext, reader: Reader, publisher: Mentions
) -> tuple[list[Incoming], str | None]:
    """X mentions since the stored cursor, if the budget covers a page of owned reads."""
    with ctx.transaction() as session:
        since = inbox.read_cursor(session, reader.account_id, MENTIONS)
        account = session.get(Account, reader.account_id)
        setting = str((account.settings or {}).get("user_id") or "") if account else ""
        user_id = setting or inbox.read_cursor(session, reader.account_id, X_USER)
        amount = ctx.prices.price(Channel.X, costs.Operation.READ_OWNED) * MENTION_PAGE
        check = costs.may_spend(session, Channel.X, amount, reader.opd_id, prices=ctx.prices)
    if not user_id:
        # Known from the daily account check (or the user_id setting); a paid users/me
        # look-up on every collection would cost more than the mentions themselves.
        return [], None
    if not check.allowed:
        log.warning("mentions not read: %s", check.reason, extra={"job": "inbox"})
        return [], None
    try:
        read = publisher.fetch_mentions(since, user_id)
        return read.items, read.cursor
    finally:
        with ctx.transaction() as session:  # every read in the ledger, also a refused one
            spending.record(
                session, publisher_calls(reader), ctx.prices, opd_id=reader.opd_id,
                account_id=reader.account_id,
            )  # fmt: skip


def publisher_calls(reader: Reader) -> list[Any]:
    return list(reader.publisher.paid_calls())


def _collect_one(
    ctx: WorkerContext, reader: Reader, post_ids: list[str], levels: ServiceLevels
) -> int:
    publisher = reader.publisher
    cursor: str | None = None
    complete: list[str] = []
    try:
        if isinstance(publisher, Mentions):
            incoming, cursor = _read_mentions(ctx, reader, publisher)
        elif isinstance(publisher, Conversations) and post_ids:
            read = publisher.fetch_comments(post_ids)
            incoming, complete = read.items, read.complete
        else:
            return 0
    except PublishError as exc:
        log.warning("inbox not read: %s", exc.receipt.summary(), extra={"job": "inbox"})
        if not exc.receipt.retryable:
            with ctx.transaction() as session:
                account = session.get(Account, reader.account_id)
                if account is not None:
                    record_health(
                        session, account.id, AccountHealth.ERROR, exc.receipt.summary(),
                        account.token_expires_at,
                    )  # fmt: skip
        return 0
    with ctx.transaction() as session:
        account = session.get(Account, reader.account_id)
        assert account is not None
        stored = inbox.upsert(session, account, incoming, levels=levels, complete=complete)
        if cursor:  # with the items it covers, in one transaction
            inbox.store_cursor(session, account.id, MENTIONS, cursor)
    log.info("inbox read: %s", describe(incoming), extra={"account_id": reader.account_id})
    return stored.new


def collect_inbox(ctx: WorkerContext, now: datetime | None = None) -> int:
    """Read every collected account's comments; returns how many new items were stored."""
    now, config = now or utcnow(), settings_of(ctx)
    posts = _posts_to_read(ctx, now, config.days)
    levels = ServiceLevels.from_settings(ctx.settings.section("inbox"))
    new = 0
    for reader in _readers(ctx, set(posts) | _x_accounts(ctx)):
        try:
            with one_target("reading the inbox", account_id=reader.account_id):
                wanted = posts.get(reader.account_id, [])
                new += _collect_one(ctx, reader, wanted, levels)
        except PrepareProblem:
            pass  # logged with its traceback; the next account is read all the same
        finally:
            reader.publisher.close()
    return new


def _send(publisher: Conversations | Mentions, claim: Claimed) -> Receipt:
    if claim.action is OutgoingAction.HIDE:
        return publisher.hide_comment(claim.remote_id)
    return publisher.reply_comment(claim.remote_id, claim.text)


def _budget_refusal(ctx: WorkerContext, reader: Reader, claim: Claimed) -> str | None:
    """A reply on X is a paid post: refused, with the budget's sentence, when it does not fit."""
    if reader.publisher.kind is not Channel.X or claim.action is not OutgoingAction.REPLY:
        return None
    price = ctx.prices.price(Channel.X, post_operation(claim.text))
    with ctx.transaction() as session:
        check = costs.may_spend(session, Channel.X, price, reader.opd_id, prices=ctx.prices)
    return None if check.allowed else check.reason


def _settle(ctx: WorkerContext, claim: Claimed, receipt: Receipt) -> None:
    with ctx.transaction() as session:
        if receipt.ok:
            inbox.settle_outgoing(
                session, claim.outgoing_id, sent=True, remote_id=receipt.remote_id
            )
        elif receipt.outcome is Outcome.UNKNOWN:
            pass  # it may exist: left UNKNOWN, looked up on its thread after settle_seconds
        elif receipt.retryable:
            inbox.release_outgoing(session, claim.outgoing_id)
        else:
            inbox.settle_outgoing(
                session, claim.outgoing_id, sent=False, error_code=receipt.error_code,
                error_message=receipt.summary(),
            )  # fmt: skip


def _lookup(ctx: WorkerContext, publisher: Conversations | Mentions, claim: Claimed) -> None:
    """A claim without an answer: a hide is simply sent again (hiding twice changes nothing); a
    reply is looked for on the thread and sent again only when it is certainly not there."""
    found = None
    if claim.action is OutgoingAction.REPLY:
        try:
            found = publisher.find_reply(claim.remote_id, claim.text)
        except PublishError as exc:
            log.warning("reply not looked up: %s", exc.receipt.summary(), extra={"job": "inbox"})
            return
    with ctx.transaction() as session:
        if found is not None:
            inbox.settle_outgoing(session, claim.outgoing_id, sent=True, remote_id=found.remote_id)
        else:
            inbox.release_outgoing(session, claim.outgoing_id)


def send_outgoing(ctx: WorkerContext, now: datetime | None = None) -> int:
    """Settle old claims, then send what is pending. Returns how many calls were made."""
    now, config = now or utcnow(), settings_of(ctx)
    with ctx.transaction() as session:
        doubtful = inbox.in_doubt(session, now - timedelta(seconds=config.settle_seconds))
    with ctx.transaction() as session:
        claims = inbox.claim_outgoing(session, now=now)  # committed before any platform call
    work: dict[int, list[tuple[bool, Claimed]]] = defaultdict(list)
    for claim in doubtful:
        work[claim.account_id].append((True, claim))
    for claim in claims:
        work[claim.account_id].append((False, claim))
    calls = 0
    for reader in _readers(ctx, set(work)):
        publisher = reader.publisher
        try:
            if not isinstance(publisher, Conversations | Mentions):
                continue
            for looked_up, claim in work[reader.account_id]:
                with one_target("answering the inbox", account_id=reader.account_id):
                    refusal = None if looked_up else _budget_refusal(ctx, reader, claim)
                    if looked_up:
                        _lookup(ctx, publisher, claim)
                    elif refusal:
                        with ctx.transaction() as session:
                            inbox.settle_outgoing(
                                session, claim.outgoing_id, sent=False, error_code="budget",
                                error_message=refusal,
                            )  # fmt: skip
                    else:
                        _settle(ctx, claim, _send(publisher, claim))
                calls += 1
            with ctx.transaction() as session:  # X replies are paid: in the ledger
                spending.record(
                    session, publisher_calls(reader), ctx.prices, opd_id=reader.opd_id,
                    account_id=reader.account_id,
                )  # fmt: skip
        except PrepareProblem:
            pass
        finally:
            publisher.close()
    return calls


def escalate_inbox(ctx: WorkerContext, now: datetime | None = None) -> int:
    """Tell PPID Utama and the assigned OPD, once, about items past their service level."""
    with ctx.transaction() as session:
        count = inbox.escalate_overdue(session, actor=worker_actor(ctx.worker_id), now=now)
    if count:
        log.info("inbox items escalated", extra={"count": count})
    return count
