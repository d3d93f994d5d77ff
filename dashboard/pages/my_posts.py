"""Konten saya: the desk's posts by status, one page at a time; a post's reviews and full history;
edit (in Tulis konten), resubmit, withdraw."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy.orm import Session

from content.editorial import plans, workflow
from content.editorial.my_posts import my_posts
from content.editorial.posts import get_post, may_edit
from content.editorial.queries import post_history
from content.infra.timeutil import WIB, format_wib, utcnow
from content.labels import CHANNEL_LABELS
from content.models import AuditEvent, Decision, PostStatus
from content.org.actors import Actor
from content.org.permissions import Action
from dashboard import auth, compose_state, navigation, resources
from dashboard.history import HistoryLine, history_lines
from dashboard.post_detail import channel_result
from dashboard.ui import (
    attempt,
    current_page,
    data_table,
    flash,
    md,
    on_filter_change,
    pager,
    read,
    status_label,
)
from dashboard.views import PostView, post_view

PAGE_KEY = "mp"
PAGE_SIZE = 20
SELECTED = "mp_selected"
GROUPS: dict[str, tuple[PostStatus, ...]] = {
    "Semua": (),
    "Draf": (PostStatus.DRAFT,),
    "Menunggu persetujuan": (PostStatus.SUBMITTED,),
    "Perlu perbaikan": (PostStatus.CHANGES_REQUESTED,),
    "Disetujui & terjadwal": (PostStatus.APPROVED, PostStatus.SCHEDULED),
    "Terpublikasi": (
        PostStatus.PUBLISHING,
        PostStatus.PUBLISHED,
        PostStatus.PARTIALLY_PUBLISHED,
    ),
    "Gagal": (PostStatus.FAILED,),
    "Ditarik": (PostStatus.TAKEN_DOWN,),
    "Ditolak": (PostStatus.REJECTED,),
}
DECISIONS = {
    Decision.APPROVE: "menyetujui",
    Decision.REQUEST_CHANGES: "meminta perbaikan",
    Decision.REJECT: "menolak",
}


@dataclass(frozen=True)
class Listing:
    posts: list[PostView]
    has_next: bool
    counts: dict[PostStatus, int]


@dataclass(frozen=True)
class Detail:
    post: PostView
    history: list[HistoryLine]


def load_listing(session: Session, actor: Actor, statuses: tuple[PostStatus, ...]) -> Listing:
    found = my_posts(session, actor, statuses, page=current_page(PAGE_KEY), page_size=PAGE_SIZE)
    views = [post_view(p) for p in found.page.items]
    return Listing(views, found.page.has_next, found.counts)


def load_detail(session: Session, actor: Actor, post_id: int) -> Detail:
    post = post_view(get_post(session, actor, post_id))
    events: list[AuditEvent] = post_history(session, actor, post_id)
    return Detail(post, history_lines(events))


def group_label(name: str, counts: dict[PostStatus, int]) -> str:
    statuses = GROUPS[name] or tuple(counts)
    total = sum(counts.get(s, 0) for s in statuses)
    return f"{name} ({total})" if counts else name


def _open(post_id: int) -> None:
    st.session_state[SELECTED] = post_id


def post_row(post: PostView) -> None:
    with st.container(border=True):
        left, right = st.columns([5, 1])
        channels = ", ".join(CHANNEL_LABELS[c] for c in post.channels) or "belum ada kanal"
        left.markdown(
            f"**#{post.id}** · {status_label(post.status)} · {channels} · "
            f"diperbarui {format_wib(post.updated_at)}"
        )
        left.markdown(md(_snippet(post.caption or post.headline or "(tanpa teks)")))
        review = post.last_review
        if review is not None and review.comment:
            left.caption(f"{md(review.reviewer)}: “{md(review.comment)}”")
        right.button("Buka", key=f"mp_open_{post.id}", on_click=_open, args=(post.id,))


def _snippet(text: str, limit: int = 220) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _edit(post: PostView) -> None:
    if compose_state.has_unsaved():
        st.warning(
            "Ada perubahan belum disimpan di Tulis konten; simpan atau mulai konten baru dulu."
        )
        return
    compose_state.put(compose_state.from_post(post))
    st.switch_page(navigation.COMPOSE.path)


def _resubmit(actor: Actor, post_id: int, version: int) -> None:
    sentence = attempt(
        lambda s: workflow.submitted_sentence(
            workflow.submit(s, actor, post_id, expected_version=version, policy=resources.policy())
        )
    )
    if sentence:
        flash("success", sentence)


def _withdraw(actor: Actor, post_id: int, version: int) -> None:
    attempt(
        lambda s: workflow.withdraw(s, actor, post_id, expected_version=version),
        done=f"Konten #{post_id} ditarik kembali menjadi draf.",
    )


def detail_actions(actor: Actor, post: PostView) -> None:
    steps = workflow.available_steps(actor, post, resources.policy())
    cols = st.columns(3)
    if may_edit(actor, post.status, post.opd_id) and cols[0].button(
        "Ubah", key=f"mp_edit_{post.id}", icon=":material/edit:"
    ):
        _edit(post)
    if workflow.SUBMIT in steps:
        cols[1].button(
            "Ajukan ulang" if post.reviews else "Ajukan",
            key=f"mp_submit_{post.id}",
            type="primary",
            on_click=_resubmit,
            args=(actor, post.id, post.version),
        )
    if workflow.WITHDRAW in steps:
        cols[2].button(
            "Tarik pengajuan",
            key=f"mp_withdraw_{post.id}",
            on_click=_withdraw,
            args=(actor, post.id, post.version),
        )


# Statuses in which "Terjadwal tayang …" is still news; after that each channel's result says it.
WAITING_TO_AIR = (PostStatus.APPROVED, PostStatus.SCHEDULED)


def detail(actor: Actor, post_id: int) -> None:
    shown = read(lambda s: load_detail(s, actor, post_id))
    post = shown.post
    st.subheader(f"Konten #{post.id} · {status_label(post.status)}")
    st.caption(f"{md(post.opd_name)} · oleh {md(post.author)} · versi {post.version}")
    if post.scheduled_at and post.status in WAITING_TO_AIR:
        st.info(f"Terjadwal tayang {format_wib(post.scheduled_at)}.")
    st.text(post.caption or "(tanpa keterangan)")
    for target in post.targets:
        channel_result(target, "mp")
    for review in post.reviews:
        st.markdown(
            f"**{md(review.reviewer)}** {DECISIONS[review.decision]} · {format_wib(review.at)}"
            + (f"  \n“{md(review.comment)}”" if review.comment else "")
        )
    detail_actions(actor, post)
    with st.expander("Riwayat lengkap", expanded=True):
        data_table([line.row() for line in shown.history], hide_index=True)


def _plan_file(actor: Actor, statuses: tuple[PostStatus, ...]) -> bytes:
    with resources.transaction() as session:
        return plans.desk_plan_bytes(session, actor, statuses)


def download_section(actor: Actor, choice: str) -> None:
    stamp = utcnow().astimezone(WIB)
    st.download_button(
        "Unduh XLSX (format rencana)",
        data=lambda: _plan_file(actor, GROUPS.get(choice, ())),
        file_name=f"konten-saya-{stamp:%Y%m%d}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="mp_download",
        on_click="ignore",
        icon=":material/download:",
        help="Kolom sama dengan templat Impor rencana, sehingga dapat diubah lalu diimpor lagi.",
    )


def main() -> None:
    actor = auth.require_page(Action.WRITE_POST)
    st.title("Konten saya")
    choice = st.session_state.get("mp_group", "Semua")
    download_section(actor, choice)
    listing = read(lambda s: load_listing(s, actor, GROUPS.get(choice, ())))
    st.radio(
        "Status",
        options=list(GROUPS),
        key="mp_group",
        horizontal=True,
        format_func=lambda name: group_label(name, listing.counts),
        on_change=on_filter_change(PAGE_KEY),
    )
    if not listing.posts:
        st.info("Belum ada konten dengan status ini.")
    for post in listing.posts:
        post_row(post)
    pager(PAGE_KEY, listing.has_next)
    selected = st.session_state.get(SELECTED)
    if isinstance(selected, int):
        st.divider()
        detail(actor, selected)


main()
