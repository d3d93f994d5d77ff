"""Money on the worker's side: the budget check before a paid call (a `budget` hold when it does
not fit), and the ledger after it, priced from the calls the publishers really made (their call
log, each call named by its operation), not from guesses."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import costs
from content.costs.ledger import add_charges, warn_for
from content.delivery.holds import Hold
from content.infra.timeutil import utcnow
from content.models import Budget, Channel, Post, PostTarget
from publishers.social.transport import CallRecord


def record(
    session: Session,
    calls: list[CallRecord],
    prices: costs.Prices,
    *,
    opd_id: int | None,
    account_id: int | None,
    post_id: int | None = None,
    target_id: int | None = None,
) -> Decimal:
    if not calls:
        return Decimal(0)
    charges = costs.x_charges(session, calls, prices, utcnow())
    return costs.record_charges(
        session, charges, opd_id=opd_id, account_id=account_id, post_id=post_id, target_id=target_id
    )


def record_many(
    session: Session, work: list[tuple[int, list[CallRecord]]], prices: costs.Prices
) -> None:
    """`record` for the calls of many targets (target id, its calls) at once: the targets'
    OPDs and accounts in one query, the ledger rows in one batched insert (at the session's
    next flush), then the budget warnings once per OPD."""
    if not work:
        return
    ids = [target_id for target_id, _ in work]
    query = (
        select(PostTarget.id, PostTarget.post_id, PostTarget.account_id, Post.opd_id)
        .join(Post, Post.id == PostTarget.post_id)
        .where(PostTarget.id.in_(ids))
    )
    owners = {row.id: row for row in session.execute(query)}
    now = utcnow()
    spent_by: set[tuple[Channel, int | None]] = set()
    for target_id, calls in work:
        owner = owners.get(target_id)
        charges = costs.x_charges(session, calls, prices, now)
        _, platforms = add_charges(
            session,
            charges,
            opd_id=owner.opd_id if owner else None,
            account_id=owner.account_id if owner else None,
            post_id=owner.post_id if owner else None,
            target_id=target_id,
            at=now,
        )
        spent_by |= {(p, owner.opd_id if owner else None) for p in platforms}
    if spent_by:
        session.flush()
        warn_for(session, spent_by, now)


def budgeted_scopes(session: Session, platform: Channel) -> set[int | None]:
    """The scopes with a budget for `platform` this month (None: the city's, else an OPD's),
    read once a batch: a target that no budget applies to then costs no query."""
    month = costs.month_of(utcnow())
    query = select(Budget.opd_id).where(Budget.platform == platform, Budget.month == month)
    return set(session.scalars(query))


def budget_refusal(
    session: Session,
    target: PostTarget,
    prices: costs.Prices,
    undecided: Collection[int],
    budgeted: set[int | None] | None = None,
) -> Hold | None:
    """Why this paid target may not start now (a `budget` hold), or None.
    `undecided`: claims of the same batch not yet let through (they are not spending).
    `budgeted`: `budgeted_scopes` of the batch, when the caller read them."""
    if target.channel is not Channel.X or not prices.paid(Channel.X):
        return None
    post: Post = target.post
    if budgeted is not None and not budgeted & {None, post.opd_id}:
        return None  # no budget to keep: nothing to lock or count
    estimate = costs.estimate_target(post, target, prices)
    check = costs.may_spend(
        session,
        Channel.X,
        estimate.amount,
        post.opd_id,
        prices=prices,
        excluding={target.id, *undecided},
    )
    return check.hold


def read_refusal(
    session: Session,
    opd_id: int | None,
    posts: int,
    prices: costs.Prices,
    operation: costs.Operation = costs.Operation.READ_POST,
) -> str | None:
    """Metric reads are paid too: refuse a batch the budget cannot cover (all reads counted),
    estimated at the price of the read the publisher will actually make (`operation`: its
    `read_operation()`, the owned-read price when it reads its own timeline)."""
    amount = costs.estimate_reads(prices, operation, posts)
    check = costs.may_spend(session, Channel.X, amount, opd_id, prices=prices)
    return None if check.allowed else check.reason
