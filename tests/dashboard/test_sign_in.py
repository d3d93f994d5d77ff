"""Signing in: wrong passwords, throttling, session expiry, sign-out, a deactivated account, and
single sign-on mapping the identity provider's verified e-mail to a user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content.infra.timeutil import utcnow
from content.models import SignInThrottle, WebSession
from content.org import sign_in_throttle as throttle
from content.org import sso, users, web_sessions
from content.org.actors import Actor
from dashboard.auth import AUTH_KEY, EXPIRED, SignedIn
from tests.dashboard.conftest import AppWorld, new_app
from tests.dashboard.helpers import actor_of, button, messages, page_titles
from tests.world import PASSWORD, World

SignIn = Callable[[Actor | str], AppTest]
WRONG = users.SIGN_IN_REFUSED


def _try(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="si_username").input(username)
    at.text_input(key="si_password").input(password)
    return button(at, "Masuk").click().run()


def test_wrong_password_and_unknown_user_get_the_same_sentence(app_world: AppWorld) -> None:
    at = new_app().run()
    assert page_titles(at) == ["Masuk"]
    assert messages(_try(at, "dinkes", "salah-sekali-123"), "error") == [WRONG]
    assert messages(_try(at, "tidak-ada", "salah-sekali-123"), "error") == [WRONG]
    assert AUTH_KEY not in at.session_state


def _hold_throttles(w: World) -> None:
    for row in w.session.scalars(select(SignInThrottle)):
        row.next_allowed_at = utcnow() + timedelta(hours=1)


def test_repeated_failures_slow_the_account_down_without_saying_so(
    app_world: AppWorld,
) -> None:
    at = new_app().run()
    for _ in range(app_world.settings.login_max_failures):
        assert messages(_try(at, "dinkes", "salah-sekali-123"), "error") == [WRONG]
    decided = app_world.run(
        lambda w: throttle.wait(w.session, throttle.keys("dinkes", None), utcnow())
    )
    assert isinstance(decided, timedelta) and decided > timedelta(0)
    # Hold the decided delay still (the wall clock must not decide this test), then try again
    # before it ends: refused with the very same sentence, even with the right password.
    app_world.run(_hold_throttles)
    assert messages(_try(at, "dinkes", PASSWORD), "error") == [WRONG]
    assert AUTH_KEY not in at.session_state
    assert messages(_try(at, "dinkes2", PASSWORD), "error") == []  # a colleague is unaffected


def test_the_owner_is_told_of_failed_attempts_at_the_next_sign_in(app_world: AppWorld) -> None:
    at = new_app().run()
    for _ in range(3):
        _try(at, "dinkes", "salah-sekali-123")
    _try(at, "dinkes", PASSWORD)
    assert actor_of(at).actor.username == "dinkes"
    assert messages(at, "warning") == [
        "Ada 3 percobaan masuk yang gagal ke akun Anda sejak Anda terakhir masuk; bila itu "
        "bukan Anda, segera ganti kata sandi."
    ]


def test_signing_in_and_out(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.pembantu)
    assert actor_of(at).actor.username == "dinkes"
    button(at, "Keluar").click().run()
    assert AUTH_KEY not in at.session_state
    assert page_titles(at) == ["Masuk"]
    assert "Anda telah keluar." in messages(at, "info")


def _age_session(app_world: AppWorld, minutes: int) -> None:
    """Move every live session's clock back, as if it had started `minutes` ago and been used
    just now (the wall clock must not decide the test)."""

    def age(w: World) -> None:
        for row in w.session.scalars(select(WebSession)):
            row.started_at -= timedelta(minutes=minutes)
            row.expires_at -= timedelta(minutes=minutes)

    app_world.run(age)


def test_a_session_expires(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.utama)
    minutes = app_world.settings.session_minutes
    _age_session(app_world, minutes - 1)
    at.run()
    assert page_titles(at) != ["Masuk"]
    _age_session(app_world, 2)
    at.run()
    assert page_titles(at) == ["Masuk"]
    assert EXPIRED in messages(at, "info")
    assert AUTH_KEY not in at.session_state


def test_a_session_left_idle_expires(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.utama)
    idle = app_world.settings.session_idle_minutes

    def leave(w: World) -> None:
        for row in w.session.scalars(select(WebSession)):
            row.last_seen_at -= timedelta(minutes=idle)

    app_world.run(leave)
    at.run()
    assert page_titles(at) == ["Masuk"]
    assert EXPIRED in messages(at, "info")


def test_signing_out_in_one_tab_signs_out_the_other(app_world: AppWorld, sign_in: SignIn) -> None:
    first = sign_in(app_world.world.pembantu)
    # The second tab of the same browser holds the same token (the cookie's).
    second = new_app()
    second.session_state[AUTH_KEY] = actor_of(first)
    second.run()
    assert page_titles(second)[0] == "Tulis konten"
    button(first, "Keluar").click().run()
    second.run()
    assert page_titles(second) == ["Masuk"]
    assert messages(second, "info") == [web_sessions.SIGNED_OUT_ELSEWHERE]
    assert AUTH_KEY not in second.session_state


def test_a_session_without_a_server_token_counts_for_nothing(app_world: AppWorld) -> None:
    at = new_app()
    at.session_state[AUTH_KEY] = SignedIn(app_world.world.utama, utcnow())
    at.run()
    assert page_titles(at) == ["Masuk"]


def test_a_deactivated_account_is_signed_out_on_its_next_click(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    at = sign_in(app_world.world.pembantu)
    app_world.run(lambda w: users.set_active(w.session, w.sysadmin, "dinkes", False))
    at.run()
    assert page_titles(at) == ["Masuk"]
    assert any("tidak aktif" in m for m in messages(at, "info"))


def test_a_changed_role_changes_the_menu_at_once(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.analyst)
    assert "Antrean persetujuan" not in page_titles(at)
    app_world.run(
        lambda w: users.set_role(w.session, w.sysadmin, "analis", users.Role.PPID_UTAMA, "dinkes")
    )
    at.run()
    assert "Antrean persetujuan" in page_titles(at)


SSO_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "uji",
        "client_id": "siaran",
        "client_secret": "uji",
        "server_metadata_url": "https://sso.example/.well-known/openid-configuration",
    }
}


def claims(email: str, *, verified: object = True, age: timedelta = timedelta(0)) -> dict[str, Any]:
    """The identity cookie's claims as Streamlit keeps them (the ID token's, plus is_logged_in)."""
    issued = int((utcnow() - age).timestamp())
    return {"is_logged_in": True, "email": email, "email_verified": verified, "iat": issued}


def test_single_sign_on_maps_the_email_to_a_user(app_world: AppWorld) -> None:
    app_world.run(lambda w: sso.set_email(w.session, w.sysadmin, "utama", "ppid@bekasikota.go.id"))
    at = new_app()
    at.secrets = SSO_SECRETS
    at.run()
    assert "Masuk dengan akun kantor (SSO)" in [b.label for b in at.button]
    at.user = claims("PPID@bekasikota.go.id") | {"name": "PPID"}
    at.run()
    signed = actor_of(at)
    assert signed.actor.username == "utama" and signed.via_sso
    assert page_titles(at)[0] == "Tulis konten" and at.title[0].value == "Antrean persetujuan"


def test_single_sign_on_without_a_matching_user_says_so_once(app_world: AppWorld) -> None:
    at = new_app()
    at.secrets = SSO_SECRETS
    at.user = claims("tamu@contoh.id")
    at.run()
    assert AUTH_KEY not in at.session_state
    assert messages(at, "error") == [sso.NO_ACCOUNT]
    assert "Keluar dari akun SSO" in [b.label for b in at.button]


def test_single_sign_on_needs_an_address_the_provider_verified(app_world: AppWorld) -> None:
    app_world.run(lambda w: sso.set_email(w.session, w.sysadmin, "utama", "ppid@bekasikota.go.id"))
    for verified in (False, "false", None):
        at = new_app()
        at.secrets = SSO_SECRETS
        at.user = claims("ppid@bekasikota.go.id", verified=verified)
        at.run()
        assert AUTH_KEY not in at.session_state
        assert messages(at, "error") == [sso.NOT_VERIFIED]


def test_after_the_session_expires_sso_asks_the_provider_again(app_world: AppWorld) -> None:
    app_world.run(lambda w: sso.set_email(w.session, w.sysadmin, "utama", "ppid@bekasikota.go.id"))
    minutes = app_world.settings.session_minutes
    at = new_app()
    at.secrets = SSO_SECRETS
    at.user = claims("ppid@bekasikota.go.id", age=timedelta(minutes=2))
    at.run()
    signed = actor_of(at)
    assert signed.via_sso
    # A working day later: the session ran out, and the identity cookie is as old as the proof.
    at.user = claims("ppid@bekasikota.go.id", age=timedelta(minutes=minutes + 2))
    _age_session(app_world, minutes + 1)
    at.run()
    assert AUTH_KEY not in at.session_state
    assert page_titles(at) == ["Masuk"]
    assert messages(at, "error") == [sso.TOO_OLD]
    assert "Keluar dari akun SSO" in [b.label for b in at.button]
