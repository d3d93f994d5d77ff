"""Sign-in that reveals nothing and cannot be used to lock others out (issue #19, point 2):
one sentence and one argon2 verification for every refusal, a growing delay per account name
and per client address (the delays asserted are the ones the code decides, not wall time), and
the owner told of repeated failures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from content.infra.config import Settings, load_settings
from content.infra.errors import AuthenticationFailed
from content.models import AuditEvent, Role
from content.org import sign_in_throttle as throttle
from content.org import users
from content.org.users import SIGN_IN_REFUSED, sign_in
from tests.world import PASSWORD, World

SETTINGS = Settings(data_dir=load_settings({}).data_dir)  # 5 free, ≤ 30 s; address 10, ≤ 900 s
T0 = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
WRONG = "salah-sekali-123"
OFFICE, OUTSIDER = "203.0.113.7", "198.51.100.9"


def refused(world: World, name: str, password: str, at: datetime, client: str | None = None) -> str:
    with pytest.raises(AuthenticationFailed) as refusal:
        sign_in(world.session, name, password, SETTINGS, client=client, now=at)
    return refusal.value.message


def decided(world: World, name: str, at: datetime, client: str | None = None) -> timedelta:
    """How long the next attempt for this name (and address) has to wait, as the code decided."""
    return throttle.wait(world.session, throttle.keys(name, client), at)


def test_the_right_password_signs_in(world: World) -> None:
    result = sign_in(world.session, "Dinkes ", PASSWORD, SETTINGS, now=T0)
    assert result.actor.username == "dinkes" and result.actor.role is Role.PPID_PEMBANTU
    assert result.notice is None


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The argon2 verifications sign-in makes (the real ones, counted)."""
    calls: list[str] = []
    real: Callable[[str, str], bool] = users.verify_password

    def counted(stored: str, password: str) -> bool:
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(users, "verify_password", counted)
    return calls


def test_unknown_wrong_inactive_and_throttled_get_the_same_answer_after_the_same_work(
    world: World, verifications: list[str]
) -> None:
    answers = {
        "unknown": refused(world, "tidak-ada", WRONG, T0),
        "wrong password": refused(world, "dinkes", WRONG, T0),
    }
    users.set_active(world.session, world.sysadmin, "capil", False)
    answers["inactive"] = refused(world, "capil", PASSWORD, T0)
    for _ in range(5):
        refused(world, "dinkes2", WRONG, T0)
    assert decided(world, "dinkes2", T0) == timedelta(seconds=1)
    answers["throttled, right password"] = refused(world, "dinkes2", PASSWORD, T0)
    assert set(answers.values()) == {SIGN_IN_REFUSED}
    assert len(verifications) == 3 + 5 + 1  # one verification for every attempt, whatever it was
    # The older answer named the account as locked, and until when; this one names nothing.
    assert "dikunci" not in SIGN_IN_REFUSED and "WIB" not in SIGN_IN_REFUSED


def test_the_delay_grows_from_the_sixth_failure_and_an_early_attempt_is_not_checked(
    world: World,
) -> None:
    at = T0
    for _ in range(4):
        refused(world, "dinkes", WRONG, at)
    assert decided(world, "dinkes", at) == timedelta(0)  # four free failures, then the fifth
    refused(world, "dinkes", WRONG, at)
    assert decided(world, "dinkes", at) == timedelta(seconds=1)
    # Early: refused even with the right password, and it does not make the wait longer.
    refused(world, "dinkes", PASSWORD, at + timedelta(milliseconds=500))
    assert decided(world, "dinkes", at) == timedelta(seconds=1)
    delays = []
    for _ in range(8):
        at = at + decided(world, "dinkes", at)
        refused(world, "dinkes", WRONG, at)
        delays.append(decided(world, "dinkes", at).total_seconds())
    assert delays == [2, 4, 8, 16, 30, 30, 30, 30]  # the account's cap: 30 s
    at += timedelta(seconds=30)
    assert sign_in(world.session, "dinkes", PASSWORD, SETTINGS, now=at).actor.username == "dinkes"
    assert decided(world, "dinkes", at) == timedelta(0)  # a success starts the account afresh


def test_unknown_names_are_throttled_exactly_like_real_ones(world: World) -> None:
    def delays(name: str) -> list[float]:
        found = []
        for n in range(8):
            refused(world, name, WRONG, T0 + timedelta(minutes=n))
            found.append(decided(world, name, T0 + timedelta(minutes=n)).total_seconds())
        return found

    assert delays("utama") == delays("bukan-pengguna") == [0, 0, 0, 0, 1, 2, 4, 8]


def test_an_outsider_slows_their_own_address_not_the_owner_of_the_account(world: World) -> None:
    at = T0
    for _ in range(20):
        at += decided(world, "utama", at, OUTSIDER)
        refused(world, "utama", WRONG, at, OUTSIDER)
    assert decided(world, "utama", at, OUTSIDER) == timedelta(seconds=900)  # the address's cap
    # The owner, from the office, waits at most the account's cap, then signs in.
    wait = decided(world, "utama", at, OFFICE)
    assert timedelta(0) < wait <= timedelta(seconds=30)
    owner = sign_in(world.session, "utama", PASSWORD, SETTINGS, client=OFFICE, now=at + wait)
    assert owner.actor.username == "utama"
    # Signing in does not wipe the outsider's address: it is slowed for any name.
    assert decided(world, "dinkes", at + wait, OUTSIDER) > timedelta(seconds=800)


def test_guessing_many_names_from_one_address_is_slowed_by_the_address(world: World) -> None:
    for n in range(10):
        refused(world, f"nama-{n}", WRONG, T0, OFFICE)
    assert decided(world, "nama-baru", T0, OFFICE) == timedelta(seconds=1)
    assert decided(world, "nama-baru", T0, OUTSIDER) == timedelta(0)


def test_failures_are_forgotten_after_a_quiet_hour(world: World) -> None:
    for _ in range(6):
        refused(world, "dinkes", WRONG, T0)
    later = T0 + timedelta(hours=1, seconds=1)
    refused(world, "dinkes", WRONG, later)
    assert decided(world, "dinkes", later) == timedelta(0)


def test_the_owner_is_told_of_repeated_failures_and_the_audit_trail_has_them(
    world: World,
) -> None:
    for n in range(4):
        refused(world, "dinkes", WRONG, T0 + timedelta(minutes=n))
    result = sign_in(world.session, "dinkes", PASSWORD, SETTINGS, now=T0 + timedelta(minutes=5))
    assert result.failed_attempts == 4
    assert result.notice == (
        "Ada 4 percobaan masuk yang gagal ke akun Anda sejak Anda terakhir masuk; bila itu bukan "
        "Anda, segera ganti kata sandi."
    )
    actions = list(
        world.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == result.actor.user_id)
        )
    )
    assert actions.count("user.sign_in_failures") == 1
    again = sign_in(world.session, "dinkes", PASSWORD, SETTINGS, now=T0 + timedelta(minutes=6))
    assert again.notice is None
