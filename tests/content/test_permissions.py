"""Every role × every transition × own/other OPD: allowed where the rules say, refused elsewhere,
and a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.editorial import workflow
from content.editorial.posts import DraftInput, get_post, update_draft
from content.infra.errors import InvalidTransition, NotFound, PermissionDenied
from content.infra.timeutil import utcnow
from content.models import ApprovalLevel, AuditEvent, Post, PostStatus
from content.org import accounts
from content.org.actors import SYSTEM, Actor
from tests.world import World

ROLES = [
    "admin_opd",
    "pembantu",
    "pembantu2",
    "other_pembantu",
    "utama",
    "utama2",
    "analyst",
    "sysadmin",
]

Transition = Callable[[Session, Actor, int], Post]

TRANSITIONS: dict[str, tuple[PostStatus, Transition]] = {
    "submit": (PostStatus.DRAFT, lambda s, a, p: workflow.submit(s, a, p)),
    "resubmit": (PostStatus.CHANGES_REQUESTED, lambda s, a, p: workflow.submit(s, a, p)),
    "withdraw": (PostStatus.SUBMITTED, lambda s, a, p: workflow.withdraw(s, a, p)),
    "approve": (PostStatus.SUBMITTED, lambda s, a, p: workflow.approve(s, a, p)),
    "request_changes": (
        PostStatus.SUBMITTED,
        lambda s, a, p: workflow.request_changes(s, a, p, "Perbaiki judul."),
    ),
    "reject": (PostStatus.SUBMITTED, lambda s, a, p: workflow.reject(s, a, p, "Tidak relevan.")),
    "schedule": (
        PostStatus.APPROVED,
        lambda s, a, p: workflow.schedule(s, a, p, utcnow() + timedelta(hours=2)),
    ),
    "publish_now": (PostStatus.APPROVED, lambda s, a, p: workflow.publish_now(s, a, p)),
    "unschedule": (PostStatus.SCHEDULED, lambda s, a, p: workflow.unschedule(s, a, p)),
    "edit": (
        PostStatus.DRAFT,
        lambda s, a, p: update_draft(s, a, p, DraftInput(caption="Diubah."), None),
    ),
}

# Who may take each transition on a post written by Dinkes's PPID Pembantu ("pembantu"), to
# accounts that need PPID Utama's sign-off only (the default, and every account before 0015).
ALLOWED: dict[str, set[str]] = {
    "submit": {"admin_opd", "pembantu", "pembantu2", "utama", "utama2"},
    "resubmit": {"admin_opd", "pembantu", "pembantu2", "utama", "utama2"},
    "withdraw": {"admin_opd", "pembantu", "pembantu2", "utama", "utama2"},
    "approve": {"utama", "utama2"},
    "request_changes": {"utama", "utama2"},
    "reject": {"utama", "utama2"},
    "schedule": {"utama", "utama2"},
    "publish_now": {"utama", "utama2"},
    "unschedule": {"utama", "utama2"},
    "edit": {"admin_opd", "pembantu", "pembantu2", "utama", "utama2"},
}

CASES = [(name, role) for name in TRANSITIONS for role in ROLES]


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_transition_matrix(world: World, name: str, role: str) -> None:
    start, transition = TRANSITIONS[name]
    post = world.post_in(start)
    actor = world.actor(role)
    before_status, before_version, before_audit = (
        post.status,
        post.version,
        _audit_count(world.session),
    )

    if role in ALLOWED[name]:
        with world.session.begin_nested():
            result = transition(world.session, actor, post.id)
        assert result.version > before_version
        assert _audit_count(world.session) > before_audit
        return

    with pytest.raises(PermissionDenied) as refused, world.session.begin_nested():
        transition(world.session, actor, post.id)
    assert refused.value.message.endswith(".")
    world.session.expire_all()
    assert world.session.get(Post, post.id).status is before_status  # type: ignore[union-attr]
    assert _audit_count(world.session) == before_audit


def _two_level_post(world: World, level: ApprovalLevel) -> Post:
    """A post by Dinkes's OPD admin to Dinkes accounts that need both sign-offs, submitted and
    waiting at `level` (the OPD's sign-off already given by its PPID Pembantu for CITY)."""
    for account_id in (world.x_account, world.ig_account):
        accounts.set_approvals(world.session, world.sysadmin, account_id, list(ApprovalLevel))
    post = world.post_in(PostStatus.SUBMITTED, author=world.admin_opd)
    assert post.awaiting_level is ApprovalLevel.OPD
    if level is ApprovalLevel.CITY:
        workflow.approve(world.session, world.pembantu, post.id)
        assert post.awaiting_level is ApprovalLevel.CITY
    return post


LEVEL_TRANSITIONS: dict[str, Transition] = {
    "approve": TRANSITIONS["approve"][1],
    "request_changes": TRANSITIONS["request_changes"][1],
    "reject": TRANSITIONS["reject"][1],
}
# Who may decide at each level on the OPD admin's post: its OPD's PPID Pembantu, then PPID Utama.
LEVEL_ALLOWED = {
    ApprovalLevel.OPD: {"pembantu", "pembantu2"},
    ApprovalLevel.CITY: {"utama", "utama2"},
}
LEVEL_CASES = [
    (level, name, role) for level in ApprovalLevel for name in LEVEL_TRANSITIONS for role in ROLES
]


@pytest.mark.parametrize(
    ("level", "name", "role"), LEVEL_CASES, ids=[f"{lv}-{n}-{r}" for lv, n, r in LEVEL_CASES]
)
def test_role_level_matrix(world: World, level: ApprovalLevel, name: str, role: str) -> None:
    post = _two_level_post(world, level)
    actor = world.actor(role)
    before_version, before_audit = post.version, _audit_count(world.session)

    if role in LEVEL_ALLOWED[level]:
        with world.session.begin_nested():
            result = LEVEL_TRANSITIONS[name](world.session, actor, post.id)
        assert result.version > before_version
        assert _audit_count(world.session) > before_audit
        return

    with pytest.raises(PermissionDenied) as refused, world.session.begin_nested():
        LEVEL_TRANSITIONS[name](world.session, actor, post.id)
    assert refused.value.message.endswith(".")
    world.session.expire_all()
    again = world.session.get(Post, post.id)
    assert again is not None
    assert (again.status, again.awaiting_level) == (PostStatus.SUBMITTED, level)
    assert _audit_count(world.session) == before_audit


def test_a_pembantu_decides_for_its_own_opd_only(world: World) -> None:
    """Disdukcapil's Sekretaris cannot even see Dinkes's post waiting for Dinkes's sign-off."""
    post = _two_level_post(world, ApprovalLevel.OPD)
    with pytest.raises(PermissionDenied, match="OPD Anda sendiri"):
        workflow.approve(world.session, world.other_pembantu, post.id)
    with pytest.raises(NotFound):
        get_post(world.session, world.other_pembantu, post.id)


def test_other_opd_cannot_even_see_the_post(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED)
    with pytest.raises(NotFound):
        get_post(world.session, world.other_pembantu, post.id)
    assert get_post(world.session, world.analyst, post.id).id == post.id


def test_pembantu_cannot_draft_for_another_opd(world: World) -> None:
    from content.editorial.posts import create_draft

    with pytest.raises(PermissionDenied, match="OPD Anda sendiri"):
        create_draft(world.session, world.pembantu, world.disdukcapil_id, DraftInput(caption="x"))


def test_system_actor_cannot_decide_on_content(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED)
    with pytest.raises(PermissionDenied, match="--as"):
        workflow.approve(world.session, SYSTEM, post.id)


def test_four_eyes_author_cannot_decide_own_post(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED, author=world.utama)
    with pytest.raises(PermissionDenied, match="Anda tulis sendiri"):
        workflow.approve(world.session, world.utama, post.id)
    workflow.approve(world.session, world.utama2, post.id)
    assert post.status is PostStatus.APPROVED


def test_four_eyes_can_be_relaxed_for_a_one_person_office(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED, author=world.utama)
    workflow.approve(world.session, world.utama, post.id, policy=workflow.Policy(four_eyes=False))
    assert post.status is PostStatus.APPROVED


def test_deactivated_user_loses_rights_at_once(world: World) -> None:
    from content.org import users

    post = world.post_in(PostStatus.SUBMITTED)
    users.set_active(world.session, world.sysadmin, "utama", False)
    with pytest.raises(PermissionDenied, match="tidak aktif"):
        workflow.approve(world.session, world.utama, post.id)


def test_wrong_state_is_not_a_permission_error(world: World) -> None:
    post = world.post_in(PostStatus.DRAFT)
    with pytest.raises(InvalidTransition, match="Draf"):
        workflow.approve(world.session, world.utama, post.id)
