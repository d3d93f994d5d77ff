"""Pengaturan pemberitahuan: every signed-in person chooses, per kind, bell only or bell and
e-mail; the choice holds for what comes next. The bell says where an e-mail is."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from content.labels import NOTIFICATION_KIND_LABELS
from content.models import EmailState, NotificationKind, PostStatus
from content.org import notifications, sso
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import as_read, visible_text
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]
WAITING = NotificationKind.AWAITING_APPROVAL


def _page(sign_in: SignIn, who: Actor) -> AppTest:
    at = sign_in(who)
    at.switch_page(navigation.NOTIFICATIONS.path).run()
    assert not at.exception
    assert at.title[0].value == "Pengaturan pemberitahuan"
    return at


def test_a_person_turns_an_email_off_and_the_next_one_stays_in_the_bell(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    world = app_world.world
    app_world.run(lambda w: sso.set_email(w.session, w.sysadmin, "utama", "utama@bekasi.test"))
    at = _page(sign_in, world.utama)
    assert "E-mail dikirim ke utama@bekasi.test." in visible_text(at)
    box = at.checkbox(key=f"ntf_email_{WAITING.value}")
    assert box.label == NOTIFICATION_KIND_LABELS[WAITING]
    assert box.value is True  # on by default
    assert at.checkbox(key="ntf_email_approved").value is False
    box.uncheck()
    next(b for b in at.button if b.label == "Simpan").click().run()
    assert "Pengaturan pemberitahuan disimpan." in visible_text(at)
    assert at.checkbox(key=f"ntf_email_{WAITING.value}").value is False

    def submitted(w: World) -> list[notifications.Shown]:
        w.post_in(PostStatus.SUBMITTED)
        return notifications.latest(w.session, w.utama)

    (told,) = app_world.run(submitted)  # type: ignore[misc]
    assert told.email is None  # bell only
    with app_world.session() as session:
        assert notifications.email_choices(session, world.utama)[WAITING] is False
        assert notifications.email_choices(session, world.utama2)[WAITING] is True


def test_without_an_address_the_page_says_who_sets_it_and_the_bell_shows_mail_state(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    world = app_world.world
    at = _page(sign_in, world.admin_opd)
    assert "belum punya alamat e-mail" in visible_text(at)

    def mailed(w: World) -> None:
        sso.set_email(w.session, w.sysadmin, "utama", "utama@bekasi.test")
        w.post_in(PostStatus.SUBMITTED)

    app_world.run(mailed)
    bell = sign_in(world.utama)
    lines = " ".join(as_read(str(m.value)) for m in bell.sidebar.markdown)
    assert "e-mail menunggu dikirim" in lines
    assert EmailState.PENDING.value not in lines
