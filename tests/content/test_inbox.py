"""Kotak masuk in content: idempotent collection, routing, rights, actions and the Monev figures
(both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import inbox
from content.audit import AuditAction
from content.infra.errors import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    ScreeningBlocked,
    ValidationFailed,
)
from content.models import (
    Account,
    AuditEvent,
    CloseReason,
    InboxItem,
    InboxKind,
    InboxOutgoing,
    InboxStatus,
    InboxTopic,
    OutgoingAction,
    OutgoingOutcome,
    PostTarget,
)
from tests.world import World

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _comment(remote_id: str, text: str, **extra: object) -> inbox.Incoming:
    values: dict[str, object] = {
        "remote_id": remote_id,
        "kind": InboxKind.COMMENT,
        "text": text,
        "received_at": T0,
        "author_handle": "warga1",
        "author_name": "Warga Satu",
    }
    values.update(extra)
    return inbox.Incoming(**values)  # type: ignore[arg-type]


def _ig_post(world: World) -> str:
    """A Dinkes post published on its Instagram account, remote id "ig-1"."""
    post = world.draft()
    target = world.session.scalars(
        select(PostTarget).where(
            PostTarget.post_id == post.id, PostTarget.account_id == world.ig_account
        )
    ).one()
    target.remote_id = "ig-1"
    world.session.flush()
    return "ig-1"


def _account(world: World, account_id: int) -> Account:
    account = world.session.get(Account, account_id)
    assert account is not None
    return account


def _item(session: Session, remote_id: str) -> InboxItem:
    return session.scalars(select(InboxItem).where(InboxItem.remote_id == remote_id)).one()


def test_collecting_twice_neither_duplicates_nor_loses_and_edits_are_kept(world: World) -> None:
    session, post = world.session, _ig_post(world)
    account = _account(world, world.ig_account)
    first = [_comment("c1", "Jalan rusak di Jatiasih", post_remote_id=post)]
    assert inbox.upsert(session, account, first) == inbox.collect.Stored(1, 0)
    again = [
        _comment("c1", "Jalan rusak di Jatiasih (diedit)", post_remote_id=post),
        _comment("c2", "Terima kasih", post_remote_id=post, parent_remote_id="c1",
                 kind=InboxKind.REPLY),
    ]  # fmt: skip
    assert inbox.upsert(session, account, again) == inbox.collect.Stored(1, 1)
    assert session.scalar(select(func.count()).select_from(InboxItem)) == 2
    item = _item(session, "c1")
    assert item.text.endswith("(diedit)")
    assert (item.opd_id, item.route_reason) == (world.dinkes_id, "post_opd")
    # A complaint (pengaduan) on Monday 08:00 WIB: due within one working day, 16:00 WIB.
    assert (item.topic, item.due_at) == (InboxTopic.PENGADUAN, T0 + timedelta(hours=8))
    assert _item(session, "c2").thread_remote_id == "c1"


def test_a_mention_of_a_city_account_waits_for_ppid_utama_who_assigns_it(world: World) -> None:
    session = world.session
    city = _account(world, world.city_x_account)
    mention = _comment("m1", "@humaskota banjir di Bekasi Utara", kind=InboxKind.MENTION)
    inbox.upsert(session, city, [mention])
    item = _item(session, "m1")
    assert item.opd_id is None and item.route_reason == "city_triage"
    triage = inbox.list_items(session, world.utama, inbox.InboxFilter(triage=True))
    assert [r.id for r in triage] == [item.id]
    assert inbox.list_items(session, world.pembantu) == []
    with pytest.raises(PermissionDenied):
        inbox.assign(session, world.pembantu, item.id, world.dinkes_id, item.version)
    inbox.assign(session, world.utama, item.id, world.dinkes_id, item.version)
    assert [r.id for r in inbox.list_items(session, world.pembantu)] == [item.id]
    assert inbox.list_items(session, world.other_pembantu) == []
    with pytest.raises(PermissionDenied):
        inbox.thread(session, world.other_pembantu, item.id)
    events = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "inbox_item")
    ).all()
    assert events == [AuditAction.INBOX_ASSIGNED]


def test_reply_is_screened_queued_once_and_counts_as_first_response(world: World) -> None:
    session, post = world.session, _ig_post(world)
    inbox.upsert(session, _account(world, world.ig_account), [_comment("c1", "Kapan posyandu?",
                 post_remote_id=post)])  # fmt: skip
    item = _item(session, "c1")
    with pytest.raises(ScreeningBlocked):
        inbox.queue_reply(
            session, world.pembantu, item.id, "Hubungi NIK 3275014101900001 ya", item.version
        )
    with pytest.raises(PermissionDenied):
        inbox.queue_reply(session, world.other_pembantu, item.id, "Halo", item.version)
    inbox.queue_reply(session, world.pembantu, item.id, "Setiap Senin pukul 08.00.", item.version)
    with pytest.raises(Conflict):  # the second person's stale screen
        inbox.queue_reply(session, world.pembantu2, item.id, "Senin.", item.version - 1)
    claimed = inbox.claim_outgoing(session)
    assert [(c.action, c.remote_id) for c in claimed] == [(OutgoingAction.REPLY, "c1")]
    assert inbox.claim_outgoing(session) == []  # claimed once, never sent twice
    answered_at = T0 + timedelta(hours=2)
    inbox.settle_outgoing(session, claimed[0].outgoing_id, sent=True, remote_id="r1",
                          now=answered_at)  # fmt: skip
    session.refresh(item)
    assert (item.status, item.first_response_at) == (InboxStatus.ANSWERED, answered_at)


def test_hide_and_close_with_reason(world: World) -> None:
    session = world.session
    inbox.upsert(session, _account(world, world.fb_account),
                 [_comment("c9", "NIK saya 3275014101900001 tolong dicek")])  # fmt: skip
    item = _item(session, "c9")
    inbox.queue_hide(session, world.pembantu, item.id, item.version)
    assert item.status is InboxStatus.HIDDEN
    [claimed] = inbox.claim_outgoing(session)
    inbox.settle_outgoing(session, claimed.outgoing_id, sent=True)
    session.refresh(item)
    assert item.hidden_on_platform
    with pytest.raises(InvalidTransition):
        inbox.queue_reply(session, world.pembantu, item.id, "Halo", item.version)
    with pytest.raises(ValidationFailed):
        inbox.close(session, world.utama, item.id, CloseReason.FORWARDED_LAPOR, item.version)
    inbox.close(session, world.utama, item.id, CloseReason.FORWARDED_LAPOR, item.version,
                lapor_ticket="LAPOR-123")  # fmt: skip
    assert (item.status, item.lapor_ticket) == (InboxStatus.CLOSED, "LAPOR-123")


def test_a_refused_hide_gives_the_item_back(world: World) -> None:
    session = world.session
    inbox.upsert(session, _account(world, world.fb_account), [_comment("c5", "Halo")])
    item = _item(session, "c5")
    inbox.queue_hide(session, world.utama, item.id, item.version)
    [claimed] = inbox.claim_outgoing(session)
    inbox.settle_outgoing(session, claimed.outgoing_id, sent=False, error_code="permission")
    session.refresh(item)
    assert item.status is InboxStatus.OPEN and not item.hidden_on_platform
    row = session.get(InboxOutgoing, claimed.outgoing_id)
    assert row is not None and row.outcome is OutgoingOutcome.FAILED


def test_x_refuses_replies_where_the_author_did_not_mention_the_account(world: World) -> None:
    session = world.session
    account = _account(world, world.x_account)
    inbox.upsert(session, account, [
        _comment("x1", "@dinkes vaksin di mana?", kind=InboxKind.MENTION),
        _comment("x2", "vaksin di mana?", kind=InboxKind.REPLY, author_handle="budi"),
    ])  # fmt: skip
    ok, refused = _item(session, "x1"), _item(session, "x2")
    inbox.queue_reply(session, world.pembantu, ok.id, "Di puskesmas terdekat.", ok.version)
    with pytest.raises(ValidationFailed, match=r"https://x\.com/budi/status/x2"):
        inbox.queue_reply(session, world.pembantu, refused.id, "Di puskesmas.", refused.version)
    account.settings = {**account.settings, "public_utility": True}
    assert inbox.x_reply_refusal(account, refused) is None


def test_measures_per_opd(world: World) -> None:
    session = world.session
    account = _account(world, world.fb_account)  # a Dinkes account: items route to Dinkes
    inbox.upsert(session, account, [_comment(f"k{i}", f"Keluhan {i}") for i in range(4)])
    inbox.upsert(session, account, [_comment("late", "Lama", received_at=T0 + timedelta(days=40))])
    delays = {"k0": 1, "k1": 3, "k2": 30}  # hours to the first response; k3 never answered
    for remote, hours in delays.items():
        item = _item(session, remote)
        inbox.queue_reply(session, world.pembantu, item.id, "Ditindaklanjuti.", item.version)
        [claimed] = inbox.claim_outgoing(session)
        inbox.settle_outgoing(session, claimed.outgoing_id, sent=True,
                              now=T0 + timedelta(hours=hours))  # fmt: skip
    k0 = _item(session, "k0")
    inbox.close(session, world.pembantu, k0.id, CloseReason.RESOLVED, k0.version)
    start, end = T0 - timedelta(days=1), T0 + timedelta(days=30)
    found = inbox.measures(session, world.dinkes_id, start, end)
    assert (found.received, found.answered, found.answered_in_time) == (4, 3, 2)
    assert (found.closed, found.forwarded) == (1, 0)
    assert found.median_first_response == timedelta(hours=3)
    assert found.share_in_time == 0.5
    other = inbox.measures(session, world.disdukcapil_id, T0, T0 + timedelta(days=30))
    assert other.received == 0 and other.share_in_time is None


def test_siaran_proposes_kind_and_opd_with_the_phrase_and_a_person_confirms(world: World) -> None:
    session = world.session
    city = _account(world, world.city_x_account)
    inbox.upsert(session, city, [
        _comment("p1", "@humaskota KTP saya belum jadi, kapan?", kind=InboxKind.MENTION),
        _comment("p2", "@humaskota terima kasih pak", kind=InboxKind.MENTION),
        _comment("p3", "@humaskota slot gacor maxwin", kind=InboxKind.MENTION),
    ])  # fmt: skip
    ktp = _item(session, "p1")
    assert (ktp.topic, ktp.topic_phrase) == (InboxTopic.PERTANYAAN, "kapan")
    assert (ktp.opd_id, ktp.proposed_opd_id, ktp.proposal_phrase) == (
        None, world.disdukcapil_id, "KTP"
    )  # fmt: skip
    assert _item(session, "p2").topic is InboxTopic.APRESIASI
    assert _item(session, "p3").topic is InboxTopic.SPAM
    inbox.classify(session, world.utama, ktp.id, InboxTopic.PENGADUAN, ktp.version)
    inbox.assign(session, world.utama, ktp.id, world.disdukcapil_id, ktp.version)
    assert (ktp.topic, ktp.opd_id) == (InboxTopic.PENGADUAN, world.disdukcapil_id)
    # A comment under an OPD's own post keeps its OPD: no other OPD is proposed.
    inbox.upsert(session, _account(world, world.fb_account), [_comment("p4", "KTP hilang")])
    assert _item(session, "p4").proposed_opd_id is None


def test_service_levels_count_wib_office_hours_on_working_days_only() -> None:
    from datetime import date

    from content.infra.timeutil import WIB

    levels = inbox.ServiceLevels.from_settings(
        {"holidays": ["2026-11-30"], "response_hours": {"pengaduan": 4}}
    )

    def wib(day: int, hour: int) -> datetime:
        return datetime(2026, 11, day, hour, tzinfo=WIB)

    friday_evening = levels.due_at(wib(27, 15), InboxTopic.PENGADUAN)
    # Friday 15:00 + 1 h left on Friday; Monday 30th is a holiday: Tuesday 11:00 WIB.
    assert friday_evening.astimezone(WIB) == datetime(2026, 12, 1, 11, tzinfo=WIB)
    saturday = levels.due_at(wib(28, 10), InboxTopic.PERTANYAAN)  # 8 h: a whole working day
    assert saturday.astimezone(WIB) == datetime(2026, 12, 1, 16, tzinfo=WIB)
    assert not levels.is_working_day(date(2026, 12, 25))  # fixed national holiday


def test_who_answers_follows_the_accounts_policy(world: World) -> None:
    session = world.session
    account = _account(world, world.fb_account)
    inbox.upsert(session, account, [_comment("a1", "Kapan buka?"), _comment("a2", "Halo?")])
    first, second = _item(session, "a1"), _item(session, "a2")
    account.settings = {**account.settings, "inbox_answer": "utama"}
    with pytest.raises(PermissionDenied, match="hanya dikirim oleh PPID Utama"):
        inbox.queue_reply(session, world.pembantu, first.id, "Senin.", first.version)
    inbox.queue_reply(session, world.utama, first.id, "Senin.", first.version)
    account.settings = {**account.settings, "inbox_answer": "approval"}
    draft = inbox.queue_reply(session, world.pembantu, second.id, "Halo juga.", second.version)
    assert draft.outcome is OutgoingOutcome.AWAITING_APPROVAL
    assert [c.text for c in inbox.claim_outgoing(session)] == ["Senin."]  # the draft waits
    with pytest.raises(PermissionDenied):
        inbox.approve_reply(session, world.pembantu, draft.id)
    inbox.approve_reply(session, world.utama, draft.id)
    assert [c.text for c in inbox.claim_outgoing(session)] == ["Halo juga."]
    with pytest.raises(InvalidTransition):
        inbox.approve_reply(session, world.utama, draft.id)
