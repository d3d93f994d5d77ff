"""Single sign-on: the identity provider vouches for an e-mail address, Siaran maps it to a user.

The provider proves who the person is; what they may do still comes from the user row (role, OPD,
active). An address that matches no active user gets one sentence and no session. Only an address
the provider says it verified counts, and only a recent proof: once a Siaran session would have
expired, the person signs in at the provider again instead of riding on the identity cookie.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import AuthenticationFailed, ValidationFailed
from content.infra.timeutil import utcnow
from content.models import User
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require
from content.org.users import find_user

NO_ACCOUNT = (
    "Alamat e-mail ini belum terhubung ke akun Siaran yang aktif; hubungi administrator sistem."
)
NOT_VERIFIED = (
    "Penyedia identitas belum memverifikasi alamat e-mail ini, jadi tidak dapat dipakai untuk "
    "masuk; hubungi administrator sistem."
)
TOO_OLD = "Sesi SSO Anda sudah berakhir; keluar dari akun SSO lalu masuk lagi."
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")
MAX_EMAIL = 254


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> User | None:
    """Addresses compare case-insensitively (providers differ in how they spell them)."""
    wanted = normalise_email(email)
    if not wanted:
        return None
    return session.scalar(select(User).where(func.lower(User.email) == wanted))


class ReauthenticationNeeded(AuthenticationFailed):
    """The identity provider's proof is older than a Siaran session may last."""


@dataclass(frozen=True)
class Identity:
    """What the identity provider said about the person (the ID token's claims)."""

    email: str
    email_verified: bool
    authenticated_at: datetime | None  # `auth_time`, else `iat`

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Identity | None:
        email = claims.get("email")
        if not isinstance(email, str) or not email:
            return None
        verified = claims.get("email_verified")
        moment = claims.get("auth_time") or claims.get("iat")
        return cls(
            email,
            verified is True or str(verified).lower() == "true",
            _epoch(moment),
        )


def _epoch(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def check_identity(identity: Identity, max_age: timedelta, now: datetime | None = None) -> None:
    """Refuse an unverified address, and a proof older than a session may last."""
    if not identity.email_verified:
        raise AuthenticationFailed(NOT_VERIFIED)
    moment = identity.authenticated_at
    if moment is None or (now or utcnow()) - moment >= max_age:
        raise ReauthenticationNeeded(TOO_OLD)


def sign_in_with_identity(
    session: Session, identity: Identity, max_age: timedelta, now: datetime | None = None
) -> Actor:
    """The actor for a verified, recent identity whose address is linked to an active user."""
    check_identity(identity, max_age, now)
    return sign_in_by_email(session, identity.email)


def sign_in_by_email(session: Session, email: str) -> Actor:
    """The actor for an address the identity provider confirmed, audited like a sign-in.
    Callers with the provider's claims use `sign_in_with_identity`."""
    user = find_by_email(session, email)
    if user is None or not user.active:
        raise AuthenticationFailed(NO_ACCOUNT)
    user.last_login_at = utcnow()
    actor = Actor.of(user)
    audit.record(session, actor, AuditAction.USER_SIGNED_IN, "user", user.id, after={"via": "sso"})
    return actor


def set_email(session: Session, actor: Actor, username: str, email: str | None) -> User:
    """Link (or unlink, with an empty address) a user to their identity provider address."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_USERS)
    user = find_user(session, username)
    address = normalise_email(email or "") or None
    if address is not None:
        if len(address) > MAX_EMAIL or not _EMAIL.match(address):
            raise ValidationFailed(f"Alamat e-mail '{address}' tidak sah.")
        owner = find_by_email(session, address)
        if owner is not None and owner.id != user.id:
            raise ValidationFailed(f"Alamat e-mail '{address}' sudah dipakai pengguna lain.")
    before = {"email": user.email}
    user.email = address
    audit.record(
        session,
        actor,
        AuditAction.USER_EMAIL_CHANGED,
        "user",
        user.id,
        before=before,
        after={"email": address},
    )
    return user
