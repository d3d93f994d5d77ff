"""Users: creation, roles, sign-in with throttling. Role and credential changes are audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.config import Settings
from content.infra.errors import AuthenticationFailed, NotFound, ValidationFailed
from content.infra.passwords import (
    check_strength,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from content.infra.timeutil import utcnow
from content.labels import ROLE_LABELS
from content.models import Opd, Role, User
from content.models.enums import OPD_ROLES
from content.org import sign_in_throttle as throttle
from content.org import web_sessions
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}\Z")


def _opd_for(session: Session, role: Role, opd_slug: str | None) -> Opd | None:
    if not opd_slug:
        if role in OPD_ROLES:
            raise ValidationFailed(f"{ROLE_LABELS[role]} harus terikat pada satu OPD (--opd).")
        return None
    opd = session.scalar(select(Opd).where(Opd.slug == opd_slug))
    if opd is None:
        raise NotFound(f"OPD '{opd_slug}' tidak ditemukan.")
    return opd


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    password: str,
    role: Role,
    opd_slug: str | None = None,
) -> User:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_USERS)
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationFailed(
            "Nama pengguna 3–64 karakter: huruf kecil, angka, titik, garis bawah atau strip."
        )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationFailed(f"Nama pengguna '{username}' sudah dipakai.")
    check_strength(password)
    opd = _opd_for(session, role, opd_slug)
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=hash_password(password),
        role=role,
        opd=opd,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.USER_CREATED,
        "user",
        user.id,
        opd_id=user.opd_id,
        after={"username": username, "role": role, "opd": opd_slug},
    )
    return user


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"Pengguna '{username}' tidak ditemukan.")
    return user


def actor_for(session: Session, username: str) -> Actor:
    """The actor a trusted caller (the CLI's --as) speaks for; services still decide."""
    user = find_user(session, username)
    if not user.active:
        raise AuthenticationFailed(f"Pengguna '{user.username}' tidak aktif.")
    return Actor.of(user)


def set_role(
    session: Session, actor: Actor, username: str, role: Role, opd_slug: str | None = None
) -> User:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_USERS)
    user = find_user(session, username)
    before = {"role": user.role, "opd_id": user.opd_id}
    opd = _opd_for(session, role, opd_slug)
    user.role, user.opd = role, opd
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.USER_ROLE_CHANGED,
        "user",
        user.id,
        opd_id=user.opd_id,
        before=before,
        after={"role": role, "opd_id": user.opd_id},
    )
    return user


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_USERS)
    user = find_user(session, username)
    if user.id == actor.user_id and not active:
        raise ValidationFailed("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    user.active = active
    if active:
        user.failed_logins, user.locked_until = 0, None
    else:  # signed out everywhere at once, not at each browser's next click
        web_sessions.end_all(session, user.id, web_sessions.EndReason.DEACTIVATED)
    audit.record(
        session,
        actor,
        AuditAction.USER_ACTIVATED if active else AuditAction.USER_DEACTIVATED,
        "user",
        user.id,
    )
    return user


def set_password(session: Session, actor: Actor, username: str, password: str) -> User:
    actor = refresh(session, actor)
    user = find_user(session, username)
    if user.id != actor.user_id:
        require(actor, Action.MANAGE_USERS)
    check_strength(password)
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    audit.record(session, actor, AuditAction.USER_PASSWORD_CHANGED, "user", user.id)
    return user


# One sentence for every refusal: unknown name, wrong password, inactive account, or an attempt
# that came before its throttle delay ran out. Which of them it was is nobody's business.
SIGN_IN_REFUSED = (
    "Nama pengguna atau kata sandi salah, atau terlalu banyak percobaan; tunggu sebentar lalu "
    "coba lagi."
)
# From this many failed attempts in a row the owner is told at their next sign-in, and the
# audit trail gets an event when the streak reaches it.
NOTIFY_AFTER = 3


@dataclass(frozen=True)
class SignIn:
    actor: Actor
    failed_attempts: int  # failed attempts on this account since its last sign-in

    @property
    def notice(self) -> str | None:
        """What to tell the person who just signed in, when someone tried their account."""
        if self.failed_attempts < NOTIFY_AFTER:
            return None
        return (
            f"Ada {self.failed_attempts} percobaan masuk yang gagal ke akun Anda sejak Anda "
            "terakhir masuk; bila itu bukan Anda, segera ganti kata sandi."
        )


def sign_in(
    session: Session,
    username: str,
    password: str,
    settings: Settings,
    *,
    client: str | None = None,
    now: datetime | None = None,
) -> SignIn:
    """Check a password, throttled per account name and per client address
    (content/org/sign_in_throttle.py). Every refusal is the same sentence after the same work (one
    argon2 verification), so neither the answer nor its timing tells a real name from an
    unknown one, a wrong password from a throttled attempt."""
    now = now or utcnow()
    name = username.strip().lower()
    attempt = throttle.keys(name, client)
    early = throttle.wait(session, attempt, now) > timedelta(0)
    user = session.scalar(select(User).where(User.username == name))
    matches = verify_password(user.password_hash if user else dummy_hash(), password)
    if early:  # not checked: the verification above only keeps the timing the same
        raise AuthenticationFailed(SIGN_IN_REFUSED)
    if user is None or not matches or not user.active:
        throttle.record_failure(session, attempt, settings, now)
        if user is not None:
            _count_failure(session, user)
        raise AuthenticationFailed(SIGN_IN_REFUSED)
    throttle.clear_account(session, attempt)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    failed = user.failed_logins
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    actor = Actor.of(user)
    audit.record(
        session, actor, AuditAction.USER_SIGNED_IN, "user", user.id, after={"failed_before": failed}
    )
    return SignIn(actor, failed)


def _count_failure(session: Session, user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins == NOTIFY_AFTER:
        audit.record(
            session,
            Actor.of(user),
            AuditAction.USER_SIGN_IN_FAILURES,
            "user",
            user.id,
            after={"failed_attempts": user.failed_logins},
        )
