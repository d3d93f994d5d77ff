"""Serta-merta (UU KIP Pasal 10: life or public order at stake) gets a fast lane: it heads every
approver's queue, every PPID Utama hears of it at once, publishing now is the step offered first
after the last approval, and a videotron emergency override is proposed from it."""

from __future__ import annotations

from dataclasses import dataclass

from content.editorial import workflow
from content.editorial.posts import DraftInput, PhotoInput, update_draft
from content.editorial.review_queue import queue_page
from content.models import ApprovalLevel, KipCategory, NotificationKind, Post, PostStatus
from content.org import accounts, notifications
from content.org.actors import Actor
from content.playlist import OverrideProposal, override_proposal
from tests.world import World


def _serta_merta(
    world: World, author: Actor | None = None, headline: str = "AWAS BANJIR JL. CUT MUTIA"
) -> Post:
    """A draft marked serta-merta by its author, through the editor's own service."""
    post = world.draft(author, caption="Banjir setinggi 1 meter di Jl. Cut Mutia. Hindari jalan.")
    data = DraftInput(
        caption=post.caption,
        headline=headline,
        kip_category=KipCategory.SERTA_MERTA,
        account_ids=[t.account_id for t in post.targets if t.account_id is not None],
        screen_ids=[world.screen_id],
        photos=[PhotoInput(post.photos[0].media_id, "Genangan di Jl. Cut Mutia")],
    )
    return update_draft(world.session, author or world.pembantu, post.id, data, post.version)


def _kinds(world: World, actor: Actor) -> list[tuple[NotificationKind, int | None]]:
    return [(n.kind, n.post_id) for n in notifications.latest(world.session, actor)]


def test_a_serta_merta_post_heads_the_queue_however_old(world: World) -> None:
    urgent = _serta_merta(world)
    workflow.submit(world.session, world.pembantu, urgent.id)
    later = [world.post_in(PostStatus.SUBMITTED) for _ in range(2)]
    other_opd = world.post_in(PostStatus.SUBMITTED, author=world.other_pembantu)
    ids = [i.post.id for i in queue_page(world.session, world.utama).items]
    assert ids[0] == urgent.id
    assert set(ids[1:]) == {later[0].id, later[1].id, other_opd.id}
    # ...and the Sekretaris's queue too, when the post waits for the OPD's sign-off.
    accounts.set_approvals(world.session, world.sysadmin, world.x_account, list(ApprovalLevel))
    opd_urgent = _serta_merta(world, world.admin_opd)
    workflow.submit(world.session, world.admin_opd, opd_urgent.id)
    routine = world.post_in(PostStatus.SUBMITTED, author=world.admin_opd)
    ids = [i.post.id for i in queue_page(world.session, world.pembantu2).items]
    assert ids[0] == opd_urgent.id and routine.id in ids


def test_every_ppid_utama_is_told_at_once_even_before_their_level(world: World) -> None:
    s = world.session
    accounts.set_approvals(s, world.sysadmin, world.x_account, list(ApprovalLevel))
    post = _serta_merta(world, world.admin_opd)
    workflow.submit(s, world.admin_opd, post.id)
    assert post.awaiting_level is ApprovalLevel.OPD  # the Sekretaris signs off first...
    told = [(NotificationKind.SERTA_MERTA, post.id)]
    assert _kinds(world, world.utama) == told == _kinds(world, world.utama2)  # ...yet they know
    assert _kinds(world, world.pembantu) == [(NotificationKind.AWAITING_APPROVAL, post.id)]
    assert _kinds(world, world.other_pembantu) == []
    sentence = notifications.latest(s, world.utama)[0].sentence
    assert sentence == f"Konten #{post.id} bersifat serta-merta dan menunggu keputusan."
    # A routine post tells PPID Utama nothing until it waits for them.
    routine = world.post_in(PostStatus.SUBMITTED, author=world.admin_opd)
    assert (NotificationKind.SERTA_MERTA, routine.id) not in _kinds(world, world.utama)
    assert (NotificationKind.AWAITING_APPROVAL, routine.id) not in _kinds(world, world.utama)


def test_a_ppid_utama_who_wrote_it_is_not_told(world: World) -> None:
    post = _serta_merta(world, world.utama)
    workflow.submit(world.session, world.utama, post.id)
    assert (NotificationKind.SERTA_MERTA, post.id) not in _kinds(world, world.utama)
    assert (NotificationKind.SERTA_MERTA, post.id) in _kinds(world, world.utama2)


def test_publishing_now_is_offered_first_after_the_last_approval(world: World) -> None:
    s = world.session
    urgent = _serta_merta(world)
    workflow.submit(s, world.pembantu, urgent.id)
    workflow.approve(s, world.utama, urgent.id)
    steps = workflow.available_steps(world.utama, urgent)
    assert {workflow.SCHEDULE, workflow.PUBLISH_NOW} <= steps
    assert workflow.default_next(urgent.kip_category, steps) is workflow.PUBLISH_NOW
    routine = world.post_in(PostStatus.APPROVED)
    steps = workflow.available_steps(world.utama, routine)
    assert workflow.default_next(routine.kip_category, steps) is workflow.SCHEDULE
    # Nothing to offer to whoever may not schedule.
    assert workflow.default_next(urgent.kip_category, frozenset()) is None


@dataclass(frozen=True)
class _Shown:
    """What a page holds of a post (a view, not the row): the proposal reads these only."""

    id: int
    headline: str
    caption: str


def test_a_videotron_override_is_proposed_from_a_serta_merta_post(world: World) -> None:
    urgent = _serta_merta(world)
    proposal = override_proposal(urgent, urgent.kip_category)
    assert proposal is not None
    assert proposal.headline == "AWAS BANJIR JL. CUT MUTIA"
    assert f"#{urgent.id}" in proposal.reason and "serta-merta" in proposal.reason
    routine = world.draft()
    assert override_proposal(routine, routine.kip_category) is None
    # Without a videotron headline, the caption stands in, cut at a word to fit a screen.
    short = _Shown(7, "", "Banjir di Jl. Cut Mutia.\nHindari jalan.")
    assert override_proposal(short, KipCategory.SERTA_MERTA) == OverrideProposal(
        7,
        "Banjir di Jl. Cut Mutia. Hindari jalan.",
        "Informasi serta-merta (UU KIP Pasal 10) dari konten #7.",
    )
    cut = override_proposal(_Shown(8, " ", "Banjir " * 40), KipCategory.SERTA_MERTA)
    assert cut is not None and len(cut.headline) <= 120 and cut.headline.endswith("Banjir…")
