"""Administration views: users, and accounts with credential key names and token expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from content.infra.errors import PermissionDenied
from content.infra.secrets import SecretBox
from content.infra.timeutil import utcnow
from content.models import Account
from content.org import administration
from tests.world import World


def test_users_are_listed_for_the_sysadmin_only(world: World) -> None:
    rows = administration.list_users(world.session, world.sysadmin)
    assert {"dinkes", "utama", "admin"} <= {r.username for r in rows}
    assert next(r for r in rows if r.username == "dinkes").opd_name == "Dinas Kesehatan"
    with pytest.raises(PermissionDenied):
        administration.list_users(world.session, world.utama)


def test_accounts_show_key_names_and_expiry_but_never_values(world: World) -> None:
    now = utcnow()
    account = world.session.get(Account, world.x_account)
    assert account is not None
    account.token_expires_at = now + timedelta(days=3)
    world.session.flush()
    rows = administration.account_overview(
        world.session, world.sysadmin, world.box, warn_within=timedelta(days=7), now=now
    )
    x = next(r for r in rows if r.id == world.x_account)
    assert x.credential_keys == (
        "access_token",
        "access_token_secret",
        "consumer_key",
        "consumer_secret",
    )
    assert x.token_expiring and not x.token_expired
    assert [r.id for r in administration.needing_renewal(rows)] == [world.x_account]
    other_key = SecretBox(_key())
    unreadable = administration.account_overview(
        world.session, world.sysadmin, other_key, warn_within=timedelta(days=7)
    )
    assert all(r.credential_keys is None for r in unreadable)
    with pytest.raises(PermissionDenied):
        administration.account_overview(
            world.session, world.utama, world.box, warn_within=timedelta(days=7)
        )


def _key() -> bytes:
    from cryptography.fernet import Fernet

    return Fernet.generate_key()
