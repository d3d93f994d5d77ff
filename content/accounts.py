"""Social media accounts: credentials sealed on the way in and opened only for a publisher."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.actors import SYSTEM, Actor, refresh
from content.errors import NotFound, ValidationFailed
from content.models import Account, AccountHealth, Channel
from content.models.enums import SOCIAL_CHANNELS
from content.opds import get_opd
from content.permissions import Action, require
from content.secrets import SecretBox

# What each channel needs to publish; checked when an account is added (values never echoed).
REQUIRED_CREDENTIALS: dict[Channel, tuple[str, ...]] = {
    Channel.X: ("consumer_key", "consumer_secret", "access_token", "access_token_secret"),
    Channel.FACEBOOK: ("page_access_token",),
    Channel.INSTAGRAM: ("access_token",),
}
REQUIRED_SETTINGS: dict[Channel, tuple[str, ...]] = {
    Channel.X: (),
    Channel.FACEBOOK: ("page_id",),
    Channel.INSTAGRAM: ("ig_user_id",),
}


def missing_fields(
    channel: Channel, credentials: Mapping[str, Any], settings: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    """(credential keys, setting keys) that `channel` needs and that are empty."""
    return (
        [k for k in REQUIRED_CREDENTIALS[channel] if not credentials.get(k)],
        [k for k in REQUIRED_SETTINGS[channel] if not settings.get(k)],
    )


def parse_channel(value: str) -> Channel:
    try:
        channel = Channel(value.strip().lower())
    except ValueError:
        channel = None
    if channel not in SOCIAL_CHANNELS:
        raise ValidationFailed("Jenis akun harus x, facebook atau instagram.")
    assert channel is not None
    return channel


def add_account(
    session: Session,
    actor: Actor,
    box: SecretBox,
    *,
    kind: str,
    handle: str,
    display_name: str,
    credentials: Mapping[str, Any],
    settings: Mapping[str, Any] | None = None,
    opd_slug: str | None = None,
    is_simulator: bool = False,
) -> Account:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_ACCOUNTS)
    channel = parse_channel(kind)
    settings = dict(settings or {})
    missing_credentials, missing_settings = missing_fields(channel, credentials, settings)
    missing = missing_credentials + missing_settings
    if missing:
        raise ValidationFailed(f"Data akun {channel.value} belum lengkap: {', '.join(missing)}.")
    handle = handle.strip()
    if not handle:
        raise ValidationFailed("Nama akun (handle) wajib diisi.")
    duplicate = select(Account.id).where(Account.kind == channel, Account.handle == handle)
    if session.scalar(duplicate) is not None:
        raise ValidationFailed(f"Akun {channel.value} '{handle}' sudah terdaftar.")
    account = Account(
        kind=channel,
        handle=handle,
        display_name=display_name.strip() or handle,
        opd=get_opd(session, opd_slug) if opd_slug else None,
        credentials_encrypted=box.seal(credentials),
        settings=settings,
        is_simulator=is_simulator,
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        actor,
        "account.created",
        "account",
        account.id,
        opd_id=account.opd_id,
        # Which keys were set, never their values.
        after={"kind": channel, "handle": handle, "credential_keys": sorted(credentials)},
    )
    return account


def replace_credentials(
    session: Session, actor: Actor, box: SecretBox, account_id: int, credentials: Mapping[str, Any]
) -> Account:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_ACCOUNTS)
    account = get_account(session, account_id)
    account.credentials_encrypted = box.seal(credentials)
    audit.record(
        session,
        actor,
        "account.credentials_changed",
        "account",
        account.id,
        opd_id=account.opd_id,
        after={"credential_keys": sorted(credentials)},
    )
    return account


def get_account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"Akun #{account_id} tidak ditemukan.")
    return account


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.kind, Account.handle)))


def credentials(box: SecretBox, account: Account) -> dict[str, Any]:
    """For publishers only: the decrypted credentials of one account."""
    return box.open(account.credentials_encrypted)


def record_health(
    session: Session,
    account_id: int,
    health: AccountHealth,
    message: str,
    token_expires_at: datetime | None,
) -> None:
    """What the last connection check found; a change of health is an audit event."""
    account = get_account(session, account_id)
    before = account.health
    account.health, account.health_message = health, message[:2000]
    account.token_expires_at = token_expires_at
    if before is not health:
        audit.record(
            session,
            SYSTEM,
            "account.health_changed",
            "account",
            account.id,
            opd_id=account.opd_id,
            before={"health": before},
            after={"health": health},
            reason=message[:500],
        )
