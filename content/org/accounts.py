"""Social media accounts: credentials sealed on the way in and opened only for a publisher;
renewed in place (the account keeps its posts, metrics and costs) and re-sealed under a new key."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import DomainError, NotFound, ValidationFailed
from content.infra.secrets import SecretBox
from content.models import Account, AccountHealth, ApprovalLevel, Channel
from content.models.enums import SOCIAL_CHANNELS
from content.org import notifications
from content.org.actors import SYSTEM, Actor, refresh
from content.org.opds import get_opd
from content.org.permissions import Action, require

# What each channel needs to publish; checked when an account is added (values never echoed).
REQUIRED_CREDENTIALS: dict[Channel, tuple[str, ...]] = {
    Channel.X: ("consumer_key", "consumer_secret", "access_token", "access_token_secret"),
    Channel.FACEBOOK: ("page_access_token",),
    Channel.INSTAGRAM: ("access_token",),
    Channel.WEBSITE: ("username", "application_password"),  # a WordPress Application Password
}
REQUIRED_SETTINGS: dict[Channel, tuple[str, ...]] = {
    Channel.X: (),
    Channel.FACEBOOK: ("page_id",),
    Channel.INSTAGRAM: ("ig_user_id",),
    Channel.WEBSITE: ("site_url",),
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
        kinds = ", ".join(c.value for c in SOCIAL_CHANNELS[:-1])
        raise ValidationFailed(f"Jenis akun harus {kinds} atau {SOCIAL_CHANNELS[-1].value}.")
    assert channel is not None
    return channel


def _missing(
    channel: Channel, credentials: Mapping[str, Any], settings: Mapping[str, Any] | None = None
) -> None:
    """Refuse credentials (and settings, when given) that lack what the channel needs."""
    lacking_credentials, lacking_settings = missing_fields(channel, credentials, settings or {})
    missing = lacking_credentials + (lacking_settings if settings is not None else [])
    if missing:
        raise ValidationFailed(f"Data akun {channel.value} belum lengkap: {', '.join(missing)}.")


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
    approvals: Collection[ApprovalLevel] = (ApprovalLevel.CITY,),
) -> Account:
    """A new account. `approvals`: the sign-offs a post to it needs (`set_approvals`)."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_ACCOUNTS)
    channel = parse_channel(kind)
    settings = dict(settings or {})
    _missing(channel, credentials, settings)
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
    _set_levels(account, approvals)
    session.add(account)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.ACCOUNT_CREATED,
        "account",
        account.id,
        opd_id=account.opd_id,
        # Which keys were set, never their values.
        after={
            "kind": channel,
            "handle": handle,
            "credential_keys": sorted(credentials),
            "approvals": approval_levels(account),
        },
    )
    return account


def approval_levels(account: Account) -> list[ApprovalLevel]:
    """The sign-offs a post to this account needs, in the order they are taken."""
    wanted = {ApprovalLevel.OPD: account.needs_opd_approval}
    wanted[ApprovalLevel.CITY] = account.needs_city_approval
    return [level for level in ApprovalLevel if wanted[level]]


def _set_levels(account: Account, approvals: Collection[ApprovalLevel]) -> None:
    levels = set(approvals)
    if not levels:
        raise ValidationFailed("Pilih minimal satu persetujuan untuk akun ini.")
    if account.opd is None and account.opd_id is None and ApprovalLevel.CITY not in levels:
        raise ValidationFailed("Akun tingkat kota selalu memerlukan persetujuan PPID Utama.")
    account.needs_opd_approval = ApprovalLevel.OPD in levels
    account.needs_city_approval = ApprovalLevel.CITY in levels


def set_approvals(
    session: Session, actor: Actor, account_id: int, approvals: Collection[ApprovalLevel]
) -> Account:
    """Which sign-offs a post to this account needs from now on: its OPD's PPID Pembantu, PPID
    Utama, or both. Posts already submitted keep the level they wait for."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_ACCOUNTS)
    account = get_account(session, account_id)
    before = {"approvals": approval_levels(account)}
    _set_levels(account, approvals)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.ACCOUNT_APPROVALS_CHANGED,
        "account",
        account.id,
        opd_id=account.opd_id,
        before=before,
        after={"approvals": approval_levels(account)},
    )
    return account


def replace_credentials(
    session: Session, actor: Actor, box: SecretBox, account_id: int, credentials: Mapping[str, Any]
) -> Account:
    """Renew an account's token: the same Account row (its posts, metrics and costs stay), new
    credentials sealed with the current key. The health found with the old token no longer
    holds, so it is reset to unknown until the connection test that the caller runs next.
    The audit row names the keys that were set, never their values."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_ACCOUNTS)
    account = get_account(session, account_id)
    _missing(account.kind, credentials)
    before = {"health": account.health, "token_expires_at": account.token_expires_at}
    account.credentials_encrypted = box.seal(credentials)
    account.health, account.health_message = AccountHealth.UNKNOWN, ""
    account.token_expires_at = None
    audit.record(
        session,
        actor,
        AuditAction.ACCOUNT_CREDENTIALS_CHANGED,
        "account",
        account.id,
        opd_id=account.opd_id,
        before=before,
        after={"credential_keys": sorted(credentials), "health": AccountHealth.UNKNOWN},
    )
    return account


class UnreadableCredentials(ValidationFailed):
    """Some credentials open with neither key; nothing was re-sealed."""

    def __init__(self, account_ids: Sequence[int]) -> None:
        self.account_ids = tuple(account_ids)
        listed = ", ".join(f"#{i}" for i in self.account_ids)
        super().__init__(
            f"Kredensial akun {listed} tidak dapat dibuka dengan kunci lama maupun kunci "
            "sekarang; tidak ada kredensial yang disegel ulang."
        )


@dataclass(frozen=True)
class Rotation:
    """What `reseal_all` did: counts and account ids only, never a key or a value."""

    resealed: int  # were sealed under the old key, now under the new one
    already_current: int  # were already sealed under the new key (renewed meanwhile)
    skipped: tuple[int, ...]  # opened by neither key, left as they were (only when allowed)


def reseal_all(
    session: Session,
    actor: Actor,
    old: SecretBox,
    new: SecretBox,
    *,
    skip_unreadable: bool = False,
) -> Rotation:
    """Re-seal every account's credentials under `new`, in the caller's transaction: all of them
    or none. Credentials that neither key opens raise UnreadableCredentials before anything is
    written, unless `skip_unreadable`, which leaves them as they are (to be renewed by hand)."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_ACCOUNTS)
    if old.same_key(new):
        raise ValidationFailed("Kunci lama sama dengan kunci sekarang: tidak ada yang diganti.")
    # Locked, so that a renewal committed meanwhile is not overwritten with an older token.
    rows = list(session.scalars(select(Account).order_by(Account.id).with_for_update(of=Account)))
    resealed: dict[int, str] = {}
    current, unreadable = 0, []
    for account in rows:
        token = account.credentials_encrypted
        if not token:  # nothing sealed, nothing to re-seal
            continue
        if not new.needs_reseal(token):  # already under the newest key
            current += 1
            continue
        try:
            resealed[account.id] = new.reseal(token, old)
        except DomainError:
            unreadable.append(account.id)
    if unreadable and not skip_unreadable:
        raise UnreadableCredentials(unreadable)
    for account in rows:
        if account.id in resealed:
            account.credentials_encrypted = resealed[account.id]
    rotation = Rotation(len(resealed), current, tuple(unreadable))
    audit.record(
        session,
        actor,
        AuditAction.SECRETS_ROTATED,
        "account",
        None,
        after={
            "resealed": rotation.resealed,
            "already_current": rotation.already_current,
            "skipped": list(rotation.skipped),
        },
    )
    return rotation


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
    *,
    platform_ids: Mapping[str, str] | None = None,
) -> None:
    """What the last connection check found; a change of health is an audit event. The
    account's own platform id from the check (X: `user_id`) is kept in its settings, so that
    metrics can be read from its own timeline (owned reads) without asking for it again."""
    account = get_account(session, account_id)
    user_id = (platform_ids or {}).get("user_id", "")
    if user_id and (account.settings or {}).get("user_id") != user_id:
        account.settings = {**(account.settings or {}), "user_id": user_id}
    before = account.health
    account.health, account.health_message = health, message[:2000]
    account.token_expires_at = token_expires_at
    if before is not health:
        audit.record(
            session,
            SYSTEM,
            AuditAction.ACCOUNT_HEALTH_CHANGED,
            "account",
            account.id,
            opd_id=account.opd_id,
            before={"health": before},
            after={"health": health},
            reason=message[:500],
        )
        notifications.health_changed(session, account, before)
