"""X engagement at the owned-read price: metrics come from the account's own timeline windowed
around each post due (since_id/until_id), so only those posts are returned and charged at
$0.001; a lookup by id ($0.005) is left for what the timeline cannot reach. The ledger prices
each call by its operation and equals the simulator's meter."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from content.costs import Operation, load_prices
from content.costs.ledger import x_charges
from content.infra.config import Settings
from content.infra.timeutil import utcnow
from content.models import Account, Channel
from publishers.social.base import Publisher
from publishers.social.registry import publisher_for
from tests.publishers.conftest import CREDENTIALS, PublisherFactory, Sim, target
from tests.world import World

X = Channel.X


def _owned_publisher(settings: Settings, user_id: str) -> Publisher:
    account = Account(
        kind=X,
        handle="@humaskotabekasi",
        display_name="Pemkot Bekasi",
        settings={"user_id": user_id},
        is_simulator=True,
    )
    return publisher_for(account, CREDENTIALS[X], settings)


def _items(meter: dict[str, Any]) -> dict[str, int]:
    return {name: int(item["count"]) for name, item in meter["items"].items()}


class Spent:
    """What the simulator's meter counted since this was made (the reads under test)."""

    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.before = sim.meter()

    def counts(self) -> dict[str, int]:
        now, then = _items(self.sim.meter()), _items(self.before)
        return {k: v - then.get(k, 0) for k, v in now.items() if v - then.get(k, 0)}

    def usd(self) -> Decimal:
        return Decimal(self.sim.meter()["total_usd"]) - Decimal(self.before["total_usd"])


def test_due_posts_are_read_from_the_own_timeline_at_the_owned_price(
    sim: Sim, make_publisher: PublisherFactory, settings: Settings, session: Session
) -> None:
    author = make_publisher(X)
    ids = [
        str(author.publish(target(X, f"Kabar kota nomor {n}.", post_id=n)).remote_id)
        for n in range(1, 6)
    ]
    user_id = str(author.me()["id"])  # type: ignore[attr-defined]
    spent = Spent(sim)
    reader = _owned_publisher(settings, user_id)
    try:
        due = [ids[1], ids[3]]  # two of five: the others are not returned, not charged
        metrics = reader.fetch_metrics(due)
        assert {m.remote_id for m in metrics} == set(due)
        calls = reader.paid_calls()
        assert {c.operation for c in calls} == {Operation.READ_OWNED}
        assert spent.counts() == {"read_owned": 2}
        charges = x_charges(session, calls, load_prices(settings), utcnow())
        assert sum(c.amount for c in charges) == Decimal("0.002") == spent.usd()
        # Read again the same UTC day: X does not charge it again, nor does the meter.
        reader.fetch_metrics(due)
        assert spent.counts() == {"read_owned": 2}
    finally:
        reader.close()


def test_posts_beyond_the_timelines_reach_are_looked_up_by_id(
    sim: Sim, make_publisher: PublisherFactory, settings: Settings
) -> None:
    author = make_publisher(X)
    old = str(author.publish(target(X, "Kabar lama.", post_id=1)).remote_id)
    user_id = str(author.me()["id"])  # type: ignore[attr-defined]
    newest = sim.seed("x", 3200, owner=user_id)  # the old post falls out of the newest 3,200
    spent = Spent(sim)
    reader = _owned_publisher(settings, user_id)
    try:
        metrics = reader.fetch_metrics([old, newest[0]])
        assert {m.remote_id for m in metrics} == {old, newest[0]}
        assert spent.counts() == {"read_owned": 1, "read_post": 1}
    finally:
        reader.close()


def test_without_a_known_user_id_metrics_use_the_lookup(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    author = make_publisher(X)
    remote = str(author.publish(target(X, "Kabar hari ini.", post_id=1)).remote_id)
    spent = Spent(sim)
    assert [m.remote_id for m in author.fetch_metrics([remote])] == [remote]
    assert spent.counts() == {"read_post": 1}


def test_the_connection_check_keeps_the_x_user_id_for_owned_reads(
    sim: Sim, settings: Settings, world: World
) -> None:
    from content.org.accounts import record_health
    from publishers.social.connection import check_account

    account = world.session.get(Account, world.x_account)
    assert account is not None and not (account.settings or {}).get("user_id")
    account.is_simulator = True
    status = check_account(account, CREDENTIALS[X], settings)
    assert status.ok, status.message
    record_health(
        world.session,
        account.id,
        status.health,
        status.message,
        status.token_expires_at,
        platform_ids=status.details,
    )
    assert account.settings["user_id"] == status.details["user_id"]
    publisher = publisher_for(account, CREDENTIALS[X], settings)
    try:
        remote = str(publisher.publish(target(X, "Kabar pagi.", post_id=7)).remote_id)
        spent = Spent(sim)
        assert [m.remote_id for m in publisher.fetch_metrics([remote])] == [remote]
        assert spent.counts() == {"read_owned": 1}
    finally:
        publisher.close()
