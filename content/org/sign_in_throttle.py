"""Slowing password guessing down without handing anyone a way to lock others out.

Failures are counted per account name (whether or not such an account exists, so the throttle
says nothing about which names are real) and per client address. After a number of free
failures, each further failure makes the next attempt from that name or address wait longer:
1 s, 2 s, 4 s … up to a cap. An attempt that comes before then is not checked at all.

The two caps differ on purpose. The address's delay grows to many minutes: it only ever slows
the one who fails from there. The account's delay stays short (half a minute): an outsider who
types wrong passwords for someone else's name cannot keep that person out for long, and has to
do it from many addresses, each slowed on its own. Failures are forgotten after a quiet hour.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content.infra.config import Settings
from content.models import SignInThrottle

FORGET_AFTER = timedelta(hours=1)
ACCOUNT, ADDRESS = "account", "address"


@dataclass(frozen=True)
class Policy:
    free_failures: int
    max_delay: timedelta
    first_delay: timedelta = timedelta(seconds=1)

    def delay_after(self, failures: int) -> timedelta:
        """How long the next attempt waits after this many failures in a row."""
        if failures < self.free_failures:
            return timedelta(0)
        doublings = min(failures - self.free_failures, 32)  # 2**32 s is past any cap
        return min(self.max_delay, self.first_delay * (1 << doublings))


@dataclass(frozen=True)
class Key:
    kind: str
    digest: str


def policies(settings: Settings) -> dict[str, Policy]:
    return {
        ACCOUNT: Policy(
            settings.login_max_failures, timedelta(seconds=settings.login_max_delay_seconds)
        ),
        ADDRESS: Policy(
            settings.login_address_max_failures,
            timedelta(seconds=settings.login_address_max_delay_seconds),
        ),
    }


def keys(username: str, client: str | None) -> list[Key]:
    """The throttle keys of one attempt: the account name, and the client address when known."""
    found = [Key(ACCOUNT, _digest(ACCOUNT, username))]
    if client:
        found.append(Key(ADDRESS, _digest(ADDRESS, client.strip().lower())))
    return found


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def wait(session: Session, attempt: list[Key], now: datetime) -> timedelta:
    """How long this attempt is early by (zero when it may be checked now)."""
    longest = timedelta(0)
    for key in attempt:
        row = session.get(SignInThrottle, key.digest)
        if row is not None and row.next_allowed_at > now:
            longest = max(longest, row.next_allowed_at - now)
    return longest


def record_failure(
    session: Session, attempt: list[Key], settings: Settings, now: datetime
) -> timedelta:
    """Count one failure for each key; returns the delay now decided for the next attempt."""
    rules = policies(settings)
    longest = timedelta(0)
    for key in attempt:
        row = _row(session, key, now)
        if now - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        delay = rules[key.kind].delay_after(row.failures)
        row.next_allowed_at = now + delay
        longest = max(longest, delay)
    session.flush()
    return longest


def clear_account(session: Session, attempt: list[Key]) -> None:
    """After a successful sign-in the account starts afresh; the address does not (a guesser
    with an account of their own must not be able to reset their address by signing in)."""
    for key in attempt:
        if key.kind == ACCOUNT:
            row = session.get(SignInThrottle, key.digest)
            if row is not None:
                session.delete(row)
    session.flush()


def _row(session: Session, key: Key, now: datetime) -> SignInThrottle:
    row = session.get(SignInThrottle, key.digest)
    if row is not None:
        return row
    fresh = SignInThrottle(
        key=key.digest, kind=key.kind, failures=0, last_failure_at=now, next_allowed_at=now
    )
    try:
        with session.begin_nested():
            session.add(fresh)
    except IntegrityError:  # another dashboard counted the same key a moment ago
        found = session.get(SignInThrottle, key.digest, populate_existing=True)
        assert found is not None
        return found
    return fresh
