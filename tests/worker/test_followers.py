"""Followers read once a day against the simulator over real HTTP, on both databases: X through
`GET /2/users/me` (`public_metrics.followers_count`, one User: Read in the ledger, equal to the
simulator's meter), the Facebook Page and the Instagram account through their `followers_count`
(free, counted by the simulator); a second run the same day reads nothing; a budget that cannot
cover X's read leaves X unread and says why; the next day's reading shows growth."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from content import costs
from content.infra.config import load_settings
from content.infra.timeutil import WIB, utcnow
from content.models import Account, Channel, FollowerSnapshot, SpendEntry, User
from content.monev.followers import growth, local_day
from content.monev.periods import parse_period
from content.org.actors import Actor
from scheduler.config import WorkerConfig
from scheduler.context import WorkerContext
from scheduler.followers import collect_followers
from tests.worker.conftest import Stack

pytestmark = pytest.mark.e2e
PAGE_ID, IG_USER_ID = "1", "2"  # the test world's Dinkes Page and Instagram account ids


def _context(stack: Stack) -> WorkerContext:
    settings = load_settings(stack.env)
    return WorkerContext(settings, WorkerConfig.from_settings(settings), stack.database.engine)


def _snapshots(stack: Stack) -> dict[tuple[int, object], int]:
    with stack.session() as s:
        rows = s.execute(
            select(FollowerSnapshot.account_id, FollowerSnapshot.day, FollowerSnapshot.followers)
        )
        return {(a, d): n for a, d, n in rows}


def _morning(stack: Stack) -> datetime:
    """09:00 WIB of today: hours later are still the same WIB day, whenever the test runs."""
    return datetime.combine(local_day(stack.sim.state.now_dt()), time(9), WIB).astimezone(UTC)


def _accounts(stack: Stack) -> dict[int, Channel]:
    with stack.session() as s:
        return dict(s.execute(select(Account.id, Account.kind).where(Account.active)).all())


def _user_reads(stack: Stack) -> tuple[int, Decimal]:
    with stack.session() as s:
        n, total = s.execute(
            select(func.count(), func.sum(SpendEntry.amount_usd)).where(
                SpendEntry.action == "read_user"
            )
        ).one()
    return int(n), Decimal(str(total or 0))


def test_followers_are_read_once_a_day_priced_and_grow(stack: Stack) -> None:
    ctx = _context(stack)
    accounts = _accounts(stack)
    x_accounts = [a for a, kind in accounts.items() if kind is Channel.X]
    now = _morning(stack)
    today = local_day(now)
    assert collect_followers(ctx, now=now) == len(accounts)
    first = _snapshots(stack)
    assert {a for a, _ in first} == set(accounts) and {d for _, d in first} == {today}
    # The Page and the Instagram account: exactly what the simulator answers for them.
    assert first[(stack.fb_account, today)] == stack.sim.state.followers_of(PAGE_ID)
    assert first[(stack.ig_account, today)] == stack.sim.state.followers_of(IG_USER_ID)
    assert all(first[(a, today)] >= 1000 for a in x_accounts)
    # X: one User: Read per account at the rate card's $0.010, as the simulator metered it.
    meter = stack.sim.call("GET", "/_sim/meter")
    assert _user_reads(stack) == (len(x_accounts), Decimal("0.010") * len(x_accounts))
    assert meter["items"]["read_user"]["count"] == len(x_accounts)
    assert meter["follower_reads"] == {"x": len(x_accounts), "graph": 2}
    assert Decimal(meter["total_usd"]) == _user_reads(stack)[1]

    # The worker restarts later the same day: nothing is read again, nothing charged.
    assert collect_followers(_context(stack), now=now + timedelta(minutes=30)) == 0
    assert stack.sim.call("GET", "/_sim/meter")["follower_reads"] == meter["follower_reads"]
    assert _user_reads(stack)[0] == len(x_accounts)

    # A day later (on the simulator too): read again, and the counts have grown.
    stack.sim.call("POST", "/_sim/clock", json={"advance": 86_400})
    tomorrow = now + timedelta(days=1)
    assert collect_followers(ctx, now=tomorrow) == len(accounts)
    second = _snapshots(stack)
    day2 = local_day(tomorrow)
    for account in accounts:
        assert second[(account, day2)] > second[(account, today)]
    # The Monev reads the growth per OPD over a period holding both days.
    with stack.session() as s:
        dinkes = s.scalar(select(Account.opd_id).where(Account.id == stack.fb_account))
        assert dinkes is not None
        month = parse_period(f"{today.year:04d}-{today.month:02d}")
        found = growth(s, month, [dinkes]).get(dinkes)
    if day2.month == today.month:  # (a run on the last day of a month spans two periods)
        assert found is not None and found.accounts == 3  # Dinkes's X, Page and Instagram
        assert found.end > found.start


def test_a_budget_that_cannot_cover_x_leaves_x_unread(stack: Stack) -> None:
    ctx = _context(stack)
    with stack.session() as s, s.begin():
        utama = Actor.of(s.scalars(select(User).where(User.username == "utama")).one())
        costs.set_budget(s, utama, Channel.X, costs.month_of(utcnow()), Decimal("0.005"))
    accounts = _accounts(stack)
    stored = collect_followers(ctx)
    read = {a for a, _ in _snapshots(stack)}
    assert read == {a for a, kind in accounts.items() if kind is not Channel.X}
    assert stored == len(read)
    assert _user_reads(stack) == (0, Decimal(0))
    assert stack.sim.call("GET", "/_sim/meter")["items"]["read_user"]["count"] == 0


def test_an_account_that_fails_is_read_again_later_the_others_are_kept(stack: Stack) -> None:
    """The Page answers a server error once: the others are stored; the next hourly run reads
    the Page alone (the rest already have today's count)."""
    ctx = _context(stack)
    accounts = _accounts(stack)
    stack.sim.fault(platform="graph", method="GET", path=f"^/v[0-9.]+/{PAGE_ID}$",
                    kind="server_error", times=1)  # fmt: skip
    now = _morning(stack)
    assert collect_followers(ctx, now=now) == len(accounts) - 1
    assert stack.fb_account not in {a for a, _ in _snapshots(stack)}
    assert collect_followers(ctx, now=now + timedelta(hours=1)) == 1
    assert {a for a, _ in _snapshots(stack)} == set(accounts)
    assert _user_reads(stack)[0] == len([k for k in accounts.values() if k is Channel.X])
