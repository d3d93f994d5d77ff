"""Kotak masuk page: PPID Utama triages a city mention to an OPD, that OPD's Pembantu answers
and closes it, another OPD never sees it; people's words are shown literally."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content import inbox
from content.infra.timeutil import utcnow
from content.models import (
    Account,
    CloseReason,
    InboxItem,
    InboxKind,
    InboxOutgoing,
    InboxRule,
    InboxSavedReply,
    InboxStatus,
    InboxTopic,
)
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import messages, page_titles, visible_text
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]
WORDS = "@humaskota **banjir** di <b>Bekasi Utara</b> sejak pagi"


def _mention(world: World) -> int:
    account = world.session.get(Account, world.city_x_account)
    assert account is not None
    incoming = inbox.Incoming(
        "1900", InboxKind.MENTION, WORDS, utcnow() - timedelta(days=10), author_handle="warga_bu"
    )
    inbox.upsert(world.session, account, [incoming])
    return int(world.session.scalars(select(InboxItem.id)).one())


def _page(sign_in: SignIn, world: World, who: str) -> AppTest:
    at = sign_in(world.actor(who))
    return at.switch_page(navigation.INBOX.path).run()


def test_triage_answer_and_close(app_world: AppWorld, sign_in: SignIn) -> None:
    world = app_world.world
    item_id = app_world.run(_mention)
    at = _page(sign_in, world, "utama")
    assert "Kotak masuk (1)" in page_titles(at)  # the menu counts what waits for triage
    table = at.dataframe[0].value
    assert list(table["No."]) == [item_id]
    assert "lewat" in table["Tenggat (WIB)"][0]  # 10 days old: past its one working day
    assert WORDS in visible_text(at)  # literally, not as Markdown or HTML
    assert "Jenis: Pengaduan (kata: “banjir”)" in visible_text(at)  # proposed, with its reason
    at.checkbox(key="ib_triage").check().run()
    assert list(at.dataframe[0].value["No."]) == [item_id]
    at.selectbox(key="ib_assign_opd").set_value(world.dinkes_id)
    at.button(key="ib_assign").click().run()
    assert "Pesan ditugaskan ke OPD." in messages(at, "success")

    other = _page(sign_in, world, "other_pembantu")
    assert "Tidak ada pesan untuk saringan ini." in messages(other, "info")
    assert "Kotak masuk" in page_titles(other)  # nothing of its own waits: no count

    mine = _page(sign_in, world, "pembantu")
    assert "Kotak masuk (1)" in page_titles(mine)  # assigned to its OPD, not yet answered
    assert list(mine.dataframe[0].value["No."]) == [item_id]
    mine.text_area(key="ib_reply_text").input("NIK 3275014101900001").run()
    mine.button(key="ib_reply").click().run()
    assert any("data pribadi" in m for m in messages(mine, "error"))  # screened, not queued
    mine.selectbox(key="ib_template").set_value(0).run()  # a saved reply for a complaint
    assert mine.text_area(key="ib_reply_text").value.startswith("Terima kasih atas laporannya.")
    mine.text_area(key="ib_reply_text").input("Tim DBMPR sudah ke lokasi.").run()
    mine.button(key="ib_reply").click().run()
    assert "Balasan disimpan dan segera dikirim." in messages(mine, "success")
    mine.selectbox(key="ib_close_reason").set_value(CloseReason.RESOLVED)
    mine.button(key="ib_close").click().run()
    with app_world.session() as s:
        item = s.get(InboxItem, item_id)
        assert item is not None and item.status is InboxStatus.CLOSED
        assert [o.text for o in s.scalars(select(InboxOutgoing))] == ["Tim DBMPR sudah ke lokasi."]


def test_x_says_before_sending_where_it_will_refuse_and_what_a_reply_costs(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    def items(world: World) -> None:
        account = world.session.get(Account, world.x_account)
        assert account is not None
        at = utcnow() - timedelta(hours=1)
        inbox.upsert(world.session, account, [
            inbox.Incoming("2001", InboxKind.MENTION, "@dinkes vaksin di mana?", at,
                           author_handle="budi"),
            inbox.Incoming("2002", InboxKind.REPLY, "vaksin di mana?", at - timedelta(hours=1),
                           author_handle="sari"),
        ])  # fmt: skip

    app_world.run(items)
    at = _page(sign_in, app_world.world, "pembantu")
    at.text_area(key="ib_reply_text").input("Di puskesmas terdekat.").run()
    assert any("Perkiraan biaya X untuk balasan ini: $0" in c.value for c in at.caption)
    assert not at.button(key="ib_reply").disabled
    with app_world.session() as s:
        refused = s.scalars(select(InboxItem.id).where(InboxItem.remote_id == "2002")).one()
    at.selectbox(key="ib_item").set_value(refused).run()
    assert any("https://x.com/sari/status/2002" in w for w in messages(at, "warning"))
    assert at.button(key="ib_reply").disabled


def test_a_pembantus_draft_waits_for_ppid_utama_on_an_approval_account(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    def item(world: World) -> None:
        account = world.session.get(Account, world.fb_account)
        assert account is not None
        account.settings = {**account.settings, "inbox_answer": "approval"}
        at = utcnow() - timedelta(hours=1)
        inbox.upsert(
            world.session, account, [inbox.Incoming("3001", InboxKind.COMMENT, "Halo", at)]
        )

    app_world.run(item)
    mine = _page(sign_in, app_world.world, "pembantu")
    mine.text_area(key="ib_reply_text").input("Halo juga, ada yang bisa dibantu?").run()
    mine.button(key="ib_reply").click().run()
    utama = _page(sign_in, app_world.world, "utama")
    assert "Draf balasan menunggu persetujuan:\nHalo juga, ada yang bisa dibantu?" in [
        t.value for t in utama.text
    ]
    [approve] = [b for b in utama.button if b.key and b.key.startswith("ib_approve_")]
    approve.click().run()
    assert "Balasan disetujui dan segera dikirim." in messages(utama, "success")
    with app_world.session() as s:
        [row] = s.scalars(select(InboxOutgoing)).all()
        assert row.outcome.value == "pending"


def test_utama_edits_phrase_rules_with_one_sentence_for_bad_input(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    world = app_world.world
    at = _page(sign_in, world, "utama")
    assert [t.label for t in at.tabs] == ["Pesan", "Balasan tersimpan", "Aturan kata"]
    at.button(key="ib_rule_add").click().run()
    assert messages(at, "error") == ["Isi kata atau frasa aturan terlebih dahulu."]
    at.text_input(key="ib_rule_new_phrase").input("Lampu PJU")
    at.selectbox(key="ib_rule_new_topic").set_value(InboxTopic.PENGADUAN)
    at.selectbox(key="ib_rule_new_opd").set_value("dinkes")
    at.button(key="ib_rule_add").click().run()
    assert "Aturan ditambahkan." in messages(at, "success")
    with app_world.session() as s:
        rule = s.scalars(select(InboxRule).where(InboxRule.phrase == "lampu pju")).one()
        assert (rule.topic, rule.opd_slug, rule.active) == (InboxTopic.PENGADUAN, "dinkes", True)
    at.selectbox(key="ib_rule_pick").set_value(rule.id).run()
    at.checkbox(key=f"ib_rule_active_{rule.id}").uncheck()
    at.button(key="ib_rule_save").click().run()
    assert "Aturan disimpan." in messages(at, "success")
    with app_world.session() as s:
        changed = s.get(InboxRule, rule.id)
        assert changed is not None and not changed.active and changed.version == 2


def test_a_pembantu_keeps_its_own_saved_replies_screened(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    world = app_world.world
    at = _page(sign_in, world, "pembantu")
    assert [t.label for t in at.tabs] == ["Pesan", "Balasan tersimpan"]  # no rules for it
    at.selectbox(key="ib_saved_new_topic").set_value(InboxTopic.PERTANYAAN)
    at.text_input(key="ib_saved_new_title").input("Jadwal posyandu")
    at.text_area(key="ib_saved_new_text").input("Hubungi NIK 3275014101900001")
    at.button(key="ib_saved_add").click().run()
    assert any("data pribadi" in m for m in messages(at, "error"))
    at.text_area(key="ib_saved_new_text").input("Jadwal ada di puskesmas terdekat.")
    at.button(key="ib_saved_add").click().run()
    assert "Balasan tersimpan ditambahkan." in messages(at, "success")
    with app_world.session() as s:
        row = s.scalars(
            select(InboxSavedReply).where(InboxSavedReply.title == "Jadwal posyandu")
        ).one()
        assert row.opd_id == world.dinkes_id
    # Only its own OPD's replies are offered for editing (the city's are PPID Utama's).
    assert at.selectbox(key="ib_saved_pick").options == [f"#{row.id} · Jadwal posyandu"]
    other = _page(sign_in, world, "other_pembantu")
    assert "Jadwal posyandu" not in visible_text(other)


def test_utama_filters_what_was_escalated(app_world: AppWorld, sign_in: SignIn) -> None:
    world = app_world.world

    def escalated(world: World) -> int:
        item_id = _mention(world)
        assert inbox.escalate_overdue(world.session) == 1
        return item_id

    item_id = app_world.run(escalated)
    at = _page(sign_in, world, "utama")
    at.checkbox(key="ib_escalated").check().run()
    assert list(at.dataframe[0].value["No."]) == [item_id]
    mine = _page(sign_in, world, "pembantu")
    assert "ib_escalated" not in [c.key for c in mine.checkbox]  # PPID Utama's filter


def test_the_menu_title_carries_the_count_up_to_its_cap() -> None:
    key = navigation.INBOX.key
    assert navigation.menu_title(navigation.INBOX, {key: inbox.MENU_CAP + 1}) == "Kotak masuk (99+)"
    assert navigation.menu_title(navigation.INBOX, {key: 3}) == "Kotak masuk (3)"
    assert navigation.menu_title(navigation.INBOX, {}) == "Kotak masuk"
