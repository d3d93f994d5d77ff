"""Governance: four eyes on the wording (not on the author field), two sign-offs per account,
and migration 0015 that brings both to an existing database without losing a row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from content.editorial import review_queue, workflow
from content.editorial.posts import DraftInput, as_draft_input, create_draft, update_draft
from content.infra.errors import PermissionDenied, ValidationFailed
from content.infra.migrate import alembic_config, downgrade, upgrade
from content.models import (
    Account,
    ApprovalLevel,
    AuditEvent,
    Post,
    PostEdit,
    PostStatus,
    Review,
    Role,
    User,
)
from content.org import accounts
from content.org.actors import Actor
from tests.conftest import Database, _postgresql, _sqlite
from tests.world import World, build_world

BOTH = [ApprovalLevel.OPD, ApprovalLevel.CITY]


def _edit(world: World, actor: Actor, post: Post, caption: str) -> Post:
    data = as_draft_input(post)
    return update_draft(
        world.session, actor, post.id, DraftInput(**{**data.__dict__, "caption": caption}), None
    )


def _events(session: Session, post_id: int) -> list[str]:
    query = select(AuditEvent.action).where(
        AuditEvent.entity_type == "post", AuditEvent.entity_id == post_id
    )
    return list(session.scalars(query.order_by(AuditEvent.id)))


# --- four eyes on the content ----------------------------------------------------------------


def test_a_reviewer_who_edited_a_colleagues_post_cannot_approve_it(world: World) -> None:
    """PPID Utama fixes a word in a submitted post and resubmits it: their wording now, so
    another reviewer decides. The author field still names the PPID Pembantu."""
    post = world.post_in(PostStatus.SUBMITTED)
    _edit(world, world.utama2, post, "Posyandu serentak pekan ini di semua kelurahan.")
    assert post.status is PostStatus.DRAFT  # an edit under review sends it back
    workflow.submit(world.session, world.utama2, post.id)
    assert post.author_id == world.pembantu.user_id

    assert workflow.APPROVE not in workflow.available_steps(world.utama2, post)
    refusal = workflow.refusal(world.utama2, post, workflow.APPROVE)
    assert refusal == workflow.EDITED_REFUSAL
    for decide in (
        lambda: workflow.approve(world.session, world.utama2, post.id),
        lambda: workflow.request_changes(world.session, world.utama2, post.id, "Lokasi?"),
        lambda: workflow.reject(world.session, world.utama2, post.id, "Tidak."),
    ):
        with pytest.raises(PermissionDenied) as refused, world.session.begin_nested():
            decide()
        assert refused.value.message == workflow.EDITED_REFUSAL
    assert post.status is PostStatus.SUBMITTED

    workflow.approve(world.session, world.utama, post.id)
    assert post.status is PostStatus.APPROVED


def test_an_edit_before_submission_counts_too(world: World) -> None:
    post = world.draft()
    _edit(world, world.utama, post, "Posyandu serentak, jadwal lengkap di kelurahan.")
    workflow.submit(world.session, world.pembantu, post.id)
    with pytest.raises(PermissionDenied, match="pernah Anda ubah"):
        workflow.approve(world.session, world.utama, post.id)


def test_saving_unchanged_content_is_not_an_edit(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED)
    update_draft(world.session, world.utama, post.id, as_draft_input(post), None)
    assert post.status is PostStatus.SUBMITTED
    assert world.utama.user_id not in post.editor_ids
    workflow.approve(world.session, world.utama, post.id)
    assert post.status is PostStatus.APPROVED


def test_every_content_hash_names_who_wrote_it(world: World) -> None:
    post = world.post_in(PostStatus.DRAFT)
    first = post.content_hash
    _edit(world, world.pembantu2, post, "Posyandu serentak pekan depan.")
    rows = world.session.scalars(
        select(PostEdit).where(PostEdit.post_id == post.id).order_by(PostEdit.id)
    ).all()
    assert [(r.user_id, r.content_hash) for r in rows] == [
        (world.pembantu.user_id, first),
        (world.pembantu2.user_id, post.content_hash),
    ]


def test_four_eyes_off_lets_an_editor_decide_and_the_audit_says_so(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED)
    _edit(world, world.utama, post, "Posyandu serentak pekan ini, bawa buku KIA.")
    workflow.submit(world.session, world.utama, post.id)
    relaxed = workflow.Policy(four_eyes=False)
    assert workflow.APPROVE in workflow.available_steps(world.utama, post, relaxed)
    workflow.approve(world.session, world.utama, post.id, policy=relaxed)
    assert post.status is PostStatus.APPROVED
    event = world.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_id == post.id, AuditEvent.action == "post.approved")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.after is not None
    assert event.after["four_eyes"] is False and event.after["decided_own_content"] is True


def test_with_four_eyes_on_the_audit_carries_no_exception(world: World) -> None:
    post = world.post_in(PostStatus.APPROVED)
    event = world.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_id == post.id, AuditEvent.action == "post.approved"
        )
    ).one()
    assert event.after is not None and "four_eyes" not in event.after


# --- two sign-offs ---------------------------------------------------------------------------


def _opd_only_draft(world: World) -> Post:
    """Dinkes's admin writes for Dinkes's own X account only (no city account, no screen)."""
    data = DraftInput(caption="Jadwal imunisasi pekan ini.", account_ids=[world.x_account])
    return create_draft(world.session, world.admin_opd, world.dinkes_id, data)


def test_two_level_journey_admin_sekretaris_utama(world: World) -> None:
    s = world.session
    for account_id in (world.x_account, world.ig_account):
        accounts.set_approvals(s, world.sysadmin, account_id, BOTH)
    post = world.post_in(PostStatus.DRAFT, author=world.admin_opd)
    workflow.submit(s, world.admin_opd, post.id)
    assert (post.status, post.awaiting_level) == (PostStatus.SUBMITTED, ApprovalLevel.OPD)
    # The Sekretaris sees it in the queue; PPID Utama does not yet.
    assert [i.post.id for i in review_queue.queue_page(s, world.pembantu).items] == [post.id]
    assert post.id not in [i.post.id for i in review_queue.queue_page(s, world.utama).items]
    assert workflow.refusal(world.utama, post, workflow.APPROVE) == (
        "Konten ini menunggu persetujuan PPID Pembantu OPD-nya."
    )

    workflow.approve(s, world.pembantu, post.id)
    assert (post.status, post.awaiting_level) == (PostStatus.SUBMITTED, ApprovalLevel.CITY)
    assert post.id not in [i.post.id for i in review_queue.queue_page(s, world.pembantu).items]
    assert post.id in [i.post.id for i in review_queue.queue_page(s, world.utama).items]

    workflow.approve(s, world.utama, post.id)
    assert (post.status, post.awaiting_level) == (PostStatus.APPROVED, None)
    levels = [(r.level, r.reviewer_id) for r in post.reviews]
    assert levels == [
        (ApprovalLevel.OPD, world.pembantu.user_id),
        (ApprovalLevel.CITY, world.utama.user_id),
    ]
    assert _events(s, post.id)[-2:] == ["post.approved_for_opd", "post.approved"]


def test_an_opd_only_account_is_not_asked_for_the_second_sign_off(world: World) -> None:
    accounts.set_approvals(world.session, world.sysadmin, world.x_account, [ApprovalLevel.OPD])
    post = _opd_only_draft(world)
    workflow.submit(world.session, world.admin_opd, post.id)
    assert post.awaiting_level is ApprovalLevel.OPD
    workflow.approve(world.session, world.pembantu, post.id)
    assert (post.status, post.awaiting_level) == (PostStatus.APPROVED, None)
    assert post.approved_hash == post.content_hash


def test_the_videotron_and_city_accounts_always_need_ppid_utama(world: World) -> None:
    accounts.set_approvals(world.session, world.sysadmin, world.x_account, [ApprovalLevel.OPD])
    accounts.set_approvals(world.session, world.sysadmin, world.ig_account, [ApprovalLevel.OPD])
    post = world.post_in(PostStatus.SUBMITTED, author=world.admin_opd)  # with the screen
    workflow.approve(world.session, world.pembantu, post.id)
    assert (post.status, post.awaiting_level) == (PostStatus.SUBMITTED, ApprovalLevel.CITY)
    with pytest.raises(ValidationFailed, match="tingkat kota"):
        accounts.set_approvals(
            world.session, world.sysadmin, world.city_x_account, [ApprovalLevel.OPD]
        )


def test_a_setting_changed_after_submission_never_skips_ppid_utama(world: World) -> None:
    accounts.set_approvals(world.session, world.sysadmin, world.x_account, BOTH)
    post = _opd_only_draft(world)
    workflow.submit(world.session, world.admin_opd, post.id)
    accounts.set_approvals(world.session, world.sysadmin, world.x_account, [ApprovalLevel.CITY])
    workflow.approve(world.session, world.pembantu, post.id)
    assert (post.status, post.awaiting_level) == (PostStatus.SUBMITTED, ApprovalLevel.CITY)


def test_changes_requested_at_the_opd_level_start_over_at_the_opd(world: World) -> None:
    accounts.set_approvals(world.session, world.sysadmin, world.x_account, BOTH)
    post = _opd_only_draft(world)
    workflow.submit(world.session, world.admin_opd, post.id)
    workflow.request_changes(world.session, world.pembantu, post.id, "Tambahkan jam.")
    assert (post.status, post.awaiting_level) == (PostStatus.CHANGES_REQUESTED, None)
    workflow.submit(world.session, world.admin_opd, post.id)
    assert post.awaiting_level is ApprovalLevel.OPD


def test_an_opd_admin_decides_nothing(world: World) -> None:
    accounts.set_approvals(world.session, world.sysadmin, world.x_account, BOTH)
    post = _opd_only_draft(world)
    workflow.submit(world.session, world.pembantu, post.id)
    assert workflow.available_steps(world.admin_opd, post) == frozenset({workflow.WITHDRAW})
    with pytest.raises(PermissionDenied, match="Peran Anda"):
        workflow.approve(world.session, world.admin_opd, post.id)


def test_account_approvals_are_audited_and_need_one_level(world: World) -> None:
    with pytest.raises(ValidationFailed, match="minimal satu"):
        accounts.set_approvals(world.session, world.sysadmin, world.x_account, [])
    with pytest.raises(PermissionDenied):
        accounts.set_approvals(world.session, world.utama, world.x_account, BOTH)
    accounts.set_approvals(world.session, world.sysadmin, world.x_account, BOTH)
    event = world.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "account.approvals_changed")
    ).one()
    assert event.before == {"approvals": ["city"]}
    assert event.after == {"approvals": ["opd", "city"]}


# --- migration 0015 --------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A database of its own (this test migrates it down and up again)."""
    if request.param == "sqlite":
        yield from _sqlite(tmp_path_factory)
    else:
        yield from _postgresql()


def _counts(session: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Post, Review, AuditEvent)
    )


def test_0015_keeps_every_row_and_learns_the_editors_from_the_audit(
    fresh: Database, tmp_path: Path
) -> None:
    with Session(fresh.engine) as session, session.begin():
        world = build_world(session, tmp_path / "media")
        edited = world.post_in(PostStatus.SUBMITTED)
        _edit(world, world.utama2, edited, "Posyandu serentak pekan ini, semua kelurahan.")
        workflow.submit(session, world.utama2, edited.id)
        world.post_in(PostStatus.APPROVED)
        ids = edited.id, world.pembantu.user_id, world.utama2.user_id
        counts = _counts(session)
    before = ScriptDirectory.from_config(alembic_config()).get_revision("0015").down_revision
    with Session(fresh.engine) as session, session.begin():  # no OPD admin before 0015
        session.execute(delete(User).where(User.role == Role.ADMIN_OPD))
    downgrade(fresh.engine, str(before))
    upgrade(fresh.engine)

    with Session(fresh.engine) as session:
        assert _counts(session) == counts
        post = session.get(Post, ids[0])
        assert post is not None
        assert post.editor_ids == {ids[1], ids[2]}
        # What waited for PPID Utama before still does; every account keeps today's rule.
        assert post.awaiting_level is ApprovalLevel.CITY
        assert {r.level for r in session.scalars(select(Review))} == {ApprovalLevel.CITY}
        flags = session.execute(select(Account.needs_opd_approval, Account.needs_city_approval))
        assert set(flags) == {(False, True)}
