"""Users: creation, roles, sign-in with lock-out. Role and credential changes are audited."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.actors import Actor, refresh
from content.config import Settings
from content.errors import AuthenticationFailed, NotFound, ValidationFailed
from content.models import Opd, Role, User
from content.passwords import (
    check_strength,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from content.permissions import Action, require
from content.timeutil import format_wib, utcnow

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}\Z")


def _opd_for(session: Session, role: Role, opd_slug: str | None) -> Opd | None:
    if not opd_slug:
        if role is Role.PPID_PEMBANTU:
            raise ValidationFailed("PPID Pembantu harus terikat pada satu OPD (--opd).")
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
        "user.created",
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
        "user.role_changed",
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
    audit.record(
        session, actor, "user.activated" if active else "user.deactivated", "user", user.id
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
    audit.record(session, actor, "user.password_changed", "user", user.id)
    return user


def authenticate(session: Session, username: str, password: str, settings: Settings) -> Actor:
    """Check a password; repeated failures lock the account for a while. The same sentence for
    an unknown user and a wrong password, so usernames cannot be probed."""
    now = utcnow()
    wrong = AuthenticationFailed("Nama pengguna atau kata sandi salah.")
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        verify_password(dummy_hash(), password)
        raise wrong
    if user.locked_until is not None and user.locked_until > now:
        raise AuthenticationFailed(
            f"Akun dikunci sementara karena terlalu banyak percobaan; coba lagi setelah "
            f"{format_wib(user.locked_until, '%H:%M')}."
        )
    if not verify_password(user.password_hash, password) or not user.active:
        user.failed_logins += 1
        if user.failed_logins >= settings.login_max_failures:
            user.locked_until = now + timedelta(minutes=settings.login_lock_minutes)
            user.failed_logins = 0
            audit.record(session, Actor.of(user), "user.locked", "user", user.id)
        raise wrong
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    audit.record(session, Actor.of(user), "user.signed_in", "user", user.id)
    return Actor.of(user)
