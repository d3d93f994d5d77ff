"""Status publikasi: the emergency stop, the workers' heartbeats, the targets that failed, are
held or have an unknown outcome, each with the platform's own message and a retry button, and
"Tarik publikasi" (dashboard/takedown_view.py) for PPID Utama."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import streamlit as st
from sqlalchemy.orm import Session

from content import playlist
from content.delivery import operations
from content.infra.timeutil import format_wib, utcnow
from content.labels import CHANNEL_LABELS, TARGET_STATUS_LABELS, worker_label
from content.models import Channel, PostTarget, TargetStatus
from content.org.actors import Actor
from content.org.permissions import Action, can
from dashboard import auth, cost_view, resources, takedown_view
from dashboard.ui import ask_first, attempt, confirmation, data_table, md, read
from dashboard.videotron_view import skew_label


@dataclass(frozen=True)
class Problem:
    target_id: int
    post_id: int
    opd_name: str
    channel: Channel
    label: str
    status: TargetStatus
    attempts: int
    error: str
    code: str
    wait_reason: str
    due_at: datetime | None


@dataclass(frozen=True)
class Published:
    post_id: int
    opd_name: str
    label: str
    status: TargetStatus
    published_at: datetime | None
    url: str


@dataclass(frozen=True)
class Overview:
    paused: bool
    pause_reason: str
    paused_at: datetime | None
    workers: list[operations.WorkerStatus]
    problems: list[Problem] | None  # None: this role does not see posts
    published: dict[Channel, list[Published]] | None  # None: this role does not see posts
    silent: list[playlist.SilentPlayer]
    silent_after: timedelta = playlist.PLAYER_STALE_AFTER  # [videotron] player_silent_minutes


def _problem(target: PostTarget) -> Problem:
    where = (
        target.account.handle if target.account else (target.screen.name if target.screen else "")
    )
    return Problem(
        target.id,
        target.post_id,
        target.post.opd.short_name,
        target.channel,
        where,
        target.status,
        target.attempts,
        target.last_error,
        target.last_error_code,
        target.wait_reason,
        target.due_at,
    )


def _where(target: PostTarget) -> str:
    if target.account is not None:
        return target.account.handle
    return target.screen.name if target.screen is not None else ""


def _published(target: PostTarget) -> Published:
    return Published(
        target.post_id,
        target.post.opd.short_name,
        _where(target),
        target.status,
        target.published_at,
        target.remote_url or "",
    )


def load(
    session: Session, actor: Actor, after: timedelta = playlist.PLAYER_STALE_AFTER
) -> Overview:
    pause = operations.current_pause(session)
    problems = None
    published = None
    if can(actor, Action.VIEW_POSTS, actor.opd_id):
        problems = [_problem(t) for t in operations.problem_targets(session, actor)]
        published = {
            channel: [_published(t) for t in targets]
            for channel, targets in operations.recent_publications(session, actor).items()
        }
    return Overview(
        pause is not None,
        pause.reason if pause else "",
        pause.paused_at if pause else None,
        operations.workers(session),
        problems,
        published,
        playlist.silent_players(session, after=after),
        after,
    )


def _pause(actor: Actor) -> None:
    reason = str(st.session_state.get("st_pause_reason", ""))
    if attempt(lambda s: operations.pause_all(s, actor, reason), done="Semua publikasi dijeda."):
        st.session_state["st_pause_reason"] = ""


def _resume(actor: Actor) -> None:
    reason = str(st.session_state.get("st_resume_reason", ""))
    if attempt(lambda s: operations.resume_all(s, actor, reason), done="Publikasi dilanjutkan."):
        st.session_state["st_resume_reason"] = ""


def _retry(actor: Actor, target_id: int, post_id: int) -> None:
    attempt(
        lambda s: operations.retry_target(s, actor, target_id),
        done=f"Pengiriman konten #{post_id} dijadwalkan ulang sekarang.",
    )


def emergency_stop(actor: Actor, overview: Overview) -> None:
    st.subheader("Jeda darurat")
    if not can(actor, Action.EMERGENCY_STOP):
        st.caption("Hanya PPID Utama yang dapat menjeda atau melanjutkan publikasi.")
        return
    if overview.paused:
        st.text_input("Alasan melanjutkan (dicatat)", key="st_resume_reason")
        st.button(
            "Lanjutkan publikasi", key="st_resume", type="primary", on_click=_resume, args=(actor,)
        )
        return
    st.text_input("Alasan jeda (wajib, dicatat)", key="st_pause_reason")
    st.button(
        "Jeda semua publikasi",
        key="st_pause",
        type="primary",
        icon=":material/pause_circle:",
        on_click=ask_first,
        args=("st_pause",),
    )
    confirmation(
        "st_pause",
        "Semua publikasi ke semua kanal akan ditahan, termasuk yang terjadwal, sampai PPID "
        "Utama melanjutkannya; spanduk jeda tampil di setiap halaman.",
        "Ya, jeda semua publikasi",
        _pause,
        (actor,),
    )


def heartbeat(overview: Overview) -> None:
    st.subheader("Worker")
    if not overview.workers:
        st.warning("Belum ada worker yang melapor: konten terjadwal tidak akan terbit.")
        return
    now = utcnow()
    for number, worker in enumerate(overview.workers, start=1):
        seconds = int((now - worker.seen_at).total_seconds())
        line = (
            f"**{md(worker_label(worker.worker_id, number, worker.hostname))}** · "
            f"terakhir terlihat {format_wib(worker.seen_at, seconds=True)} "
            f"({seconds} detik lalu)"
        )
        if worker.alive:
            st.success(f"Aktif · {line}", icon=":material/check_circle:")
        else:
            st.error(f"Tidak terlihat lebih dari 1 menit · {line}", icon=":material/error:")


def screens(overview: Overview) -> None:
    """Videotron players gone silent: red, with what they last showed and their clock skew."""
    st.subheader("Pemutar videotron")
    if not overview.silent:
        st.caption("Semua pemutar videotron melapor.")
        return
    minutes = playlist.minutes_label(overview.silent_after)
    for player in overview.silent:
        shown = player.current_headline or "tidak diketahui"
        st.error(
            f"Layar {md(player.screen_name)}: pemutar {md(player.player_id)} tidak melapor lebih "
            f"dari {minutes} menit (terakhir {format_wib(player.last_seen_at)}; "
            f"slide terakhir: {md(shown)}; selisih jam {skew_label(player.skew_ms)}).",
            icon=":material/error:",
        )


def problems(actor: Actor, overview: Overview) -> None:
    st.subheader("Pengiriman bermasalah")
    if overview.problems is None:
        st.caption("Peran Anda tidak melihat isi konten.")
        return
    if not overview.problems:
        st.success("Tidak ada pengiriman yang gagal, ditahan atau belum pasti.")
        return
    may_retry = can(actor, Action.SCHEDULE)
    for item in overview.problems:
        with st.container(border=True):
            st.markdown(
                f"**Konten #{item.post_id}** · {md(item.opd_name)} · "
                f"{CHANNEL_LABELS[item.channel]} {md(item.label)} · "
                f"{TARGET_STATUS_LABELS[item.status]} · {item.attempts} percobaan"
            )
            if item.error or item.code:
                st.caption(f"Pesan platform{f' (kode {md(item.code)})' if item.code else ''}:")
                st.code(item.error or "-", language=None, wrap_lines=True)
            if item.wait_reason:
                st.caption(f"Ditahan: {md(item.wait_reason)}")
            if may_retry and item.status in operations.RETRYABLE_TARGET_STATUSES:
                st.button(
                    "Coba kirim lagi",
                    key=f"st_retry_{item.target_id}",
                    on_click=_retry,
                    args=(actor, item.target_id, item.post_id),
                )
            elif item.status is TargetStatus.UNKNOWN:
                st.caption(
                    "Hasil belum pasti: worker mencocokkan dengan platform sebelum mengulang."
                )


# Everything a URL may hold except what would end a Markdown link early: "(", ")" and spaces.
_URL_SAFE = ":/?#[]@!$&'*+,;=%-._~"


def publications(overview: Overview) -> None:
    """What went out lately, one table per channel: the post, where, its state, when (WIB) and
    the link to the live post."""
    st.subheader("Publikasi terbaru")
    if overview.published is None:
        st.caption("Peran Anda tidak melihat isi konten.")
        return
    if not overview.published:
        st.info("Belum ada konten yang terbit.")
        return
    for channel, rows in overview.published.items():
        st.markdown(f"**{CHANNEL_LABELS[channel]}**")
        data_table(
            [
                {
                    "Konten": f"#{row.post_id}",
                    "OPD": row.opd_name,
                    "Akun/layar": row.label,
                    "Status": TARGET_STATUS_LABELS[row.status],
                    "Terbit (WIB)": format_wib(row.published_at) if row.published_at else "-",
                    "Tautan": row.url,
                }
                for row in rows
            ],
            hide_index=True,
            width="stretch",
            key=f"st_published_{channel.value}",
            column_config={
                "Tautan": st.column_config.LinkColumn("Tautan", display_text="Buka"),
            },
        )
        live_links(rows)


def live_links(rows: list[Published]) -> None:
    """The same live posts as plain links under the table: the table is drawn on a canvas,
    which keyboards, screen readers and a quick click do not reach."""
    links = [
        f"[Buka #{row.post_id}]({quote(row.url, safe=_URL_SAFE)})"
        for row in rows
        if row.url.startswith(("https://", "http://"))
    ]
    if links:
        st.caption("Unggahan: " + " · ".join(links))


def main() -> None:
    actor = auth.require_page(Action.VIEW_OPERATIONS)
    st.title("Status publikasi")
    cost_view.budget_banner(actor)
    after = playlist.silent_after(resources.settings())
    overview = read(lambda s: load(s, actor, after))
    publications(overview)
    problems(actor, overview)
    emergency_stop(actor, overview)
    heartbeat(overview)
    screens(overview)
    takedown_view.section(actor)


main()
