"""'Konten saya': the desk's posts, scoped to the OPD, with counts per status."""

from __future__ import annotations

import pytest

from content.editorial.my_posts import my_posts
from content.infra.errors import PermissionDenied
from content.models import PostStatus
from tests.world import World


def test_the_desk_is_the_opd_with_counts(world: World) -> None:
    draft = world.post_in(PostStatus.DRAFT)
    colleague = world.post_in(PostStatus.SUBMITTED, author=world.pembantu2)
    theirs = world.post_in(PostStatus.DRAFT, author=world.other_pembantu)
    mine = my_posts(world.session, world.pembantu)
    assert {p.id for p in mine.page.items} == {draft.id, colleague.id}
    assert theirs.id not in {p.id for p in mine.page.items}
    assert mine.counts == {PostStatus.DRAFT: 1, PostStatus.SUBMITTED: 1}
    drafts = my_posts(world.session, world.pembantu, [PostStatus.DRAFT])
    assert [p.id for p in drafts.page.items] == [draft.id]
    assert drafts.page.items[0].targets and drafts.page.items[0].photos  # loaded with the page


def test_readers_without_a_desk_are_refused(world: World) -> None:
    with pytest.raises(PermissionDenied):
        my_posts(world.session, world.analyst)
