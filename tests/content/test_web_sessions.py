"""Dashboard sessions on the server (issue #13, point 1): the browser's token resumes the session
until sign-out, deactivation, idleness or the absolute limit ends it; sign-in rotates the token;
the database keeps only the token's hash. Times are given, never read from the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from content.audit import AuditAction
from content.infra.config import Settings, load_settings
from content.infra.errors import PermissionDenied
from content.models import AuditEvent, WebSession
from content.org import users, web_sessions
from content.org.web_sessions import EndReason, SessionEnded
from tests.world import World

SETTINGS = Settings(
    data_dir=load_settings({}).data_dir, session_minutes=480, session_idle_minutes=60
)
T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def ended(world: World, token: str, at: datetime) -> str:
    with pytest.raises(SessionEnded) as refusal:
        web_sessions.resume(world.session, token, SETTINGS, now=at)
    return refusal.value.message


def reason(world: World, token: str) -> str | None:
    rows = world.session.scalars(select(WebSession)).all()
    return next(r.end_reason for r in rows if r.token_hash == web_sessions._hash(token))


def test_a_token_resumes_the_person_and_only_its_hash_is_stored(world: World) -> None:
    token = web_sessions.start(world.session, world.pembantu, SETTINGS, now=T0)
    actor, via_sso = web_sessions.resume(
        world.session, token, SETTINGS, now=T0 + timedelta(minutes=5)
    )
    assert actor.username == "dinkes" and actor.opd_id == world.pembantu.opd_id and not via_sso
    stored = world.session.scalars(select(WebSession.token_hash)).all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_an_unknown_or_empty_token_signs_in_nobody(world: World) -> None:
    assert ended(world, "tebakan-acak", T0) == web_sessions.EXPIRED
    assert ended(world, "", T0) == web_sessions.EXPIRED


def test_activity_keeps_a_session_alive_until_the_absolute_limit(world: World) -> None:
    token = web_sessions.start(world.session, world.utama, SETTINGS, now=T0)
    at = T0
    while at + timedelta(minutes=50) < T0 + timedelta(minutes=480):
        at += timedelta(minutes=50)  # each click within the idle limit of the one before
        web_sessions.resume(world.session, token, SETTINGS, now=at)
    assert ended(world, token, T0 + timedelta(minutes=480)) == web_sessions.EXPIRED
    assert reason(world, token) == EndReason.EXPIRED


def test_idleness_ends_a_session(world: World) -> None:
    token = web_sessions.start(world.session, world.utama, SETTINGS, now=T0)
    web_sessions.resume(world.session, token, SETTINGS, now=T0 + timedelta(minutes=59))
    assert ended(world, token, T0 + timedelta(minutes=59 + 60)) == web_sessions.EXPIRED
    assert reason(world, token) == EndReason.IDLE
    # Ended is ended: a later try does not revive it.
    assert ended(world, token, T0 + timedelta(minutes=130)) == web_sessions.EXPIRED


def test_sign_in_rotates_the_browser_token(world: World) -> None:
    planted = web_sessions.start(world.session, world.pembantu, SETTINGS, now=T0)
    fresh = web_sessions.start(world.session, world.pembantu, SETTINGS, replacing=planted, now=T0)
    assert fresh != planted
    assert ended(world, planted, T0) == web_sessions.ENDED
    assert reason(world, planted) == EndReason.ROTATED
    assert web_sessions.resume(world.session, fresh, SETTINGS, now=T0)[0].username == "dinkes"


def test_sign_out_ends_the_session_for_every_tab_and_is_audited(world: World) -> None:
    token = web_sessions.start(world.session, world.pembantu, SETTINGS, now=T0)
    other = web_sessions.start(world.session, world.pembantu, SETTINGS, now=T0)  # another PC
    web_sessions.sign_out(world.session, token, now=T0)
    web_sessions.sign_out(world.session, token, now=T0)  # a second tab's click: nothing more
    assert ended(world, token, T0) == web_sessions.SIGNED_OUT_ELSEWHERE
    assert reason(world, token) == EndReason.SIGNED_OUT
    assert web_sessions.resume(world.session, other, SETTINGS, now=T0)[0].username == "dinkes"
    events = world.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.USER_SIGNED_OUT)
    ).all()
    assert [(e.actor_label, e.entity_id) for e in events] == [("dinkes", world.pembantu.user_id)]


def test_deactivation_ends_every_session_of_the_user(world: World) -> None:
    first = web_sessions.start(world.session, world.pembantu, SETTINGS, now=T0)
    second = web_sessions.start(world.session, world.pembantu, SETTINGS, now=T0)
    colleague = web_sessions.start(world.session, world.utama, SETTINGS, now=T0)
    users.set_active(world.session, world.sysadmin, "dinkes", False)
    for token in (first, second):
        assert ended(world, token, T0) == web_sessions.DEACTIVATED
        assert reason(world, token) == EndReason.DEACTIVATED
    assert web_sessions.live_count(world.session, world.pembantu.user_id or 0, now=T0) == 0
    assert web_sessions.resume(world.session, colleague, SETTINGS, now=T0)[0].username == "utama"


def test_a_user_deactivated_behind_the_sessions_back_is_refused(world: World) -> None:
    token = web_sessions.start(world.session, world.pembantu, SETTINGS, now=T0)
    world.session.execute(
        WebSession.__table__.update().values(ended_at=None)  # a row the deactivation missed
    )
    user = users.find_user(world.session, "dinkes")
    user.active = False
    with pytest.raises(PermissionDenied):
        web_sessions.resume(world.session, token, SETTINGS, now=T0)
    assert reason(world, token) == EndReason.DEACTIVATED
