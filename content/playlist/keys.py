"""Videotron playlists: player keys. Only a screen's own players may report plays and heartbeats.

PPID Utama issues a key for a screen (the Videotron page, or `siaran player-key --as USER`); the
launcher on the screen's PC holds it and hands it to the player page, which sends it with every
report. The key is shown once and stored only as its sha256; a revoked key is refused from then
on. Keys are listed by their number and a short fingerprint (the first characters of the
digest), never by anything that would let someone report for the screen.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import AuthenticationFailed, InvalidTransition, NotFound
from content.infra.timeutil import utcnow
from content.models import PlayerKey, Screen, User
from content.org.actors import Actor
from content.playlist.reading import find_screen
from content.playlist.slides import require_videotron_manager

KEY_PREFIX = "spk_"
MAX_KEY_LENGTH = 100
KEY_REFUSED = "Pemutar ini tidak terdaftar untuk layar ini; minta kunci pemutar ke PPID Utama."
FINGERPRINT = 8


@dataclass(frozen=True)
class PlayerKeyInfo:
    id: int
    fingerprint: str  # the digest's first characters: tells keys apart, opens nothing
    label: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None

    @property
    def short_id(self) -> str:
        return f"#{self.id} · {self.fingerprint}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_player_key(
    session: Session, actor: Actor, screen: Screen | int | str, *, label: str = ""
) -> tuple[PlayerKey, str]:
    """A new key for the screen's players: (its row, the key itself, shown only now)."""
    actor = require_videotron_manager(session, actor)
    found = find_screen(session, screen)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = PlayerKey(
        screen_id=found.id,
        key_sha256=_digest(key),
        label=label.strip()[:100],
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.VIDEOTRON_PLAYER_KEY_ISSUED,
        "player_key",
        row.id,
        after={"screen": found.slug, "label": row.label},
    )
    return row, key


def revoke_player_key(
    session: Session,
    actor: Actor,
    key_id: int,
    *,
    screen: Screen | int | str | None = None,
    now: datetime | None = None,
) -> PlayerKey:
    """Refuse the key from now on. With `screen`, only a key of that screen (a page revokes
    what it listed for the screen it shows)."""
    actor = require_videotron_manager(session, actor)
    row = session.get(PlayerKey, key_id)
    if row is None or (screen is not None and row.screen_id != find_screen(session, screen).id):
        raise NotFound("Kunci pemutar tidak ditemukan.")
    if row.revoked_at is not None:
        raise InvalidTransition("Kunci pemutar ini sudah dicabut.")
    row.revoked_at = now or utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.VIDEOTRON_PLAYER_KEY_REVOKED,
        "player_key",
        row.id,
        after={"revoked": True},
    )
    return row


def player_keys(session: Session, actor: Actor, screen: Screen | int | str) -> list[PlayerKeyInfo]:
    """The screen's keys, those in force first, newest first."""
    require_videotron_manager(session, actor)
    found = find_screen(session, screen)
    rows = session.execute(
        select(PlayerKey, User.username)
        .outerjoin(User, User.id == PlayerKey.created_by_id)
        .where(PlayerKey.screen_id == found.id)
        .order_by(PlayerKey.revoked_at.is_not(None), PlayerKey.id.desc())
    ).all()
    return [
        PlayerKeyInfo(
            row.id,
            row.key_sha256[:FINGERPRINT],
            row.label,
            row.created_at,
            username or "sistem",
            row.revoked_at,
        )
        for row, username in rows
    ]


def require_player_key(session: Session, screen: Screen | int | str, key: str | None) -> Screen:
    """The screen, if `key` is one of its keys still in force; AuthenticationFailed otherwise
    (the same answer for a wrong screen, a revoked key or no key: it tells a prober nothing)."""
    found = find_screen(session, screen)
    if not key or len(key) > MAX_KEY_LENGTH or not key.startswith(KEY_PREFIX):
        raise AuthenticationFailed(KEY_REFUSED)
    row = session.scalar(
        select(PlayerKey.id).where(
            PlayerKey.key_sha256 == _digest(key),
            PlayerKey.screen_id == found.id,
            PlayerKey.revoked_at.is_(None),
        )
    )
    if row is None:
        raise AuthenticationFailed(KEY_REFUSED)
    return found
