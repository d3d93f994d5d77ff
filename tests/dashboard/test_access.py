"""Who sees which page: a role's navigation lists exactly its pages, every page renders for the
roles that have it, a page reached any other way shows nothing of itself, and a PPID Pembantu
never sees another OPD's posts anywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from content.editorial import workflow
from content.infra.timeutil import utcnow
from content.models import PostStatus
from content.org.actors import Actor
from dashboard import navigation
from dashboard.auth import AUTH_KEY, REFUSED, SignedIn
from tests.dashboard.conftest import APP, TIMEOUT, AppWorld
from tests.dashboard.helpers import page_titles, visible_text
from tests.world import World

PAGES_DIR = Path(APP).parent
EXPECTED = {
    "admin_opd": [
        "Tulis konten",
        "Konten saya",
        "Impor rencana",
        "Kalender",
        "Kotak masuk",
        "Monev media",
        "Biaya platform",
        "Pengaturan pemberitahuan",
    ],
    # The Sekretaris also signs its OPD's posts off.
    "pembantu": [
        "Tulis konten",
        "Konten saya",
        "Impor rencana",
        "Antrean persetujuan",
        "Kalender",
        "Kotak masuk",
        "Monev media",
        "Biaya platform",
        "Daftar DIK",
        "Pengaturan pemberitahuan",
    ],
    "utama": [
        "Tulis konten",
        "Konten saya",
        "Impor rencana",
        "Antrean persetujuan",
        "Kalender",
        "Kotak masuk",
        "Videotron",
        "Status publikasi",
        "Monev media",
        "Biaya platform",
        "Daftar DIK",
        "Jejak audit",
        "Pengaturan pemberitahuan",
    ],
    "analyst": [
        "Kalender",
        "Kotak masuk",
        "Monev media",
        "Biaya platform",
        "Jejak audit",
        "Pengaturan pemberitahuan",
    ],
    "sysadmin": ["Status publikasi", "Administrasi", "Jejak audit", "Pengaturan pemberitahuan"],
}
LANDING = {
    "admin_opd": "Tulis konten",
    "pembantu": "Tulis konten",
    "utama": "Antrean persetujuan",
    "analyst": "Kalender",
    "sysadmin": "Administrasi",
}
BY_TITLE = {p.title: p for p in navigation.PAGES}
SignIn = Callable[[Actor | str], AppTest]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_navigation_lists_exactly_the_roles_pages_and_each_renders(
    app_world: AppWorld, sign_in: SignIn, role: str
) -> None:
    at = sign_in(app_world.world.actor(role))
    assert page_titles(at) == EXPECTED[role]
    assert at.title[0].value == LANDING[role]
    for title in EXPECTED[role]:
        at.switch_page(BY_TITLE[title].path).run()
        assert not at.exception, (title, at.exception)
        assert at.title[0].value == title
        assert REFUSED not in visible_text(at)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_pages_outside_the_navigation_cannot_be_opened(
    app_world: AppWorld, sign_in: SignIn, role: str
) -> None:
    at = sign_in(app_world.world.actor(role))
    for spec in navigation.PAGES:
        if spec.title in EXPECTED[role]:
            continue
        with pytest.raises(ValueError, match="navigation page"):
            at.switch_page(spec.path)
        # A hand-typed URL of that page: the navigation falls back to the landing page.
        at._page_hash = calc_hash(spec.key)
        at.run()
        assert at.title[0].value == LANDING[role]
        assert spec.title not in [t.value for t in at.title]


FORBIDDEN = {
    "admin_opd": [
        "approvals",
        "publication_status",
        "administration",
        "audit_trail",
        "videotron",
        "dik",
    ],
    "pembantu": ["publication_status", "administration", "audit_trail", "videotron"],
    "analyst": [
        "compose",
        "my_posts",
        "approvals",
        "publication_status",
        "administration",
        "videotron",
    ],
    "sysadmin": ["compose", "my_posts", "approvals", "calendar_view", "monev", "spending", "dik"],
    "utama": ["administration"],
}


@pytest.mark.parametrize("role", list(FORBIDDEN))
def test_a_page_run_directly_refuses_other_roles_and_shows_nothing_else(
    app_world: AppWorld, role: str
) -> None:
    actor = app_world.world.actor(role)
    for name in FORBIDDEN[role]:
        at = AppTest.from_file(str(PAGES_DIR / "pages" / f"{name}.py"), default_timeout=TIMEOUT)
        at.session_state[AUTH_KEY] = SignedIn(actor, utcnow())
        at.run()
        assert not at.exception, (name, at.exception)
        assert [e.value for e in at.error] == [REFUSED]
        assert len(at.title) == len(at.dataframe) == len(at.button) == len(at.text_input) == 0


def test_a_page_run_without_signing_in_shows_nothing(app_world: AppWorld) -> None:
    for spec in navigation.PAGES:
        at = AppTest.from_file(str(PAGES_DIR / spec.path), default_timeout=TIMEOUT).run()
        assert [w.value for w in at.warning] == ["Silakan masuk terlebih dahulu."]
        assert len(at.title) == len(at.button) == 0


def _other_opds_post(world: World) -> int:
    """A Disdukcapil post that went all the way to scheduled, with a word found nowhere else."""
    post = world.draft(world.other_pembantu, caption="Zebrakuning: jadwal layanan keliling.")
    workflow.submit(world.session, world.other_pembantu, post.id)
    workflow.approve(world.session, world.utama, post.id)
    workflow.schedule(world.session, world.utama, post.id, utcnow() + timedelta(hours=5))
    return post.id


def test_a_pembantu_never_sees_another_opds_posts(app_world: AppWorld, sign_in: SignIn) -> None:
    theirs = app_world.run(_other_opds_post)
    assert isinstance(theirs, int)
    at = sign_in(app_world.world.pembantu)
    seen = []
    for title in EXPECTED["pembantu"]:
        at.switch_page(BY_TITLE[title].path).run()
        seen.append(visible_text(at))
    # Month view too, and the post opened by its number as if from an old link.
    at.switch_page(navigation.CALENDAR.path).run()
    at.segmented_control(key="cal_view").set_value("Bulan").run()
    seen.append(visible_text(at))
    at.switch_page(navigation.MY_POSTS.path)
    at.session_state["mp_selected"] = theirs
    at.run()
    seen.append(visible_text(at))
    assert f"Konten #{theirs} tidak ditemukan." in seen[-1]
    # Neither the caption nor the OPD's name (the headline and OPD name are what a calendar shows).
    assert not any("Zebrakuning" in text or "Kependudukan" in text for text in seen)
    # The same pages for PPID Utama do show it (the test would otherwise prove nothing).
    utama = sign_in(app_world.world.utama)
    utama.switch_page(navigation.CALENDAR.path).run()
    assert "Kependudukan" in visible_text(utama)
    utama.switch_page(navigation.APPROVALS.path).run()
    utama.multiselect(key="q_status").set_value([PostStatus.SCHEDULED]).run()
    assert "Zebrakuning" in visible_text(utama)
