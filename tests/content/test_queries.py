"""Lists are scoped to what the actor may see, paginated, and filterable."""

from __future__ import annotations

import pytest

from content.editorial.queries import PostFilter, list_posts, status_counts
from content.infra.demo import bulk_posts
from content.infra.errors import ValidationFailed
from content.models import Channel, PostStatus
from tests.world import World


def test_pembantu_sees_only_their_opd(world: World) -> None:
    mine = world.post_in(PostStatus.SUBMITTED)
    theirs = world.post_in(PostStatus.SUBMITTED, author=world.other_pembantu)
    seen = {p.id for p in list_posts(world.session, world.pembantu).items}
    assert mine.id in seen and theirs.id not in seen
    # Asking for another OPD explicitly still shows nothing of it.
    other = list_posts(world.session, world.pembantu, PostFilter(opd_id=world.disdukcapil_id))
    assert other.items == []
    assert {p.id for p in list_posts(world.session, world.analyst).items} >= {mine.id, theirs.id}


def test_filters_by_status_and_channel(world: World) -> None:
    submitted = world.post_in(PostStatus.SUBMITTED)
    draft = world.post_in(PostStatus.DRAFT)
    queue = list_posts(world.session, world.utama, PostFilter(statuses=[PostStatus.SUBMITTED]))
    assert [p.id for p in queue.items] == [submitted.id]
    on_ig = list_posts(world.session, world.utama, PostFilter(channel=Channel.INSTAGRAM))
    assert {p.id for p in on_ig.items} == {submitted.id, draft.id}
    on_fb = list_posts(world.session, world.utama, PostFilter(channel=Channel.FACEBOOK))
    assert on_fb.items == []


def test_pages_are_complete_and_do_not_overlap(world: World) -> None:
    bulk_posts(world.session, 53)
    seen: list[int] = []
    page = 1
    while True:
        result = list_posts(world.session, world.utama, page=page, page_size=20)
        seen += [p.id for p in result.items]
        if not result.has_next:
            break
        page += 1
    assert page == 3 and len(seen) == len(set(seen)) == 53
    counts = status_counts(world.session, world.utama)
    assert sum(counts.values()) == 53


def test_page_size_is_bounded(world: World) -> None:
    with pytest.raises(ValidationFailed):
        list_posts(world.session, world.utama, page_size=10_000)
