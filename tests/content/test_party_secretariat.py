"""A political party's secretariat (kind `partai`, funded from the APBD) has its own PPID
Pembantu, who never sees nor acts on a Dinas post: not in lists, queues, histories or
notifications, not by its number, not by any workflow step or edit."""

from __future__ import annotations

import pytest

from content.editorial import review_queue, workflow
from content.editorial.posts import as_draft_input, get_post, update_draft
from content.editorial.queries import list_posts
from content.infra.errors import NotFound, PermissionDenied
from content.models import PostStatus, Role
from content.org import notifications, opds, users
from content.org.actors import SYSTEM, Actor
from tests.world import PASSWORD, World


def _party_pembantu(world: World) -> Actor:
    opds.add_opd(
        world.session, SYSTEM, slug="partai-a", name="Sekretariat Partai Politik A", kind="partai"
    )
    user = users.create_user(
        world.session,
        SYSTEM,
        username="partai-a",
        display_name="PPID Pembantu Partai Politik A",
        password=PASSWORD,
        role=Role.PPID_PEMBANTU,
        opd_slug="partai-a",
    )
    return Actor.of(user)


def test_a_party_pembantu_sees_no_dinas_post(world: World) -> None:
    s = world.session
    party = _party_pembantu(world)
    submitted = world.post_in(PostStatus.SUBMITTED)
    approved = world.post_in(PostStatus.APPROVED, author=world.other_pembantu)
    assert list_posts(s, party).items == []
    assert review_queue.queue_page(s, party).items == []
    flt = review_queue.QueueFilter(statuses=review_queue.QUEUE_STATUSES)
    assert review_queue.queue_page(s, party, flt).items == []
    for post in (submitted, approved):
        with pytest.raises(NotFound):
            get_post(s, party, post.id)
    history = review_queue.author_history(s, party, world.pembantu.user_id)
    assert history.recent_posts == [] and history.decisions == []
    assert notifications.latest(s, party) == []
    # The same lists do hold them for PPID Utama (the test would otherwise prove nothing).
    assert {p.id for p in list_posts(s, world.utama).items} >= {submitted.id, approved.id}


def test_a_party_pembantu_cannot_act_on_a_dinas_post(world: World) -> None:
    s = world.session
    party = _party_pembantu(world)
    submitted = world.post_in(PostStatus.SUBMITTED)
    approved = world.post_in(PostStatus.APPROVED)
    draft = world.post_in(PostStatus.DRAFT)
    for step in (
        lambda: workflow.approve(s, party, submitted.id),
        lambda: workflow.request_changes(s, party, submitted.id, "Bukan urusan kami."),
        lambda: workflow.reject(s, party, submitted.id, "Bukan urusan kami."),
        lambda: workflow.schedule(s, party, approved.id, approved.updated_at),
        lambda: workflow.publish_now(s, party, approved.id),
        lambda: workflow.submit(s, party, draft.id),
        lambda: update_draft(s, party, draft.id, as_draft_input(draft), draft.version),
    ):
        with pytest.raises((PermissionDenied, NotFound)):
            step()
    for post in (submitted, approved):
        assert not workflow.available_steps(party, post)
    assert (submitted.status, approved.status, draft.status) == (
        PostStatus.SUBMITTED,
        PostStatus.APPROVED,
        PostStatus.DRAFT,
    )
