"""Single sign-on maps the identity provider's e-mail to exactly one active user."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from content.infra.errors import AuthenticationFailed, PermissionDenied, ValidationFailed
from content.infra.timeutil import utcnow
from content.models import AuditEvent
from content.org import sso, users
from tests.world import World


def test_a_linked_address_signs_in_case_insensitively(world: World) -> None:
    sso.set_email(world.session, world.sysadmin, "dinkes", "Admin.Dinkes@BekasiKota.go.id")
    actor = sso.sign_in_by_email(world.session, "admin.dinkes@bekasikota.go.id ")
    assert actor.username == "dinkes" and actor.opd_id == world.dinkes_id
    events = world.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == actor.user_id)
    )
    assert "user.signed_in" in list(events)


def test_unknown_or_inactive_addresses_get_one_sentence(world: World) -> None:
    with pytest.raises(AuthenticationFailed, match="belum terhubung"):
        sso.sign_in_by_email(world.session, "orang@contoh.id")
    sso.set_email(world.session, world.sysadmin, "capil", "capil@bekasikota.go.id")
    users.set_active(world.session, world.sysadmin, "capil", False)
    with pytest.raises(AuthenticationFailed, match="belum terhubung"):
        sso.sign_in_by_email(world.session, "capil@bekasikota.go.id")


def test_setting_an_address_is_for_the_sysadmin_and_unique(world: World) -> None:
    with pytest.raises(PermissionDenied):
        sso.set_email(world.session, world.utama, "dinkes", "x@bekasikota.go.id")
    sso.set_email(world.session, world.sysadmin, "dinkes", "x@bekasikota.go.id")
    with pytest.raises(ValidationFailed, match="sudah dipakai"):
        sso.set_email(world.session, world.sysadmin, "capil", "X@bekasikota.go.id")
    with pytest.raises(ValidationFailed, match="tidak sah"):
        sso.set_email(world.session, world.sysadmin, "capil", "bukan-alamat")
    unlinked = sso.set_email(world.session, world.sysadmin, "dinkes", "")
    assert unlinked.email is None


def _identity(verified: object = True, age_minutes: float | None = 1) -> sso.Identity | None:
    claims: dict[str, object] = {"email": "dinkes@bekasikota.go.id", "email_verified": verified}
    if age_minutes is not None:
        claims["iat"] = (utcnow() - timedelta(minutes=age_minutes)).timestamp()
    return sso.Identity.from_claims(claims)


def test_only_a_verified_and_recent_identity_signs_in(world: World) -> None:
    sso.set_email(world.session, world.sysadmin, "dinkes", "dinkes@bekasikota.go.id")
    day = timedelta(minutes=480)
    good = _identity()
    assert good is not None
    assert sso.sign_in_with_identity(world.session, good, day).username == "dinkes"
    for unverified in (_identity(False), _identity("false"), _identity(None)):
        assert unverified is not None
        with pytest.raises(AuthenticationFailed) as refused:
            sso.sign_in_with_identity(world.session, unverified, day)
        assert refused.value.message == sso.NOT_VERIFIED
    for stale in (_identity(age_minutes=481), _identity(age_minutes=None)):
        assert stale is not None
        with pytest.raises(sso.ReauthenticationNeeded, match="masuk lagi"):
            sso.sign_in_with_identity(world.session, stale, day)
    assert _identity("true") is not None and _identity("true").email_verified  # type: ignore[union-attr]
    assert sso.Identity.from_claims({"email_verified": True}) is None
