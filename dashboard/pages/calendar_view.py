"""Kalender: one entry per post and day, by week or by month (WIB days), with its channels'
short names and a colour for its kind (legend above); an entry opens the post's detail (each
channel's result and the live links) above the calendar. Kinds and their colours come from
`content.editorial.calendar.KINDS`, so a new kind of entry needs no change here. The shown days
download as a plan file (the Impor rencana layout)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st
from sqlalchemy.orm import Session

from content import formats
from content.editorial import plans
from content.editorial.calendar import KINDS, CalendarEntry, entries, month_weeks, week_days
from content.editorial.posts import get_post
from content.infra.errors import DomainError
from content.infra.timeutil import WIB, format_wib, utcnow
from content.labels import CHANNEL_LABELS, CHANNEL_SHORT_LABELS
from content.models import Channel
from content.org.actors import Actor
from content.org.opds import list_opds
from content.org.permissions import Action, visible_opd_ids
from dashboard import auth
from dashboard.post_detail import channel_result
from dashboard.resources import transaction
from dashboard.ui import data_table, md, read, status_label
from dashboard.views import PostView, post_view

MONTH_CELL_ENTRIES = 3
OPENED = "cal_open"


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
    cols = st.columns([3, 1, 2, 1, 3, 3])  # the view toggle needs room for "Minggu | Bulan"
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


def short(channel: Channel) -> str:
    return CHANNEL_SHORT_LABELS.get(channel, CHANNEL_LABELS[channel])


def legend() -> None:
    """Each kind's colour, and the channels' short names."""
    kinds = " ".join(f":{k.colour}[:material/circle:] {k.label}" for k in KINDS.values())
    channels = ", ".join(f"{short(c)} = {CHANNEL_LABELS[c]}" for c in Channel)
    st.caption(f"{kinds} · {channels}")


def channels_of(entry: CalendarEntry) -> str:
    return " ".join(dict.fromkeys(short(c.channel) for c in entry.channels))


def when(entry: CalendarEntry) -> str:
    """The entry's WIB time and a space; a plan has a day, no hour."""
    return "" if entry.kind == "planned" else f"{entry.time_wib} "


def entry_label(entry: CalendarEntry) -> str:
    """ "● 09:30 X IG VT · Dinkes · Posyandu serentak" in the kind's colour."""
    kind = entry.kind_info
    training = " · latihan" if entry.is_simulator else ""
    return (
        f":{kind.colour}[:material/circle:] {when(entry)}**{channels_of(entry)}** · "
        f"{md(entry.opd_name)} · {md(entry.title)} :{kind.colour}[({kind.label}{training})]"
    )


def _open(post_id: int) -> None:
    st.session_state[OPENED] = post_id


def _close() -> None:
    st.session_state.pop(OPENED, None)


def entry_button(entry: CalendarEntry, key: str) -> None:
    if entry.post_id is None:
        st.caption(entry_label(entry))
        return
    st.button(
        entry_label(entry),
        key=key,
        type="tertiary",
        on_click=_open,
        args=(entry.post_id,),
        help=f"Buka konten #{entry.post_id}",
    )


def week(shown: Shown) -> None:
    for day, column in zip(shown.days[0], st.columns(7), strict=True):
        with column:
            st.markdown(f"**{formats.SHORT_DAYS[day.weekday()]} {formats.day_month(day)}**")
            for n, entry in enumerate(shown.entries.get(day, [])):
                entry_button(entry, f"cal_w_{day.isoformat()}_{n}")


def month(shown: Shown) -> None:
    current_month = anchor().month
    for day, column in zip(shown.days[0], st.columns(7), strict=True):
        column.markdown(f"**{formats.SHORT_DAYS[day.weekday()]}**")  # the weekday header
    for days in shown.days:
        for day, column in zip(days, st.columns(7), strict=True):
            with column.container(border=True):
                faded = "" if day.month == current_month else " (bulan lain)"
                st.markdown(f"**{day.day}**{faded}")
                todays = shown.entries.get(day, [])
                for n, entry in enumerate(todays[:MONTH_CELL_ENTRIES]):
                    entry_button(entry, f"cal_m_{day.isoformat()}_{n}")
                if len(todays) > MONTH_CELL_ENTRIES:
                    st.caption(f"+{len(todays) - MONTH_CELL_ENTRIES} lagi (lihat Daftar)")


def table(shown: Shown) -> None:
    rows = [
        {
            "Tanggal": formats.day(e.day),
            "Jam (WIB)": when(e).strip(),
            "Kanal": ", ".join(dict.fromkeys(CHANNEL_LABELS[c.channel] for c in e.channels)),
            "Akun/layar": ", ".join(c.target for c in e.channels),
            "OPD": e.opd_name,
            "Konten": f"#{e.post_id} {e.title}" if e.post_id else e.title,
            "Keadaan": e.kind_info.label,
        }
        for day in sorted(shown.entries)
        for e in shown.entries[day]
    ]
    with st.expander(f"Daftar ({len(rows)})"):
        data_table(rows, hide_index=True)


def shown_days(shown: Shown, as_month: bool) -> tuple[date, date]:
    """The month itself (not its neighbouring days) or the week."""
    if not as_month:
        return shown.days[0][0], shown.days[0][-1]
    first = anchor().replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _plan_file(actor: Actor, first: date, last: date) -> bytes:
    with transaction() as session:
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


def detail(actor: Actor, post_id: int) -> None:
    try:
        with transaction() as session:
            post: PostView = post_view(get_post(session, actor, post_id))
    except DomainError as exc:  # e.g. no longer visible: the calendar itself stays
        _close()
        st.error(md(exc.message))
        return
    with st.container(border=True):
        head, close = st.columns([5, 1])
        head.markdown(f"**Konten #{post.id} · {status_label(post.status)}**")
        close.button("Tutup", key="cal_close", on_click=_close, icon=":material/close:")
        st.caption(f"{md(post.opd_name)} · oleh {md(post.author)}")
        if post.scheduled_at:
            st.caption(f"Jadwal tayang: {format_wib(post.scheduled_at)}")
        if post.headline:
            st.markdown(f"**{md(post.headline)}**")
        st.text(post.caption or "(tanpa keterangan)")
        for target in post.targets:
            channel_result(target, "cal")


def main() -> None:
    actor = auth.require_page(Action.VIEW_POSTS)
    st.title("Kalender")
    as_month = st.session_state.get("cal_view") == "Bulan"
    shown = read(lambda s: load(s, actor, as_month))
    controls(shown.opds)
    legend()
    opened = st.session_state.get(OPENED)
    if isinstance(opened, int):
        detail(actor, opened)
    first, last = shown.days[0][0], shown.days[-1][-1]
    if as_month:
        st.subheader(formats.month(anchor()))
        month(shown)
    else:
        st.subheader(f"Pekan {formats.day_range(first, last)}")
        week(shown)
    table(shown)
    download(actor, shown, as_month)


main()
