"""Platforms that do not say what they did: real worker processes against the simulator over
HTTP, on both databases. Creates that land and answer 5xx, creates that are refused with 5xx, a
Graph that accepts the same message twice, a worker killed while creates are in flight. What a
person checks afterwards: every target is on its account exactly once, under the platform's id."""

from __future__ import annotations

import signal
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from content.models import AttemptOutcome, Post, PostTarget, TargetStatus
from publishers.social.target import fingerprint
from tests.worker.conftest import Stack

pytestmark = pytest.mark.e2e

# The one call per platform whose success makes a post public (Facebook: text and multi-photo
# posts on /feed, a single photo on a published /photos — not the unpublished uploads).
CREATES = {
    "x": {"platform": "x", "method": "POST", "path": "^/2/tweets$"},
    "facebook": {
        "platform": "graph",
        "method": "POST",
        "path": "/(feed|photos)$",
        "unless": {"published": "false"},
    },
    "instagram": {"platform": "graph", "method": "POST", "path": "/media_publish$"},
}
TIMELINE = {"platform": "x", "method": "GET", "path": "^/2/users/[0-9]+/tweets$"}
TEXT_FIELD = {"x": "text", "facebook": "message", "instagram": "caption"}


def _on_the_platforms(stack: Stack) -> dict[tuple[str, str], list[str]]:
    """(channel, fingerprint of the text) -> ids of the posts the simulator holds."""
    found: dict[tuple[str, str], list[str]] = {}
    for channel, posts in stack.sim.call("GET", "/_sim/posts").items():
        if channel not in TEXT_FIELD:
            continue
        for post in posts:
            key = (channel, fingerprint(str(post.get(TEXT_FIELD[channel]) or "")))
            found.setdefault(key, []).append(str(post["id"]))
    return found


def _settled(stack: Stack, count: int) -> bool:
    statuses = stack.target_statuses()
    return sum(statuses.get(s, 0) for s in (TargetStatus.PUBLISHED, TargetStatus.FAILED)) == count


def assert_each_published_exactly_once(stack: Stack, count: int) -> Counter[int]:
    """Every target published, each once on its platform, under that post's id. Returns how many
    posts each target has on its platform (all 1), for the figures in the report."""
    on_platforms = _on_the_platforms(stack)
    with stack.session() as s:
        rows = s.execute(select(PostTarget, Post.caption).join(Post)).all()
    assert len(rows) == count
    per_target: Counter[int] = Counter()
    for target, caption in rows:
        assert target.status is TargetStatus.PUBLISHED, (target.id, target.last_error)
        ids = on_platforms.get((target.channel.value, fingerprint(caption)), [])
        per_target[len(ids)] += 1
        assert ids == [target.remote_id], (target.channel, caption, ids)
    assert sum(len(ids) for ids in on_platforms.values()) == count  # nothing else was posted
    return per_target


def _outcomes(stack: Stack) -> Counter[AttemptOutcome]:
    from content.models import PublishAttempt

    with stack.session() as s:
        return Counter(s.scalars(select(PublishAttempt.outcome)))


def _fired(stack: Stack) -> Counter[str]:
    """How often each kind of fault fired, as the simulator counted."""
    fired: Counter[str] = Counter()
    for fault in stack.sim.call("GET", "/_sim/faults")["faults"]:
        fired[fault["kind"]] += fault["fired"]
    return fired


def _fault(stack: Stack, channel: str, **spec: Any) -> None:
    stack.sim.fault(**CREATES[channel], **spec)


def test_creates_that_land_and_answer_5xx_are_found_not_sent_again(
    stack: Stack, media_feed: str
) -> None:
    # Every third create is carried out and answered 5xx; every seventh is refused with 5xx.
    for channel in CREATES:
        _fault(stack, channel, kind="created_then_error", every=3)
        _fault(stack, channel, kind="server_error", every=7)
    posts = 12
    stack.due_posts(posts, channels="x+fb+ig", photos=lambda n: 1 + n % 3)  # 1 to 3 photos
    stack.start_worker()
    stack.wait(lambda: _settled(stack, posts * 3), timeout=90, what="every target settled")

    per_target = assert_each_published_exactly_once(stack, posts * 3)

    assert per_target == Counter({1: posts * 3})
    fired = _fired(stack)
    assert fired["created_then_error"] >= 6 and fired["server_error"] >= 3
    outcomes = _outcomes(stack)
    # Each create that landed was found by reconciliation (its attempt says so); each refused
    # one was looked up, not found, and sent again under a new attempt.
    assert outcomes[AttemptOutcome.RECONCILED] == fired["created_then_error"]
    assert outcomes[AttemptOutcome.UNKNOWN] == fired["server_error"]
    # Instagram published its kept containers instead of making new ones.
    containers = stack.sim.call("GET", "/_sim/posts")["ig_containers"]
    published = [c for c in containers if c["status_code"] == "PUBLISHED"]
    assert len(published) == posts and all(not c["is_carousel_item"] for c in published)


def test_a_graph_that_accepts_duplicates_still_shows_each_message_once(stack: Stack) -> None:
    stack.sim.call("POST", "/_sim/config", json={"graph_accepts_duplicates": True})
    _fault(stack, "facebook", kind="created_then_error", every=2)
    posts = 10
    stack.due_posts(posts, channels="fb", photos=lambda n: n % 3)  # text, one photo, two
    stack.start_worker()
    stack.wait(lambda: _settled(stack, posts), timeout=60, what="every target settled")

    assert_each_published_exactly_once(stack, posts)
    assert _outcomes(stack)[AttemptOutcome.RECONCILED] >= 3


def test_a_worker_killed_with_creates_in_flight_leaves_each_post_once(
    stack: Stack, media_feed: str
) -> None:
    # Every create lands and then takes 6 s to answer: the worker dies in the middle of them.
    for channel in CREATES:
        _fault(stack, channel, kind="slow_after", delay=6, times=3)
    posts = 5
    stack.due_posts(posts, channels="x+fb+ig", photos=lambda n: 1 + n % 2)
    first = stack.start_worker()
    stack.wait(
        lambda: sum(len(ids) for ids in _on_the_platforms(stack).values()) >= 6,
        timeout=30,
        what="creates landed and still unanswered",
    )
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert stack.target_statuses().get(TargetStatus.PUBLISHING, 0) >= 6

    stack.start_worker()
    stack.wait(lambda: _settled(stack, posts * 3), timeout=60, what="reconciliation")

    assert_each_published_exactly_once(stack, posts * 3)
    assert _outcomes(stack)[AttemptOutcome.RECONCILED] >= 6


def test_a_duplicate_refusal_after_a_lost_create_is_recorded_as_published(stack: Stack) -> None:
    # The create lands and answers 5xx; the first look at the timeline comes back empty (the
    # listing lags), so the text is sent again and X refuses it as a duplicate: that refusal is
    # our own post speaking, and the next look finds it.
    _fault(stack, "x", kind="created_then_error", times=1)
    stack.sim.fault(**TIMELINE, kind="x_error", status=200, times=1)
    (post_id,) = stack.due_posts(1)
    stack.start_worker()
    stack.wait(lambda: _settled(stack, 1), timeout=60, what="reconciliation")

    assert_each_published_exactly_once(stack, 1)
    target = stack.post(post_id).targets[0]
    assert target.remote_url and target.remote_id in target.remote_url
    attempts = stack.attempts(target.id)
    assert [a.outcome for a in attempts] == [AttemptOutcome.UNKNOWN, AttemptOutcome.RECONCILED]
    assert attempts[1].reason == "duplicate"


def test_a_duplicate_refusal_that_is_not_ours_fails_with_the_platforms_words(
    stack: Stack,
) -> None:
    # A refused 5xx (nothing made), then the re-send is refused as a duplicate of some post
    # this account did not make here: looked up, not found, failed for good — no loop.
    _fault(stack, "x", kind="server_error", times=1)
    _fault(stack, "x", kind="duplicate", after=1, times=1)
    (post_id,) = stack.due_posts(1)
    stack.start_worker()
    stack.wait(lambda: _settled(stack, 1), timeout=60, what="the failure")

    target = stack.post(post_id).targets[0]
    assert target.status is TargetStatus.FAILED
    assert "You are not allowed to create a Tweet with duplicate content." in target.last_error
    assert "mungkin sudah terbit" not in target.last_error
    assert len(stack.attempts(target.id)) == 2  # never sent a third time
    assert stack.sim.x_posts() == []
