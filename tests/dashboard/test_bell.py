"""The bell: a reviewer sees how many things wait for them, reads the list (post numbers only),
and marks it read."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from content.models import Post, PostStatus, Screen
from content.org.actors import Actor
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import as_read
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]


def test_the_bell_counts_lists_and_marks_read(app_world: AppWorld, sign_in: SignIn) -> None:
    post = app_world.run(lambda w: w.post_in(PostStatus.SUBMITTED))
    assert isinstance(post, Post)
    at = sign_in(app_world.world.utama)
    assert "Pemberitahuan (1 belum dibaca)" in [e.label for e in at.sidebar.expander]
    lines = " ".join(as_read(str(m.value)) for m in at.sidebar.markdown)
    assert f"Konten #{post.id} menunggu persetujuan Anda." in lines
    assert "Posyandu" not in lines  # never the post's words
    at.sidebar.button(key="bell_read").click().run()
    assert "Pemberitahuan" in [e.label for e in at.sidebar.expander]
    # Another OPD's Sekretaris hears nothing of it.
    other = sign_in(app_world.world.other_pembantu)
    assert "Pemberitahuan" in [e.label for e in other.sidebar.expander]


def test_a_silent_videotron_player_rings_the_bell_of_ppid_utama(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    from datetime import timedelta

    from content import playlist
    from content.infra.timeutil import utcnow

    def silent(w: World) -> str:
        gone = utcnow() - timedelta(minutes=9)
        playlist.record_heartbeat(
            w.session, w.screen_id, playlist.HeartbeatInput("pc-timur", gone), received_at=gone
        )
        playlist.tell_silent(w.session)  # what the worker's job does
        screen = w.session.get(Screen, w.screen_id)
        assert screen is not None
        return screen.name

    name = app_world.run(silent)
    at = sign_in(app_world.world.utama)
    assert "Pemberitahuan (1 belum dibaca)" in [e.label for e in at.sidebar.expander]
    lines = " ".join(as_read(str(m.value)) for m in at.sidebar.markdown)
    assert f"Pemutar videotron {name} tidak terdengar kabarnya." in lines
    # An OPD's people are not told about the city's screens.
    other = sign_in(app_world.world.pembantu)
    assert "Pemberitahuan" in [e.label for e in other.sidebar.expander]
