"""Renewing an account's token in place, re-sealing every credential under a new key, and the
list of accounts that need a new token (both databases)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from content.delivery import metrics
from content.infra.errors import PermissionDenied, ValidationFailed
from content.infra.secrets import SecretBox
from content.infra.timeutil import utcnow
from content.models import (
    Account,
    AccountHealth,
    AuditEvent,
    Channel,
    MetricSnapshot,
    PostStatus,
    PostTarget,
    SpendEntry,
)
from content.org import accounts, administration
from content.org.accounts import UnreadableCredentials
from tests.world import World

NEW_X = {
    "consumer_key": "ck-baru",
    "consumer_secret": "cs-baru-RAHASIA",
    "access_token": "at-baru",
    "access_token_secret": "ats-baru-RAHASIA",
}
WEEK = timedelta(days=7)


def _account(world: World, account_id: int) -> Account:
    account = world.session.get(Account, account_id)
    assert account is not None
    return account


def _history(world: World, account_id: int) -> tuple[int, int, int]:
    """Targets, metric snapshots and spend entries that belong to the account."""
    session = world.session
    targets = select(PostTarget.id).where(PostTarget.account_id == account_id)
    return (
        session.scalar(select(func.count()).select_from(targets.subquery())) or 0,
        session.scalar(
            select(func.count(MetricSnapshot.id)).where(MetricSnapshot.target_id.in_(targets))
        )
        or 0,
        session.scalar(select(func.count(SpendEntry.id)).where(SpendEntry.account_id == account_id))
        or 0,
    )


def _events(world: World, action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(world.session.scalars(query))


def test_renewal_keeps_the_account_and_its_history(world: World) -> None:
    post = world.post_in(PostStatus.SCHEDULED)
    target = next(t for t in post.targets if t.account_id == world.x_account)
    metrics.store_readings(world.session, utcnow(), [(target.id, {"likes": 4})])
    world.session.add(
        SpendEntry(
            platform=Channel.X,
            action="post",
            amount_usd=Decimal("0.015"),
            account_id=world.x_account,
        )
    )
    account = _account(world, world.x_account)
    account.health, account.health_message = AccountHealth.ERROR, "X: token ditolak."
    account.token_expires_at = utcnow() + timedelta(days=2)
    world.session.flush()
    before = _history(world, world.x_account)
    old_sealed = account.credentials_encrypted

    renewed = accounts.replace_credentials(
        world.session, world.sysadmin, world.box, world.x_account, NEW_X
    )

    assert renewed.id == world.x_account and renewed.handle == "@dinkes"
    assert _history(world, world.x_account) == before and before[0] >= 1
    assert renewed.credentials_encrypted != old_sealed
    assert accounts.credentials(world.box, renewed) == NEW_X
    # The old token's health and expiry no longer hold until the connection test says so.
    assert renewed.health is AccountHealth.UNKNOWN and renewed.token_expires_at is None
    event = _events(world, "account.credentials_changed")[-1]
    assert event.actor_label and event.entity_id == world.x_account
    assert event.after == {
        "credential_keys": sorted(NEW_X),
        "health": "unknown",
    }
    assert event.before is not None and event.before["health"] == "error"
    assert not any(value in str(event.before) + str(event.after) for value in NEW_X.values())


@pytest.mark.parametrize("who", ["utama", "pembantu", "analyst"])
def test_only_the_sysadmin_renews(world: World, who: str) -> None:
    sealed = _account(world, world.x_account).credentials_encrypted
    with pytest.raises(PermissionDenied):
        accounts.replace_credentials(
            world.session, world.actor(who), world.box, world.x_account, NEW_X
        )
    assert _account(world, world.x_account).credentials_encrypted == sealed
    assert _events(world, "account.credentials_changed") == []


def test_renewal_needs_every_key_of_the_channel(world: World) -> None:
    with pytest.raises(ValidationFailed, match="belum lengkap: page_access_token"):
        accounts.replace_credentials(
            world.session, world.sysadmin, world.box, world.fb_account, {"access_token": "x"}
        )
    with pytest.raises(ValidationFailed, match="belum lengkap: access_token_secret"):
        accounts.replace_credentials(
            world.session,
            world.sysadmin,
            world.box,
            world.x_account,
            {**NEW_X, "access_token_secret": ""},
        )


def _all_sealed(world: World) -> dict[int, str]:
    return {a.id: a.credentials_encrypted for a in accounts.list_accounts(world.session)}


def test_rotation_reseals_every_credential_under_the_new_key(world: World) -> None:
    new = SecretBox(Fernet.generate_key())
    opened = {i: world.box.open(token) for i, token in _all_sealed(world).items()}

    done = accounts.reseal_all(world.session, world.sysadmin, world.box, new)

    assert (done.resealed, done.already_current, done.skipped) == (len(opened), 0, ())
    for account_id, token in _all_sealed(world).items():
        assert new.open(token) == opened[account_id]
        assert not world.box.opens(token)
    event = _events(world, "secrets.rotated")[-1]
    assert event.after == {"resealed": len(opened), "already_current": 0, "skipped": []}
    # A second run finds everything under the new key already and changes nothing.
    sealed = _all_sealed(world)
    again = accounts.reseal_all(world.session, world.sysadmin, world.box, new)
    assert (again.resealed, again.already_current) == (0, len(opened))
    assert _all_sealed(world) == sealed


def test_rotation_is_all_or_nothing_when_a_credential_opens_with_neither_key(
    world: World,
) -> None:
    new, stranger = SecretBox(Fernet.generate_key()), SecretBox(Fernet.generate_key())
    lost = _account(world, world.fb_account)
    lost.credentials_encrypted = stranger.seal({"page_access_token": "p"})
    world.session.flush()
    before = _all_sealed(world)

    with pytest.raises(UnreadableCredentials) as refused:
        accounts.reseal_all(world.session, world.sysadmin, world.box, new)

    assert refused.value.account_ids == (world.fb_account,)
    assert f"#{world.fb_account}" in refused.value.message
    assert _all_sealed(world) == before
    assert _events(world, "secrets.rotated") == []

    done = accounts.reseal_all(world.session, world.sysadmin, world.box, new, skip_unreadable=True)
    assert done.skipped == (world.fb_account,) and done.resealed == len(before) - 1
    after = _all_sealed(world)
    assert after[world.fb_account] == before[world.fb_account]
    assert all(new.opens(t) for i, t in after.items() if i != world.fb_account)


def test_rotation_is_refused_with_the_same_key_or_for_others(world: World) -> None:
    same = SecretBox.from_material(world.secret_key)
    with pytest.raises(ValidationFailed, match="sama dengan kunci sekarang"):
        accounts.reseal_all(world.session, world.sysadmin, world.box, same)
    with pytest.raises(PermissionDenied):
        accounts.reseal_all(world.session, world.utama, world.box, SecretBox(Fernet.generate_key()))


def test_accounts_needing_a_new_token_say_why(world: World) -> None:
    now = utcnow()
    _account(world, world.x_account).token_expires_at = now + timedelta(days=3)
    _account(world, world.fb_account).token_expires_at = now - timedelta(days=1)
    _account(world, world.ig_account).health = AccountHealth.ERROR
    lost = _account(world, world.other_x_account)
    lost.credentials_encrypted = SecretBox(Fernet.generate_key()).seal(NEW_X)
    inactive = _account(world, world.city_x_account)
    inactive.active, inactive.health = False, AccountHealth.ERROR
    world.session.flush()

    rows = administration.account_overview(
        world.session, world.sysadmin, world.box, warn_within=WEEK, now=now
    )

    reasons = {r.id: r.renewal_reasons for r in administration.needing_renewal(rows)}
    assert reasons == {
        world.x_account: (administration.RenewalReason.EXPIRING,),
        world.fb_account: (administration.RenewalReason.EXPIRED,),
        world.ig_account: (administration.RenewalReason.CHECK_FAILED,),
        world.other_x_account: (administration.RenewalReason.UNREADABLE,),
    }
    # The configured warning period decides what "expiring" means.
    shorter = administration.account_overview(
        world.session, world.sysadmin, world.box, warn_within=timedelta(days=2), now=now
    )
    assert world.x_account not in {r.id for r in administration.needing_renewal(shorter)}
