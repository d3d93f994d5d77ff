"""Kotak masuk's editors: the phrase rules (PPID Utama) and the saved replies (PPID Utama for
the city and any OPD, a PPID Pembantu for its own OPD). Lists, an add form and an edit form;
every rule of who may change what, the screening and the audit live in `content.inbox.rules`
and `content.inbox.saved_replies`. People's words are shown in tables and inputs, never as
Markdown."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy.orm import Session

from content.inbox import rules as inbox_rules
from content.inbox import saved_replies as replies
from content.inbox.saved_replies import SavedReply
from content.labels import INBOX_TOPIC_LABELS
from content.models import InboxRule, InboxTopic, Role
from content.org.actors import Actor
from content.org.opds import list_opds
from dashboard.ui import attempt, read

CITY = "Kota (semua OPD)"
NO_TOPIC = "— (tanpa jenis)"
NO_OPD = "— (tanpa OPD)"
TOPICS: list[InboxTopic | None] = [None, *InboxTopic]


@dataclass(frozen=True)
class RuleRow:
    id: int
    phrase: str
    topic: InboxTopic | None
    opd_slug: str | None
    active: bool
    version: int


def _topic_label(topic: InboxTopic | None) -> str:
    return NO_TOPIC if topic is None else INBOX_TOPIC_LABELS[topic]


def _opds(session: Session) -> tuple[dict[str, str], dict[int, str]]:
    every = list_opds(session, active_only=False)
    return {o.slug: o.short_name for o in every}, {o.id: o.short_name for o in every}


def _rule_rows(session: Session, actor: Actor) -> list[RuleRow]:
    def row(r: InboxRule) -> RuleRow:
        return RuleRow(r.id, r.phrase, r.topic, r.opd_slug, r.active, r.version)

    return [row(r) for r in inbox_rules.list_rules(session, actor)]


def rules_editor(actor: Actor) -> None:
    """PPID Utama's phrase rules: which words propose a kind and an OPD for a new message."""
    rows, (slugs, _) = read(lambda s: (_rule_rows(s, actor), _opds(s)))
    st.caption(
        "Kata atau frasa (utuh, huruf besar/kecil sama) yang membuat Siaran mengusulkan jenis "
        "pesan dan OPD tujuan; kelompok yang lebih dulu menang. Usulan selalu dikonfirmasi orang."
    )
    st.dataframe(
        [
            {
                "No.": r.id,
                "Frasa": r.phrase,
                "Jenis pesan": _topic_label(r.topic) if r.topic else "",
                "OPD": slugs.get(r.opd_slug, r.opd_slug) if r.opd_slug else "",
                "Aktif": "ya" if r.active else "tidak",
            }
            for r in rows
        ],
        hide_index=True,
    )
    options: list[str | None] = [None, *slugs]

    def opd_label(slug: str | None) -> str:
        return NO_OPD if slug is None else slugs.get(slug, slug)

    st.markdown("**Tambah aturan**")
    cols = st.columns(3)
    phrase = cols[0].text_input("Frasa", key="ib_rule_new_phrase")
    topic = cols[1].selectbox(
        "Jenis pesan",
        TOPICS,
        key="ib_rule_new_topic",
        format_func=_topic_label,
        placeholder=NO_TOPIC,
    )
    slug = cols[2].selectbox(
        "OPD tujuan", options, key="ib_rule_new_opd", format_func=opd_label, placeholder=NO_OPD
    )
    if st.button("Tambah aturan", key="ib_rule_add"):
        attempt(
            lambda s: inbox_rules.add_rule(s, actor, phrase, topic=topic, opd_slug=slug),
            done="Aturan ditambahkan.",
        )
        st.rerun()
    if not rows:
        return
    st.markdown("**Ubah aturan**")
    by_id = {r.id: r for r in rows}
    chosen_id = st.selectbox(
        "Aturan",
        list(by_id),
        key="ib_rule_pick",
        format_func=lambda i: f"#{i} · {by_id[i].phrase}",
    )
    chosen = by_id[chosen_id]
    edit = st.columns(4)
    new_phrase = edit[0].text_input("Frasa", chosen.phrase, key=f"ib_rule_phrase_{chosen.id}")
    new_topic = edit[1].selectbox(
        "Jenis pesan",
        TOPICS,
        index=TOPICS.index(chosen.topic),
        key=f"ib_rule_topic_{chosen.id}",
        format_func=_topic_label,
        placeholder=NO_TOPIC,
    )
    new_slug = edit[2].selectbox(
        "OPD tujuan",
        options,
        index=options.index(chosen.opd_slug) if chosen.opd_slug in options else 0,
        key=f"ib_rule_opd_{chosen.id}",
        format_func=opd_label,
        placeholder=NO_OPD,
    )
    active = edit[3].checkbox("Aktif", chosen.active, key=f"ib_rule_active_{chosen.id}")
    if st.button("Simpan aturan", key="ib_rule_save"):
        attempt(
            lambda s: inbox_rules.update_rule(
                s, actor, chosen.id, chosen.version,
                phrase=new_phrase, topic=new_topic, opd_slug=new_slug, active=active,
            ),
            done="Aturan disimpan.",
        )  # fmt: skip
        st.rerun()


def replies_editor(actor: Actor) -> None:
    """Saved replies: the city's (PPID Utama) and an OPD's own (its Pembantu, and PPID Utama)."""
    rows, (_, opds) = read(lambda s: (replies.list_saved_replies(s, actor), _opds(s)))

    def owner(opd_id: int | None) -> str:
        return CITY if opd_id is None else opds.get(opd_id, str(opd_id))

    st.dataframe(
        [
            {
                "No.": r.id,
                "Milik": owner(r.opd_id),
                "Jenis pesan": INBOX_TOPIC_LABELS[r.topic],
                "Judul": r.title,
                "Teks": r.text,
                "Aktif": "ya" if r.active else "tidak",
            }
            for r in rows
        ],
        hide_index=True,
    )
    kinds = list(InboxTopic)
    st.markdown("**Tambah balasan tersimpan**")
    cols = st.columns(3)
    topic = cols[0].selectbox(
        "Jenis pesan", kinds, key="ib_saved_new_topic", format_func=_topic_label
    )
    title = cols[1].text_input("Judul", key="ib_saved_new_title")
    opd_id: int | None = actor.opd_id
    if actor.role is Role.PPID_UTAMA:
        owners: list[int | None] = [None, *opds]
        opd_id = cols[2].selectbox(
            "Milik", owners, key="ib_saved_new_opd", format_func=owner, placeholder=CITY
        )
    else:
        cols[2].text_input("Milik", owner(actor.opd_id), disabled=True, key="ib_saved_new_own")
    text = st.text_area("Teks", key="ib_saved_new_text", max_chars=replies.MAX_TEXT)
    if st.button("Tambah balasan tersimpan", key="ib_saved_add"):
        attempt(
            lambda s: replies.add_saved_reply(s, actor, topic, title, text, opd_id=opd_id),
            done="Balasan tersimpan ditambahkan.",
        )
        st.rerun()
    editable = [r for r in rows if replies.may_edit(actor, r.opd_id)]
    if editable:
        _edit_reply(actor, editable, kinds)


def _edit_reply(actor: Actor, editable: list[SavedReply], kinds: list[InboxTopic]) -> None:
    st.markdown("**Ubah balasan tersimpan**")
    by_id = {r.id: r for r in editable}
    chosen_id = st.selectbox(
        "Balasan tersimpan",
        list(by_id),
        key="ib_saved_pick",
        format_func=lambda i: f"#{i} · {by_id[i].title}",
    )
    chosen = by_id[chosen_id]
    cols = st.columns(3)
    topic = cols[0].selectbox(
        "Jenis pesan",
        kinds,
        index=kinds.index(chosen.topic),
        key=f"ib_saved_topic_{chosen.id}",
        format_func=_topic_label,
    )
    title = cols[1].text_input("Judul", chosen.title, key=f"ib_saved_title_{chosen.id}")
    active = cols[2].checkbox("Aktif", chosen.active, key=f"ib_saved_active_{chosen.id}")
    text = st.text_area(
        "Teks", chosen.text, key=f"ib_saved_text_{chosen.id}", max_chars=replies.MAX_TEXT
    )
    if st.button("Simpan balasan tersimpan", key="ib_saved_save"):
        attempt(
            lambda s: replies.update_saved_reply(
                s, actor, chosen.id, chosen.version,
                topic=topic, title=title, text=text, active=active,
            ),
            done="Balasan tersimpan disimpan.",
        )  # fmt: skip
        st.rerun()
