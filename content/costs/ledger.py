"""The ledger of charged calls: what the publishers' calls cost, priced by the operation each
call reports (never by its URL), written per call after it was made; then the budget warnings."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.costs.budgets import warn
from content.costs.months import month_of
from content.costs.operations import ONCE_A_DAY_PER_POST
from content.costs.prices import Prices
from content.infra.timeutil import utcnow
from content.models import Channel, SpendEntry


@dataclass(frozen=True)
class Charge:
    platform: Channel
    action: str  # an `Operation`
    units: int
    amount: Decimal
    detail: str = ""


def record_charges(
    session: Session,
    charges: Iterable[Charge],
    *,
    opd_id: int | None = None,
    account_id: int | None = None,
    post_id: int | None = None,
    target_id: int | None = None,
    at: datetime | None = None,
) -> Decimal:
    """Write charged calls to the ledger, then warn PPID Utama once per month at 80 % and 100 %."""
    at = at or utcnow()
    total, platforms = add_charges(
        session,
        charges,
        opd_id=opd_id,
        account_id=account_id,
        post_id=post_id,
        target_id=target_id,
        at=at,
    )
    session.flush()
    warn_for(session, {(p, opd_id) for p in platforms}, at)
    return total


def add_charges(
    session: Session,
    charges: Iterable[Charge],
    *,
    opd_id: int | None,
    account_id: int | None,
    post_id: int | None,
    target_id: int | None,
    at: datetime,
) -> tuple[Decimal, set[Channel]]:
    """Add the ledger rows of charged calls to the session (written at its next flush, with
    every other row of a batch); returns their total and their platforms. The caller warns
    with `warn_for` after the flush."""
    total = Decimal(0)
    platforms = set()
    for charge in charges:
        if charge.amount <= 0:
            continue
        session.add(
            SpendEntry(
                at=at,
                platform=charge.platform,
                action=charge.action,
                units=charge.units,
                amount_usd=charge.amount,
                opd_id=opd_id,
                account_id=account_id,
                post_id=post_id,
                target_id=target_id,
                detail=charge.detail[:500],
            )
        )
        total += charge.amount
        platforms.add(charge.platform)
    return total, platforms


def warn_for(session: Session, spent_by: set[tuple[Channel, int | None]], at: datetime) -> None:
    """The budget warnings for what was just written: city-wide and each OPD's, once each."""
    for platform in sorted({p for p, _ in spent_by}):
        warn(session, platform, month_of(at), None)
    for platform, opd_id in sorted(spent_by, key=lambda x: (x[0], x[1] or 0)):
        if opd_id is not None:
            warn(session, platform, month_of(at), opd_id)


class PaidCall(Protocol):
    """What the publishers' call log keeps of one call (structural: no import of publishers)."""

    @property
    def operation(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def response_body(self) -> bytes: ...


def _returned_ids(call: PaidCall) -> list[str]:
    try:
        body: Any = json.loads(call.response_body) if call.response_body else None
    except ValueError:
        body = None
    data = body.get("data") if isinstance(body, dict) else None
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    return [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]


def _already_read_today(
    session: Session, operation: str, ids: Iterable[str], now: datetime
) -> set[str]:
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    query = select(SpendEntry.detail).where(
        SpendEntry.platform == Channel.X,
        SpendEntry.action == operation,
        SpendEntry.at >= midnight,
        SpendEntry.detail.in_(list(ids)),
    )
    return set(session.scalars(query))


def x_charges(
    session: Session, calls: Iterable[PaidCall], prices: Prices, now: datetime
) -> list[Charge]:
    """What X charges for these calls: successful ones only, at their operation's price; an
    operation charged per post (`ONCE_A_DAY_PER_POST`) charges each post once per UTC day."""
    charges: list[Charge] = []
    read: set[tuple[str, str]] = set()
    for call in calls:
        if not call.operation or not 200 <= call.status < 300:
            continue
        price = prices.price(Channel.X, call.operation)
        if call.operation not in ONCE_A_DAY_PER_POST:
            charges.append(Charge(Channel.X, call.operation, 1, price))
            continue
        ids = [i for i in _returned_ids(call) if (call.operation, i) not in read]
        fresh = set(ids) - _already_read_today(session, call.operation, ids, now)
        read.update((call.operation, i) for i in ids)
        charges += [Charge(Channel.X, call.operation, 1, price, i) for i in sorted(fresh)]
    return charges
