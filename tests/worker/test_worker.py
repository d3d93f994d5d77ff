"""The worker as it runs in production: separate processes, the simulator over real HTTP, a real
database. Each test states what a person would notice: published once, never twice, never lost."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest
from sqlalchemy import select

from content.delivery import operations
from content.models import AttemptOutcome, PostStatus, PostTarget, TargetStatus, User
from content.org.actors import Actor
from tests.worker.conftest import Stack

pytestmark = pytest.mark.e2e


def _texts(stack: Stack) -> Counter[str]:
    return Counter(p["text"] for p in stack.sim.x_posts())


def _target(stack: Stack, post_id: int) -> PostTarget:
    return stack.post(post_id).targets[0]


def test_many_due_targets_two_workers_each_published_exactly_once(stack: Stack) -> None:
    count = 500 if stack.database.backend == "postgresql" else 120
    ids = stack.due_posts(count)
    stack.start_worker()
    stack.start_worker()
    stack.wait(lambda: stack.all_published(count), timeout=240, what=f"{count} publications")
    texts = _texts(stack)
    assert len(texts) == count and set(texts.values()) == {1}  # nobody posted twice
    with stack.session() as s:
        claimed_by = Counter(s.scalars(select(PostTarget.claimed_by)))
    posts = [stack.post(i) for i in ids[:5]]
    assert all(p.status is PostStatus.PUBLISHED for p in posts)
    assert claimed_by == Counter({None: count})
    logs = stack.logs()
    # Both workers took part (the claims are shared, not serialised on one of them).
    assert (
        len(
            {
                line.split('"worker_id": "')[1].split('"')[0]
                for line in logs.splitlines()
                if '"outcome": "success"' in line
            }
        )
        == 2
    )


def test_worker_killed_mid_publish_then_restarted_publishes_once(stack: Stack) -> None:
    # The platform creates the post, then takes 8 s to answer: the worker dies in between.
    stack.sim.fault(
        platform="x", method="POST", path="^/2/tweets$", kind="slow_after", delay=8, times=1
    )
    (post_id,) = stack.due_posts(1)
    first = stack.start_worker()
    stack.wait(lambda: len(stack.sim.x_posts()) == 1, timeout=30, what="the post to reach X")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert _target(stack, post_id).status is TargetStatus.PUBLISHING
    stack.start_worker()
    stack.wait(lambda: stack.all_published(1), timeout=60, what="reconciliation")
    assert len(stack.sim.x_posts()) == 1  # never twice
    target = _target(stack, post_id)
    assert target.remote_id == stack.sim.x_posts()[0]["id"]
    outcomes = [a.outcome for a in stack.attempts(target.id)]
    assert outcomes[-1] is AttemptOutcome.RECONCILED


def test_killed_while_the_platform_is_still_working_is_published_once(stack: Stack) -> None:
    # The platform holds the request 8 s before it creates the post; the worker dies meanwhile.
    # The restarted worker must not conclude "not there" before the lost call could have landed.
    stack.sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="slow", delay=8, times=1)
    (post_id,) = stack.due_posts(1)
    first = stack.start_worker()
    stack.wait(
        lambda: stack.sim.calls(platform="x", method="POST") >= 1, timeout=30, what="the call"
    )
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert stack.sim.x_posts() == []  # not there yet: a naive reconciler would post again now
    stack.start_worker()
    stack.wait(lambda: stack.all_published(1), timeout=60, what="reconciliation")
    time.sleep(1)
    assert len(stack.sim.x_posts()) == 1
    first_try, second_try = stack.attempts(_target(stack, post_id).id)
    # The abandoned request died with its connection, so nothing was there: published again,
    # but only after the settle time (11 s here), when the lost call could no longer land.
    assert second_try.outcome is AttemptOutcome.SUCCESS
    assert (second_try.started_at - first_try.started_at).total_seconds() >= 11


def test_rate_limit_waits_for_the_reset_then_succeeds(stack: Stack) -> None:
    stack.sim.fault(
        platform="x", method="POST", path="^/2/tweets$", kind="rate_limit", times=1, reset_in=3
    )
    (post_id,) = stack.due_posts(1)
    stack.start_worker()
    stack.wait(lambda: stack.all_published(1), timeout=60, what="publication after the reset")
    attempts = stack.attempts(_target(stack, post_id).id)
    assert [a.outcome for a in attempts] == [AttemptOutcome.RETRYABLE, AttemptOutcome.SUCCESS]
    assert attempts[0].http_status == 429
    waited = (attempts[1].started_at - attempts[0].finished_at).total_seconds()  # type: ignore[operator]
    assert waited >= 2.0  # honoured x-rate-limit-reset, not the 0.3 s backoff


def test_server_errors_on_the_create_are_looked_up_then_sent_again(stack: Stack) -> None:
    stack.sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="server_error", times=2)
    (post_id,) = stack.due_posts(1)
    stack.start_worker()
    stack.wait(lambda: stack.all_published(1), timeout=60, what="publication after 5xx")
    outcomes = [a.outcome for a in stack.attempts(_target(stack, post_id).id)]
    # A 5xx may hide a created post: each was settled on the timeline (not there) first.
    assert outcomes == [AttemptOutcome.UNKNOWN, AttemptOutcome.UNKNOWN, AttemptOutcome.SUCCESS]
    assert stack.sim.calls(platform="x", method="GET", path="/2/users/:id/tweets") >= 2
    assert len(stack.sim.x_posts()) == 1


def test_duplicate_content_fails_at_once_with_the_platforms_message(stack: Stack) -> None:
    stack.sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="duplicate", times=1)
    (post_id,) = stack.due_posts(1)
    stack.start_worker()
    stack.wait(
        lambda: stack.target_statuses().get(TargetStatus.FAILED) == 1, timeout=60, what="failure"
    )
    target = _target(stack, post_id)
    assert "You are not allowed to create a Tweet with duplicate content." in target.last_error
    assert len(stack.attempts(target.id)) == 1  # permanent: not retried
    assert stack.post(post_id).status is PostStatus.FAILED


def test_emergency_stop_holds_everything_until_lifted(stack: Stack) -> None:
    with stack.session() as s, s.begin():
        utama = Actor.of(s.scalars(select(User).where(User.username == "utama")).one())
        operations.pause_all(s, utama, "Hari berkabung daerah")
    stack.due_posts(5)
    stack.start_worker()
    time.sleep(4)  # twenty dispatch ticks
    assert stack.sim.x_posts() == []
    assert stack.target_statuses() == {TargetStatus.SCHEDULED: 5}
    with stack.session() as s, s.begin():
        operations.resume_all(s, utama, "Selesai")
    stack.wait(lambda: stack.all_published(5), timeout=60, what="publication after the pause")


def test_sigterm_lets_the_call_in_flight_finish(stack: Stack) -> None:
    stack.sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="slow", delay=3, times=1)
    (post_id,) = stack.due_posts(1)
    worker = stack.start_worker()
    stack.wait(
        lambda: stack.sim.calls(platform="x", method="POST") >= 1, timeout=30, what="the call"
    )
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
    assert _target(stack, post_id).status is TargetStatus.PUBLISHED
    assert len(stack.sim.x_posts()) == 1


def test_the_worker_carries_on_through_a_simulator_outage(stack: Stack) -> None:
    stack.sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="html_error", times=2)
    stack.due_posts(3)
    stack.start_worker()
    stack.wait(lambda: stack.all_published(3), timeout=60, what="publication after a 502 outage")
    assert len(stack.sim.x_posts()) == 3


def test_an_accounts_daily_cap_holds_the_rest_with_a_reason(stack: Stack) -> None:
    stack.daily_cap("x", 2)
    stack.due_posts(4)
    stack.start_worker()
    # Two go out and two wait; the calls of the first two may still be in flight meanwhile.
    expected = {TargetStatus.PUBLISHED: 2, TargetStatus.WAITING: 2}
    stack.wait(lambda: stack.target_statuses() == expected, timeout=60, what="two held by the cap")
    with stack.session() as s:
        reasons = set(
            s.scalars(
                select(PostTarget.wait_reason).where(PostTarget.status == TargetStatus.WAITING)
            )
        )
    assert reasons == {"Batas harian publikasi akun ini tercapai; menunggu 24 jam bergulir."}
    assert len(stack.sim.x_posts()) == 2
