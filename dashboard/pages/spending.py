"""Biaya platform: a month's (WIB) spending per platform and OPD against its budgets, in dollars
and about Rupiah, coloured from 80 % and 100 %; the budget warnings; a chart of the days; the
ledger page by page; the targets waiting for money; PPID Utama sets monthly budgets here; the
Monev workbook of the month with a spending sheet, and CSV.

A PPID Pembantu sees its own OPD only and no city totals (`content.cost_views` scopes every
query); only PPID Utama gets the budget form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from content import costs
from content.costs import Prices, format_usd, month_of
from content.costs import views as cost_views
from content.costs.summary import checked_text
from content.costs.views import (
    BudgetWarning,
    DaySpend,
    LedgerRow,
    MonthSpending,
    SpendRow,
    WaitingTarget,
)
from content.editorial.queries import Page
from content.infra.timeutil import format_wib, utcnow
from content.labels import CHANNEL_LABELS
from content.models import Channel
from content.models.enums import SOCIAL_CHANNELS
from content.monev.report import Table, csv_text
from content.org.actors import Actor
from content.org.permissions import Action, can
from dashboard import auth, charts, cost_view, resources
from dashboard.resources import transaction
from dashboard.ui import (
    attempt,
    current_page,
    flash,
    md,
    on_filter_change,
    pager,
    read,
    reset_page,
)

MONTH_KEY = "sp_month"
LEDGER = "sp_ledger"
WAITING = "sp_waiting"
LEDGER_SIZE = 25
WAITING_SIZE = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "Terpakai (%)"
_COLOURS = {
    "warning": "background-color: #fff3cd; color: #664d03",
    "error": "background-color: #f8d7da; color: #842029",
}


@dataclass(frozen=True)
class Shown:
    spending: MonthSpending
    table: Table
    daily: list[DaySpend]
    warnings: list[BudgetWarning]
    ledger: Page[LedgerRow]
    waiting: Page[WaitingTarget]
    opds: dict[int, str]


def load(session: Session, actor: Actor, month: str, prices: Prices) -> Shown:
    state = st.session_state
    data = cost_views.spending(session, actor, month, prices)
    return Shown(
        data,
        cost_views.spending_table(data),
        cost_views.daily_spend(session, actor, month),
        cost_views.budget_warnings(session, actor, month),
        cost_views.ledger(
            session,
            actor,
            month,
            platform=state.get("sp_l_platform"),
            opd_id=state.get("sp_l_opd"),
            page=current_page(LEDGER),
            page_size=LEDGER_SIZE,
        ),
        cost_views.waiting_for_budget(
            session, actor, page=current_page(WAITING), page_size=WAITING_SIZE
        ),
        cost_views.visible_opds(session, actor),
    )


def _new_month() -> None:
    reset_page(LEDGER)
    reset_page(WAITING)


def month_picker() -> str:
    months = costs.recent_months()
    if st.session_state.get(MONTH_KEY) not in months:
        st.session_state[MONTH_KEY] = month_of(utcnow())
    month: str = st.selectbox(
        "Bulan (WIB)",
        options=months,
        key=MONTH_KEY,
        format_func=costs.month_label,
        on_change=_new_month,
    )
    return month


# --- budget form (PPID Utama) ------------------------------------------------------------------


def _set_budget(actor: Actor, month: str) -> None:
    state = st.session_state
    platform = state.get("sp_b_platform")
    if not isinstance(platform, Channel):
        flash("error", "Pilih platform.")
        return
    opd_id, amount = state.get("sp_b_opd"), state.get("sp_b_amount")
    change = attempt(
        lambda s: cost_views.set_month_budget(s, actor, platform, month, amount, opd_id=opd_id)
    )
    if change is None:
        return
    released = (
        f"{change.released} target yang menunggu anggaran dilepas kembali ke antrean."
        if change.released
        else "Tidak ada target yang sedang menunggu anggaran."
    )
    flash(
        "success",
        f"Anggaran {CHANNEL_LABELS[change.platform]} {md(change.scope)} "
        f"{costs.month_label(change.month)} disetel "
        f"{md(format_usd(change.amount, cost_view.prices()))}. {released}",
    )


def budget_form(actor: Actor, shown: Shown, prices: Prices) -> None:
    st.subheader("Setel anggaran bulanan")
    month = shown.spending.month
    paid = [c for c in SOCIAL_CHANNELS if prices.paid(c)]
    for channel in SOCIAL_CHANNELS:
        if channel not in paid and prices.note(channel):
            st.caption(f"{CHANNEL_LABELS[channel]}: {md(prices.note(channel))}")
    if not paid:
        st.info("Tidak ada platform berbayar menurut daftar harga; anggaran tidak diperlukan.")
        return
    opds = shown.opds
    cols = st.columns([1, 2, 1])
    platform = cols[0].selectbox(
        "Platform", options=paid, key="sp_b_platform", format_func=lambda c: CHANNEL_LABELS[c]
    )
    opd_id = cols[1].selectbox(
        "Berlaku untuk",
        options=[None, *opds],
        key="sp_b_opd",
        format_func=lambda i: cost_views.CITY if i is None else opds.get(i, str(i)),
    )
    # Typed and shown the same way ("1.250,00"); `content.formats` reads it.
    cols[2].text_input("Anggaran (USD)", key="sp_b_amount", placeholder="mis. 25,00")
    current = next(
        (
            r
            for r in shown.spending.rows
            if r.platform is platform and r.opd_id == opd_id and r.city == (opd_id is None)
        ),
        None,
    )
    if current is not None and current.budget is not None:
        now = format_usd(current.budget, prices)
        st.caption(f"Anggaran saat ini untuk {shown.spending.label}: {md(now)}.")
    else:
        st.caption(f"Belum ada anggaran untuk pilihan ini pada {shown.spending.label}.")
    st.button(
        f"Simpan anggaran {shown.spending.label}",
        key="sp_b_save",
        type="primary",
        on_click=_set_budget,
        args=(actor, month),
    )


# --- sections ---------------------------------------------------------------------------------


def _colour(value: object) -> str:
    if not isinstance(value, int | float) or pd.isna(value):
        return ""
    return _COLOURS.get(costs.level_of(float(value)), "")


def _key(row: SpendRow) -> tuple[str, Channel, int | None, bool]:
    return row.month, row.platform, row.opd_id, row.city


def summary_section(shown: Shown, prices: Prices, banner: list[SpendRow]) -> None:
    data = shown.spending
    said = {_key(r) for r in banner}
    st.subheader(f"Belanja {data.label} terhadap anggaran")
    if data.scoped:
        st.caption("Yang tampil hanya belanja OPD Anda.")
    if not data.rows:
        st.info("Belum ada belanja maupun anggaran pada bulan ini.")
        return
    st.metric("Total belanja", format_usd(data.total, prices))
    for row in data.rows:
        if row.level != "ok" and _key(row) not in said:
            shown_as = st.error if row.level == "error" else st.warning
            shown_as(md(row.summary(prices)))
    header, rows = shown.table
    frame = pd.DataFrame(rows, columns=header)
    styled = frame.style.map(_colour, subset=[PERCENT]).format(
        {
            "Belanja (USD)": cost_view.usd,
            "Anggaran (USD)": cost_view.usd,
            PERCENT: cost_view.percent,
            "Belanja (≈ Rp)": cost_view.rupiah,
        },
        na_rep="–",
    )
    st.dataframe(styled, hide_index=True)
    scope = "" if data.scoped else "Baris *Seluruh kota* dibandingkan dengan anggaran kota. "
    st.caption(
        f"{scope}Baris OPD dibandingkan dengan anggaran OPD itu sendiri. "
        "Kuning: 80% anggaran terpakai; merah: 100%."
    )


def chart_section(daily: list[DaySpend]) -> None:
    st.subheader("Belanja harian")
    if not daily:
        st.caption("Belum ada belanja pada bulan ini.")
        return
    frame = pd.DataFrame(
        {
            "tanggal": pd.to_datetime([d.day for d in daily]),
            "platform": [CHANNEL_LABELS[d.platform] for d in daily],
            "usd": [float(d.amount) for d in daily],
        }
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            # One band per WIB day (ordinal with a day unit): one bar and one tick per day.
            x=alt.X(
                "yearmonthdate(tanggal):O",
                title="Tanggal (WIB)",
                axis=alt.Axis(format="%e %b", formatType="time", labelAngle=0),
            ),
            y=alt.Y("sum(usd):Q", title="Belanja (USD)", axis=alt.Axis(format=",.3f")),
            color=alt.Color("platform:N", title="Platform"),
            tooltip=[
                alt.Tooltip("yearmonthdate(tanggal):T", title="Tanggal", format=charts.DAY),
                alt.Tooltip("platform:N", title="Platform"),
                alt.Tooltip("sum(usd):Q", title="USD", format=".3f"),
            ],
        )
    )
    st.altair_chart(charts.indonesian(chart), width="stretch")


def warnings_section(warnings: list[BudgetWarning], prices: Prices) -> None:
    st.subheader("Peringatan anggaran")
    if not warnings:
        st.caption("Belum ada peringatan 80% atau 100% pada bulan ini.")
        return
    for w in warnings:
        line = (
            f"{format_wib(w.at)} · {CHANNEL_LABELS[w.platform]} {md(w.scope)}: mencapai "
            f"{w.threshold}% ({md(format_usd(w.spent, prices))} dari "
            f"{md(format_usd(w.budget, prices))})"
        )
        (st.error if costs.level_of(w.threshold) == "error" else st.warning)(line)


def waiting_section(waiting: Page[WaitingTarget]) -> None:
    st.subheader("Menunggu anggaran")
    if not waiting.items:
        st.caption("Tidak ada target yang ditahan karena anggaran.")
    for item in waiting.items:
        with st.container(border=True):
            st.markdown(
                f"**Konten #{item.post_id}** · {md(item.opd_name)} · "
                f"{CHANNEL_LABELS[item.channel]} {md(item.label.split(':', 1)[-1])} · "
                f"{md(item.caption)}"
            )
            st.caption(f"Ditahan: {md(item.reason)}")
    if waiting.items or waiting.page > 1:
        pager(WAITING, waiting.has_next)


def ledger_section(shown: Shown) -> None:
    st.subheader("Buku besar panggilan berbayar")
    reset = on_filter_change(LEDGER)
    cols = st.columns(2)
    cols[0].selectbox(
        "Platform",
        options=[None, *Channel],
        key="sp_l_platform",
        format_func=lambda c: "Semua platform" if c is None else CHANNEL_LABELS[c],
        on_change=reset,
    )
    if len(shown.opds) > 1:
        cols[1].selectbox(
            "OPD",
            options=[None, *shown.opds],
            key="sp_l_opd",
            format_func=lambda i: "Semua OPD" if i is None else shown.opds.get(i, str(i)),
            on_change=reset,
        )
    page = shown.ledger
    if not page.items:
        st.caption("Tidak ada panggilan berbayar untuk saringan ini.")
    else:
        frame = pd.DataFrame(
            [
                {
                    "Waktu (WIB)": format_wib(r.at, seconds=True),
                    "Platform": CHANNEL_LABELS[r.platform],
                    "Panggilan": r.action_label,
                    "Unit": r.units,
                    "Biaya (USD)": float(r.amount),
                    "OPD": r.opd_name,
                    "Konten": f"#{r.post_id}" if r.post_id else "",
                    "Rincian": r.detail,
                }
                for r in page.items
            ]
        )
        st.dataframe(frame.style.format({"Biaya (USD)": cost_view.usd}), hide_index=True)
    pager(LEDGER, page.has_next)


def _workbook(actor: Actor, month: str) -> Callable[[], bytes]:
    """Made when the button is clicked (the Monev report is computed then, not on every run)."""

    def make() -> bytes:
        with transaction() as session:
            return cost_views.spending_workbook(
                session, actor, month, cost_view.prices(), resources.settings()
            )

    return make


def exports_section(actor: Actor, shown: Shown) -> None:
    st.subheader("Unduh")
    month = shown.spending.month
    st.caption(
        f"Berkas XLSX berisi laporan Monev {shown.spending.label} ditambah lembar "
        f"*{cost_views.SHEET_TITLE}* dengan angka yang sama seperti tabel di atas."
    )
    left, right = st.columns(2)
    left.download_button(
        "Unduh XLSX (Monev + biaya platform)",
        data=_workbook(actor, month),
        file_name=f"biaya-platform-{month}.xlsx",
        mime=XLSX,
        key="sp_dl_xlsx",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
    right.download_button(
        "Unduh CSV",
        data=csv_text(shown.table).encode("utf-8-sig"),
        file_name=f"biaya-platform-{month}.csv",
        mime="text/csv",
        key="sp_dl_csv",
        on_click="ignore",
    )


def main() -> None:
    actor = auth.require_page(Action.VIEW_REPORTS)
    st.title("Biaya platform")
    banner = cost_view.budget_banner(actor)
    prices = cost_view.prices()
    notes = [
        f"{CHANNEL_LABELS[c]}: {md(prices.note(c))}" for c in SOCIAL_CHANNELS if prices.note(c)
    ]
    st.caption("  \n".join([*notes, md(checked_text(prices))]))
    month = month_picker()
    shown = read(lambda s: load(s, actor, month, prices))
    summary_section(shown, prices, banner)
    chart_section(shown.daily)
    warnings_section(shown.warnings, prices)
    if can(actor, Action.MANAGE_BUDGETS):
        budget_form(actor, shown, prices)
    waiting_section(shown.waiting)
    ledger_section(shown)
    exports_section(actor, shown)


main()
