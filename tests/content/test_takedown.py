"""Takedown ("Tarik publikasi"): who may, what it needs, what it changes at once, and the
worker's claims and outcomes of the deletes. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from content.costs import month_of
from content.delivery import operations, publishing, takedown
from content.delivery.publishing import Failure
from content.infra.errors import InvalidTransition, PermissionDenied, ValidationFailed
from content.infra.timeutil import utcnow
from content.models import (
    AttemptOutcome,
    AuditEvent,
    Channel,
    MetricSnapshot,
    Post,
    PostStatus,
    PostTarget,
    PublishAttempt,
    Slide,
    TargetStatus,
)
from content.monev.latest import published_in
from content.monev.periods import parse_period
from content.playlist.reading import playlist_at
from tests.world import World

W = "worker-a"
REASON = "Data jadwal posyandu keliru; diganti pengumuman baru."


def _published(world: World, *, fail_channel: Channel | None = None) -> Post:
    """A post published through the worker's own calls, with a slide on the screen."""
    from content.editorial import workflow

    post = world.post_in(PostStatus.APPROVED)
    workflow.publish_now(world.session, world.utama, post.id)
    for claim in publishing.claim_due(world.session, W):
        if claim.channel is fail_channel:
            failure = Failure(AttemptOutcome.PERMANENT, "ditolak", "400")
            publishing.record_failure(world.session, claim, W, failure, max_attempts=1)
            continue
        if claim.channel is Channel.VIDEOTRON:
            world.session.add(
                Slide(
                    post_id=post.id,
                    screen_id=world.screen_id,
                    target_id=claim.target_id,
                    sha256="a" * 64,
                    valid_from=utcnow() - timedelta(minutes=5),
                )
            )
        publishing.record_success(
            world.session, claim, W, remote_id=f"r{claim.target_id}", url="https://x.test/1"
        )
    world.session.flush()
    world.session.expire_all()
    return post


def _targets(world: World, post_id: int) -> dict[Channel, PostTarget]:
    world.session.expire_all()
    rows = world.session.scalars(select(PostTarget).where(PostTarget.post_id == post_id))
    return {t.channel: t for t in rows}


@pytest.mark.parametrize("who", ["pembantu", "analyst", "sysadmin"])
def test_only_ppid_utama_may_take_a_post_down(world: World, who: str) -> None:
    post = _published(world)
    with pytest.raises(PermissionDenied, match="menarik publikasi"):
        takedown.takedown(world.session, world.actor(who), post.id, REASON)
    assert world.session.get(Post, post.id).status is PostStatus.PUBLISHED  # type: ignore[union-attr]


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(world: World, reason: str) -> None:
    post = _published(world)
    with pytest.raises(ValidationFailed, match="Tuliskan alasan penarikan"):
        takedown.takedown(world.session, world.utama, post.id, reason)


def test_only_a_published_post_can_be_taken_down(world: World) -> None:
    post = world.post_in(PostStatus.SCHEDULED)
    with pytest.raises(InvalidTransition, match="hanya konten yang sudah terbit"):
        takedown.takedown(world.session, world.utama, post.id, REASON)


def test_takedown_marks_channels_ends_slides_and_is_audited(world: World) -> None:
    post = _published(world)
    screen = playlist_at(world.session, world.screen_id)
    assert [i.post_id for i in screen.items] == [post.id]

    record = takedown.takedown(
        world.session, world.utama, post.id, f"  {REASON} ", expected_version=post.version
    )

    assert record.reason == REASON and record.requested_by_id == world.utama.user_id
    targets = _targets(world, post.id)
    assert targets[Channel.X].status is TargetStatus.REMOVAL_DUE
    assert targets[Channel.INSTAGRAM].status is TargetStatus.REMOVAL_DUE
    assert targets[Channel.VIDEOTRON].status is TargetStatus.REMOVED
    stored = world.session.get(Post, post.id)
    assert stored is not None and stored.status is PostStatus.TAKEN_DOWN
    assert stored.published_at is not None  # its history stays
    assert playlist_at(world.session, world.screen_id).items == ()
    slide = world.session.scalar(select(Slide).where(Slide.post_id == post.id))
    assert slide is not None and slide.valid_until is not None and slide.valid_until <= utcnow()
    event = world.session.scalar(select(AuditEvent).where(AuditEvent.action == "post.taken_down"))
    assert event is not None and event.entity_id == post.id
    assert event.actor_label == "utama" and event.reason == REASON
    assert event.after is not None and event.after["slides_ended"] == 1
    assert record.settled_at is None  # the social deletes are still to come


def test_a_second_takedown_says_it_is_already_taken_down(world: World) -> None:
    post = _published(world)
    takedown.takedown(world.session, world.utama, post.id, REASON)
    with pytest.raises(InvalidTransition, match=r"^Konten ini sudah ditarik\.$"):
        # Even from a page opened before the first takedown (a stale version).
        takedown.takedown(
            world.session, world.utama2, post.id, "Lagi", expected_version=post.version
        )


def test_targets_that_never_went_live_cannot_be_retried_after(world: World) -> None:
    post = _published(world, fail_channel=Channel.INSTAGRAM)
    assert world.session.get(Post, post.id).status is PostStatus.PARTIALLY_PUBLISHED  # type: ignore[union-attr]
    takedown.takedown(world.session, world.utama, post.id, REASON)
    failed = _targets(world, post.id)[Channel.INSTAGRAM]
    assert failed.status is TargetStatus.CANCELLED and failed.last_error == "ditolak"
    with pytest.raises(InvalidTransition):
        operations.retry_target(world.session, world.utama, failed.id)


def test_deletes_are_claimed_once_with_their_attempt_rows(world: World) -> None:
    post = _published(world)
    takedown.takedown(world.session, world.utama, post.id, REASON)
    removals = takedown.claim_removals(world.session, W, stale_after=timedelta(seconds=60))
    assert {r.channel for r in removals} == {Channel.X, Channel.INSTAGRAM}
    assert all(r.remote_id == f"r{r.target_id}" and r.attempt_number == 1 for r in removals)
    assert takedown.claim_removals(world.session, "worker-b", stale_after=timedelta(60)) == []
    attempts = world.session.scalars(
        select(PublishAttempt).where(PublishAttempt.action == "delete")
    ).all()
    assert len(attempts) == 2 and {a.outcome for a in attempts} == {AttemptOutcome.STARTED}
    assert {t.status for t in _targets(world, post.id).values()} == {
        TargetStatus.REMOVING,
        TargetStatus.REMOVED,
    }


def test_outcomes_settle_the_takedown_and_keep_metrics(world: World) -> None:
    post = _published(world)
    x_target = _targets(world, post.id)[Channel.X]
    world.session.add(MetricSnapshot(target_id=x_target.id, likes=12, views=300))
    record = takedown.takedown(world.session, world.utama, post.id, REASON)
    removals = {
        r.channel: r
        for r in takedown.claim_removals(world.session, W, stale_after=timedelta(seconds=60))
    }
    takedown.record_removed(world.session, removals[Channel.X], W, http_status=200)
    assert record.settled_at is None
    manual = Failure(AttemptOutcome.PERMANENT, "Instagram: hapus manual: buka Instagram", "x")
    takedown.record_manual(world.session, removals[Channel.INSTAGRAM], W, manual)
    targets = _targets(world, post.id)
    assert targets[Channel.X].status is TargetStatus.REMOVED
    assert targets[Channel.INSTAGRAM].status is TargetStatus.REMOVE_MANUALLY
    assert "hapus manual" in targets[Channel.INSTAGRAM].last_error
    assert targets[Channel.INSTAGRAM].last_error_code == takedown.MANUAL_CODE
    world.session.refresh(record)
    assert record.settled_at is not None
    actions = world.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "post_target")
    ).all()
    assert sorted(actions) == ["target.remove_manually", "target.removed"]
    # The history stays: its metrics, its place in Monev, its status through later refreshes.
    assert world.session.scalar(
        select(MetricSnapshot.likes).where(MetricSnapshot.target_id == x_target.id)
    )
    period = parse_period(month_of(utcnow()))
    assert world.session.scalar(select(Post.id).where(published_in(period))) == post.id
    assert publishing.refresh_post_status(world.session, post.id, world.utama) is (
        PostStatus.TAKEN_DOWN
    )


def test_a_retryable_delete_comes_back_then_gives_up(world: World) -> None:
    post = _published(world)
    takedown.takedown(world.session, world.utama, post.id, REASON)
    stale = timedelta(seconds=60)
    removal = next(
        r
        for r in takedown.claim_removals(world.session, W, stale_after=stale)
        if r.channel is Channel.X
    )
    reset = utcnow() + timedelta(minutes=15)
    busy = Failure(AttemptOutcome.RETRYABLE, "X: server bermasalah", "503", 503, retry_at=reset)
    status = takedown.record_removal_failure(world.session, removal, W, busy, max_attempts=2)
    assert status is TargetStatus.REMOVAL_DUE
    assert takedown.claim_removals(world.session, W, stale_after=stale) == []
    later = reset + timedelta(seconds=1)
    again = {
        r.channel: r
        for r in takedown.claim_removals(world.session, W, stale_after=stale, now=later)
    }
    # The Instagram claim left unrecorded is stale by then and is taken again too.
    assert {c: r.attempt_number for c, r in again.items()} == {
        Channel.X: 2,
        Channel.INSTAGRAM: 2,
    }
    status = takedown.record_removal_failure(
        world.session, again[Channel.X], W, busy, max_attempts=2
    )
    assert status is TargetStatus.REMOVAL_FAILED
    target = _targets(world, post.id)[Channel.X]
    assert target.last_error == "X: server bermasalah" and target.last_error_code == "503"


def test_a_lost_delete_is_claimed_again_by_another_worker(world: World) -> None:
    post = _published(world)
    takedown.takedown(world.session, world.utama, post.id, REASON)
    stale = timedelta(seconds=60)
    first = takedown.claim_removals(world.session, "dead-worker", stale_after=stale)
    assert len(first) == 2
    # Not before the claim is stale: the first worker may still be sending it.
    assert takedown.claim_removals(world.session, W, stale_after=stale) == []
    later = utcnow() + timedelta(minutes=5)
    again = takedown.claim_removals(world.session, W, stale_after=stale, now=later)
    assert sorted(r.target_id for r in again) == sorted(r.target_id for r in first)
    assert {r.attempt_number for r in again} == {2}
    lost = world.session.scalars(
        select(PublishAttempt).where(PublishAttempt.id.in_([r.attempt_id for r in first]))
    ).all()
    assert {a.outcome for a in lost} == {AttemptOutcome.UNKNOWN}


def test_a_person_confirms_a_manual_removal_and_retries_a_failed_one(world: World) -> None:
    post = _published(world)
    record = takedown.takedown(world.session, world.utama, post.id, REASON)
    removals = {
        r.channel: r
        for r in takedown.claim_removals(world.session, W, stale_after=timedelta(seconds=60))
    }
    expired = Failure(AttemptOutcome.PERMANENT, "X: token akses tidak berlaku", "401", 401)
    takedown.record_removal_failure(world.session, removals[Channel.X], W, expired, max_attempts=5)
    manual = Failure(AttemptOutcome.PERMANENT, "Instagram: hapus manual", "unsupported")
    takedown.record_manual(world.session, removals[Channel.INSTAGRAM], W, manual)
    targets = _targets(world, post.id)
    x_id, ig_id = targets[Channel.X].id, targets[Channel.INSTAGRAM].id

    with pytest.raises(PermissionDenied):
        takedown.confirm_manual_removal(world.session, world.pembantu, ig_id)
    with pytest.raises(InvalidTransition, match="Hanya penghapusan yang gagal"):
        takedown.retry_removal(world.session, world.utama, ig_id)
    takedown.confirm_manual_removal(world.session, world.utama, ig_id)
    takedown.retry_removal(world.session, world.utama, x_id)
    targets = _targets(world, post.id)
    assert targets[Channel.INSTAGRAM].status is TargetStatus.REMOVED
    assert targets[Channel.X].status is TargetStatus.REMOVAL_DUE
    world.session.refresh(record)
    assert record.settled_at is None  # the X delete is due again
    again = takedown.claim_removals(world.session, W, stale_after=timedelta(seconds=60))
    assert [r.target_id for r in again] == [x_id]
    takedown.record_removed(world.session, again[0], W, http_status=200)
    world.session.refresh(record)
    assert record.settled_at is not None
    people = world.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_label == "utama")
    ).all()
    assert {"target.removed_manually", "target.removal_retried"} <= set(people)
