"""Outcomes are written in batches (issue #18): a worker killed in the middle of writing one
loses nothing and publishes nothing twice; several calls share one publisher per account and
each still pays only for its own calls."""

from __future__ import annotations

import signal
from collections import Counter

import pytest
from sqlalchemy import select, text

from content.models import AttemptOutcome, PostTarget, PublishAttempt, SpendEntry, TargetStatus
from tests.worker.conftest import Stack

pytestmark = pytest.mark.e2e

COUNT = 5  # fewer than `parallel`: all calls are in flight at once


def _answered(stack: Stack) -> int:
    log = list(stack.sim.state.log)
    return sum(1 for e in log if e.method == "POST" and e.path == "/2/tweets" and e.status)


def _writer_waits_for_the_lock(stack: Stack) -> bool:
    """PostgreSQL: the worker's outcome batch is inside its transaction, its UPDATE of the
    attempt rows waiting for our lock."""
    with stack.database.engine.connect() as conn:
        query = text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE 'UPDATE publish_attempt%'"
        )
        return bool(conn.scalar(query))


def test_killed_while_writing_a_batch_of_outcomes_loses_nothing_and_posts_nothing_twice(
    stack: Stack,
) -> None:
    # Every create lands at once, then its answer takes 2 s: meanwhile we lock the attempt
    # rows, so the batch that records the answers cannot finish; the worker dies inside it.
    stack.sim.fault(
        platform="x", method="POST", path="^/2/tweets$", kind="slow_after", delay=2, times=COUNT
    )
    ids = stack.due_posts(COUNT)
    first = stack.start_worker()
    stack.wait(lambda: len(stack.sim.x_posts()) == COUNT, timeout=30, what="the creates")
    engine = stack.database.engine
    lock = engine.connect()
    held = lock.begin()
    try:
        if stack.database.backend == "postgresql":
            lock.execute(select(PublishAttempt.id).with_for_update())
            stack.wait(lambda: _answered(stack) == COUNT, timeout=30, what="the answers")
            stack.wait(lambda: _writer_waits_for_the_lock(stack), timeout=30, what="the write")
        else:
            # SQLite: our transaction holds the database's write lock (BEGIN IMMEDIATE), so
            # the batch waits to begin; the worker dies with the outcomes unwritten.
            lock.execute(text("UPDATE publish_attempt SET worker_id = worker_id"))
            stack.wait(lambda: _answered(stack) == COUNT, timeout=30, what="the answers")
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        held.rollback()
        lock.close()
    with stack.session() as s:
        statuses = Counter(s.scalars(select(PostTarget.status)))
        unfinished = s.scalars(select(PublishAttempt).where(PublishAttempt.finished_at.is_(None)))
        assert statuses == Counter({TargetStatus.PUBLISHING: COUNT})  # nothing half-written
        assert len(unfinished.all()) == COUNT

    stack.start_worker()
    stack.wait(lambda: stack.all_published(COUNT), timeout=60, what="reconciliation")
    texts = Counter(p["text"] for p in stack.sim.x_posts())
    assert len(texts) == COUNT and set(texts.values()) == {1}  # never twice, none lost
    for post_id in ids:
        (target,) = stack.post(post_id).targets
        outcomes = [a.outcome for a in stack.attempts(target.id)]
        assert outcomes == [AttemptOutcome.RECONCILED]  # found, not sent again
        assert target.remote_id in {p["id"] for p in stack.sim.x_posts()}


def test_calls_sharing_one_publisher_each_pay_for_their_own(stack: Stack) -> None:
    count = 12
    stack.due_posts(count)
    stack.start_worker()
    stack.wait(lambda: stack.all_published(count), timeout=60, what="the publications")
    with stack.session() as s:
        query = select(SpendEntry.target_id, SpendEntry.action)
        rows = s.execute(query.where(SpendEntry.target_id.is_not(None))).all()
    # One post a target, booked against that target: none counted twice or on a neighbour
    # (the account check's own read is nobody's target).
    assert Counter(action for _, action in rows) == Counter({"post": count})
    assert len({target_id for target_id, _ in rows}) == count
