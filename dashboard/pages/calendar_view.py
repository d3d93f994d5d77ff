"""Kalender: planned, scheduled and published posts per channel and OPD, by week or by month (WIB
days); the shown days download as a plan file (the Impor rencana layout)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st
from sqlalchemy.orm import Session

from content.editorial import plans
from content.editorial.calendar import CalendarEntry, entries, month_weeks, week_days
from content.infra.timeutil import MONTHS, WIB, utcnow
from content.labels import CALENDAR_KIND_LABELS, CHANNEL_LABELS
from content.models import Channel
from content.org.actors import Actor
from content.org.opds import list_opds
from content.org.permissions import Action, visible_opd_ids
from dashboard import auth, resources
from dashboard.ui import md, read

DAY_NAMES = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
# A plan's day stands apart from what is scheduled or published (a Markdown colour).
PLANNED_COLOUR = "violet"
MONTH_CELL_ENTRIES = 3


@dataclass(frozen=True)
class Shown:
    days: list[list[date]]  # one row per week
    entries: dict[date, list[CalendarEntry]]
    opds: dict[int, str]


def today() -> date:
    return utcnow().astimezone(WIB).date()


def anchor() -> date:
    value = st.session_state.get("cal_anchor")
    return value if isinstance(value, date) else today()


def _shift(direction: int) -> None:
    step = timedelta(days=7) if st.session_state.get("cal_view") != "Bulan" else None
    current = anchor()
    if step is not None:
        st.session_state["cal_anchor"] = current + direction * step
        return
    month = current.replace(day=1) + timedelta(days=32 * direction if direction > 0 else -1)
    st.session_state["cal_anchor"] = month.replace(day=1)


def load(session: Session, actor: Actor, month: bool) -> Shown:
    weeks = month_weeks(anchor()) if month else [week_days(anchor())]
    found = entries(
        session,
        actor,
        weeks[0][0],
        weeks[-1][-1],
        opd_id=st.session_state.get("cal_opd"),
        channel=st.session_state.get("cal_channel"),
    )
    by_day: dict[date, list[CalendarEntry]] = defaultdict(list)
    for entry in found:
        by_day[entry.day].append(entry)
    opds = (
        {o.id: o.short_name for o in list_opds(session)} if visible_opd_ids(actor) is None else {}
    )
    return Shown(weeks, dict(by_day), opds)


def controls(opds: dict[int, str]) -> None:
    cols = st.columns([2, 1, 1, 1, 2, 2])  # the view toggle needs room for "Minggu | Bulan"
    cols[0].segmented_control("Tampilan", ["Minggu", "Bulan"], key="cal_view", default="Minggu")
    cols[1].button("←", key="cal_prev", on_click=_shift, args=(-1,), help="Sebelumnya")
    cols[2].button(
        "Hari ini", key="cal_today", on_click=lambda: st.session_state.pop("cal_anchor", None)
    )
    cols[3].button("→", key="cal_next", on_click=_shift, args=(1,), help="Berikutnya")
    cols[4].selectbox(
        "Kanal",
        options=[None, *Channel],
        key="cal_channel",
        format_func=lambda c: "Semua kanal" if c is None else CHANNEL_LABELS[c],
    )
    if opds:
        cols[5].selectbox(
            "OPD",
            options=[None, *opds],
            key="cal_opd",
            format_func=lambda i: "Semua OPD" if i is None else opds.get(i, str(i)),
        )


def kind_label(entry: CalendarEntry) -> str:
    label = CALENDAR_KIND_LABELS[entry.kind]
    return f":{PLANNED_COLOUR}[{label}]" if entry.kind == "planned" else label


def entry_line(entry: CalendarEntry) -> str:
    training = " · latihan" if entry.is_simulator else ""
    when = "" if entry.kind == "planned" else f"{entry.time_wib} "  # a plan has a day, no hour
    return (
        f"{when}**{CHANNEL_LABELS[entry.channel]}** {md(entry.target)} · "
        f"{md(entry.opd_name)} · #{entry.post_id} {md(entry.title)} "
        f"({kind_label(entry)}{training})"
    )


def week(shown: Shown) -> None:
    for day, column in zip(shown.days[0], st.columns(7), strict=True):
        with column:
            st.markdown(f"**{DAY_NAMES[day.weekday()]} {day:%d/%m}**")
            for entry in shown.entries.get(day, []):
                st.caption(entry_line(entry))


def month(shown: Shown) -> None:
    current_month = anchor().month
    for name, column in zip(
        (DAY_NAMES[day.weekday()] for day in shown.days[0]), st.columns(7), strict=True
    ):
        column.markdown(f"**{name}**")  # the weekday header above the grid
    for days in shown.days:
        for day, column in zip(days, st.columns(7), strict=True):
            with column.container(border=True):
                faded = "" if day.month == current_month else " (bulan lain)"
                st.markdown(f"**{day.day}**{faded}")
                todays = shown.entries.get(day, [])
                for entry in todays[:MONTH_CELL_ENTRIES]:
                    st.caption(entry_line(entry))
                if len(todays) > MONTH_CELL_ENTRIES:
                    st.caption(f"+{len(todays) - MONTH_CELL_ENTRIES} lagi")


def table(shown: Shown) -> None:
    rows = [
        {
            "Tanggal": f"{e.day:%d-%m-%Y}",
            "Jam (WIB)": "" if e.kind == "planned" else e.time_wib,
            "Kanal": CHANNEL_LABELS[e.channel],
            "Akun/layar": e.target,
            "OPD": e.opd_name,
            "Konten": f"#{e.post_id} {e.title}",
            "Keadaan": CALENDAR_KIND_LABELS[e.kind],
        }
        for day in sorted(shown.entries)
        for e in shown.entries[day]
    ]
    with st.expander(f"Daftar ({len(rows)})"):
        st.dataframe(rows, hide_index=True)


def shown_days(shown: Shown, as_month: bool) -> tuple[date, date]:
    """The month itself (not its neighbouring days) or the week."""
    if not as_month:
        return shown.days[0][0], shown.days[0][-1]
    first = anchor().replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _plan_file(actor: Actor, first: date, last: date) -> bytes:
    with resources.transaction() as session:
        return plans.calendar_plan_bytes(
            session,
            actor,
            first,
            last,
            opd_id=st.session_state.get("cal_opd"),
            channel=st.session_state.get("cal_channel"),
        )


def download(actor: Actor, shown: Shown, as_month: bool) -> None:
    first, last = shown_days(shown, as_month)
    st.download_button(
        "Unduh XLSX (format rencana)",
        data=lambda: _plan_file(actor, first, last),
        file_name=f"kalender-{first:%Y%m%d}-{last:%Y%m%d}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="cal_download",
        on_click="ignore",
        icon=":material/download:",
    )


def main() -> None:
    actor = auth.require_page(Action.VIEW_POSTS)
    st.title("Kalender")
    as_month = st.session_state.get("cal_view") == "Bulan"
    shown = read(lambda s: load(s, actor, as_month))
    controls(shown.opds)
    first = shown.days[0][0]
    if as_month:
        st.subheader(f"{MONTHS[anchor().month - 1]} {anchor().year}")
        month(shown)
    else:
        st.subheader(f"Pekan {first:%d/%m} – {shown.days[0][-1]:%d/%m/%Y}")
        week(shown)
    table(shown)
    download(actor, shown, as_month)


main()
