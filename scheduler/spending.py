"""Money on the worker's side: the budget check before a paid call (a `budget` hold when it does
not fit), and the ledger after it, priced from the calls the publishers really made (their call
log, each call named by its operation), not from guesses."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from sqlalchemy.orm import Session

from content import costs
from content.delivery.holds import Hold
from content.infra.timeutil import utcnow
from content.models import Channel, Post, PostTarget
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


def budget_refusal(
    session: Session, target: PostTarget, prices: costs.Prices, undecided: Collection[int]
) -> Hold | None:
    """Why this paid target may not start now (a `budget` hold), or None.
    `undecided`: claims of the same batch not yet let through (they are not spending)."""
    if target.channel is not Channel.X or not prices.paid(Channel.X):
        return None
    post: Post = target.post
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
    session: Session, opd_id: int | None, posts: int, prices: costs.Prices
) -> str | None:
    """Metric reads are paid too: refuse a batch the budget cannot cover (all reads counted)."""
    amount = prices.price(Channel.X, costs.Operation.READ_POST) * posts
    check = costs.may_spend(session, Channel.X, amount, opd_id, prices=prices)
    return None if check.allowed else check.reason
