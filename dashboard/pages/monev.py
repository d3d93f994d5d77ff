"""Monev media: each OPD's media-management score for a month, quarter or year (WIB), its parts
with how each was computed ("mengapa skor ini"), the posts and weekly trends behind it, and the
workbook and CSV exports. A PPID Pembantu sees its own OPD only (`content.monev` scopes it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import streamlit as st
from sqlalchemy.orm import Session

from content import formats, monev
from content.editorial.channels import unread_channels
from content.infra.errors import DomainError
from content.infra.timeutil import WIB, format_wib
from content.labels import CHANNEL_LABELS, UNREAD_METRICS_NOTE
from content.monev import MonevConfig, MonevReport, OpdScore, Period, PostRow, TrendPoint
from content.monev import views as monev_views
from content.monev.pdf import pdf_bytes
from content.monev.report import (
    Table,
    config_table,
    csv_text,
    evidence_bundle,
    kip_table,
    parts_table,
    plays_per_day_table,
    plays_per_opd_table,
    plays_per_slide_table,
    posts_table,
    summary_table,
    workbook_bytes,
)
from content.monev.score import utama_figures
from content.org.actors import Actor
from content.org.permissions import Action, visible_opd_ids
from dashboard import auth, resources
from dashboard import monev_view as view
from dashboard.ppid_register import register_section
from dashboard.resources import transaction
from dashboard.ui import current_page, data_table, md, pager, read, reset_page

PERIOD_KEY = "monev_period"
OPD_KEY = "monev_opd"
POST_KEY = "monev_post"
POSTS_PAGER = "monev_posts"
OPD_POSTS_PAGER = "monev_opd_posts"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TREND_SHEET = "Tren mingguan"
PERIOD_HELP = "2026-11 (bulan), 2026-Q4 (triwulan) atau 2026 (tahun); waktu WIB."


@dataclass(frozen=True)
class Shown:
    report: MonevReport  # posts: the first pages of the period's posts (newest first)
    scoped: bool  # the reader sees its own OPD only
    posts: list[PostRow]  # this page of the period's posts
    more_posts: bool
    opd: OpdScore | None  # the OPD of the drill-down
    opd_posts: list[PostRow]  # this page of its posts
    more_opd_posts: bool
    opd_trend: list[TrendPoint]
    post_id: int | None  # the post whose growth is drawn
    growth: list[tuple[datetime, str, int, int]]

    @property
    def has_posts(self) -> bool:
        return any(s.facts.published_posts for s in self.report.scores)


def _page(rows: list[PostRow], page: int) -> tuple[list[PostRow], bool]:
    """One page of rows fetched with limit page × size + 1 (no count of the whole table)."""
    size = view.PAGE_SIZE
    return rows[(page - 1) * size : page * size], len(rows) > page * size


def load(
    session: Session,
    actor: Actor,
    period: Period,
    config: MonevConfig,
    *,
    wanted_opd: object,
    wanted_post: object,
) -> Shown:
    """Everything the page draws, read once per run in one transaction."""
    page, opd_page = current_page(POSTS_PAGER), current_page(OPD_POSTS_PAGER)
    report = monev.compute(session, actor, period, config, post_limit=page * view.PAGE_SIZE + 1)
    posts, more = _page(report.posts, page)
    opd = next((s for s in report.scores if s.facts.opd_id == wanted_opd), None)
    opd = opd or (report.scores[0] if report.scores else None)
    opd_posts: list[PostRow] = []
    opd_trend: list[TrendPoint] = []
    more_opd = False
    if opd is not None:
        found = monev_views.posts(
            session, actor, period, opd_id=opd.facts.opd_id, limit=opd_page * view.PAGE_SIZE + 1
        )
        opd_posts, more_opd = _page(found, opd_page)
        opd_trend = monev_views.trend(session, actor, period, opd_id=opd.facts.opd_id)
    ids = [p.post_id for p in opd_posts]
    post_id = wanted_post if wanted_post in ids else (ids[0] if ids else None)
    growth = monev.post_growth(session, actor, post_id) if isinstance(post_id, int) else []
    return Shown(
        report,
        visible_opd_ids(actor) is not None,
        posts,
        more,
        opd,
        opd_posts,
        more_opd,
        opd_trend,
        post_id if isinstance(post_id, int) else None,
        growth,
    )


# --- the period -------------------------------------------------------------------------------


def _new_period() -> None:
    for pager_key in (POSTS_PAGER, OPD_POSTS_PAGER):
        reset_page(pager_key)
    st.session_state.pop(POST_KEY, None)


def _set_period(key: str) -> None:
    st.session_state[PERIOD_KEY] = key
    _new_period()


def _current(kind: monev_views.Kind) -> Callable[[], None]:
    return lambda: _set_period(monev_views.containing(kind).key)


def _step(period: Period, step: int) -> Callable[[], None]:
    return lambda: _set_period(monev_views.shift(period, step).key)


def _parsed() -> Period | None:
    try:
        return monev.parse_period(str(st.session_state.get(PERIOD_KEY, "")))
    except DomainError:
        return None


def period_picker() -> Period:
    """The period typed or stepped to; an empty or unknown one stops the page with one sentence."""
    st.session_state.setdefault(PERIOD_KEY, monev_views.containing("month").key)
    current = _parsed()
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    left.text_input("Periode", key=PERIOD_KEY, help=PERIOD_HELP, on_change=_new_period)
    buttons = right.container(horizontal=True)
    kinds: tuple[monev_views.Kind, ...] = ("month", "quarter", "year")
    for kind in kinds:
        label = f"{monev_views.KIND_LABELS[kind]} ini"
        buttons.button(label, key=f"monev_this_{kind}", on_click=_current(kind))
    for step, label in ((-1, "◀ Sebelumnya"), (1, "Berikutnya ▶")):
        buttons.button(
            label,
            key=f"monev_step_{step}",
            disabled=current is None,
            on_click=_step(current, step) if current else None,
            help="Periode sebelumnya / berikutnya dengan jenis yang sama.",
        )
    text = str(st.session_state.get(PERIOD_KEY, "")).strip()
    if not text:
        st.info(f"Tulis periode Monev: {PERIOD_HELP}")
        st.stop()
    try:
        return monev.parse_period(text)
    except DomainError as exc:
        st.error(md(exc.message))  # it quotes what was typed
        st.stop()


def period_caption(period: Period) -> str:
    first = period.start.astimezone(WIB)
    last = (period.end - timedelta(seconds=1)).astimezone(WIB)
    return f"{formats.day_range(first.date(), last.date())} (WIB)"


# --- sections ---------------------------------------------------------------------------------


def leaderboard_section(shown: Shown) -> None:
    report = shown.report
    st.caption(f"Predikat Komisi Informasi: {md(view.band_legend(report.config))}")
    table = view.leaderboard(report, ranked=not shown.scoped)
    data_table(
        view.styled_leaderboard(report, table),
        hide_index=True,
        column_config={
            "Kelompok audiens": st.column_config.TextColumn(
                "Kelompok audiens", help="Menurut rata-rata jangkauan per publikasi."
            ),
        },
    )
    if shown.scoped:
        st.caption("Anda melihat OPD Anda sendiri; peringkat antar-OPD tidak ditampilkan.")
    st.altair_chart(view.leaderboard_chart(report), width="stretch")
    if not shown.scoped:
        figures = utama_figures(report.scores)
        st.caption(
            "Kinerja PPID Utama (tidak dibebankan ke OPD): rata-rata persetujuan "
            f"{view.number(figures['review_hours'])} jam, keterlambatan terbit rata-rata "
            f"{view.number(figures['worker_lag_minutes'])} menit per kanal."
        )
    with st.expander("Semua bagian skor per OPD"):
        data_table(view.parts_of(report), hide_index=True)


def _new_opd() -> None:
    reset_page(OPD_POSTS_PAGER)
    st.session_state.pop(POST_KEY, None)


def _choose_opd(shown: Shown) -> None:
    names = {s.facts.opd_id: s.facts.name for s in shown.report.scores}
    if shown.opd is not None:
        st.session_state[OPD_KEY] = shown.opd.facts.opd_id  # the one loaded, if a stale choice
    st.selectbox(
        "OPD",
        options=list(names),
        key=OPD_KEY,
        format_func=lambda i: names.get(i, str(i)),
        on_change=_new_opd,
    )


def sections_block(report: MonevReport, score: OpdScore) -> None:
    """The three parts of the yearly Monev: each score ("belum ada data" rather than a 0) with
    its reasons; the Media Sosial part's items follow below."""
    weights = report.config.section_weights
    cols = st.columns(len(score.sections))
    for col, section in zip(cols, score.sections, strict=True):
        share = 100 * weights[section.name] / sum(weights.values())
        col.metric(f"{section.label} (bobot {view.number(share)}%)", section.shown)
    if score.total_why:
        st.caption(md(score.total_why))
    for section in score.sections[:2]:
        with st.container(border=True):
            st.markdown(f"**{section.label}** — {section.shown}")
            st.markdown(f"*Mengapa skor ini:* {md(section.why)}")
            for item in section.items:
                shown = view.number(item.score) if item.counted else "belum ada data"
                st.markdown(f"- {md(item.label)}: {shown} — {md(item.why)}")
    st.markdown("#### Pengelolaan Media Sosial")


def parts_block(report: MonevReport, score: OpdScore) -> None:
    added = view.contribution(report, score)
    for part in score.parts:
        weight = 100 * report.config.weight_share(part.name)
        with st.container(border=True):
            st.markdown(
                f"**{part.label}** — skor {view.number(part.score)} dari 100 · "
                f"bobot {view.number(weight)}% · menyumbang {view.number(added[part.name])} poin"
            )
            st.markdown(f"*Mengapa skor ini:* {md(part.why)}")


def drilldown_section(shown: Shown) -> None:
    report, score = shown.report, shown.opd
    _choose_opd(shown)
    if score is None:
        return
    facts = score.facts
    colour = view.band_badge(report.config, score.qualification)
    st.subheader(f"{md(facts.name)} :{colour}-badge[{md(score.qualification)}]")
    cols = st.columns([1, 2, 1, 1])
    cols[0].metric("Skor total", view.number(score.total))
    cols[1].metric("Predikat", score.qualification)
    cols[2].metric("Kelompok audiens", score.band)
    cols[3].metric("Publikasi terbit", formats.number(facts.published_posts))
    st.caption(
        "Skor total = jumlah bobot × skor tiga bagian (Pengelolaan PPID, Pengaduan, Media "
        "Sosial); bagian yang belum ada datanya tidak dihitung. Bobot dan target diatur di "
        "konfigurasi Monev, lihat tab Unduh."
    )
    sections_block(report, score)
    parts_block(report, score)

    st.markdown(f"#### Publikasi {md(facts.name)}")
    if not shown.opd_posts:
        st.info("OPD ini belum punya publikasi yang terbit pada periode ini.")
        return
    st.caption(
        "Dasar bagian Aktivitas dan Konsistensi (tanggal terbit), Keterlibatan dan Jangkauan "
        "(angka terbaru tiap kanal); Ketepatan waktu dan Kepatuhan dihitung dari jadwal kanal "
        "dan keputusan persetujuan pada periode ini."
    )
    data_table(view.posts_frame(report, shown.opd_posts, with_opd=False), hide_index=True)
    pager(OPD_POSTS_PAGER, shown.more_opd_posts)

    st.markdown(f"#### Tren mingguan {md(facts.name)}")
    left, right = st.columns(2)
    left.altair_chart(view.trend_chart(shown.opd_trend, "engagements"), width="stretch")
    right.altair_chart(view.trend_chart(shown.opd_trend, "reach"), width="stretch")

    st.markdown("#### Pertumbuhan satu publikasi")
    rows = {p.post_id: p for p in shown.opd_posts}
    if shown.post_id is not None:
        st.session_state[POST_KEY] = shown.post_id
    st.selectbox(
        "Publikasi",
        options=list(rows),
        key=POST_KEY,
        format_func=lambda i: (
            f"#{i} · {format_wib(rows[i].published_at)} · {rows[i].caption[:60]}"
            if i in rows
            else f"#{i}"
        ),
    )
    if shown.growth:
        st.altair_chart(view.growth_chart(shown.growth), width="stretch")
    else:
        st.caption("Belum ada pengukuran untuk publikasi ini.")


def trend_section(shown: Shown) -> None:
    trend = shown.report.trend
    if not trend:
        st.info("Belum ada pengukuran keterlibatan pada periode ini.")
        return
    st.caption(
        "Per kanal, dari pengukuran terbaru setiap publikasi; minggu dihitung dari awal periode."
    )
    st.altair_chart(view.trend_chart(trend, "posts"), width="stretch")
    left, right = st.columns(2)
    left.altair_chart(view.trend_chart(trend, "engagements"), width="stretch")
    right.altair_chart(view.trend_chart(trend, "reach"), width="stretch")
    with st.expander("Tabel tren mingguan"):
        data_table(view.frame(monev_views.trend_table(trend)), hide_index=True)


def posts_section(shown: Shown) -> None:
    st.caption(
        "Angka dari pengukuran terbaru setiap kanal; tingkat keterlibatan = interaksi ÷ tayangan."
    )
    data_table(
        view.posts_frame(shown.report, shown.posts, with_opd=not shown.scoped), hide_index=True
    )
    pager(POSTS_PAGER, shown.more_posts)
    st.markdown("**Publikasi per kategori KIP**")
    st.dataframe(view.frame(kip_table(shown.report)), hide_index=True)


def videotron_section(shown: Shown) -> None:
    """Proof of play: what the screens really showed (the players' own reports)."""
    plays = shown.report.plays
    if not plays.per_opd:
        st.info("Belum ada laporan tayang videotron pada periode ini.")
        return
    st.caption(
        "Dari laporan pemutar videotron (bukti tayang); menit = lama slide di layar. "
        f"Jumlah {view.number(plays.minutes)} menit di layar pada periode ini."
    )
    st.markdown("**Per OPD**")
    data_table(view.frame(plays_per_opd_table(shown.report)), hide_index=True)
    st.markdown("**Per slide**")
    data_table(view.frame(plays_per_slide_table(shown.report)), hide_index=True)
    st.markdown("**Per hari**")
    data_table(view.frame(plays_per_day_table(shown.report)), hide_index=True)


# --- exports ----------------------------------------------------------------------------------


def _full(actor: Actor, report: MonevReport) -> MonevReport:
    """The report as shown (same scores, parts and trend) with every post of the period, read
    when the file is asked for."""
    with transaction() as session:
        every = monev_views.posts(session, actor, report.period)
    return replace(report, posts=every)


def workbook(actor: Actor, report: MonevReport) -> bytes:
    trend = (TREND_SHEET, monev_views.trend_table(report.trend))
    return workbook_bytes(_full(actor, report), extra=[trend])


def csv_bytes(table: Table) -> bytes:
    return csv_text(table).encode("utf-8-sig")  # with a BOM, so Excel reads it as UTF-8


def exports_section(actor: Actor, shown: Shown) -> None:
    report = shown.report
    key = report.period.key
    st.caption(
        "Berkas XLSX berisi ringkasan, bagian per OPD, publikasi beserta angkanya, dan "
        "konfigurasi yang dipakai; skornya sama dengan yang tampil di halaman ini."
    )
    st.download_button(
        "Unduh XLSX",
        data=lambda: workbook(actor, report),
        file_name=f"monev-{key}.xlsx",
        mime=XLSX,
        key="monev_dl_xlsx",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
    st.download_button(
        "Unduh Laporan Monev (PDF)",
        data=lambda: pdf_bytes(report),
        file_name=f"laporan-monev-{key}.pdf",
        mime="application/pdf",
        key="monev_dl_pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help="Untuk Wali Kota: sampul, peringkat dengan predikat, dan satu halaman per OPD."
        if not shown.scoped
        else "Laporan Monev OPD Anda: sampul dan halaman OPD Anda.",
    )
    st.download_button(
        "Unduh bundel bukti (ZIP)",
        data=lambda: evidence_bundle(
            _full(actor, report), [(TREND_SHEET, monev_views.trend_table(report.trend))]
        ),
        file_name=f"bukti-monev-{key}.zip",
        mime="application/zip",
        key="monev_dl_zip",
        on_click="ignore",
        help="Untuk penilaian mandiri Komisi Informasi: PDF, XLSX dan daftar di balik setiap "
        "bagian.",
    )
    st.markdown("**CSV per tabel**")
    tables: list[tuple[str, str, Callable[[], bytes] | bytes]] = [
        ("ringkasan", "Ringkasan", csv_bytes(summary_table(report))),
        ("bagian", "Bagian per OPD", csv_bytes(parts_table(report))),
        ("publikasi", "Publikasi", lambda: csv_bytes(posts_table(_full(actor, report)))),
        ("tren", "Tren mingguan", csv_bytes(monev_views.trend_table(report.trend))),
        ("videotron", "Videotron per slide", csv_bytes(plays_per_slide_table(report))),
        ("konfigurasi", "Konfigurasi", csv_bytes(config_table(report))),
    ]
    row = st.container(horizontal=True)
    for name, label, data in tables:
        row.download_button(
            f"{label} (CSV)",
            data=data,
            file_name=f"monev-{key}-{name}.csv",
            mime="text/csv",
            key=f"monev_dl_{name}",
            on_click="ignore",
        )
    with st.expander("Konfigurasi yang dipakai"):
        data_table(view.config_frame(report), hide_index=True)


# --- the page ---------------------------------------------------------------------------------


def main() -> None:
    actor = auth.require_page(Action.VIEW_REPORTS)
    st.title("Monev media")
    st.caption(
        "Skor Monev setiap PPID Pembantu (0–100) dari tiga bagian: Pengelolaan PPID, "
        "Pengelola Pengaduan Publik dan Pengelolaan Media Sosial; setiap skor disertai cara "
        "menghitungnya."
    )
    if unread := unread_channels():
        names = ", ".join(CHANNEL_LABELS[c] for c in unread)
        st.caption(UNREAD_METRICS_NOTE.format(channels=names))
    period = period_picker()
    try:
        config = monev.load(resources.settings())
    except DomainError as exc:
        st.error(md(exc.message))
        st.stop()
    wanted_opd, wanted_post = st.session_state.get(OPD_KEY), st.session_state.get(POST_KEY)
    shown = read(
        lambda s: load(s, actor, period, config, wanted_opd=wanted_opd, wanted_post=wanted_post)
    )
    st.subheader(period.label)
    st.caption(period_caption(period))
    if not shown.has_posts:
        whose = " dari OPD Anda" if shown.scoped else ""
        st.info(f"Belum ada publikasi{whose} yang terbit pada {period.label}.")
        register_section(actor, shown.report)
        return
    ranking, opd, trend, posts, videotron, register, exports = st.tabs(
        [
            "Skor OPD" if shown.scoped else "Peringkat",
            "Rincian per OPD",
            "Tren per kanal",
            "Publikasi",
            "Videotron",
            "Register PPID",
            "Unduh",
        ]
    )
    with ranking:
        leaderboard_section(shown)
    with opd:
        drilldown_section(shown)
    with trend:
        trend_section(shown)
    with posts:
        posts_section(shown)
    with videotron:
        videotron_section(shown)
    with register:
        register_section(actor, shown.report)
    with exports:
        exports_section(actor, shown)


main()
