"""Kotak masuk: comments and mentions on the city's accounts, filtered (state, channel, OPD,
waiting for triage, overdue), one thread at a time with its actions: assign (PPID Utama), reply,
hide, close with a reason; PPID Utama also filters what was escalated past its service level.
Two more tabs edit the phrase rules (PPID Utama) and the saved replies
(`dashboard.inbox_rules_view`).
Rights, screening and the audit live in `content.inbox`; replies and hides are queued here and
sent by the worker. People's words are shown literally (never as Markdown)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import streamlit as st
from sqlalchemy.orm import Session

from content import costs, inbox
from content.costs.operations import post_operation
from content.inbox.items import InboxFilter, InboxRow, Thread
from content.inbox.rights import may_act
from content.inbox.saved_replies import SavedReply, saved_replies
from content.infra.timeutil import format_wib, utcnow
from content.labels import (
    CHANNEL_LABELS,
    CLOSE_REASON_LABELS,
    INBOX_KIND_LABELS,
    INBOX_STATUS_LABELS,
    INBOX_TOPIC_LABELS,
    OUTGOING_OUTCOME_LABELS,
    ROUTE_REASON_LABELS,
)
from content.models import (
    Channel,
    CloseReason,
    InboxStatus,
    InboxTopic,
    OutgoingOutcome,
    Role,
)
from content.org.actors import Actor
from content.org.opds import list_opds
from content.org.permissions import Action
from dashboard import auth, cost_view, resources
from dashboard.inbox_rules_view import replies_editor, rules_editor
from dashboard.ui import attempt, current_page, data_table, md, on_filter_change, pager, read

PAGE_KEY = "ib"
PAGE_SIZE = 50
TRIAGE = "Menunggu penugasan PPID Utama"
ESCALATED = "Terlambat / dieskalasi"


@dataclass(frozen=True)
class Inbox:
    rows: list[InboxRow]
    has_next: bool
    opds: dict[int, str]
    thread: Thread | None
    templates: list[SavedReply]


def current_filter() -> InboxFilter:
    state = st.session_state
    return InboxFilter(
        status=state.get("ib_status"),
        channel=state.get("ib_channel"),
        opd_id=state.get("ib_opd"),
        triage=bool(state.get("ib_triage")),
        overdue=bool(state.get("ib_overdue")),
        escalated=bool(state.get("ib_escalated")),
    )


def load(session: Session, actor: Actor, flt: InboxFilter, item_id: int | None) -> Inbox:
    page = current_page(PAGE_KEY) - 1
    rows = inbox.list_items(session, actor, flt, page=page, page_size=PAGE_SIZE + 1)
    opds = {o.id: o.short_name for o in list_opds(session, active_only=False)}
    chosen = item_id if item_id in {r.id for r in rows} else (rows[0].id if rows else None)
    shown = inbox.thread(session, actor, chosen) if chosen is not None else None
    topic = shown.item.topic if shown is not None else None
    templates = saved_replies(session, actor, topic) if shown is not None else []
    return Inbox(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, opds, shown, templates)


def filters(actor: Actor, opds: dict[int, str]) -> None:
    reset = on_filter_change(PAGE_KEY)
    cols = st.columns(5)
    cols[0].selectbox(
        "Status",
        options=[None, *InboxStatus],
        key="ib_status",
        format_func=lambda s: "Semua status" if s is None else INBOX_STATUS_LABELS[s],
        placeholder="Semua status",  # Streamlit shows a None value as its placeholder
        on_change=reset,
    )
    cols[1].selectbox(
        "Kanal",
        options=[None, Channel.X, Channel.FACEBOOK, Channel.INSTAGRAM],
        key="ib_channel",
        format_func=lambda c: "Semua kanal" if c is None else CHANNEL_LABELS[c],
        placeholder="Semua kanal",
        on_change=reset,
    )
    if actor.role is not Role.PPID_PEMBANTU:
        cols[2].selectbox(
            "OPD",
            options=[None, *opds],
            key="ib_opd",
            format_func=lambda i: "Semua OPD" if i is None else opds.get(i, str(i)),
            placeholder="Semua OPD",
            on_change=reset,
        )
        cols[3].checkbox(TRIAGE, key="ib_triage", on_change=reset)
    cols[4].checkbox("Lewat tenggat", key="ib_overdue", on_change=reset)
    if actor.role is Role.PPID_UTAMA:
        cols[4].checkbox(ESCALATED, key="ib_escalated", on_change=reset)


def table(rows: list[InboxRow], opds: dict[int, str]) -> None:
    if not rows:
        st.info("Tidak ada pesan untuk saringan ini.")
        return
    data_table(
        [
            {
                "No.": r.id,
                "Diterima (WIB)": format_wib(r.received_at),
                "Kanal": CHANNEL_LABELS[r.channel],
                "Akun": r.account_handle,
                "Jenis": INBOX_KIND_LABELS[r.kind],
                "Jenis pesan": INBOX_TOPIC_LABELS[r.topic] if r.topic else "",
                "Dari": r.author,
                "Pesan": r.text[:140],
                "OPD": opds.get(r.opd_id, TRIAGE) if r.opd_id else TRIAGE,
                "Status": INBOX_STATUS_LABELS[r.status],
                "Tenggat (WIB)": format_wib(r.due_at) + (" ⚠ lewat" if r.overdue else ""),
            }
            for r in rows
        ],
        hide_index=True,
    )
    st.selectbox(
        "Buka pesan nomor",
        options=[r.id for r in rows],
        key="ib_item",
        format_func=lambda i: f"#{i}",
    )


def show_thread(shown: Thread, opds: dict[int, str]) -> None:
    item = shown.item
    st.subheader(f"Pesan #{item.id}")
    where = opds.get(item.opd_id, TRIAGE) if item.opd_id else TRIAGE
    route = ROUTE_REASON_LABELS.get(item.route_reason, item.route_reason)
    st.caption(f"{CHANNEL_LABELS[item.channel]} · {where} ({route})")
    if item.deleted_on_platform:
        st.warning("Pesan ini sudah dihapus di platform; catatannya tetap disimpan.")
    if item.topic is not None:
        why = f" (kata: “{item.topic_phrase}”)" if item.topic_phrase else ""
        st.text(f"Jenis: {INBOX_TOPIC_LABELS[item.topic]}{why}")
    if item.opd_id is None and item.proposed_opd_id is not None:
        proposed = opds.get(item.proposed_opd_id, str(item.proposed_opd_id))
        st.text(f"Usulan OPD: {proposed} (kata: “{item.proposal_phrase}”)")
    for message in shown.messages:
        author = message.author_name or message.author_handle or "?"
        marker = "▶ " if message.id == item.id else ""
        st.text(f"{marker}{author} · {format_wib(message.received_at)}\n{message.text}")
    for sent in shown.outgoing:
        what = "Balasan" if sent.text else "Sembunyikan komentar"
        why = f" — {sent.error_message}" if sent.error_message else ""
        st.text(f"{what} · {OUTGOING_OUTCOME_LABELS[sent.outcome]}{why}\n{sent.text}".rstrip())


def approvals(actor: Actor, shown: Thread) -> None:
    """PPID Utama lets a Pembantu's drafted reply go (accounts whose policy asks for it)."""
    waiting = [o for o in shown.outgoing if o.outcome is OutgoingOutcome.AWAITING_APPROVAL]
    for draft in waiting:
        st.text(f"Draf balasan menunggu persetujuan:\n{draft.text}")
        if st.button("Setujui dan kirim", key=f"ib_approve_{draft.id}"):
            attempt(
                partial(_approve, actor, draft.id), done="Balasan disetujui dan segera dikirim."
            )
            st.rerun()


def _approve(actor: Actor, outgoing_id: int, session: Session) -> object:
    return inbox.approve_reply(session, actor, outgoing_id)


def actions(actor: Actor, shown: Thread, opds: dict[int, str], templates: list[SavedReply]) -> None:
    item = shown.item
    if actor.role is Role.PPID_UTAMA:
        approvals(actor, shown)
        left, right = st.columns([3, 1])
        choices: list[int] = list(opds)
        proposed = item.proposed_opd_id
        target = left.selectbox(
            "Tugaskan ke OPD",
            options=choices,
            index=choices.index(proposed) if proposed in choices else None,
            key="ib_assign_opd",
            format_func=lambda i: opds.get(i, str(i)),
            placeholder="Pilih OPD",
        )
        if right.button("Tugaskan", key="ib_assign") and target is not None:
            attempt(
                lambda s: inbox.assign(s, actor, item.id, target, item.version),
                done="Pesan ditugaskan ke OPD.",
            )
            st.rerun()
    if not may_act(actor, item.opd_id):
        return
    left, right = st.columns([3, 1])
    topics: list[InboxTopic] = list(InboxTopic)
    topic = left.selectbox(
        "Jenis pesan",
        options=topics,
        index=topics.index(item.topic) if item.topic else None,
        key=f"ib_topic_{item.id}",
        format_func=lambda t: INBOX_TOPIC_LABELS[t],
        placeholder="Pilih jenis pesan",
    )
    if right.button("Tetapkan jenis", key="ib_classify") and topic is not None:
        attempt(
            lambda s: inbox.classify(s, actor, item.id, topic, item.version, levels=levels()),
            done="Jenis pesan ditetapkan.",
        )
        st.rerun()
    refusal = inbox.x_reply_refusal(item.account, item)
    if refusal:  # said before anything is sent, with the link to answer on X itself
        st.warning(md(refusal))
    st.selectbox(
        "Balasan tersimpan",
        options=[None, *range(len(templates))],
        key="ib_template",
        format_func=lambda i: "—" if i is None else templates[i].title,
        placeholder="—",
        on_change=_use_template,
        args=(templates,),
    )
    text = st.text_area("Balasan", key="ib_reply_text", max_chars=inbox.actions.MAX_REPLY)
    if item.channel is Channel.X and text.strip():
        price = cost_view.prices().price(Channel.X, post_operation(text))
        st.caption(f"Perkiraan biaya X untuk balasan ini: {costs.format_usd(price)}")
    if st.button("Kirim balasan", key="ib_reply", disabled=refusal is not None):
        attempt(
            lambda s: inbox.queue_reply(s, actor, item.id, text, item.version),
            done="Balasan disimpan dan segera dikirim.",
        )
        st.rerun()
    if item.channel is not Channel.X and st.button("Sembunyikan komentar", key="ib_hide"):
        attempt(
            lambda s: inbox.queue_hide(s, actor, item.id, item.version),
            done="Komentar akan disembunyikan.",
        )
        st.rerun()
    left, middle, right = st.columns(3)
    reason = left.selectbox(
        "Alasan selesai",
        options=list(CloseReason),
        key="ib_close_reason",
        format_func=lambda r: CLOSE_REASON_LABELS[r],
    )
    ticket = middle.text_input("Nomor tiket SP4N-LAPOR!", key="ib_ticket")
    if right.button("Selesaikan", key="ib_close") and reason is not None:
        attempt(
            lambda s: inbox.close(s, actor, item.id, reason, item.version, lapor_ticket=ticket),
            done="Pesan diselesaikan.",
        )
        st.rerun()


def _use_template(templates: list[SavedReply]) -> None:
    chosen = st.session_state.get("ib_template")
    if chosen is not None:
        st.session_state["ib_reply_text"] = templates[chosen].text


def levels() -> inbox.ServiceLevels:
    """The service levels as the settings have them now."""
    return inbox.ServiceLevels.from_settings(resources.settings().section("inbox"))


def main() -> None:
    actor = auth.require_page(Action.VIEW_REPORTS)
    st.title("Kotak masuk")
    names = ["Pesan", "Balasan tersimpan"]
    if actor.role is Role.PPID_UTAMA:
        names.append("Aturan kata")
    if actor.role not in (Role.PPID_UTAMA, Role.PPID_PEMBANTU):
        names = names[:1]  # analysts read the messages only
    tabs = st.tabs(names)
    with tabs[0]:
        messages_tab(actor)
    if len(tabs) > 1:
        with tabs[1]:
            replies_editor(actor)
    if len(tabs) > 2:
        with tabs[2]:
            rules_editor(actor)
    st.caption(f"Diperbarui {format_wib(utcnow())}.")


def messages_tab(actor: Actor) -> None:
    flt = current_filter()
    chosen = st.session_state.get("ib_item")
    box = read(lambda s: load(s, actor, flt, chosen))
    filters(actor, box.opds)
    table(box.rows, box.opds)
    pager(PAGE_KEY, box.has_next)
    if box.thread is not None:
        show_thread(box.thread, box.opds)
        actions(actor, box.thread, box.opds, box.templates)


main()
