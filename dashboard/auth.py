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
from content.org import web_sessions
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
EXPIRED = web_sessions.EXPIRED


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    since: datetime
    via_sso: bool = False
    token: str = ""  # the server-side session's token (content/org/web_sessions.py)


def signed_in() -> SignedIn | None:
    value = st.session_state.get(AUTH_KEY)
    return value if isinstance(value, SignedIn) else None


# --- the session cookie -----------------------------------------------------------------------
# The browser keeps only the opaque token, in a first-party cookie every tab of it sends; the
# session itself (who, since when, until when, ended or not) lives in the database. Streamlit reads
# cookies on the server (`st.context.cookies`, from the request that opened this tab's connection)
# but cannot set one, so a fixed script sets or clears it on the next render. The token is
# URL-safe base64, so it cannot break out of the script's string.
COOKIE = "siaran_sesi"
COOKIE_WRITE_KEY = "siaran_cookie_write"
# The token this tab's connection brought along but that has ended since: Streamlit keeps
# reporting the cookie the tab connected with, so the tab must remember not to try it again.
DEAD_TOKEN_KEY = "siaran_dead_token"  # noqa: S105 (a session-state key)
_COOKIE_SCRIPT = """<script>
document.cookie = "%s=%s; path=/; max-age=%d; samesite=strict"
  + (location.protocol === "https:" ? "; secure" : "");
</script>"""


def browser_token() -> str:
    """The token this tab's browser sent when the tab connected ('' when none)."""
    try:
        value = st.context.cookies.get(COOKIE)
    except (AttributeError, RuntimeError):  # no browser behind this run (a test harness)
        return ""
    if not isinstance(value, str) or value == st.session_state.get(DEAD_TOKEN_KEY):
        return ""
    return value


def _queue_cookie(token: str) -> None:
    st.session_state[COOKIE_WRITE_KEY] = token


def write_cookie() -> None:
    """Set (or, for '', clear) the cookie queued by this session's last sign-in or sign-out."""
    token = st.session_state.pop(COOKIE_WRITE_KEY, None)
    if token is None:
        return
    seconds = resources.settings().session_minutes * 60 if token else 0
    st.html(_COOKIE_SCRIPT % (COOKIE, token, seconds), unsafe_allow_javascript=True)


def establish(actor: Actor, token: str, *, via_sso: bool = False) -> None:
    st.session_state[AUTH_KEY] = SignedIn(actor, utcnow(), via_sso, token)
    _queue_cookie(token)


def end_session(message: str | None = None, *, ended: str = "") -> None:
    """Forget everything of this browser session (the form, filters, the actor) and its cookie;
    `ended` is the token that has just ended."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    _queue_cookie("")
    if ended:
        st.session_state[DEAD_TOKEN_KEY] = ended
    if message:
        flash("info", message)


def is_expired(signed: SignedIn, settings: Settings, now: datetime | None = None) -> bool:
    return (now or utcnow()) - signed.since >= timedelta(minutes=settings.session_minutes)


def sign_out() -> None:
    """End this browser's session on the server (so every tab of it is signed out at its next
    click), clear the cookie, and drop the SSO identity cookie too."""
    signed = signed_in()
    token = signed.token if signed is not None else browser_token()
    if token:
        with transaction() as session:
            web_sessions.sign_out(session, token)
    end_session("Anda telah keluar.", ended=token)
    if signed is not None and signed.via_sso:
        st.logout()  # also drops the identity cookie, or the next run would sign in again
    st.rerun()


def _resume(token: str) -> tuple[Actor, bool] | str:
    """The person behind a token, or the sentence saying why there is none. The session row's
    end (idle, expired, deactivated) is committed even though the answer is a refusal."""
    with transaction() as session:
        try:
            return web_sessions.resume(session, token, resources.settings())
        except DomainError as exc:
            return md(exc.message)


def revalidate() -> SignedIn | None:
    """The signed-in session for this run, or None (expired, signed out, deactivated, never
    signed in). A tab without a session of its own (a reload, a bookmark, a second tab) picks up
    the browser's cookie; every run asks the server, so an ending anywhere counts here at once."""
    signed = signed_in()
    token = signed.token if signed is not None else browser_token()
    if not token:
        if signed is not None:  # a session from before server-side sessions: start again
            end_session(EXPIRED)
        return None
    resumed = _resume(token)
    if isinstance(resumed, str):
        end_session(resumed, ended=token)
        return None
    actor, via_sso = resumed
    if signed is None:
        signed = SignedIn(actor, utcnow(), via_sso, token)
        st.session_state[AUTH_KEY] = signed
    elif actor != signed.actor:
        signed = replace(signed, actor=actor)
        st.session_state[AUTH_KEY] = signed
    return signed


def require_page(action: Action | None) -> Actor:
    """The current actor when they may use this page (`None`: every signed-in person may);
    otherwise one sentence and nothing else. Pages call this first, however they were reached."""
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
    if action is not None and not can(actor, action, actor.opd_id):
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
    token = ""
    current = resources.settings()
    max_age = timedelta(minutes=current.session_minutes)
    with transaction() as session:
        try:
            actor = sign_in_with_identity(session, identity, max_age)
            token = web_sessions.start(
                session, actor, current, via_sso=True, replacing=browser_token()
            )
        except AuthenticationFailed as exc:
            error = md(exc.message)
    if error is None:
        establish(actor, token, via_sso=True)
    else:
        st.session_state[SSO_ERROR_KEY] = error


def _password_sign_in(username: str, password: str) -> None:
    if not username.strip() or not password:
        st.error("Isi nama pengguna dan kata sandi.")
        return
    error: str | None = None
    token = ""
    current = resources.settings()
    # The failed attempt must be committed (it counts towards the throttle): the error is caught
    # inside the transaction rather than allowed to roll it back. A new session token every
    # sign-in; the browser's old one ends (rotation).
    with transaction() as session:
        try:
            result = sign_in(session, username, password, current, client=client_address())
            token = web_sessions.start(session, result.actor, current, replacing=browser_token())
        except AuthenticationFailed as exc:
            error = md(exc.message)
    if error is not None:
        st.error(error)
        return
    establish(result.actor, token)
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
