"""Dashboard sessions kept on the server, so a reload, a bookmarked page or a second tab keeps a
person signed in while sign-out, deactivation and expiry still end it at once.

The browser holds only an opaque random token (in a cookie); the database keeps its SHA-256, who
it belongs to, and its two limits: an idle limit (`session_idle_minutes` since the last page the
person opened) and an absolute one (`session_minutes` since sign-in). Every sign-in starts a
new token and ends the one the browser had (rotation), so a token planted before sign-in is
worthless after it.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.config import Settings
from content.infra.errors import AuthenticationFailed, PermissionDenied
from content.infra.timeutil import utcnow
from content.models import User, WebSession
from content.org.actors import Actor, refresh

EXPIRED = "Sesi Anda telah berakhir; silakan masuk lagi."
ENDED = "Sesi ini sudah diakhiri; silakan masuk lagi."
SIGNED_OUT_ELSEWHERE = "Anda sudah keluar di tab atau jendela lain; silakan masuk lagi."
DEACTIVATED = "Akun Anda tidak aktif; hubungi administrator sistem."
# How long an ended session's row is kept (for a look in the database after an incident).
KEEP_ENDED = timedelta(days=30)
# Reading a page moves `last_seen_at` at most this often: the idle limit is counted in minutes,
# and a write on every click would be a write on every widget change.
TOUCH_EVERY = timedelta(minutes=1)


class EndReason(enum.StrEnum):
    """Why a session ended (stored as the code)."""

    SIGNED_OUT = "signed_out"
    ROTATED = "rotated"
    IDLE = "idle"
    EXPIRED = "expired"
    DEACTIVATED = "deactivated"


# What a person is told when their tab tries a session that has already ended.
_ENDED_BECAUSE = {
    EndReason.SIGNED_OUT.value: SIGNED_OUT_ELSEWHERE,
    EndReason.DEACTIVATED.value: DEACTIVATED,
    EndReason.IDLE.value: EXPIRED,
    EndReason.EXPIRED.value: EXPIRED,
}


class SessionEnded(AuthenticationFailed):
    """The token names no live session; `message` is the sentence for the person."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _find(session: Session, token: str) -> WebSession | None:
    if not token:
        return None
    return session.get(WebSession, _hash(token))


def _finish(row: WebSession, reason: EndReason, now: datetime) -> None:
    if row.ended_at is None:
        row.ended_at, row.end_reason = now, reason.value


def start(
    session: Session,
    actor: Actor,
    settings: Settings,
    *,
    via_sso: bool = False,
    replacing: str | None = None,
    now: datetime | None = None,
) -> str:
    """A new session for someone who has just signed in; returns the token for the browser.
    The browser's previous token (`replacing`), if any, ends here."""
    if actor.user_id is None:
        raise ValueError("only a person has a dashboard session")
    now = now or utcnow()
    old = _find(session, replacing or "")
    if old is not None:
        _finish(old, EndReason.ROTATED, now)
    session.execute(
        delete(WebSession).where(
            WebSession.user_id == actor.user_id,
            WebSession.expires_at < now - KEEP_ENDED,
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=_hash(token),
            user_id=actor.user_id,
            via_sso=via_sso,
            started_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(minutes=settings.session_minutes),
        )
    )
    session.flush()
    return token


def resume(
    session: Session, token: str, settings: Settings, *, now: datetime | None = None
) -> tuple[Actor, bool]:
    """The person a token signs in and whether they came through SSO; counts as activity.
    Raises `SessionEnded` for an unknown, ended, idle or expired token, and the refusal of
    `refresh` for a deactivated or deleted user (whose session ends with it)."""
    now = now or utcnow()
    row = _find(session, token)
    if row is None:
        raise SessionEnded(EXPIRED)
    if row.ended_at is not None:
        raise SessionEnded(_ENDED_BECAUSE.get(row.end_reason or "", ENDED))
    if now >= row.expires_at:
        _finish(row, EndReason.EXPIRED, now)
        raise SessionEnded(EXPIRED)
    if now - row.last_seen_at >= timedelta(minutes=settings.session_idle_minutes):
        _finish(row, EndReason.IDLE, now)
        raise SessionEnded(EXPIRED)
    try:
        actor = refresh(session, Actor(row.user_id, "", None))
    except PermissionDenied:
        _finish(row, EndReason.DEACTIVATED, now)
        raise
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return actor, row.via_sso


def sign_out(session: Session, token: str, *, now: datetime | None = None) -> None:
    """End the session of this browser (every tab of it), audited as the person's sign-out.
    An unknown or already ended token is nothing to do."""
    now = now or utcnow()
    row = _find(session, token)
    if row is None or row.ended_at is not None:
        return
    _finish(row, EndReason.SIGNED_OUT, now)
    user = session.get(User, row.user_id)
    if user is not None:
        audit.record(session, Actor.of(user), AuditAction.USER_SIGNED_OUT, "user", user.id)


def end_all(
    session: Session, user_id: int, reason: EndReason, *, now: datetime | None = None
) -> int:
    """End every live session of a user (deactivation); returns how many ended."""
    now = now or utcnow()
    done = session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason.value)
    )
    return int(getattr(done, "rowcount", 0) or 0)


def live_count(session: Session, user_id: int, *, now: datetime | None = None) -> int:
    """How many sessions of a user could still be resumed (for the administration page)."""
    now = now or utcnow()
    rows = session.scalars(
        select(WebSession.token_hash).where(
            WebSession.user_id == user_id,
            WebSession.ended_at.is_(None),
            WebSession.expires_at > now,
        )
    ).all()
    return len(rows)
