"""What the system administrator reads: users with their role and OPD, and social accounts with
which credential keys are set (never their values), how soon their tokens expire, and which of
them need a new token (and why, as codes the page turns into sentences)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.infra.errors import DomainError
from content.infra.secrets import SecretBox
from content.infra.timeutil import utcnow
from content.models import Account, AccountHealth, ApprovalLevel, Channel, Role, User
from content.org.accounts import approval_levels, credentials, get_account
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require


class RenewalReason(enum.StrEnum):
    """Why an account needs its token renewed."""

    UNREADABLE = "unreadable"  # the credentials do not open with the current key
    EXPIRED = "expired"
    EXPIRING = "expiring"  # within the configured warning period
    CHECK_FAILED = "check_failed"  # the last connection check failed


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    email: str | None
    role: Role
    opd_id: int | None
    opd_slug: str
    opd_name: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


@dataclass(frozen=True)
class AccountRow:
    id: int
    kind: Channel
    handle: str
    display_name: str
    opd_name: str  # empty for a city-wide account
    is_simulator: bool
    active: bool
    health: AccountHealth
    health_message: str
    token_expires_at: datetime | None
    # Which credential keys are stored; None when they cannot be opened with the current key.
    credential_keys: tuple[str, ...] | None
    token_expired: bool
    token_expiring: bool
    approvals: tuple[ApprovalLevel, ...] = (ApprovalLevel.CITY,)  # `accounts.approval_levels`

    @property
    def renewal_reasons(self) -> tuple[RenewalReason, ...]:
        """Why this account needs a new token; empty when it does not (or is inactive)."""
        if not self.active:
            return ()
        flags = {
            RenewalReason.UNREADABLE: self.credential_keys is None,
            RenewalReason.EXPIRED: self.token_expired,
            RenewalReason.EXPIRING: self.token_expiring,
            RenewalReason.CHECK_FAILED: self.health is AccountHealth.ERROR,
        }
        return tuple(reason for reason, found in flags.items() if found)


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_USERS)
    users = session.scalars(select(User).order_by(User.role, User.username))
    return [
        UserRow(
            u.id,
            u.username,
            u.display_name,
            u.email,
            u.role,
            u.opd_id,
            u.opd.slug if u.opd else "",
            u.opd.short_name if u.opd else "",
            u.active,
            u.locked_until,
            u.last_login_at,
        )
        for u in users
    ]


def _credential_keys(box: SecretBox, account: Account) -> tuple[str, ...] | None:
    try:
        # The values are dropped at once: only the names of what is set leave this function.
        return tuple(sorted(k for k, v in box.open(account.credentials_encrypted).items() if v))
    except DomainError:
        return None


def account_overview(
    session: Session,
    actor: Actor,
    box: SecretBox,
    *,
    warn_within: timedelta,
    now: datetime | None = None,
) -> list[AccountRow]:
    """Every account as the sysadmin sees it; `warn_within` is the configured warning period
    (`[publishers] expiring_days`, the same the connection check uses)."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_ACCOUNTS)
    now = now or utcnow()
    rows = []
    for account in session.scalars(select(Account).order_by(Account.kind, Account.handle)):
        expires = account.token_expires_at
        rows.append(
            AccountRow(
                account.id,
                account.kind,
                account.handle,
                account.display_name,
                account.opd.short_name if account.opd else "",
                account.is_simulator,
                account.active,
                account.health,
                account.health_message,
                expires,
                _credential_keys(box, account),
                expires is not None and expires <= now,
                expires is not None and now < expires <= now + warn_within,
                tuple(approval_levels(account)),
            )
        )
    return rows


def needing_renewal(rows: list[AccountRow]) -> list[AccountRow]:
    """Active accounts whose token is expiring or expired, whose credentials cannot be opened,
    or whose last connection check failed."""
    return [r for r in rows if r.renewal_reasons]


def account_for_check(
    session: Session, actor: Actor, box: SecretBox, account_id: int
) -> tuple[Account, dict[str, Any]]:
    """An account and its opened credentials, for a connection test by a publisher only."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_ACCOUNTS)
    account = get_account(session, account_id)
    return account, credentials(box, account)
