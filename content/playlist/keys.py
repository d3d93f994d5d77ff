"""Videotron playlists: player keys. Only a screen's own players may report plays and heartbeats.

The system administrator issues a key for a screen (`siaran player-key`); the launcher on the
screen's PC holds it and hands it to the player page, which sends it with every report. The key
is shown once and stored only as its sha256; a revoked key is refused from then on.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import AuthenticationFailed, InvalidTransition, NotFound
from content.infra.timeutil import utcnow
from content.models import PlayerKey, Screen
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require
from content.playlist.reading import find_screen

KEY_PREFIX = "spk_"
MAX_KEY_LENGTH = 100
KEY_REFUSED = "Pemutar ini tidak terdaftar untuk layar ini; minta kunci pemutar ke admin sistem."


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_player_key(
    session: Session, actor: Actor, screen: Screen | int | str, *, label: str = ""
) -> tuple[PlayerKey, str]:
    """A new key for the screen's players: (its row, the key itself, shown only now)."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_SCREENS)
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
    session: Session, actor: Actor, key_id: int, *, now: datetime | None = None
) -> PlayerKey:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_SCREENS)
    row = session.get(PlayerKey, key_id)
    if row is None:
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
