"""Who is told what: the reviewers at the level a post waits for, then its author; nobody of
another OPD; read once, counted while unread."""

from __future__ import annotations

from content.editorial import workflow
from content.models import ApprovalLevel, NotificationKind, PostStatus
from content.org import accounts, notifications
from content.org.actors import Actor
from tests.world import World


def _kinds(world: World, actor: Actor) -> list[tuple[NotificationKind, int | None]]:
    return [(n.kind, n.post_id) for n in notifications.latest(world.session, actor)]


def test_the_two_levels_are_told_in_turn_and_the_author_last(world: World) -> None:
    s = world.session
    accounts.set_approvals(s, world.sysadmin, world.x_account, list(ApprovalLevel))
    post = world.post_in(PostStatus.SUBMITTED, author=world.admin_opd)
    waiting = (NotificationKind.AWAITING_APPROVAL, post.id)
    # Dinkes's Sekretaris both; nobody of Disdukcapil; PPID Utama not yet.
    assert _kinds(world, world.pembantu) == [waiting]
    assert _kinds(world, world.pembantu2) == [waiting]
    assert _kinds(world, world.other_pembantu) == []
    assert _kinds(world, world.utama) == []

    workflow.approve(s, world.pembantu, post.id)
    assert _kinds(world, world.utama) == [waiting] == _kinds(world, world.utama2)
    workflow.approve(s, world.utama, post.id)
    assert _kinds(world, world.admin_opd) == [(NotificationKind.APPROVED, post.id)]
    sentence = notifications.latest(s, world.admin_opd)[0].sentence
    assert sentence == f"Konten #{post.id} disetujui."


def test_the_author_hears_of_changes_requested_and_rejection(world: World) -> None:
    sent_back = world.post_in(PostStatus.CHANGES_REQUESTED)
    rejected = world.post_in(PostStatus.REJECTED)
    assert _kinds(world, world.pembantu) == [
        (NotificationKind.REJECTED, rejected.id),
        (NotificationKind.CHANGES_REQUESTED, sent_back.id),
    ]


def test_a_writer_of_the_wording_is_not_asked_to_decide(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED, author=world.utama)
    assert _kinds(world, world.utama) == []
    assert _kinds(world, world.utama2) == [(NotificationKind.AWAITING_APPROVAL, post.id)]


def test_unread_are_counted_until_marked_read(world: World) -> None:
    world.post_in(PostStatus.SUBMITTED)
    world.post_in(PostStatus.SUBMITTED)
    assert notifications.unread_count(world.session, world.utama) == 2
    assert notifications.mark_all_read(world.session, world.utama) == 2
    assert notifications.unread_count(world.session, world.utama) == 0
    assert all(n.read for n in notifications.latest(world.session, world.utama))


def test_an_occasion_is_told_once_however_often_a_job_runs(world: World) -> None:
    s = world.session
    people = [world.utama.user_id, world.utama2.user_id]
    assert all(p is not None for p in people)
    first = notifications.tell(
        s,
        [p for p in people if p is not None],
        NotificationKind.PLAYER_SILENT,
        subject="Bekasi Timur",
        dedupe_key="player_silent:1:2026-11-30T06:00",
    )
    again = notifications.tell(
        s,
        [p for p in people if p is not None],
        NotificationKind.PLAYER_SILENT,
        subject="Bekasi Timur",
        dedupe_key="player_silent:1:2026-11-30T06:00",
    )
    s.flush()
    assert (first, again) == (2, 0)
    shown = notifications.latest(s, world.utama)
    assert [n.sentence for n in shown] == [
        "Pemutar videotron Bekasi Timur tidak terdengar kabarnya."
    ]
    assert notifications.unread_count(s, world.utama2) == 1
