"""Each new kind of notification is raised by its event and told once, to the people who may
see what it is about; each person chooses what also comes by e-mail."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from content import costs
from content.delivery import publishing
from content.editorial import workflow
from content.infra.timeutil import utcnow
from content.models import (
    Account,
    AccountHealth,
    AttemptOutcome,
    Channel,
    EmailState,
    Notification,
    NotificationKind,
    PostStatus,
)
from content.org import accounts, notifications, sso
from content.org.actors import Actor
from tests.world import World

K = NotificationKind


def _told(world: World, actor: Actor, kind: NotificationKind) -> list[str]:
    return [n.sentence for n in notifications.latest(world.session, actor) if n.kind is kind]


def _email_states(world: World, actor: Actor) -> dict[NotificationKind, EmailState | None]:
    query = select(Notification).where(Notification.user_id == actor.user_id)
    return {n.kind: n.email_state for n in world.session.scalars(query)}


def test_the_author_hears_their_post_is_scheduled(world: World) -> None:
    post = world.post_in(PostStatus.SCHEDULED)
    assert _told(world, world.pembantu, K.SCHEDULED) == [f"Konten #{post.id} dijadwalkan tayang."]
    assert _told(world, world.pembantu2, K.SCHEDULED) == []
    # Scheduling one's own post tells nobody.
    own = world.draft(world.utama)
    workflow.submit(world.session, world.utama, own.id)
    workflow.approve(world.session, world.utama2, own.id)
    workflow.schedule(world.session, world.utama, own.id, utcnow() + timedelta(hours=2))
    assert _told(world, world.utama, K.SCHEDULED) == []


def _claimed(world: World, post_id: int) -> list[publishing.Claim]:
    s = world.session
    workflow.publish_now(s, world.utama, post_id)
    claims = publishing.claim_due(s, "w1", now=utcnow() + timedelta(seconds=1), limit=10)
    return [c for c in claims if c.post_id == post_id and c.channel is not Channel.VIDEOTRON]


def test_published_and_failed_are_told_per_channel_to_the_author_and_the_sekretaris(
    world: World,
) -> None:
    post = world.post_in(PostStatus.APPROVED, author=world.admin_opd)
    claims = _claimed(world, post.id)
    by_channel = {c.channel: c for c in claims}
    outcomes = [
        publishing.Outcome(by_channel[Channel.X], publishing.Published("1", "https://x/1")),
        publishing.Outcome(
            by_channel[Channel.INSTAGRAM],
            publishing.Failure(AttemptOutcome.PERMANENT, "Ditolak platform.", "refused"),
        ),
    ]
    publishing.record_outcomes(world.session, outcomes, "w1", max_attempts=3)
    for person in (world.admin_opd, world.pembantu, world.pembantu2):
        published = f"Konten #{post.id} sudah tayang di X @dinkes."
        assert _told(world, person, K.PUBLISHED) == [published]
        assert _told(world, person, K.PUBLISH_FAILED) == [
            f"Konten #{post.id} gagal tayang di Instagram @dinkes.ig."
        ]
    assert _told(world, world.other_pembantu, K.PUBLISHED) == []
    # Failure comes by e-mail by default (for whoever has an address), success does not.
    assert _email_states(world, world.admin_opd)[K.PUBLISH_FAILED] is None  # no address


def test_an_expiring_token_is_told_to_the_accounts_stewards_once(world: World) -> None:
    s = world.session
    soon = utcnow() + timedelta(days=3)
    for account_id in (world.x_account, world.city_x_account):
        account = s.get(Account, account_id)
        assert account is not None
        account.token_expires_at = soon
    later = s.get(Account, world.other_x_account)
    assert later is not None
    later.token_expires_at = utcnow() + timedelta(days=30)
    s.flush()
    assert notifications.tokens_expiring(s, within=timedelta(days=7)) == 4
    assert notifications.tokens_expiring(s, within=timedelta(days=7)) == 0  # once
    sentence = "Akses akun X @dinkes akan kedaluwarsa; perbarui tokennya."
    assert _told(world, world.pembantu, K.TOKEN_EXPIRING) == [sentence]
    assert _told(world, world.utama, K.TOKEN_EXPIRING) == [
        "Akses akun X @humaskota akan kedaluwarsa; perbarui tokennya."
    ]
    assert _told(world, world.other_pembantu, K.TOKEN_EXPIRING) == []
    assert _told(world, world.admin_opd, K.TOKEN_EXPIRING) == []
    # A renewed token that expires again later is a new occasion.
    account = s.get(Account, world.x_account)
    assert account is not None
    account.token_expires_at = soon + timedelta(days=2)
    s.flush()
    assert notifications.tokens_expiring(s, within=timedelta(days=7)) == 2


def test_an_account_whose_check_fails_asks_for_a_new_token(world: World) -> None:
    s = world.session
    accounts.record_health(s, world.other_x_account, AccountHealth.ERROR, "401", None)
    accounts.record_health(s, world.other_x_account, AccountHealth.ERROR, "401", None)
    assert _told(world, world.other_pembantu, K.TOKEN_EXPIRING) == [
        "Akses akun X @capil akan kedaluwarsa; perbarui tokennya."
    ]
    assert _told(world, world.pembantu, K.TOKEN_EXPIRING) == []


def test_a_budget_crossing_its_warning_is_told_once_per_budget_and_month(world: World) -> None:
    s = world.session
    month = costs.month_of(utcnow())
    costs.set_budget(s, world.utama, Channel.X, month, Decimal("1.00"), opd_id=world.dinkes_id)
    charge = [costs.Charge(Channel.X, "post_with_url", 1, Decimal("0.2"))]
    costs.record_charges(s, charge, opd_id=world.dinkes_id)
    assert _told(world, world.utama, K.BUDGET_WARNING) == []
    for _ in range(5):  # 80 %, then 100 %, then beyond
        costs.record_charges(s, charge, opd_id=world.dinkes_id)
    expected = [f"Anggaran platform X {month} (Dinas Kesehatan) hampir habis."]
    assert _told(world, world.utama, K.BUDGET_WARNING) == expected
    assert _told(world, world.utama2, K.BUDGET_WARNING) == expected
    assert _told(world, world.pembantu, K.BUDGET_WARNING) == expected
    assert _told(world, world.other_pembantu, K.BUDGET_WARNING) == []


def test_each_person_chooses_what_also_comes_by_email(world: World) -> None:
    s = world.session
    sso.set_email(s, world.sysadmin, "utama", "utama@bekasikota.go.id")
    choices = notifications.email_choices(s, world.utama)
    assert choices[K.AWAITING_APPROVAL] and choices[K.BUDGET_WARNING]
    assert not choices[K.APPROVED] and not choices[K.PUBLISHED]
    first = world.post_in(PostStatus.SUBMITTED)
    notifications.set_email_choices(s, world.utama, {K.AWAITING_APPROVAL: False})
    second = world.post_in(PostStatus.SUBMITTED)
    states = {
        n.post_id: n.email_state
        for n in s.scalars(select(Notification).where(Notification.user_id == world.utama.user_id))
    }
    assert states == {first.id: EmailState.PENDING, second.id: None}
    # Nobody without an address is queued an e-mail; the bell has it all the same.
    assert set(_email_states(world, world.utama2).values()) == {None}
    assert notifications.email_choices(s, world.utama)[K.AWAITING_APPROVAL] is False
    assert notifications.email_choices(s, world.utama2)[K.AWAITING_APPROVAL] is True


def test_a_writer_that_lost_the_race_for_an_occasion_skips_it_and_goes_on(world: World) -> None:
    """Two workers ending two targets of one post both found nobody told yet: the second
    INSERT is skipped by the unique index instead of failing its batch of outcomes."""
    s = world.session
    row = {
        "user_id": world.pembantu.user_id,
        "kind": K.PUBLISHED,
        "post_id": None,
        "subject": "X @dinkes",
        "dedupe_key": "post:1:x:published",
        "created_at": utcnow(),
    }
    s.execute(notifications._insert_once(s), [row])
    s.execute(notifications._insert_once(s), [row])
    assert _told(world, world.pembantu, K.PUBLISHED) == ["Konten #None sudah tayang di X @dinkes."]
