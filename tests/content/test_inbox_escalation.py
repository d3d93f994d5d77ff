"""Overdue Kotak masuk items escalate once to PPID Utama and the assigned OPD's Pembantu, by
number only; the menu counts what each person must act on (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from content import inbox
from content.audit import AuditAction
from content.models import (
    Account,
    AuditEvent,
    CloseReason,
    InboxItem,
    InboxKind,
    Notification,
    NotificationKind,
)
from content.org import notifications
from content.org.actors import Actor
from tests.world import World

MONDAY = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 08:00 WIB
LATER = MONDAY + timedelta(days=3)  # every default service level is past
SECRET_WORDS = "Rumah saya di Jl. Melati 7 kebanjiran"


def _item(world: World, account_id: int, remote_id: str, at: datetime = MONDAY) -> InboxItem:
    account = world.session.get(Account, account_id)
    assert account is not None
    incoming = inbox.Incoming(remote_id, InboxKind.MENTION, SECRET_WORDS, at, author_handle="w")
    inbox.upsert(world.session, account, [incoming], now=at)
    return world.session.scalars(select(InboxItem).where(InboxItem.remote_id == remote_id)).one()


def _told(world: World, who: Actor) -> list[str]:
    return [n.sentence for n in notifications.latest(world.session, who)]


def test_an_overdue_item_is_told_once_to_utama_and_its_opd_by_number_only(world: World) -> None:
    dinkes = _item(world, world.x_account, "d1")  # the Dinkes account: routed to Dinkes
    city = _item(world, world.city_x_account, "c1")  # a city account: waiting for triage
    fresh = _item(world, world.x_account, "d2", at=LATER)  # not yet due
    assert inbox.escalate_overdue(world.session, now=LATER) == 2
    assert inbox.escalate_overdue(world.session, now=LATER + timedelta(hours=1)) == 0  # once
    for utama in (world.utama, world.utama2):
        assert sorted(_told(world, utama)) == sorted(
            f"Pesan masuk #{i.id} melewati batas waktu tanggapan." for i in (dinkes, city)
        )
    assert _told(world, world.pembantu) == [
        f"Pesan masuk #{dinkes.id} melewati batas waktu tanggapan."
    ]
    assert _told(world, world.other_pembantu) == []  # another OPD hears nothing
    assert _told(world, world.analyst) == []
    sent = world.session.scalars(select(Notification)).all()
    assert all(SECRET_WORDS not in (n.subject or "") for n in sent)
    assert {n.dedupe_key for n in sent} == {
        f"inbox_overdue:{dinkes.id}",
        f"inbox_overdue:{city.id}",
    }
    assert {n.kind for n in sent} == {NotificationKind.INBOX_OVERDUE}
    events = world.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.INBOX_ESCALATED)
    ).all()
    assert sorted(e.entity_id or 0 for e in events) == sorted([dinkes.id, city.id])
    world.session.refresh(fresh)
    assert fresh.escalated_at is None


def test_the_escalated_filter_lists_open_escalated_items_longest_overdue_first(
    world: World,
) -> None:
    older = _item(world, world.x_account, "o1", at=MONDAY - timedelta(days=1))
    newer = _item(world, world.x_account, "o2")
    closed = _item(world, world.x_account, "o3")
    inbox.escalate_overdue(world.session, now=LATER)
    world.session.refresh(closed)
    inbox.close(world.session, world.utama, closed.id, CloseReason.RESOLVED, closed.version)
    flt = inbox.InboxFilter(escalated=True)
    rows = inbox.list_items(world.session, world.utama, flt, now=LATER)
    assert [r.id for r in rows] == [older.id, newer.id]
    assert inbox.list_items(world.session, world.other_pembantu, flt, now=LATER) == []


def test_the_menu_counts_what_each_person_must_act_on(world: World) -> None:
    _item(world, world.x_account, "d1", at=LATER)  # Dinkes, not yet due
    late = _item(world, world.x_account, "d2")  # Dinkes, overdue at LATER
    _item(world, world.city_x_account, "c1", at=LATER)  # waiting for triage
    _item(world, world.other_x_account, "k1", at=LATER)  # Disdukcapil, not yet due
    count = inbox.menu_count
    assert count(world.session, world.utama, LATER) == 2  # the triage one and the overdue one
    assert count(world.session, world.pembantu, LATER) == 2  # its OPD's unanswered
    assert count(world.session, world.other_pembantu, LATER) == 1
    assert count(world.session, world.analyst, LATER) == 0
    inbox.close(world.session, world.pembantu, late.id, CloseReason.RESOLVED, late.version)
    assert count(world.session, world.utama, LATER) == 1
    assert count(world.session, world.pembantu, LATER) == 1


def test_reassigned_after_escalation_the_new_opd_is_told_and_utama_not_again(world: World) -> None:
    item = _item(world, world.x_account, "d1")  # Dinkes
    assert inbox.escalate_overdue(world.session, now=LATER) == 1
    world.session.refresh(item)
    inbox.assign(world.session, world.utama, item.id, world.disdukcapil_id, item.version)
    assert inbox.escalate_overdue(world.session, now=LATER) == 1
    sentence = f"Pesan masuk #{item.id} melewati batas waktu tanggapan."
    assert _told(world, world.other_pembantu) == [sentence]
    assert _told(world, world.utama) == [sentence]  # once


def test_the_menu_stops_counting_at_its_cap(world: World) -> None:
    account = world.session.get(Account, world.x_account)
    assert account is not None
    many = [
        inbox.Incoming(f"n{n}", InboxKind.MENTION, "halo", LATER, author_handle="w")
        for n in range(inbox.MENU_CAP + 5)
    ]
    inbox.upsert(world.session, account, many, now=LATER)
    assert inbox.menu_count(world.session, world.pembantu, LATER) == inbox.MENU_CAP + 1
