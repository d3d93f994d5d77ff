"""The publication workflow: states, audit, optimistic locking, edit after approval, screening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from content.editorial import workflow
from content.editorial.posts import DraftInput, PhotoInput, update_draft
from content.editorial.queries import post_history
from content.infra.errors import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    ScreeningBlocked,
    ValidationFailed,
)
from content.infra.timeutil import parse_wib, utcnow
from content.models import AuditEvent, Decision, Post, PostStatus, Review, TargetStatus
from tests.conftest import Database
from tests.world import World, build_world

NIK = "3275014101900001"  # Kota Bekasi, born 1 Jan 1990, a woman (day + 40)


def _events(session: Session, post_id: int) -> list[str]:
    query = select(AuditEvent.action).where(
        AuditEvent.entity_type == "post", AuditEvent.entity_id == post_id
    )
    return list(session.scalars(query.order_by(AuditEvent.id)))


def test_the_whole_journey_leaves_one_audit_event_per_transition(world: World) -> None:
    s = world.session
    post = world.draft()
    workflow.submit(s, world.pembantu, post.id)
    workflow.request_changes(s, world.utama, post.id, "Tambahkan jam pelaksanaan.")
    update_draft(
        s,
        world.pembantu,
        post.id,
        DraftInput(
            caption="Posyandu serentak Sabtu 08.00 WIB.",
            headline="Posyandu serentak Sabtu pagi",
            account_ids=[world.x_account],
            screen_ids=[world.screen_id],
            photos=[PhotoInput(post.photos[0].media_id, "Kader menimbang balita")],
        ),
        post.version,
    )
    workflow.submit(s, world.pembantu, post.id)
    workflow.approve(s, world.utama, post.id, comment="Bagus.")
    at = utcnow() + timedelta(hours=5)
    workflow.schedule(s, world.utama, post.id, at)
    workflow.unschedule(s, world.utama, post.id)
    workflow.publish_now(s, world.utama, post.id)

    assert _events(s, post.id) == [
        "post.created",
        "post.submitted",
        "post.changes_requested",
        "post.edited",
        "post.submitted",
        "post.approved",
        "post.scheduled",
        "post.unscheduled",
        "post.publish_now",
    ]
    assert post.status is PostStatus.SCHEDULED
    assert all(t.status is TargetStatus.SCHEDULED for t in post.targets)
    assert all(t.due_at is not None and t.due_at <= utcnow() for t in post.targets)
    decisions = [r.decision for r in s.scalars(select(Review).where(Review.post_id == post.id))]
    assert decisions == [Decision.REQUEST_CHANGES, Decision.APPROVE]
    history = post_history(s, world.pembantu, post.id)
    assert history[2].reason == "Tambahkan jam pelaksanaan."
    assert history[2].actor_label == "utama"


def test_a_refused_transition_writes_nothing(world: World) -> None:
    post = world.post_in(PostStatus.APPROVED)
    before = _events(world.session, post.id)
    with pytest.raises(InvalidTransition), world.session.begin_nested():
        workflow.approve(world.session, world.utama2, post.id)
    assert _events(world.session, post.id) == before


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (PostStatus.DRAFT, "withdraw"),
        (PostStatus.DRAFT, "schedule"),
        (PostStatus.SUBMITTED, "submit"),
        (PostStatus.SUBMITTED, "schedule"),
        (PostStatus.APPROVED, "reject"),
        (PostStatus.APPROVED, "unschedule"),
        (PostStatus.REJECTED, "submit"),
        (PostStatus.REJECTED, "approve"),
        (PostStatus.SCHEDULED, "approve"),
        (PostStatus.CHANGES_REQUESTED, "approve"),
    ],
)
def test_wrong_state_is_refused_with_the_current_state(
    world: World, state: PostStatus, step: str
) -> None:
    post = world.post_in(state)
    calls = {
        "withdraw": lambda: workflow.withdraw(world.session, world.pembantu, post.id),
        "submit": lambda: workflow.submit(world.session, world.pembantu, post.id),
        "approve": lambda: workflow.approve(world.session, world.utama2, post.id),
        "reject": lambda: workflow.reject(world.session, world.utama2, post.id, "x"),
        "schedule": lambda: workflow.schedule(
            world.session, world.utama, post.id, utcnow() + timedelta(hours=1)
        ),
        "unschedule": lambda: workflow.unschedule(world.session, world.utama, post.id),
    }
    with pytest.raises(InvalidTransition, match=f"#{post.id} berstatus"):
        calls[step]()


def test_edit_after_approval_returns_to_draft_and_clears_the_approval(world: World) -> None:
    post = world.post_in(PostStatus.SCHEDULED)
    approved_hash = post.approved_hash
    update_draft(
        world.session,
        world.pembantu,
        post.id,
        DraftInput(
            caption="Jadwal posyandu berubah.",
            headline=post.headline,
            account_ids=[world.x_account],
            screen_ids=[world.screen_id],
            photos=[PhotoInput(post.photos[0].media_id, "Kader posyandu")],
        ),
        post.version,
    )
    assert post.status is PostStatus.DRAFT
    assert post.approved_hash is None and post.scheduled_at is None
    assert post.content_hash != approved_hash
    assert all(t.status is TargetStatus.PENDING and t.due_at is None for t in post.targets)
    assert _events(world.session, post.id)[-1] == "post.edited_after_review"


def test_saving_unchanged_content_after_approval_keeps_the_approval(world: World) -> None:
    post = world.post_in(PostStatus.APPROVED)
    same = DraftInput(
        caption=post.caption,
        headline=post.headline,
        account_ids=[t.account_id for t in post.targets if t.account_id],
        screen_ids=[t.screen_id for t in post.targets if t.screen_id],
        photos=[PhotoInput(p.media_id, p.alt_text) for p in post.photos],
    )
    update_draft(world.session, world.pembantu, post.id, same, post.version)
    assert post.status is PostStatus.APPROVED


def test_published_content_cannot_be_edited(world: World) -> None:
    post = world.post_in(PostStatus.APPROVED)
    post.status = PostStatus.PUBLISHED  # what the worker does
    world.session.flush()
    with pytest.raises(InvalidTransition):
        update_draft(world.session, world.pembantu, post.id, DraftInput(caption="x"), None)


def test_content_changed_behind_the_reviewers_back_is_not_approved(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED)
    post.caption = "Diubah langsung di basis data"
    world.session.flush()
    with pytest.raises(Conflict, match="ajukan ulang"):
        workflow.approve(world.session, world.utama, post.id)


def test_a_stale_version_is_a_conflict(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED)
    seen = post.version
    workflow.request_changes(
        world.session, world.utama, post.id, "Perbaiki.", expected_version=seen
    )
    with pytest.raises(Conflict, match="diubah orang lain"):
        workflow.approve(world.session, world.utama2, post.id, expected_version=seen)


def test_two_reviewers_deciding_at_once_one_wins(committed: Database, tmp_path: Path) -> None:
    """Two sessions, two transactions, both read version N; the second commit is refused."""
    with Session(committed.engine) as setup, setup.begin():
        world = build_world(setup, tmp_path / "media")
        post_id = world.post_in(PostStatus.SUBMITTED).id
        version = setup.get(Post, post_id).version  # type: ignore[union-attr]

    first = Session(committed.engine, expire_on_commit=False)
    second = Session(committed.engine, expire_on_commit=False)
    try:
        with first.begin():
            workflow.approve(first, world.utama, post_id, expected_version=version)
        with pytest.raises(Conflict), second.begin():
            workflow.reject(second, world.utama2, post_id, "Tidak.", expected_version=version)
    finally:
        first.close()
        second.close()
    with Session(committed.engine) as check:
        post = check.get(Post, post_id)
        assert post is not None and post.status is PostStatus.APPROVED
        reviews = check.scalars(select(Review).where(Review.post_id == post_id)).all()
        assert [r.decision for r in reviews] == [Decision.APPROVE]


def test_version_guard_catches_a_race_the_caller_did_not_see(
    committed: Database, tmp_path: Path
) -> None:
    """Both sessions load the post before either writes; the ORM's version check refuses the
    slower one even without an expected version from the caller."""
    if committed.backend == "sqlite":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): this race cannot happen there")
    with Session(committed.engine) as setup, setup.begin():
        world = build_world(setup, tmp_path / "media")
        post_id = world.post_in(PostStatus.APPROVED).id
    slow = Session(committed.engine, expire_on_commit=False)
    try:
        slow.begin()
        slow_post = slow.get(Post, post_id)
        assert slow_post is not None
        with Session(committed.engine) as fast, fast.begin():
            workflow.schedule(fast, world.utama, post_id, utcnow() + timedelta(hours=1))
        slow_post.caption = "Perubahan lambat"
        from sqlalchemy.orm.exc import StaleDataError

        with pytest.raises(StaleDataError):
            slow.flush()
        slow.rollback()
    finally:
        slow.close()


def test_schedule_in_the_past_is_refused_and_wib_is_read_as_wib(world: World) -> None:
    post = world.post_in(PostStatus.APPROVED)
    with pytest.raises(ValidationFailed, match="sudah lewat"):
        workflow.schedule(world.session, world.utama, post.id, utcnow() - timedelta(hours=1))
    at = parse_wib("2099-01-02 09:00")
    assert at == datetime(2099, 1, 2, 2, 0, tzinfo=UTC)
    workflow.schedule(world.session, world.utama, post.id, at)
    world.session.expire_all()
    stored = world.session.get(Post, post.id)
    assert stored is not None and stored.scheduled_at == at


def test_submit_needs_a_ready_post(world: World) -> None:
    post = world.draft()
    update_draft(
        world.session,
        world.pembantu,
        post.id,
        DraftInput(
            caption="Tanpa foto",
            headline="",
            account_ids=[world.ig_account],
            screen_ids=[world.screen_id],
        ),
        None,
    )
    with pytest.raises(ValidationFailed) as err:
        workflow.submit(world.session, world.pembantu, post.id)
    assert "Instagram: wajib ada foto." in err.value.message
    assert "judul slide belum diisi" in err.value.message


def test_alt_text_is_required_to_submit(world: World) -> None:
    post = world.draft()
    update_draft(
        world.session,
        world.pembantu,
        post.id,
        DraftInput(
            caption="Foto tanpa alt",
            headline="Judul",
            account_ids=[world.x_account],
            photos=[PhotoInput(post.photos[0].media_id, "  ")],
        ),
        None,
    )
    with pytest.raises(ValidationFailed, match="Teks alternatif wajib"):
        workflow.submit(world.session, world.pembantu, post.id)


def test_personal_data_blocks_submit_with_the_exact_span(world: World) -> None:
    caption = f"Bantuan untuk Ibu Sri, NIK {NIK}, sudah disalurkan."
    post = world.draft(caption=caption)
    with pytest.raises(ScreeningBlocked) as blocked:
        workflow.submit(world.session, world.pembantu, post.id)
    finding = blocked.value.findings[0]
    assert (finding.kind, finding.field) == ("nik", "caption")
    assert caption[finding.start : finding.end] == NIK
    assert NIK in blocked.value.message
    world.session.refresh(post)
    assert post.status is PostStatus.DRAFT


def test_ppid_utama_override_is_recorded_and_holds_for_that_content_only(world: World) -> None:
    post = world.draft(caption=f"Pemenang undian NIK {NIK}")
    with pytest.raises(PermissionDenied, match="mengabaikan temuan"):
        workflow.submit(world.session, world.pembantu, post.id, override_reason="Saya yakin")
    workflow.submit(
        world.session,
        world.utama,
        post.id,
        override_reason="Data dipublikasikan atas persetujuan tertulis.",
    )
    workflow.approve(world.session, world.utama2, post.id)
    assert post.status is PostStatus.APPROVED
    assert "post.screening_overridden" in _events(world.session, post.id)
    override = world.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "post.screening_overridden")
    )
    assert override is not None and NIK not in str(override.after)  # masked in the audit
    assert override.reason.startswith("Data dipublikasikan")


def test_dik_term_blocks_approve_when_added_after_submit(world: World) -> None:
    from content.screening import dik_rules

    post = world.draft(caption="Rekap nilai HPS paket jalan lingkungan.")
    workflow.submit(world.session, world.pembantu, post.id)
    dik_rules.add_rule(
        world.session, world.utama, pattern="nilai HPS", reason="HPS sebelum lelang."
    )
    with pytest.raises(ScreeningBlocked, match="HPS sebelum lelang"):
        workflow.approve(world.session, world.utama2, post.id)


def test_request_changes_needs_a_comment(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED)
    with pytest.raises(ValidationFailed, match="komentar"):
        workflow.request_changes(world.session, world.utama, post.id, "   ")


def test_an_override_does_not_survive_an_edit(world: World) -> None:
    post = world.draft(caption=f"Pemenang undian NIK {NIK}")
    workflow.submit(
        world.session, world.utama, post.id, override_reason="Atas persetujuan tertulis."
    )
    workflow.request_changes(world.session, world.utama2, post.id, "Tambahkan tanggal.")
    update_draft(
        world.session,
        world.pembantu,
        post.id,
        DraftInput(
            caption=f"Pemenang undian 1 Desember, NIK {NIK}",
            headline=post.headline,
            account_ids=[world.x_account],
            photos=[PhotoInput(post.photos[0].media_id, "Foto")],
        ),
        None,
    )
    with pytest.raises(ScreeningBlocked):
        workflow.submit(world.session, world.pembantu, post.id)


def _names(steps: frozenset[workflow.Step]) -> set[str]:
    return {step.name for step in steps}


def test_available_steps_follow_role_state_and_opd(world: World) -> None:
    submitted = world.post_in(PostStatus.SUBMITTED)
    assert _names(workflow.available_steps(world.pembantu, submitted)) == {"withdraw"}
    assert _names(workflow.available_steps(world.other_pembantu, submitted)) == set()
    # PPID Utama writes for every OPD, so it may also withdraw a submission.
    assert _names(workflow.available_steps(world.utama, submitted)) == {
        "approve",
        "request-changes",
        "reject",
        "withdraw",
    }
    assert _names(workflow.available_steps(world.analyst, submitted)) == set()
    scheduled = world.post_in(PostStatus.SCHEDULED)
    assert _names(workflow.available_steps(world.utama, scheduled)) == {
        "schedule",
        "publish-now",
        "unschedule",
    }
    assert _names(workflow.available_steps(world.pembantu, world.draft())) == {"submit"}


def test_available_steps_agree_with_what_the_workflow_allows(world: World) -> None:
    """Every step offered can be taken, and every step not offered is refused."""
    s = world.session
    actors = (world.pembantu, world.other_pembantu, world.utama, world.analyst)
    for status in (PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.APPROVED):
        post = world.post_in(status) if status is not PostStatus.DRAFT else world.draft()
        post_id = post.id
        for actor in actors:
            offered = workflow.available_steps(actor, s.get(Post, post_id))  # type: ignore[arg-type]
            for step in (workflow.SUBMIT, workflow.WITHDRAW, workflow.APPROVE, workflow.REJECT):
                savepoint = s.begin_nested()
                try:
                    if step is workflow.REJECT:
                        workflow.reject(s, actor, post_id, "Belum lengkap.")
                    else:
                        getattr(workflow, step.name)(s, actor, post_id)
                    allowed = True
                except (PermissionDenied, InvalidTransition):
                    allowed = False
                savepoint.rollback()
                s.expire_all()
                assert allowed == (step in offered), (status, actor.username, step.name)


def test_four_eyes_hides_the_decision_on_ones_own_post(world: World) -> None:
    own = world.post_in(PostStatus.SUBMITTED, author=world.utama)
    assert workflow.APPROVE not in workflow.available_steps(world.utama, own)
    relaxed = workflow.Policy(four_eyes=False)
    assert workflow.APPROVE in workflow.available_steps(world.utama, own, relaxed)


def test_approve_and_schedule_is_one_step_or_none(world: World) -> None:
    s = world.session
    post = world.post_in(PostStatus.SUBMITTED)
    at = utcnow() + timedelta(hours=3)
    done = workflow.approve_and_schedule(s, world.utama, post.id, at, expected_version=post.version)
    assert done.status is PostStatus.SCHEDULED
    assert _events(s, post.id)[-2:] == ["post.approved", "post.scheduled"]
    stale = world.post_in(PostStatus.SUBMITTED)
    with pytest.raises(Conflict):
        workflow.approve_and_schedule(s, world.utama, stale.id, at, expected_version=0)
    assert s.get(Post, stale.id).status is PostStatus.SUBMITTED  # type: ignore[union-attr]
