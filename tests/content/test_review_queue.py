"""The approval queue: one page with findings and author history, scoped and filtered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from content.editorial import review_queue, workflow
from content.editorial.posts import DraftInput, PhotoInput, update_draft
from content.editorial.review_queue import QueueFilter, queue_page
from content.infra.errors import PermissionDenied
from content.infra.timeutil import WIB, utcnow
from content.models import ApprovalLevel, Channel, Decision, PostStatus
from content.org import accounts
from content.screening import findings_of
from tests.world import World


def test_queue_lists_submitted_posts_with_findings_and_history(world: World) -> None:
    earlier = world.post_in(PostStatus.CHANGES_REQUESTED)
    post = world.post_in(PostStatus.SUBMITTED)
    # A warning-level finding (an e-mail) does not block submission but must show in the queue.
    post = update_draft(
        world.session,
        world.pembantu,
        post.id,
        DraftInput(
            caption="Info lanjut: kontak.pribadi@gmail.com",
            headline="Posyandu",
            account_ids=[world.x_account],
            photos=[PhotoInput(post.photos[0].media_id, "Foto")],
        ),
        post.version,
    )
    workflow.submit(world.session, world.pembantu, post.id)
    page = queue_page(world.session, world.utama)
    assert [i.post.id for i in page.items] == [post.id]
    item = page.items[0]
    assert [f.kind for f in findings_of(item.screened)] == ["email"]
    assert item.history.username == "dinkes"
    assert {p.post_id for p in item.history.recent_posts} >= {earlier.id, post.id}
    assert item.history.decision_counts == {Decision.REQUEST_CHANGES: 1}
    assert item.history.decisions[0].comment == "Tambahkan lokasi."


def test_queue_filters_by_opd_channel_status_and_day(world: World) -> None:
    dinkes = world.post_in(PostStatus.SUBMITTED)
    capil = world.post_in(PostStatus.SUBMITTED, author=world.other_pembantu)
    approved = world.post_in(PostStatus.APPROVED)

    def ids(flt: QueueFilter) -> set[int]:
        return {i.post.id for i in queue_page(world.session, world.utama, flt).items}

    assert ids(QueueFilter()) == {dinkes.id, capil.id}
    assert ids(QueueFilter(opd_id=world.disdukcapil_id)) == {capil.id}
    assert ids(QueueFilter(channel=Channel.INSTAGRAM)) == {dinkes.id}
    statuses = (PostStatus.APPROVED,)
    assert ids(QueueFilter(statuses=statuses)) == {approved.id}
    today = utcnow().astimezone(WIB).date()
    assert ids(QueueFilter(day_from=today, day_until=today)) == {dinkes.id, capil.id}
    assert ids(QueueFilter(day_until=today - timedelta(days=1))) == set()


def test_queue_is_for_reviewers(world: World) -> None:
    with pytest.raises(PermissionDenied):
        queue_page(world.session, world.admin_opd)
    with pytest.raises(PermissionDenied):
        queue_page(world.session, world.analyst)


def test_a_pembantu_queue_holds_its_own_opd_waiting_for_its_sign_off(world: World) -> None:
    accounts.set_approvals(world.session, world.sysadmin, world.x_account, list(ApprovalLevel))
    mine = world.post_in(PostStatus.SUBMITTED, author=world.admin_opd)  # waits for Dinkes
    city = world.post_in(PostStatus.DRAFT, author=world.admin_opd)
    # To the city account only (PPID Utama signs it off alone): not the Sekretaris's to decide.
    update_draft(
        world.session,
        world.admin_opd,
        city.id,
        DraftInput(caption="Info kota.", account_ids=[world.city_x_account]),
        None,
    )
    workflow.submit(world.session, world.admin_opd, city.id)
    world.post_in(PostStatus.SUBMITTED, author=world.other_pembantu)  # another OPD
    assert [i.post.id for i in queue_page(world.session, world.pembantu).items] == [mine.id]


def test_author_history_is_scoped_to_what_the_reader_may_see(world: World) -> None:
    theirs = world.post_in(PostStatus.DRAFT, author=world.other_pembantu)
    history = review_queue.author_history(
        world.session, world.pembantu, world.other_pembantu.user_id or 0
    )
    assert history.recent_posts == [] and history.decisions == []
    seen = review_queue.author_history(
        world.session, world.utama, world.other_pembantu.user_id or 0
    )
    assert [p.post_id for p in seen.recent_posts] == [theirs.id]
