"""Money through the real worker and the simulator's meter: budgets that run out mid-batch,
reads never charged twice in one UTC day, and a ledger that agrees with the platform's meter."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from content import costs
from content.infra.config import load_settings
from content.infra.timeutil import utcnow
from content.models import Channel, PostTarget, SpendEntry, TargetStatus, User
from content.org.actors import Actor
from scheduler.collect import collect_metrics
from scheduler.config import WorkerConfig
from scheduler.context import WorkerContext
from tests.worker.conftest import Stack

pytestmark = pytest.mark.e2e


def _ledger(stack: Stack) -> dict[str, tuple[int, Decimal]]:
    with stack.session() as s:
        rows = s.execute(
            select(SpendEntry.action, func.count(), func.sum(SpendEntry.amount_usd)).group_by(
                SpendEntry.action
            )
        )
        return {action: (int(n), Decimal(str(total))) for action, n, total in rows}


def _meter(stack: Stack) -> dict[str, int]:
    items = stack.sim.call("GET", "/_sim/meter")["items"]
    return {name: item["count"] for name, item in items.items() if item["count"]}


def _utama(stack: Stack) -> Actor:
    with stack.session() as s:
        return Actor.of(s.scalars(select(User).where(User.username == "utama")).one())


def test_budget_runs_out_mid_batch_then_raising_it_publishes_the_rest_once(stack: Stack) -> None:
    month = costs.month_of(utcnow())
    stack.start_worker()
    # The worker checks every account when it starts: three X user reads, $0.01 each.
    stack.wait(lambda: _ledger(stack).get("read_user", (0,))[0] == 3, timeout=30, what="checks")
    utama = _utama(stack)
    with stack.session() as s, s.begin():
        spent = costs.spent(s, Channel.X, month)
        # Three plain posts fit ($0.015 each); the fourth would not.
        costs.set_budget(s, utama, Channel.X, month, spent + Decimal("0.05"))
    stack.due_posts(6)
    stack.wait(
        lambda: stack.target_statuses().get(TargetStatus.WAITING, 0) == 3,
        timeout=60,
        what="the rest to wait for money",
    )
    stack.wait(
        lambda: stack.target_statuses().get(TargetStatus.PUBLISHED, 0) == 3,
        timeout=30,
        what="three publications",
    )
    with stack.session() as s:
        held = s.execute(
            select(PostTarget.wait_code, PostTarget.wait_reason).where(
                PostTarget.status == TargetStatus.WAITING
            )
        ).all()
    assert {code for code, _ in held} == {"budget"}
    reasons = {reason for _, reason in held}
    assert len(reasons) == 1 and "menunggu anggaran dinaikkan" in reasons.pop()
    assert len(stack.sim.x_posts()) == 3
    with stack.session() as s, s.begin():
        costs.set_budget(s, utama, Channel.X, month, Decimal("1.00"))
    stack.wait(lambda: stack.all_published(6), timeout=60, what="the held posts after the raise")
    texts = [p["text"] for p in stack.sim.x_posts()]
    assert len(texts) == len(set(texts)) == 6
    ledger = _ledger(stack)
    assert ledger["post"] == (6, Decimal("0.09"))
    assert _meter(stack).get("post") == 6


def test_metric_reads_are_charged_once_per_post_per_utc_day(stack: Stack) -> None:
    stack.due_posts(3)
    stack.start_worker()
    stack.wait(lambda: stack.all_published(3), timeout=60, what="publication")
    stack.stop_all()
    settings = load_settings(stack.env)
    ctx = WorkerContext(settings, WorkerConfig.from_settings(settings), stack.database.engine)
    with stack.session() as s:
        published = min(s.scalars(select(PostTarget.published_at)))
    assert published is not None
    noon = published.replace(hour=12, minute=0, second=0, microsecond=0)
    # The default X schedule reads at 1 h, 24 h, 48 h, 7 d and 30 d: run the collector hourly
    # over two whole days and the first week's mark, as a naive scheduler might.
    start = max(published + timedelta(hours=1, minutes=1), noon)
    moments = [start + timedelta(hours=h) for h in range(0, 72)]
    for moment in moments:
        collect_metrics(ctx, now=moment)
    # The account's own timeline (owned reads, $0.001 a post): the worker's connection check
    # kept its user id, so no post is looked up by id.
    ledger = _ledger(stack)
    reads, spent = ledger["read_owned"]
    assert "read_post" not in ledger
    # Every post read on at most one occasion per UTC day and only at its scheduled marks.
    assert 3 <= reads <= 3 * 3
    assert spent == Decimal("0.001") * reads
    assert _meter(stack)["read_owned"] == reads
    with stack.session() as s:
        snapshots = s.scalar(
            select(func.count()).select_from(SpendEntry).where(SpendEntry.action == "read_owned")
        )
    assert snapshots == reads


def test_the_ledger_agrees_with_the_platforms_meter(stack: Stack) -> None:
    stack.due_posts(2, prefix="Tautan https://bekasikota.go.id")
    stack.due_posts(2, prefix="Tanpa tautan")
    stack.start_worker()
    stack.wait(lambda: stack.all_published(4), timeout=60, what="publication")
    meter = stack.sim.call("GET", "/_sim/meter")
    ledger_total = sum((total for _, total in _ledger(stack).values()), Decimal(0))
    assert ledger_total == Decimal(meter["total_usd"])
    assert _ledger(stack)["post_with_url"] == (2, Decimal("0.4"))
