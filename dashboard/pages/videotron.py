"""Videotron: the screens, today's playlist of one screen (order, seconds, validity, ending a
slide), the emergency override (informasi serta-merta, UU KIP Pasal 10), the screen's hours,
closure days and default slide, its player keys (a new key is shown once, like a password), and
what the players report (heartbeat, clock skew, proof of play). Times in WIB.

Every write goes through content.playlist or publishers.videotron, which check the right again;
the page only compares what it showed with what is there now (someone else may have acted)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from content import formats, playlist
from content.infra.timeutil import as_utc, format_wib
from content.labels import WEEKDAY_LABELS
from content.org.actors import Actor
from content.org.permissions import Action
from content.playlist import (
    OverrideInfo,
    ScheduleEntry,
    ScheduleForm,
    ScreenStatus,
    SlidePlays,
)
from dashboard import auth, resources
from dashboard import videotron_view as view
from dashboard.ui import ask_first, attempt, confirmation, data_table, flash, md, read
from publishers.videotron import push_emergency

T = TypeVar("T")
SCREEN_KEY = "vt_screen"
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]
STEP = timedelta(minutes=15)
NEW_KEY = "vt_new_key"  # the key just issued: (screen id, key id, key), shown on one run only
OUTSIDE_HOURS = {True: "Tampilkan slide bawaan", False: "Layar gelap (LED padam)"}


def _act(action: Callable[[Session], T], *, done: str) -> T | None:
    return attempt(action, done=done)


# --- actions (callbacks: they run before the page is drawn again) ------------------------------


def _move(actor: Actor, screen_id: int, seen: list[int], slide_id: int, step: int) -> None:
    order = view.moved(seen, slide_id, step)

    def act(session: Session) -> None:
        playlist.reorder_slides(session, actor, screen_id, order, expected_order=seen)

    _act(act, done="Urutan playlist disimpan.")


def _save(actor: Actor, seen: view.SlideSeen) -> None:
    start = st.session_state.get(f"vt_from_{seen.key}")
    until = st.session_state.get(f"vt_until_{seen.key}")
    seconds = st.session_state.get(f"vt_seconds_{seen.key}")
    if not isinstance(start, datetime):
        flash("error", "Isi waktu mulai tayang (WIB).")
        return
    valid_from = view.entered(start, seen.valid_from)
    valid_until = view.entered(until, seen.valid_until) if isinstance(until, datetime) else None

    def act(session: Session) -> None:
        playlist.set_slide_schedule(
            session,
            actor,
            seen.slide_id,
            valid_from=valid_from,
            valid_until=valid_until,
            seconds=int(seconds) if isinstance(seconds, int | float) else None,
            expected=seen.window,
        )

    _act(act, done="Jadwal slide disimpan.")


def _end(actor: Actor, seen: view.SlideSeen) -> None:
    reason = str(st.session_state.get(f"vt_end_reason_{seen.key}", ""))

    def act(session: Session) -> None:
        playlist.end_slide(session, actor, seen.slide_id, reason=reason, expected=seen.window)

    _act(act, done="Slide diakhiri: mulai sekarang tidak tayang lagi.")


def _photo_key(screen_id: int) -> str:
    return f"vt_em_photo_{screen_id}_{st.session_state.get(f'vt_em_round_{screen_id}', 0)}"


def _push(actor: Actor, screen_id: int) -> None:
    state = st.session_state
    headline = str(state.get(f"vt_em_headline_{screen_id}", "")).strip()
    reason = str(state.get(f"vt_em_reason_{screen_id}", ""))
    until = state.get(f"vt_em_until_{screen_id}")
    upload = state.get(_photo_key(screen_id))
    photo = upload.getvalue() if upload is not None else None
    ends_at = as_utc(until) if isinstance(until, datetime) else None
    store, settings = resources.store(), resources.settings()

    def act(session: Session) -> int:
        override = push_emergency(
            session,
            actor,
            store,
            settings,
            screen_id,
            headline=headline,
            reason=reason,
            photo=photo,
            ends_at=ends_at,
        )
        return override.id

    if _act(act, done="Pesan darurat tayang di layar sekarang.") is not None:
        for name in ("headline", "reason"):
            state[f"vt_em_{name}_{screen_id}"] = ""
        state[f"vt_em_until_{screen_id}"] = None
        state[f"vt_em_round_{screen_id}"] = state.get(f"vt_em_round_{screen_id}", 0) + 1


def _lift(actor: Actor, override_id: int) -> None:
    reason = str(st.session_state.get(f"vt_lift_reason_{override_id}", ""))
    _act(
        lambda s: playlist.lift_override(s, actor, override_id, reason=reason).id,
        done="Penayangan darurat dicabut; playlist biasa tayang lagi.",
    )


def _save_hours(actor: Actor, seen: view.ScheduleSeen) -> None:
    state, key = st.session_state, seen.key
    form = ScheduleForm(
        everyday=str(state.get(f"vt_hours_{key}", "")),
        weekdays={str(d): str(state.get(f"vt_day{d}_{key}", "")) for d in range(7)},
        closures=str(state.get(f"vt_closed_{key}", "")),
        overnight=bool(state.get(f"vt_overnight_{key}", False)),
        default_outside_hours=state.get(f"vt_outside_{key}", True) is not False,
        default_text=str(state.get(f"vt_default_text_{key}", "")),
    )

    def act(session: Session) -> None:
        changes = playlist.schedule_from_form(form)
        playlist.set_screen_schedule(
            session, actor, seen.screen_id, **changes, expected=seen.values
        )

    _act(act, done="Jadwal layar disimpan; pemutar menerimanya di daftar putar berikutnya.")


def _issue_key(actor: Actor, screen_id: int) -> None:
    label = str(st.session_state.get(f"vt_key_label_{screen_id}", ""))

    def act(session: Session) -> tuple[int, str]:
        row, key = playlist.issue_player_key(session, actor, screen_id, label=label)
        return row.id, key

    issued = attempt(act)
    if issued is not None:
        st.session_state[NEW_KEY] = (screen_id, *issued)
        st.session_state[f"vt_key_label_{screen_id}"] = ""


def _revoke_key(actor: Actor, screen_id: int) -> None:
    key_id = st.session_state.get(f"vt_revoke_pick_{screen_id}")
    if not isinstance(key_id, int):
        flash("error", "Pilih kunci pemutar yang akan dicabut.")
        return
    _act(
        lambda s: playlist.revoke_player_key(s, actor, key_id, screen=screen_id).id,
        done=f"Kunci pemutar #{key_id} dicabut; pemutar yang memakainya ditolak mulai sekarang.",
    )


# --- drawing -----------------------------------------------------------------------------------


def _image(sha256: str, mime: str, width: int | None = None) -> None:
    shown = view.slide_image(resources.store(), resources.settings(), sha256, mime)
    if width is None:
        st.image(shown)
    else:
        st.image(shown, width=width)


def screens_table(shown: view.Shown) -> None:
    for status in shown.screens:
        if status.override is not None:
            st.error(
                f"**Penayangan darurat aktif di {md(status.screen.name)}:** "
                f"{md(status.override.headline)}",
                icon=":material/warning:",
            )
    st.subheader("Layar")
    data_table(view.screen_rows(shown.screens), hide_index=True)


def pick_screen(shown: view.Shown, selected: ScreenStatus) -> None:
    names: dict[int, str] = {s.screen.id: s.screen.name for s in shown.screens}
    if st.session_state.get(SCREEN_KEY) not in names:  # none chosen yet, or the screen is gone
        st.session_state[SCREEN_KEY] = selected.screen.id
    st.selectbox(
        "Layar yang diatur",
        options=list(names),
        key=SCREEN_KEY,
        format_func=lambda screen_id: names.get(screen_id, str(screen_id)),
    )
    screen = selected.screen
    where = f" · {md(screen.location)}" if screen.location else ""
    st.caption(
        f"{md(screen.name)}{where} · {view.size_label(screen)} · "
        f"jam operasi {view.hours_label(screen)} · {view.status_label(selected)}"
    )


def active_override(actor: Actor, override: OverrideInfo) -> None:
    until = (
        f"berakhir otomatis {format_wib(override.ends_at)}"
        if override.ends_at
        else "sampai dicabut"
    )
    with st.container(border=True):
        st.error(
            f"**PENAYANGAN DARURAT AKTIF** (informasi serta-merta)  \n"
            f"**{md(override.headline)}**  \n"
            f"Alasan: {md(override.reason)}  \n"
            f"Sejak {format_wib(override.starts_at)} oleh {md(override.created_by)}, {until}.",
            icon=":material/warning:",
        )
        _image(override.sha256, override.mime, width=480)
        st.text_input("Alasan mencabut (dicatat)", key=f"vt_lift_reason_{override.id}")
        st.button(
            "Cabut penayangan darurat",
            key=f"vt_lift_{override.id}",
            type="primary",
            icon=":material/cancel:",
            on_click=_lift,
            args=(actor, override.id),
        )


def emergency(actor: Actor, shown: view.Shown, screen_id: int) -> None:
    st.subheader("Penayangan darurat")
    for override in shown.holding:
        active_override(actor, override)
    label = "Tayangkan pesan darurat (informasi serta-merta, UU KIP Pasal 10)"
    # Closed until someone means it: the form sits above the playlist people come here for.
    with st.expander(label, icon=":material/warning:", expanded=False):
        st.caption(
            "Pesan darurat langsung mengambil alih layar, juga di luar jam operasi, sampai "
            "waktu berakhirnya atau sampai dicabut. Judul singkat (6–12 kata) terbaca sekilas."
        )
        st.text_input("Judul pesan", key=f"vt_em_headline_{screen_id}")
        st.text_area("Alasan (wajib, dicatat)", key=f"vt_em_reason_{screen_id}", height=80)
        st.datetime_input(
            "Berakhir otomatis (WIB, kosongkan bila dicabut manual)",
            value=None,
            key=f"vt_em_until_{screen_id}",
            format="DD/MM/YYYY",
            step=STEP,
        )
        st.file_uploader(
            "Foto (opsional: JPEG, PNG atau WebP)",
            type=PHOTO_TYPES,
            key=_photo_key(screen_id),
            max_upload_size=resources.upload_megabytes(),
        )
        st.button(
            "Tayangkan sekarang",
            key=f"vt_em_push_{screen_id}",
            type="primary",
            icon=":material/warning:",
            on_click=ask_first,
            args=(f"vt_em_push_{screen_id}",),
        )
        headline = str(st.session_state.get(f"vt_em_headline_{screen_id}", "")).strip()
        confirmation(
            f"vt_em_push_{screen_id}",
            f"Pesan darurat “{md(headline or '(tanpa judul)')}” akan langsung mengambil alih "
            "layar ini, juga di luar jam operasi, sampai waktu berakhirnya atau dicabut.",
            "Ya, tayangkan sekarang",
            _push,
            (actor, screen_id),
        )


def _moment(entry: ScheduleEntry, shown: view.Shown, selected: ScreenStatus) -> str:
    item, now = entry.item, shown.now
    if entry.live_now:
        return "tayang sekarang"
    if item.valid_until is not None and item.valid_until <= now:
        return "sudah berakhir"
    if item.valid_from > now:
        return f"mulai {format_wib(item.valid_from, '%H:%M')}"
    if shown.holding:
        return "tertahan: pesan darurat sedang tayang"
    if not selected.open_now:
        return "tertahan: di luar jam operasi"
    return "tidak tayang sekarang"


def slide_card(
    actor: Actor,
    entry: ScheduleEntry,
    *,
    index: int,
    order: list[int],
    shown: view.Shown,
    selected: ScreenStatus,
) -> None:
    item, screen_id = entry.item, selected.screen.id
    seen = view.SlideSeen.of(item)
    ended = item.valid_until is not None and item.valid_until <= shown.now
    with st.container(border=True):
        picture, text, move = st.columns([3, 7, 2])
        with picture:
            _image(item.sha256, item.mime)
        text.markdown(f"**{index + 1}. {md(item.headline)}**")
        text.caption(
            f"Konten #{item.post_id} · {md(item.opd_name)} · {item.seconds} detik · "
            f"berlaku {view.window_label(item.valid_from, item.valid_until)}"
        )
        text.caption(_moment(entry, shown, selected))
        move.button(
            "Naik",
            key=f"vt_up_{item.slide_id}",
            icon=":material/arrow_upward:",
            disabled=index == 0,
            on_click=_move,
            args=(actor, screen_id, order, item.slide_id, -1),
        )
        move.button(
            "Turun",
            key=f"vt_down_{item.slide_id}",
            icon=":material/arrow_downward:",
            disabled=index == len(order) - 1,
            on_click=_move,
            args=(actor, screen_id, order, item.slide_id, 1),
        )
        with st.expander("Ubah masa tayang, durasi, atau akhiri"):
            start, until, seconds = st.columns(3)
            start.datetime_input(
                "Mulai (WIB)",
                value=view.wib_input(item.valid_from),
                key=f"vt_from_{seen.key}",
                format="DD/MM/YYYY",
                step=STEP,
            )
            until.datetime_input(
                "Berakhir (WIB, kosong: tanpa batas)",
                value=view.wib_input(item.valid_until),
                key=f"vt_until_{seen.key}",
                format="DD/MM/YYYY",
                step=STEP,
            )
            seconds.number_input(
                "Durasi (detik)",
                min_value=1,
                max_value=playlist.MAX_SECONDS,
                value=item.seconds,
                step=1,
                key=f"vt_seconds_{seen.key}",
            )
            st.button(
                "Simpan jadwal",
                key=f"vt_save_{item.slide_id}",
                on_click=_save,
                args=(actor, seen),
            )
            if not ended:
                st.text_input("Alasan mengakhiri (dicatat)", key=f"vt_end_reason_{seen.key}")
                st.button(
                    "Akhiri slide sekarang",
                    key=f"vt_end_{item.slide_id}",
                    icon=":material/stop_circle:",
                    on_click=_end,
                    args=(actor, seen),
                )


def todays_playlist(actor: Actor, shown: view.Shown, selected: ScreenStatus) -> None:
    schedule = shown.schedule
    assert schedule is not None
    st.subheader(f"Playlist hari ini · {formats.day(schedule.day)}")
    if shown.holding:
        state = "pesan darurat mengambil alih layar"
    elif selected.open_now:
        state = f"di dalam jam operasi, {selected.playing} slide tayang"
    else:
        state = "di luar jam operasi"
    change = (
        f"berubah berikutnya {format_wib(shown.next_change)}"
        if shown.next_change
        else "tidak ada perubahan terjadwal"
    )
    st.caption(f"Sekarang {state}; {change}.")
    if not schedule.entries:
        st.info("Belum ada slide yang berlaku hari ini di layar ini.")
        return
    order = [entry.item.slide_id for entry in schedule.entries]
    for index, entry in enumerate(schedule.entries):
        slide_card(actor, entry, index=index, order=order, shown=shown, selected=selected)


def screen_hours(actor: Actor, selected: ScreenStatus) -> None:
    screen = selected.screen
    seen = view.ScheduleSeen.of(screen)
    form, key = view.form_of(screen), seen.key
    st.subheader("Jam operasi dan slide bawaan")
    st.caption(
        f"Jam operasi {view.hours_label(screen)}. Di luar jam operasi dan saat tidak ada slide "
        "yang berlaku, layar menampilkan slide bawaan (logo kota, tanggal dan jam) atau gelap."
    )
    with st.expander("Ubah jam operasi, hari tutup dan slide bawaan", icon=":material/schedule:"):
        st.text_input(
            "Jam operasi setiap hari (mis. 06:00-22:00; kosongkan bila selalu menyala)",
            value=form.everyday,
            key=f"vt_hours_{key}",
        )
        st.caption("Jam per hari (kosong: sama dengan setiap hari; tulis 06:00-22:00, atau tutup).")
        for row in (range(4), range(4, 7)):
            for day, column in zip(row, st.columns(4), strict=False):
                column.text_input(
                    WEEKDAY_LABELS[day],
                    value=form.weekdays.get(str(day), ""),
                    key=f"vt_day{day}_{key}",
                )
        st.checkbox(
            "Jam operasi melewati tengah malam (mis. 18:00-02:00 tutup keesokan harinya)",
            value=form.overnight,
            key=f"vt_overnight_{key}",
        )
        st.text_area(
            "Hari tutup, satu per baris (mis. 25-12-2026 hari libur; alasan: "
            + ", ".join(playlist.CLOSURE_REASONS.values())
            + ")",
            value=form.closures,
            key=f"vt_closed_{key}",
            height=100,
        )
        st.radio(
            "Di luar jam operasi",
            options=list(OUTSIDE_HOURS),
            index=0 if form.default_outside_hours else 1,
            format_func=lambda choice: OUTSIDE_HOURS[bool(choice)],
            key=f"vt_outside_{key}",
            horizontal=True,
        )
        st.text_input(
            "Teks slide bawaan (kosongkan untuk nama layar)",
            value=form.default_text,
            key=f"vt_default_text_{key}",
        )
        st.button(
            "Simpan jadwal layar",
            key=f"vt_hours_save_{screen.id}",
            type="primary",
            on_click=_save_hours,
            args=(actor, seen),
        )


def player_keys(actor: Actor, shown: view.Shown, screen_id: int) -> None:
    st.subheader("Kunci pemutar")
    st.caption(
        "Hanya pemutar yang memegang kunci layar ini yang boleh melapor tayang. Berikan kunci "
        "kepada peluncur di PC layar (siaran player --key-file …)."
    )
    issued = st.session_state.pop(NEW_KEY, None)  # shown on this run only, like a password
    if isinstance(issued, tuple) and issued[0] == screen_id:
        st.success(
            f"Kunci pemutar #{issued[1]} dibuat. Salin dan simpan sekarang: kunci ini tidak "
            "akan ditampilkan lagi.",
            icon=":material/key:",
        )
        st.code(issued[2], language=None)
    if shown.keys:
        st.dataframe(view.key_rows(shown.keys), hide_index=True)
    else:
        st.info("Layar ini belum punya kunci pemutar.")
    label, issue = st.columns([3, 2], vertical_alignment="bottom")
    label.text_input("Label kunci baru (PC mana yang memegangnya)", key=f"vt_key_label_{screen_id}")
    issue.button(
        "Buat kunci pemutar",
        key=f"vt_key_issue_{screen_id}",
        icon=":material/key:",
        on_click=_issue_key,
        args=(actor, screen_id),
    )
    in_force = {k.id: k for k in shown.keys if k.revoked_at is None}
    if not in_force:
        return
    pick, revoke = st.columns([3, 2], vertical_alignment="bottom")
    pick.selectbox(
        "Kunci yang dicabut",
        options=list(in_force),
        index=None,
        format_func=lambda key_id: f"{in_force[key_id].short_id} {in_force[key_id].label}".strip(),
        key=f"vt_revoke_pick_{screen_id}",
    )
    revoke.button(
        "Cabut kunci",
        key=f"vt_revoke_{screen_id}",
        icon=":material/key_off:",
        on_click=ask_first,
        args=(f"vt_revoke_{screen_id}",),
    )
    confirmation(
        f"vt_revoke_{screen_id}",
        "Pemutar yang memakai kunci ini ditolak mulai sekarang; layar di jalan bisa berhenti "
        "melapor sampai diberi kunci baru.",
        "Ya, cabut kunci",
        _revoke_key,
        (actor, screen_id),
    )


def players(shown: view.Shown, slug: str) -> None:
    st.subheader("Pemutar")
    url = view.player_url(resources.settings(), slug)
    st.caption("Halaman pemutar layar ini (buka layar penuh di PC pengendali):")
    st.code(url, language=None)
    st.link_button("Buka halaman pemutar", url, icon=":material/open_in_new:")
    if not shown.players:
        st.info("Belum ada pemutar yang melapor untuk layar ini.")
        return
    offline = sum(1 for p in shown.players if not p.online)
    if offline:
        minutes = playlist.minutes_label(shown.silent_after)
        # Red: a silent player may be a dark screen on the street.
        st.error(f"{offline} pemutar tidak melapor lebih dari {minutes} menit.", icon="🔴")
    data_table(view.player_rows(shown.players), hide_index=True)


def _plays_table(rows: tuple[SlidePlays, ...], empty: str) -> None:
    if rows:
        data_table(view.play_rows(rows), hide_index=True)
    else:
        st.caption(empty)


def plays(shown: view.Shown) -> None:
    st.subheader("Bukti tayang per slide")
    since = formats.day(shown.week_since)
    today, week = st.tabs(["Hari ini", f"7 hari terakhir (sejak {since})"])
    with today:
        _plays_table(shown.plays_today, "Belum ada laporan tayang hari ini.")
    with week:
        _plays_table(shown.plays_week, "Belum ada laporan tayang dalam 7 hari terakhir.")


def history(shown: view.Shown) -> None:
    if not shown.history:
        return
    with st.expander(f"Riwayat penayangan darurat ({len(shown.history)} terakhir)"):
        data_table(view.history_rows(shown.history), hide_index=True)


def main() -> None:
    actor = auth.require_page(Action.MANAGE_VIDEOTRON)
    st.title("Videotron")
    after = playlist.silent_after(resources.settings())
    wanted = st.session_state.get(SCREEN_KEY)
    shown = read(lambda s: view.load(s, wanted, actor=actor, silent_after=after))
    selected = shown.selected
    if selected is None:
        st.info("Belum ada layar videotron; administrator sistem menambahkannya.")
        return
    screens_table(shown)
    pick_screen(shown, selected)
    emergency(actor, shown, selected.screen.id)
    todays_playlist(actor, shown, selected)
    players(shown, selected.screen.slug)
    screen_hours(actor, selected)
    player_keys(actor, shown, selected.screen.id)
    plays(shown)
    history(shown)


main()
