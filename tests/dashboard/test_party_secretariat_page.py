"""A party secretariat's PPID Pembantu, signed in to the dashboard, finds no Dinas post on any
of its pages (queue, calendar, my posts, inbox, Monev, DIK...), not even by its number."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from content.models import Post, PostStatus, Role
from content.org import opds, users
from content.org.actors import SYSTEM, Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import visible_text
from tests.dashboard.test_access import BY_TITLE, EXPECTED, _other_opds_post
from tests.world import PASSWORD, World

SignIn = Callable[[Actor | str], AppTest]


def _party(world: World) -> str:
    opds.add_opd(
        world.session, SYSTEM, slug="partai-a", name="Sekretariat Partai Politik A", kind="partai"
    )
    users.create_user(
        world.session,
        SYSTEM,
        username="partai-a",
        display_name="PPID Pembantu Partai Politik A",
        password=PASSWORD,
        role=Role.PPID_PEMBANTU,
        opd_slug="partai-a",
    )
    return "partai-a"


def test_a_party_pembantu_finds_no_dinas_post_on_any_page(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    theirs = app_world.run(_other_opds_post)  # Disdukcapil's, scheduled
    waiting = app_world.run(lambda w: w.post_in(PostStatus.SUBMITTED))  # Dinkes's
    username = app_world.run(_party)
    assert isinstance(theirs, int) and isinstance(waiting, Post) and isinstance(username, str)
    at = sign_in(username)
    seen = []
    for title in EXPECTED["pembantu"]:
        at.switch_page(BY_TITLE[title].path).run()
        assert not at.exception, at.exception
        seen.append(visible_text(at))
    at.switch_page(navigation.APPROVALS.path).run()
    assert "Antrean kosong" in visible_text(at)
    at.switch_page(navigation.MY_POSTS.path)
    at.session_state["mp_selected"] = theirs
    at.run()
    seen.append(visible_text(at))
    assert f"Konten #{theirs} tidak ditemukan." in seen[-1]
    at.session_state["mp_selected"] = waiting.id
    at.run()
    seen.append(visible_text(at))
    assert f"Konten #{waiting.id} tidak ditemukan." in seen[-1]
    # Neither Disdukcapil's caption nor Dinkes's, nor either OPD's name.
    for word in ("Zebrakuning", "Posyandu", "Kependudukan", "Dinas Kesehatan"):
        assert not any(word in text for text in seen), word
