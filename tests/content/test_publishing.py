"""The worker's state changes: claims, outcomes, reconciliation, derived post status."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.delivery import operations, publishing
from content.delivery.holds import Hold, HoldCode
from content.delivery.publishing import Failure
from content.infra.timeutil import utcnow
from content.models import (
    AttemptOutcome,
    AuditEvent,
    Post,
    PostStatus,
    PostTarget,
    PublishAttempt,
    TargetStatus,
)
from tests.conftest import Database
from tests.world import World, build_world

W = "worker-a"


def _due_post(world: World) -> Post:
    post = world.post_in(PostStatus.APPROVED)
    from content.editorial import workflow

    workflow.publish_now(world.session, world.utama, post.id)
    return post


def test_only_due_targets_of_scheduled_posts_are_claimed(world: World) -> None:
    later = world.post_in(PostStatus.SCHEDULED)
    due = _due_post(world)
    claims = publishing.claim_due(world.session, W)
    assert {c.post_id for c in claims} == {due.id}
    assert len(claims) == len(due.targets)
    world.session.expire_all()
    assert world.session.get(Post, due.id).status is PostStatus.PUBLISHING  # type: ignore[union-attr]
    assert world.session.get(Post, later.id).status is PostStatus.SCHEDULED  # type: ignore[union-attr]
    attempts = world.session.scalar(select(func.count()).select_from(PublishAttempt))
    assert attempts == len(claims)  # written before any platform call
    assert publishing.claim_due(world.session, "worker-b") == []


def test_nothing_is_claimed_while_publication_is_paused(world: World) -> None:
    _due_post(world)
    operations.pause_all(world.session, world.utama, "Berkabung")
    assert publishing.claim_due(world.session, W) == []
    operations.resume_all(world.session, world.utama)
    assert publishing.claim_due(world.session, W) != []


def test_content_that_differs_from_the_approval_is_refused(world: World) -> None:
    post = _due_post(world)
    post.caption = "Diubah diam-diam setelah disetujui"
    world.session.flush()
    assert publishing.claim_due(world.session, W) == []
    world.session.expire_all()
    targets = world.session.scalars(select(PostTarget).where(PostTarget.post_id == post.id)).all()
    assert {t.status for t in targets} == {TargetStatus.FAILED}
    assert "berbeda dari yang disetujui" in targets[0].last_error
    assert world.session.get(Post, post.id).status is PostStatus.FAILED  # type: ignore[union-attr]


def test_success_on_every_target_publishes_the_post(world: World) -> None:
    post = _due_post(world)
    for claim in publishing.claim_due(world.session, W):
        publishing.record_success(
            world.session, claim, W, remote_id=f"r{claim.target_id}", url="https://x.test/1"
        )
    world.session.expire_all()
    stored = world.session.get(Post, post.id)
    assert stored is not None and stored.status is PostStatus.PUBLISHED and stored.published_at
    actions = world.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity_id == post.id, AuditEvent.entity_type == "post"
        )
    ).all()
    assert actions[-2:] == ["post.publishing", "post.published"]
    assert stored.version == post.version  # the worker does not bump the people's version


def test_retryable_failure_waits_for_the_platforms_reset_then_gives_up(world: World) -> None:
    _due_post(world)
    claim = publishing.claim_due(world.session, W, limit=1)[0]
    reset = utcnow() + timedelta(minutes=15)
    failure = Failure(AttemptOutcome.RETRYABLE, "Too Many Requests", "429", 429, retry_at=reset)
    status = publishing.record_failure(world.session, claim, W, failure, max_attempts=2)
    target = world.session.get(PostTarget, claim.target_id)
    assert status is TargetStatus.SCHEDULED and target is not None and target.due_at == reset
    assert claim.target_id not in {c.target_id for c in publishing.claim_due(world.session, W)}
    again = publishing.claim_due(world.session, W, now=reset + timedelta(seconds=1))
    retry = next(c for c in again if c.target_id == claim.target_id)
    assert retry.attempt_number == 2
    status = publishing.record_failure(world.session, retry, W, failure, max_attempts=2)
    assert status is TargetStatus.FAILED
    assert target.last_error == "Too Many Requests" and target.last_error_code == "429"


def test_permanent_failure_on_one_target_is_a_partial_publication(world: World) -> None:
    post = _due_post(world)
    claims = publishing.claim_due(world.session, W)
    duplicate = Failure(
        AttemptOutcome.PERMANENT,
        "You are not allowed to create a Tweet with duplicate content.",
        "403",
        403,
    )
    publishing.record_failure(world.session, claims[0], W, duplicate, max_attempts=5)
    for claim in claims[1:]:
        publishing.record_success(world.session, claim, W, remote_id="ok", url=None)
    world.session.expire_all()
    assert world.session.get(Post, post.id).status is PostStatus.PARTIALLY_PUBLISHED  # type: ignore[union-attr]
    failed = world.session.get(PostTarget, claims[0].target_id)
    assert failed is not None and failed.status is TargetStatus.FAILED
    assert "duplicate content" in failed.last_error


def test_unknown_outcome_is_held_for_reconciliation(world: World) -> None:
    _due_post(world)
    claim = publishing.claim_due(world.session, W, limit=1)[0]
    timeout = Failure(
        AttemptOutcome.UNKNOWN, "Read timed out after the request was sent", "timeout"
    )
    assert (
        publishing.record_failure(world.session, claim, W, timeout, max_attempts=5)
        is TargetStatus.UNKNOWN
    )
    doubtful = publishing.in_doubt(world.session, stale_after=timedelta(seconds=30))
    assert [c.target_id for c in doubtful] == [claim.target_id]
    assert publishing.adopt(world.session, doubtful[0], "worker-b")
    publishing.requeue(
        world.session, doubtful[0], "worker-b", "Tidak ditemukan di platform", max_attempts=5
    )
    target = world.session.get(PostTarget, claim.target_id)
    assert target is not None and target.status is TargetStatus.SCHEDULED


def test_a_dead_workers_claim_is_in_doubt_only_once_it_is_stale(world: World) -> None:
    _due_post(world)
    operations.beat(world.session, W, hostname="h", pid=1, details={})
    claim = publishing.claim_due(world.session, W, limit=1)[0]
    assert publishing.in_doubt(world.session, stale_after=timedelta(seconds=30)) == []
    later = utcnow() + timedelta(minutes=2)
    doubtful = publishing.in_doubt(world.session, now=later, stale_after=timedelta(seconds=30))
    assert [c.target_id for c in doubtful] == [claim.target_id]
    publishing.record_success(
        world.session, doubtful[0], "worker-b", remote_id="found", url=None, reconciled=True
    )
    attempt = world.session.get(PublishAttempt, claim.attempt_id)
    assert attempt is not None and attempt.outcome is AttemptOutcome.RECONCILED


def test_release_gives_a_claim_back_untouched(world: World) -> None:
    _due_post(world)
    claim = publishing.claim_due(world.session, W, limit=1)[0]
    publishing.release(world.session, claim)
    world.session.expire_all()
    target = world.session.get(PostTarget, claim.target_id)
    assert target is not None and target.status is TargetStatus.SCHEDULED and target.attempts == 0
    assert world.session.get(PublishAttempt, claim.attempt_id) is None


def test_held_targets_come_back_when_their_wait_is_over(world: World) -> None:
    _due_post(world)
    claim = publishing.claim_due(world.session, W, limit=1)[0]
    publishing.release(world.session, claim)
    until = utcnow() + timedelta(hours=1)
    publishing.hold(world.session, claim.target_id, Hold(HoldCode.DAILY_CAP), until)
    assert publishing.release_held(world.session) == 0
    assert publishing.release_held(world.session, now=until + timedelta(seconds=1)) == 1


def test_two_workers_never_claim_the_same_target(committed: Database, tmp_path: Path) -> None:
    with Session(committed.engine) as setup, setup.begin():
        world = build_world(setup, tmp_path / "media")
        for _ in range(6):
            _due_post(world)
    first, second = Session(committed.engine), Session(committed.engine)
    try:
        first.begin()
        a = publishing.claim_due(first, "a", limit=100)
        if committed.backend == "postgresql":
            # While the first transaction still holds its rows, the second skips them.
            second.begin()
            b = publishing.claim_due(second, "b", limit=100)
            first.commit()
            second.commit()
        else:
            first.commit()
            second.begin()
            b = publishing.claim_due(second, "b", limit=100)
            second.commit()
    finally:
        first.close()
        second.close()
    ids_a, ids_b = {c.target_id for c in a}, {c.target_id for c in b}
    assert ids_a and not ids_a & ids_b
    with Session(committed.engine) as check:
        assert check.scalar(select(func.count()).select_from(PublishAttempt)) == len(ids_a | ids_b)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([TargetStatus.PUBLISHED, TargetStatus.PUBLISHED], PostStatus.PUBLISHED),
        ([TargetStatus.PUBLISHED, TargetStatus.FAILED], PostStatus.PARTIALLY_PUBLISHED),
        ([TargetStatus.FAILED, TargetStatus.FAILED], PostStatus.FAILED),
        ([TargetStatus.PUBLISHED, TargetStatus.UNKNOWN], PostStatus.PUBLISHING),
        ([TargetStatus.SCHEDULED, TargetStatus.SCHEDULED], PostStatus.SCHEDULED),
        ([TargetStatus.PUBLISHED, TargetStatus.WAITING], PostStatus.PUBLISHING),
    ],
)
def test_post_status_follows_its_targets(
    statuses: list[TargetStatus], expected: PostStatus
) -> None:
    assert publishing.derive_status(statuses, PostStatus.SCHEDULED) is expected


def _unknown(world: World, claim: publishing.Claim, http_status: int | None) -> None:
    failure = Failure(
        AttemptOutcome.UNKNOWN, "X: server platform sedang bermasalah", "503", http_status
    )
    publishing.record_failure(world.session, claim, W, failure, max_attempts=5)


def test_an_answered_create_is_looked_up_sooner_than_a_call_that_got_no_answer(
    world: World,
) -> None:
    _due_post(world)
    answered, silent = publishing.claim_due(world.session, W, limit=2)
    _unknown(world, answered, 503)  # the platform answered 5xx: the call is over
    _unknown(world, silent, None)  # read timeout: the call may still land
    soon = utcnow() + timedelta(seconds=10)
    doubtful = publishing.in_doubt(
        world.session,
        now=soon,
        stale_after=timedelta(seconds=30),
        settle=timedelta(minutes=1),
        answered_settle=timedelta(seconds=5),
    )
    assert [c.target_id for c in doubtful] == [answered.target_id]
    later = publishing.in_doubt(
        world.session,
        now=utcnow() + timedelta(minutes=2),
        stale_after=timedelta(seconds=30),
        settle=timedelta(minutes=1),
        answered_settle=timedelta(seconds=5),
    )
    assert {c.target_id for c in later} == {answered.target_id, silent.target_id}


def test_not_found_is_sent_again_only_while_attempts_remain(world: World) -> None:
    post = _due_post(world)
    claim = publishing.claim_due(world.session, W, limit=1)[0]
    first_started = publishing.first_attempt_at(world.session, claim.target_id)
    _unknown(world, claim, 503)
    assert publishing.requeue(world.session, claim, W, "tidak ada", max_attempts=2) is (
        TargetStatus.SCHEDULED
    )
    again = next(
        c for c in publishing.claim_due(world.session, W) if c.target_id == claim.target_id
    )
    assert again.attempt_number == 2  # the re-send has its own attempt row
    assert publishing.first_attempt_at(world.session, claim.target_id) == first_started
    _unknown(world, again, 503)
    note = "Tidak ditemukan di platform setelah 2 percobaan; tidak dikirim lagi."
    assert publishing.requeue(world.session, again, W, note, max_attempts=2) is (
        TargetStatus.FAILED
    )
    target = world.session.get(PostTarget, claim.target_id, populate_existing=True)
    assert target is not None and target.last_error == note
    attempts = world.session.scalars(
        select(PublishAttempt).where(PublishAttempt.target_id == claim.target_id)
    ).all()
    assert [a.outcome for a in attempts] == [AttemptOutcome.UNKNOWN] * 2
    assert all("bermasalah" in a.error_message for a in attempts)  # the platform's answer kept
    assert post.id == claim.post_id


def test_a_duplicate_that_was_not_ours_fails_without_another_attempt(world: World) -> None:
    _due_post(world)
    claim = publishing.claim_due(world.session, W, limit=1)[0]
    duplicate = Failure(
        AttemptOutcome.UNKNOWN,
        "X: platform menolak konten yang sama persis",
        "403",
        403,
        reason="duplicate",
        platform_message="You are not allowed to create a Tweet with duplicate content.",
    )
    publishing.record_failure(world.session, claim, W, duplicate, max_attempts=5)
    attempt = publishing.last_attempt(world.session, claim)
    assert attempt is not None and attempt.reason == "duplicate"
    assert attempt.platform_message.startswith("You are not allowed")
    final = Failure(AttemptOutcome.PERMANENT, "X: ditolak sebagai duplikat.", "403", 403)
    publishing.give_up(world.session, claim, W, final)
    target = world.session.get(PostTarget, claim.target_id, populate_existing=True)
    assert target is not None and target.status is TargetStatus.FAILED
    assert target.last_error == "X: ditolak sebagai duplikat."


def test_a_kept_container_belongs_to_the_content_it_was_made_for(world: World) -> None:
    post = _due_post(world)
    claim = publishing.claim_due(world.session, W, limit=1)[0]
    publishing.keep_container(world.session, claim.target_id, post.content_hash, "17900001")
    target = world.session.get(PostTarget, claim.target_id, populate_existing=True)
    assert target is not None
    assert publishing.kept_container(target, post.content_hash) == "17900001"
    assert publishing.kept_container(target, "another-approved-content") is None
    publishing.record_success(world.session, claim, W, remote_id="1790002", url=None)
    assert target.container_ref is None  # published: nothing left to reuse
