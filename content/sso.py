"""Single sign-on: the identity provider vouches for an e-mail address, Siaran maps it to a user.

The provider proves who the person is; what they may do still comes from the user row (role, OPD,
active). An address that matches no active user gets one sentence and no session.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import audit
from content.actors import Actor, refresh
from content.audit import AuditAction
from content.errors import AuthenticationFailed, ValidationFailed
from content.models import User
from content.permissions import Action, require
from content.timeutil import utcnow
from content.users import find_user

NO_ACCOUNT = (
    "Alamat e-mail ini belum terhubung ke akun Siaran yang aktif; hubungi administrator sistem."
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL = 254


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> User | None:
    """Addresses compare case-insensitively (providers differ in how they spell them)."""
    wanted = normalise_email(email)
    if not wanted:
        return None
    return session.scalar(select(User).where(func.lower(User.email) == wanted))


def sign_in_by_email(session: Session, email: str) -> Actor:
    """The actor for an address the identity provider confirmed, audited like a sign-in."""
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
