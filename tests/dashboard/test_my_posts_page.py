"""Konten saya, a post's detail after publishing (issue #13, point 2): each channel's result, when
it went out and the link to the live post; no stale "Terjadwal tayang" line."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from content.infra.timeutil import utcnow
from content.models import PostStatus, TargetStatus
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import button, messages, visible_text
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]
LIVE = "https://x.com/dinkeskotabekasi/status/1865"


def _published(world: World) -> int:
    post = world.post_in(PostStatus.SCHEDULED)
    for target in post.targets:
        if target.account is not None:
            target.status, target.published_at = TargetStatus.PUBLISHED, utcnow()
            target.remote_id, target.remote_url = "1865", LIVE
        else:
            target.status = TargetStatus.FAILED
    post.status = PostStatus.PARTIALLY_PUBLISHED
    return post.id


def test_the_detail_shows_each_channels_result_and_link(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    post_id = app_world.run(_published)
    at = sign_in(app_world.world.pembantu)
    at.switch_page(navigation.MY_POSTS.path).run()
    button(at, "Buka").click().run()
    assert any(f"Konten #{post_id}" in s.value for s in at.subheader)
    results = [c for c in messages(at, "caption") if " · **" in c]
    assert any("**Terbit** · " in c and c.endswith("WIB") for c in results), results
    assert any("**Gagal**" in c for c in results), results
    links = at.get("link_button")
    assert links and {(b.proto.label, b.proto.url) for b in links} == {("Lihat unggahan", LIVE)}
    assert len(links) == sum("**Terbit**" in c for c in results)  # one per live post
    assert "Terjadwal tayang" not in visible_text(at)
