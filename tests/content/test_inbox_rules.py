"""Kotak masuk's phrase rules and saved replies live in tables (seeded from the shipped files)
and are edited through content services: rights, validation, versions, audit (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content import inbox
from content.audit import AuditAction
from content.inbox import rules as inbox_rules
from content.inbox import saved_replies as replies
from content.inbox.defaults import reply_rows, rule_rows
from content.inbox.triage import load_rules, propose
from content.infra.db import make_engine
from content.infra.errors import Conflict, PermissionDenied, ScreeningBlocked, ValidationFailed
from content.infra.migrate import upgrade
from content.models import (
    Account,
    AuditEvent,
    InboxItem,
    InboxKind,
    InboxRule,
    InboxSavedReply,
    InboxTopic,
)
from tests.world import World

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
SAMPLES = [
    "Jalan rusak di Jatiasih, tolong diperbaiki",
    "Bagaimana syarat membuat KTP?",
    "Terima kasih Dinkes, vaksinnya lancar",
    "slot gacor maxwin hari ini",
    "Sampah menumpuk di TPA Sumurbatu",
    "Mohon informasi jadwal posyandu",
]


def _mention(world: World, remote_id: str, text: str) -> InboxItem:
    account = world.session.get(Account, world.city_x_account)
    assert account is not None
    incoming = inbox.Incoming(remote_id, InboxKind.MENTION, text, T0, author_handle="warga")
    inbox.upsert(world.session, account, [incoming])
    return world.session.scalars(select(InboxItem).where(InboxItem.remote_id == remote_id)).one()


def _audited(world: World, action: AuditAction) -> list[AuditEvent]:
    return list(world.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_seeded_tables_propose_exactly_what_the_shipped_file_does(world: World) -> None:
    from_tables = inbox_rules.current_rules(world.session)
    for text in SAMPLES:
        assert propose(text, from_tables) == propose(text, load_rules())
    stored = inbox_rules.list_rules(world.session, world.utama)
    assert len(stored) == len(rule_rows())
    assert len(replies.list_saved_replies(world.session, world.utama)) == len(reply_rows())


def test_utama_adds_a_rule_and_the_next_collected_item_follows_it(world: World) -> None:
    before = _mention(world, "m1", "Lampu PJU padam di Rawalumbu")
    assert before.proposed_opd_id is None
    rule = inbox_rules.add_rule(
        world.session, world.utama, "  Lampu PJU ", topic=InboxTopic.PENGADUAN, opd_slug="dinkes"
    )
    assert rule.phrase == "lampu pju"
    after = _mention(world, "m2", "Lampu PJU padam lagi di Rawalumbu")
    assert after.proposed_opd_id == world.dinkes_id
    assert after.proposal_phrase == "Lampu PJU"
    assert [e.entity_id for e in _audited(world, AuditAction.INBOX_RULE_ADDED)] == [rule.id]


def test_a_deactivated_rule_proposes_nothing_and_versions_are_checked(world: World) -> None:
    rule = inbox_rules.add_rule(world.session, world.utama, "pju", opd_slug="dinkes")
    changed = inbox_rules.update_rule(
        world.session, world.utama, rule.id, rule.version,
        phrase="pju", topic=None, opd_slug="dinkes", active=False,
    )  # fmt: skip
    assert _mention(world, "m3", "PJU mati").proposed_opd_id is None
    with pytest.raises(Conflict):
        inbox_rules.update_rule(
            world.session, world.utama, rule.id, changed.version - 1,
            phrase="pju", topic=None, opd_slug="dinkes", active=True,
        )  # fmt: skip
    [event] = _audited(world, AuditAction.INBOX_RULE_CHANGED)
    assert event.before is not None and event.before["active"] is True
    assert event.after is not None and event.after["active"] is False


@pytest.mark.parametrize(
    ("phrase", "topic", "slug", "sentence"),
    [
        ("", InboxTopic.PENGADUAN, None, "Isi kata atau frasa"),
        ("lampu", None, None, "Pilih jenis pesan, OPD tujuan"),
        ("lampu", None, "dinas-fiktif", "OPD 'dinas-fiktif' tidak ditemukan."),
        ("x" * 101, InboxTopic.PENGADUAN, None, "Frasa terlalu panjang"),
        ("banjir", InboxTopic.PENGADUAN, None, "sudah ada"),
    ],
)
def test_bad_rules_are_refused_with_one_sentence(
    world: World, phrase: str, topic: InboxTopic | None, slug: str | None, sentence: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        inbox_rules.add_rule(world.session, world.utama, phrase, topic=topic, opd_slug=slug)
    assert sentence in refused.value.message
    assert "\n" not in refused.value.message


def test_only_ppid_utama_edits_rules(world: World) -> None:
    for who in (world.pembantu, world.analyst, world.admin_opd):
        with pytest.raises(PermissionDenied):
            inbox_rules.add_rule(world.session, who, "pju", topic=InboxTopic.PENGADUAN)
    rule = inbox_rules.list_rules(world.session, world.utama)[0]
    with pytest.raises(PermissionDenied):
        inbox_rules.update_rule(
            world.session, world.pembantu, rule.id, rule.version,
            phrase=rule.phrase, topic=rule.topic, opd_slug=rule.opd_slug, active=False,
        )  # fmt: skip


def test_a_pembantu_keeps_its_own_saved_replies_and_never_sees_another_opds(world: World) -> None:
    mine = replies.add_saved_reply(
        world.session, world.pembantu, InboxTopic.PERTANYAAN, "Jadwal posyandu",
        "Jadwal posyandu ada di puskesmas terdekat.",
    )  # fmt: skip
    assert mine.opd_id == world.dinkes_id
    theirs = replies.add_saved_reply(
        world.session, world.other_pembantu, InboxTopic.PENGADUAN, "KTP", "Silakan ke Disdukcapil."
    )
    seen = {r.id for r in replies.saved_replies(world.session, world.pembantu, None)}
    assert mine.id in seen and theirs.id not in seen
    assert len(seen) == len(reply_rows()) + 1  # the city's and its own
    offered = replies.saved_replies(world.session, world.pembantu, InboxTopic.PERTANYAAN)
    assert {r.topic for r in offered[:2]} == {InboxTopic.PERTANYAAN}  # this kind first
    with pytest.raises(PermissionDenied):
        replies.update_saved_reply(
            world.session, world.pembantu, theirs.id, theirs.version,
            topic=theirs.topic, title="x", text="y", active=True,
        )  # fmt: skip
    city = next(r for r in offered if r.opd_id is None)
    with pytest.raises(PermissionDenied):
        replies.update_saved_reply(
            world.session, world.pembantu, city.id, city.version,
            topic=city.topic, title=city.title, text="diubah", active=True,
        )  # fmt: skip
    changed = replies.update_saved_reply(
        world.session, world.utama, city.id, city.version,
        topic=city.topic, title=city.title, text="Diubah PPID Utama.", active=False,
    )  # fmt: skip
    assert changed.version == city.version + 1
    assert city.id not in {r.id for r in replies.saved_replies(world.session, world.utama, None)}
    assert len(_audited(world, AuditAction.INBOX_SAVED_REPLY_ADDED)) == 2
    assert len(_audited(world, AuditAction.INBOX_SAVED_REPLY_CHANGED)) == 1


def test_saved_replies_are_screened_and_checked(world: World) -> None:
    with pytest.raises(ScreeningBlocked):
        replies.add_saved_reply(
            world.session, world.utama, InboxTopic.PENGADUAN, "NIK",
            "Hubungi kami dengan NIK 3275011201900003.",
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="Isi judul dan teks"):
        replies.add_saved_reply(world.session, world.utama, InboxTopic.PENGADUAN, " ", "teks")
    row = replies.add_saved_reply(world.session, world.utama, InboxTopic.SPAM, "Spam", "Dihapus.")
    with pytest.raises(Conflict):
        replies.update_saved_reply(
            world.session, world.utama, row.id, row.version + 1,
            topic=row.topic, title=row.title, text=row.text, active=False,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        replies.add_saved_reply(world.session, world.analyst, InboxTopic.SPAM, "a", "b")


def test_an_existing_install_gets_the_shipped_rules_when_it_upgrades(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0017")  # before the rules moved into tables
    upgrade(engine)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(InboxRule)) == len(rule_rows())
        assert s.scalar(select(func.count()).select_from(InboxSavedReply)) == len(reply_rows())
        assert propose(SAMPLES[0], inbox_rules.current_rules(s)) == propose(SAMPLES[0])
    engine.dispose()
