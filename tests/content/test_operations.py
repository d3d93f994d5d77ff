"""Emergency stop, worker heartbeats and retries of failed targets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from content.delivery import operations
from content.infra.errors import InvalidTransition, PermissionDenied, ValidationFailed
from content.infra.timeutil import utcnow
from content.models import AuditEvent, PostStatus, PublicationPause, TargetStatus
from tests.world import World


def test_pause_and_resume_are_recorded_with_their_reasons(world: World) -> None:
    pause = operations.pause_all(world.session, world.utama, "Berita duka: tunda semua unggahan.")
    assert operations.current_pause(world.session) is pause
    with pytest.raises(InvalidTransition, match="sudah dijeda"):
        operations.pause_all(world.session, world.utama2, "Lagi")
    operations.resume_all(world.session, world.utama2, "Masa berkabung selesai.")
    assert operations.current_pause(world.session) is None
    actions = list(
        world.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_type == "publication_pause")
        )
    )
    assert actions == ["publication.paused", "publication.resumed"]
    # History stays, and a new pause is possible after the first was lifted.
    operations.pause_all(world.session, world.utama, "Gangguan akun X.")
    assert len(world.session.scalars(select(PublicationPause)).all()) == 2


def test_only_ppid_utama_pauses_and_a_reason_is_required(world: World) -> None:
    for role in ("pembantu", "analyst", "sysadmin"):
        with pytest.raises(PermissionDenied):
            operations.pause_all(world.session, world.actor(role), "Alasan")
    with pytest.raises(ValidationFailed, match="alasan"):
        operations.pause_all(world.session, world.utama, "  ")
    with pytest.raises(InvalidTransition, match="tidak sedang dijeda"):
        operations.resume_all(world.session, world.utama)


def test_heartbeats_are_one_row_per_worker_and_go_stale(world: World) -> None:
    operations.beat(world.session, "w1", hostname="h", pid=1, details={"jobs": 3})
    operations.beat(world.session, "w1", hostname="h", pid=1, details={"jobs": 4})
    operations.beat(world.session, "w2", hostname="h", pid=2, details={})
    status = {w.worker_id: w for w in operations.workers(world.session)}
    assert set(status) == {"w1", "w2"} and status["w1"].details == {"jobs": 4}
    assert all(w.alive for w in status.values())
    later = operations.workers(world.session, now=utcnow() + timedelta(minutes=2))
    assert not any(w.alive for w in later)


def test_a_failed_target_can_be_retried_by_ppid_utama_only(world: World) -> None:
    post = world.post_in(PostStatus.SCHEDULED)
    target = post.targets[0]
    target.status, target.last_error = TargetStatus.FAILED, "503 Service Unavailable"
    post.status = PostStatus.PARTIALLY_PUBLISHED
    world.session.flush()
    with pytest.raises(PermissionDenied):
        operations.retry_target(world.session, world.pembantu, target.id)
    assert [t.id for t in operations.problem_targets(world.session, world.pembantu)] == [target.id]
    assert operations.problem_targets(world.session, world.other_pembantu) == []
    operations.retry_target(world.session, world.utama, target.id)
    assert target.status is TargetStatus.SCHEDULED and target.due_at is not None
    with pytest.raises(InvalidTransition):
        operations.retry_target(world.session, world.utama, target.id)
