"""The "Tarik publikasi" section of the publication status page: PPID Utama picks a published
post, writes the reason, and follows each channel's removal, with the manual step where the
platform has no delete (Instagram). The rules are content.delivery.takedown's; this only
draws them."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy.orm import Session

from content.delivery import takedown
from content.infra.timeutil import format_wib
from content.labels import CHANNEL_LABELS, TARGET_STATUS_LABELS
from content.models import TargetStatus
from content.org.actors import Actor
from content.org.permissions import Action, can
from dashboard.ui import attempt, md, read

POST_KEY, REASON_KEY = "td_post", "td_reason"
ICONS = {
    TargetStatus.REMOVED: "✅",
    TargetStatus.REMOVAL_DUE: "⏳",
    TargetStatus.REMOVING: "⏳",
    TargetStatus.REMOVAL_FAILED: "❌",
    TargetStatus.REMOVE_MANUALLY: "✋",
}


@dataclass(frozen=True)
class Overview:
    candidates: list[takedown.Candidate]
    recent: list[takedown.TakedownView]


def load(session: Session, actor: Actor) -> Overview:
    return Overview(takedown.candidates(session, actor), takedown.recent(session, actor))


def _snippet(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _take_down(actor: Actor, versions: dict[int, int]) -> None:
    post_id = st.session_state.get(POST_KEY)
    if not isinstance(post_id, int):
        return
    reason = str(st.session_state.get(REASON_KEY, ""))
    done = attempt(
        lambda s: takedown.takedown(
            s, actor, post_id, reason, expected_version=versions.get(post_id)
        ),
        done=f"Konten #{post_id} ditarik: slide videotron berhenti sekarang, penghapusan di "
        "X dan Facebook dijalankan worker.",
    )
    if done is not None:
        st.session_state[REASON_KEY] = ""


def form(actor: Actor, overview: Overview) -> None:
    if not overview.candidates:
        st.caption("Belum ada konten terbit yang dapat ditarik.")
        return
    labels = {
        c.post_id: f"#{c.post_id} · {c.opd_name} · {_snippet(c.caption)}"
        for c in overview.candidates
    }
    options: list[int] = list(labels)
    st.selectbox(
        "Konten yang sudah terbit",
        options=options,
        format_func=lambda post_id: labels.get(post_id, f"#{post_id}"),
        key=POST_KEY,
    )
    st.text_area("Alasan penarikan (wajib, dicatat di jejak audit)", key=REASON_KEY)
    versions = {c.post_id: c.version for c in overview.candidates}
    st.button(
        "Tarik publikasi",
        key="td_go",
        type="primary",
        icon=":material/unpublished:",
        on_click=_take_down,
        args=(actor, versions),
    )


def _confirm(actor: Actor, target_id: int) -> None:
    attempt(
        lambda s: takedown.confirm_manual_removal(s, actor, target_id),
        done="Dicatat: postingan sudah dihapus manual di platform.",
    )


def _retry(actor: Actor, target_id: int) -> None:
    attempt(
        lambda s: takedown.retry_removal(s, actor, target_id),
        done="Penghapusan dijadwalkan ulang sekarang.",
    )


def channel_line(actor: Actor, state: takedown.ChannelState) -> None:
    label = f"{CHANNEL_LABELS[state.channel]} {md(state.label)}"
    status = TARGET_STATUS_LABELS[state.status]
    st.markdown(f"{ICONS.get(state.status, '•')} {label} · {status}")
    if state.status is TargetStatus.REMOVE_MANUALLY:
        where = f" Postingan: {state.remote_url}" if state.remote_url else ""
        st.warning(f"{md(state.message)}{md(where)}", icon="✋")
    elif state.status is TargetStatus.REMOVAL_FAILED:
        st.error(md(state.message or "Platform menolak penghapusan."))
    elif state.message and state.status is not TargetStatus.REMOVED:
        st.caption(md(state.message))
    if state.status in takedown.BY_HAND:
        left, right = st.columns(2)
        left.button(
            "Sudah dihapus manual",
            key=f"td_done_{state.target_id}",
            on_click=_confirm,
            args=(actor, state.target_id),
        )
        if state.status is TargetStatus.REMOVAL_FAILED:
            right.button(
                "Coba hapus lagi",
                key=f"td_retry_{state.target_id}",
                on_click=_retry,
                args=(actor, state.target_id),
            )


def history(actor: Actor, overview: Overview) -> None:
    for item in overview.recent:
        with st.container(border=True):
            st.markdown(
                f"**Konten #{item.post_id}** · {md(item.opd_name)} · ditarik oleh "
                f"{md(item.requested_by)} · {format_wib(item.requested_at)}"
            )
            st.caption(f"Alasan: {md(item.reason)}")
            for state in item.channels:
                channel_line(actor, state)
            if item.settled_at is None:
                st.caption("Penghapusan masih berjalan; muat ulang halaman untuk melihat hasilnya.")


def section(actor: Actor) -> None:
    if not can(actor, Action.TAKE_DOWN):
        return
    st.subheader("Tarik publikasi")
    overview = read(lambda s: load(s, actor))
    form(actor, overview)
    history(actor, overview)
