"""Signing in and out, session expiry, and the check every page makes before it draws anything.

The session keeps an `Actor` (a plain value), never an ORM object. Each run re-reads the user
(`content.org.actors.refresh`) so a deactivated account or a changed role takes effect at once; the
services re-check again when they act.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import streamlit as st
from streamlit.errors import StreamlitAuthError

from content.infra.config import Settings
from content.infra.errors import AuthenticationFailed, DomainError
from content.infra.timeutil import utcnow
from content.labels import ROLE_LABELS
from content.org.actors import Actor, refresh
from content.org.permissions import Action, can
from content.org.sso import Identity, sign_in_with_identity
from content.org.users import sign_in
from dashboard import resources
from dashboard.resources import transaction
from dashboard.ui import flash, md

AUTH_KEY = "siaran_auth"
SSO_ERROR_KEY = "siaran_sso_error"
REFUSED = "Halaman ini tidak tersedia untuk peran Anda."
EXPIRED = "Sesi Anda telah berakhir; silakan masuk lagi."


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    since: datetime
    via_sso: bool = False


def signed_in() -> SignedIn | None:
    value = st.session_state.get(AUTH_KEY)
    return value if isinstance(value, SignedIn) else None


def establish(actor: Actor, *, via_sso: bool = False) -> None:
    st.session_state[AUTH_KEY] = SignedIn(actor, utcnow(), via_sso)


def end_session(message: str | None = None) -> None:
    """Forget everything of this browser session (the form, filters, the actor)."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if message:
        flash("info", message)


def is_expired(signed: SignedIn, settings: Settings, now: datetime | None = None) -> bool:
    return (now or utcnow()) - signed.since >= timedelta(minutes=settings.session_minutes)


def sign_out() -> None:
    signed = signed_in()
    end_session("Anda telah keluar.")
    if signed is not None and signed.via_sso:
        st.logout()  # also drops the identity cookie, or the next run would sign in again
    st.rerun()


def revalidate() -> SignedIn | None:
    """The signed-in session for this run, or None (expired, deactivated, never signed in)."""
    signed = signed_in()
    if signed is None:
        return None
    if is_expired(signed, resources.settings()):
        end_session(EXPIRED)
        return None
    try:
        with transaction() as session:
            actor = refresh(session, signed.actor)
    except DomainError as exc:
        end_session(md(exc.message))
        return None
    if actor != signed.actor:
        signed = replace(signed, actor=actor)
        st.session_state[AUTH_KEY] = signed
    return signed


def require_page(action: Action) -> Actor:
    """The current actor when they may use this page; otherwise one sentence and nothing else.
    Pages call this first, however they were reached."""
    signed = signed_in()
    if signed is None or is_expired(signed, resources.settings()):
        st.warning("Silakan masuk terlebih dahulu.")
        st.stop()
    try:
        with transaction() as session:
            actor = refresh(session, signed.actor)
    except DomainError as exc:
        st.error(md(exc.message))
        st.stop()
    if not can(actor, action, actor.opd_id):
        st.error(REFUSED)
        st.stop()
    return actor


def role_line(actor: Actor) -> str:
    return ROLE_LABELS[actor.role] if actor.role else "Sistem"


# --- signing in -------------------------------------------------------------------------------


def sso_configured() -> bool:
    """Single sign-on is on when the operator put an [auth] section in .streamlit/secrets.toml."""
    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)


def sso_identity() -> Identity | None:
    """What the identity provider said about this browser's person (from its identity cookie)."""
    if not sso_configured() or not st.user.get("is_logged_in"):
        return None
    return Identity.from_claims(st.user.to_dict())


def client_address() -> str | None:
    """The address the sign-in came from, for throttling. Streamlit gives None for a loopback
    peer: then the reverse proxy on this machine speaks for the client, and the last entry of
    X-Forwarded-For is the one it added (earlier entries are whatever the client sent)."""
    if st.context.ip_address:
        return st.context.ip_address
    forwarded = st.context.headers.get("X-Forwarded-For", "")
    return forwarded.split(",")[-1].strip() or None


def try_sso() -> None:
    """Sign in the person the identity provider vouched for, when their verified e-mail maps to
    a user and the provider's proof is younger than a session may last."""
    identity = sso_identity()
    if identity is None:
        return
    error: str | None = None
    max_age = timedelta(minutes=resources.settings().session_minutes)
    with transaction() as session:
        try:
            actor = sign_in_with_identity(session, identity, max_age)
        except AuthenticationFailed as exc:
            error = md(exc.message)
    if error is None:
        establish(actor, via_sso=True)
    else:
        st.session_state[SSO_ERROR_KEY] = error


def _password_sign_in(username: str, password: str) -> None:
    if not username.strip() or not password:
        st.error("Isi nama pengguna dan kata sandi.")
        return
    error: str | None = None
    # The failed attempt must be committed (it counts towards the throttle): the error is caught
    # inside the transaction rather than allowed to roll it back.
    with transaction() as session:
        try:
            result = sign_in(
                session, username, password, resources.settings(), client=client_address()
            )
        except AuthenticationFailed as exc:
            error = md(exc.message)
    if error is not None:
        st.error(error)
        return
    establish(result.actor)
    if result.notice:
        flash("warning", result.notice)
    st.rerun()


def sign_in_page() -> None:
    st.title("Siaran")
    st.caption("Pengelola publikasi PPID Pemerintah Kota Bekasi")
    with st.form("sign_in"):
        username = st.text_input("Nama pengguna", key="si_username")
        password = st.text_input("Kata sandi", type="password", key="si_password")
        submitted = st.form_submit_button("Masuk", type="primary")
    if submitted:
        _password_sign_in(username, password)
    if sso_configured():
        _sso_section()


def _sso_section() -> None:
    st.divider()
    error = st.session_state.get(SSO_ERROR_KEY)
    if error:
        st.error(error)
        if st.button("Keluar dari akun SSO", key="si_sso_logout"):
            st.session_state.pop(SSO_ERROR_KEY, None)
            st.logout()
        return
    if st.button("Masuk dengan akun kantor (SSO)", key="si_sso"):
        try:
            st.login()
        except StreamlitAuthError:
            st.error("Masuk dengan SSO belum dapat dipakai di server ini (pustaka Authlib).")
