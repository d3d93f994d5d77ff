"""Videotron: screens, today's playlist (reorder, window and seconds, ending a slide), the
emergency override (informasi serta-merta) pushed and lifted, and what the players report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content import playlist
from content.infra.config import Settings
from content.infra.errors import AuthenticationFailed
from content.infra.timeutil import WIB, as_utc, format_wib, utcnow
from content.models import AuditEvent, Channel, PostStatus, Role, Slide, TargetStatus
from content.models.videotron import ScreenOverride
from content.org import screens, users
from content.org.actors import SYSTEM, Actor
from content.playlist import ORDER_CHANGED
from content.playlist import SLIDE_CHANGED as CHANGED
from dashboard import navigation
from dashboard.auth import AUTH_KEY, REFUSED, SignedIn
from dashboard.ui import md
from publishers.videotron import MemoryRenderCache, publish_slide
from tests.dashboard.conftest import APP, TIMEOUT, AppWorld
from tests.dashboard.helpers import messages, visible_text
from tests.world import World, jpeg

SignIn = Callable[[Actor | str], AppTest]
W = TypeVar("W")
SCRIPT = "<script>alert('x')</script> Banjir di Jalan Ahmad Yani"
LONG = (
    "Banjir setinggi lutut di Jalan Ahmad Yani dan Jalan Juanda, hindari kawasan Bekasi Timur "
    "sampai sore ini"
)


def page(at: AppTest) -> AppTest:
    at.switch_page(navigation.VIDEOTRON.path).run()
    assert not at.exception, at.exception
    return at


def keyed(widgets: Iterable[W], prefix: str) -> W:
    """The one widget whose key starts with `prefix` (slide inputs carry a fingerprint)."""
    found = [w for w in widgets if str(getattr(w, "key", "") or "").startswith(prefix)]
    assert len(found) == 1, f"{len(found)} widgets keyed {prefix!r}"
    return found[0]


def published_slide(world: World, settings: Settings) -> int:
    """What the worker does for a videotron target: render, record, mark published."""
    post = world.post_in(PostStatus.APPROVED)
    target = next(t for t in post.targets if t.channel is Channel.VIDEOTRON)
    slide = publish_slide(
        world.session,
        target,
        world.store,
        settings,
        cache=MemoryRenderCache(),
        valid_from=utcnow() - timedelta(seconds=5),
    )
    target.status, target.published_at = TargetStatus.PUBLISHED, utcnow()
    world.session.flush()
    return slide.id


def publish(app_world: AppWorld) -> int:
    slide_id = app_world.run(lambda w: published_slide(w, app_world.settings))
    assert isinstance(slide_id, int)
    return slide_id


def audited(app_world: AppWorld, action: str) -> list[tuple[str, str]]:
    """(who, reason) of each audit event of this action, oldest first."""
    with app_world.session() as session:
        rows = session.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).scalars()
        return [(e.actor_label, e.reason) for e in rows]


def slide(app_world: AppWorld, slide_id: int) -> Slide:
    with app_world.session() as session:
        found = session.get(Slide, slide_id)
        assert found is not None
        return found


def order(app_world: AppWorld) -> list[int]:
    with app_world.session() as session:
        schedule = playlist.day_schedule(session, app_world.world.screen_id)
        return [e.item.slide_id for e in schedule.entries]


def wib(moment: datetime) -> datetime:
    """A time as a person types it into the page's pickers: naive WIB, to the minute."""
    return moment.astimezone(WIB).replace(tzinfo=None, second=0, microsecond=0)


def test_the_page_shows_the_screens_and_todays_playlist(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    slide_id = publish(app_world)
    at = page(sign_in(app_world.world.utama))
    assert at.title[0].value == "Videotron"
    text = visible_text(at)
    for shown in ("Videotron Bekasi Timur", "1408×400 px", "24 jam", "Tayang · 1 slide"):
        assert shown in text
    assert f"**1. {'Posyandu serentak pekan ini'}**" in messages(at, "markdown")
    captions = messages(at, "caption")
    assert any("Konten #" in c and "10 detik" in c and "WIB" in c for c in captions)
    assert any("tayang sekarang" in c for c in captions)
    assert any("berubah berikutnya" in c for c in captions)  # the slide's end, in WIB
    assert len(at.image) >= 1  # the thumbnail, read from the content store
    assert not at.image[0].value[0].startswith("http")  # the bytes, served by Streamlit
    assert [c.value for c in at.code] == ["http://127.0.0.1:8600/screens/bekasi-timur/player"]
    assert at.button(key=f"vt_up_{slide_id}").disabled  # the only slide cannot move
    assert "Belum ada pemutar yang melapor untuk layar ini." in messages(at, "info")
    # A dashboard on another machine, without the image: the thumbnail comes from the feed.
    sha256 = slide(app_world, slide_id).sha256
    app_world.world.store.path(sha256, "jpg").unlink()
    at.run()
    feed = f"http://127.0.0.1:8600/slides/{sha256}.jpg"
    assert feed in [url for image in at.image for url in image.value]


def test_reorder_change_the_window_and_end_a_slide_each_audited(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    first, second = publish(app_world), publish(app_world)
    assert order(app_world) == [first, second]
    at = page(sign_in(app_world.world.utama))
    at.button(key=f"vt_down_{first}").click().run()
    assert "Urutan playlist disimpan." in messages(at, "success")
    assert order(app_world) == [second, first]
    assert audited(app_world, "videotron.slides_reordered") == [("utama", "")]

    # Window and seconds, typed in WIB; the start, left as shown, keeps its seconds.
    started = slide(app_world, second).valid_from
    until = wib(utcnow() + timedelta(days=2))
    keyed(at.datetime_input, f"vt_until_{second}_").set_value(until)
    keyed(at.number_input, f"vt_seconds_{second}_").set_value(20)
    at.button(key=f"vt_save_{second}").click().run()
    assert "Jadwal slide disimpan." in messages(at, "success"), messages(at, "error")
    changed = slide(app_world, second)
    assert changed.seconds == 20 and changed.valid_until == as_utc(until)
    assert changed.valid_from == started
    assert audited(app_world, "videotron.slide_scheduled") == [("utama", "")]
    assert any("20 detik" in c for c in messages(at, "caption"))

    # A window that ends before it starts: the service's sentence, nothing stored.
    keyed(at.datetime_input, f"vt_until_{second}_").set_value(until - timedelta(days=3))
    at.button(key=f"vt_save_{second}").click().run()
    assert messages(at, "error") == ["Akhir masa tayang harus sesudah awalnya."]
    assert slide(app_world, second).valid_until == as_utc(until)

    # End the first slide, with a reason.
    keyed(at.text_input, f"vt_end_reason_{first}_").input("Acara sudah selesai")
    at.button(key=f"vt_end_{first}").click().run()
    assert "Slide diakhiri: mulai sekarang tidak tayang lagi." in messages(at, "success")
    ended = slide(app_world, first)
    assert ended.valid_until is not None and ended.valid_until <= utcnow()
    assert audited(app_world, "videotron.slide_ended") == [("utama", "Acara sudah selesai")]
    assert any("sudah berakhir" in c for c in messages(at, "caption"))
    assert all(b.key != f"vt_end_{first}" for b in at.button)
    with app_world.session() as session:
        live = playlist.playlist_at(session, app_world.world.screen_id)
        assert [i.slide_id for i in live.items] == [second]


def test_someone_elses_change_is_a_conflict_in_one_sentence(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    first, second = publish(app_world), publish(app_world)
    at = page(sign_in(app_world.world.utama))

    def other_person(w: World) -> None:
        playlist.set_slide_schedule(
            w.session, w.utama2, first, valid_from=utcnow(), valid_until=None, seconds=30
        )
        playlist.reorder_slides(w.session, w.utama2, w.screen_id, [second, first])

    app_world.run(other_person)
    keyed(at.number_input, f"vt_seconds_{first}_").set_value(15)
    at.button(key=f"vt_save_{first}").click().run()
    assert messages(at, "error") == [CHANGED]
    assert slide(app_world, first).seconds == 30
    # The page now shows their values: the same change goes through.
    keyed(at.number_input, f"vt_seconds_{first}_").set_value(15)
    at.button(key=f"vt_save_{first}").click().run()
    assert slide(app_world, first).seconds == 15

    app_world.run(lambda w: playlist.reorder_slides(w.session, w.utama2, w.screen_id, [first]))
    at.button(key=f"vt_up_{first}").click().run()  # the page still shows [second, first]
    assert messages(at, "error") == [ORDER_CHANGED]
    assert order(app_world) == [first, second]


def test_push_and_lift_an_emergency_message(app_world: AppWorld, sign_in: SignIn) -> None:
    publish(app_world)
    sid = app_world.world.screen_id
    at = page(sign_in(app_world.world.utama))
    at.text_input(key=f"vt_em_headline_{sid}").input(SCRIPT)
    at.text_area(key=f"vt_em_reason_{sid}").input("Informasi serta-merta: banjir <b>besar</b>")
    at.button(key=f"vt_em_push_{sid}").click().run()
    at.button(key=f"vt_em_push_{sid}_yes").click().run()
    assert "Pesan darurat tayang di layar sekarang." in messages(at, "success"), messages(
        at, "error"
    )
    # Shown prominently, as text: the markup is escaped everywhere it is drawn.
    alerts = [e for e in messages(at, "error") if "PENAYANGAN DARURAT AKTIF" in e]
    assert len(alerts) == 1 and SCRIPT in alerts[0] and "<b>besar</b>" in alerts[0]
    assert any(SCRIPT in e and "Videotron Bekasi Timur" in e for e in messages(at, "error"))
    for element in (*at.markdown, *at.caption, *at.error, *at.success, *at.info):
        assert "<script>" not in str(element.value).replace(md("<script>"), "")
    assert "DARURAT: informasi serta-merta" in visible_text(at)
    assert at.text_input(key=f"vt_em_headline_{sid}").value == ""  # the form is cleared
    with app_world.session() as session:
        (override,) = session.scalars(select(ScreenOverride)).all()
        assert override.headline == SCRIPT and override.ends_at is None
        current = playlist.playlist_at(session, sid)
        assert current.override_active and [i.is_override for i in current.items] == [True]
    assert [who for who, _ in audited(app_world, "videotron.override_pushed")] == ["utama"]

    at.text_input(key=f"vt_lift_reason_{override.id}").input("Air sudah surut")
    at.button(key=f"vt_lift_{override.id}").click().run()
    assert "Penayangan darurat dicabut; playlist biasa tayang lagi." in messages(at, "success")
    assert not any("PENAYANGAN DARURAT AKTIF" in e for e in messages(at, "error"))
    assert "Tayang · 1 slide" in visible_text(at)
    assert audited(app_world, "videotron.override_lifted") == [("utama", "Air sudah surut")]
    with app_world.session() as session:
        lifted = session.get(ScreenOverride, override.id)
        assert lifted is not None and lifted.lifted_at is not None
        assert not playlist.playlist_at(session, sid).override_active
    assert "Riwayat penayangan darurat (1 terakhir)" in visible_text(at)


def test_an_emergency_with_a_photo_and_an_end_time_in_wib(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    sid = app_world.world.screen_id
    at = page(sign_in(app_world.world.utama))
    ends = wib(utcnow() + timedelta(hours=2))
    at.text_input(key=f"vt_em_headline_{sid}").input("Jalan Ahmad Yani ditutup")
    at.text_area(key=f"vt_em_reason_{sid}").input("Pohon tumbang")
    at.datetime_input(key=f"vt_em_until_{sid}").set_value(ends)
    at.file_uploader(key=f"vt_em_photo_{sid}_0").set_value(
        ("pohon.jpg", jpeg((640, 480), "darkgreen"), "image/jpeg")
    )
    at.button(key=f"vt_em_push_{sid}").click().run()
    at.button(key=f"vt_em_push_{sid}_yes").click().run()
    assert "Pesan darurat tayang di layar sekarang." in messages(at, "success"), messages(
        at, "error"
    )
    alert = next(e for e in messages(at, "error") if "PENAYANGAN DARURAT AKTIF" in e)
    assert f"berakhir otomatis {format_wib(ends)}" in alert
    with app_world.session() as session:
        (override,) = session.scalars(select(ScreenOverride)).all()
        assert override.ends_at == as_utc(ends)
    assert all(u.key != f"vt_em_photo_{sid}_0" for u in at.file_uploader)  # a fresh uploader


def _small_wall(world: World) -> int:
    screen = screens.add_screen(
        world.session,
        SYSTEM,
        slug="alun-alun",
        name="Videotron Alun-alun",
        size="288x176",
        location="Alun-alun *Kota* Bekasi",
        hours="06:00-22:00",
        viewing_distance_m=7.0,
    )
    return screen.id


def test_a_headline_that_cannot_fit_is_refused_in_one_sentence(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    small = app_world.run(_small_wall)
    assert isinstance(small, int)
    at = page(sign_in(app_world.world.utama))
    assert "06:00–22:00 WIB" in visible_text(at)
    at.selectbox(key="vt_screen").set_value(small).run()
    assert any("Alun-alun *Kota* Bekasi" in c for c in messages(at, "caption"))
    assert "Belum ada slide yang berlaku hari ini di layar ini." in messages(at, "info")
    at.text_input(key=f"vt_em_headline_{small}").input(LONG)
    at.text_area(key=f"vt_em_reason_{small}").input("Banjir")
    at.button(key=f"vt_em_push_{small}").click().run()
    at.button(key=f"vt_em_push_{small}_yes").click().run()
    (error,) = messages(at, "error")  # the renderer's one sentence, escaped
    assert error.startswith("Judul terlalu panjang untuk layar 288×176: pada ukuran terkecil")
    assert error.endswith("judul tidak muat. Persingkat judulnya.")
    assert at.text_input(key=f"vt_em_headline_{small}").value == LONG  # kept, to shorten
    with app_world.session() as session:
        assert session.scalars(select(ScreenOverride)).all() == []
    # Shortened, it goes out; the other screen is left alone.
    at.text_input(key=f"vt_em_headline_{small}").input("Banjir: hindari Jalan Ahmad Yani")
    at.button(key=f"vt_em_push_{small}").click().run()
    at.button(key=f"vt_em_push_{small}_yes").click().run()
    assert "Pesan darurat tayang di layar sekarang." in messages(at, "success")
    with app_world.session() as session:
        assert playlist.playlist_at(session, small).override_active
        assert not playlist.playlist_at(session, app_world.world.screen_id).override_active


def _players(world: World, slide_id: int) -> None:
    shown = world.session.get(Slide, slide_id)
    assert shown is not None
    sha = shown.sha256
    now = utcnow()
    # The slide has been on screen for days: plays before it existed would be refused.
    shown.valid_from = now - timedelta(days=3)
    playlist.record_heartbeat(
        world.session,
        world.screen_id,
        playlist.HeartbeatInput("pc-timur", now + timedelta(seconds=3), current_sha256=sha),
        received_at=now,
    )
    playlist.record_heartbeat(
        world.session,
        world.screen_id,
        playlist.HeartbeatInput("pc-cadangan", now - timedelta(minutes=10)),
        received_at=now - timedelta(minutes=10),
    )
    plays = [
        playlist.PlayInput(f"evt-hari-ini-{n}", sha, now - timedelta(minutes=n + 1), 10.0)
        for n in range(3)
    ] + [playlist.PlayInput("evt-kemarin-1", sha, now - timedelta(days=2), 10.0)]
    playlist.record_plays(world.session, world.screen_id, "pc-timur", plays, received_at=now)


def test_players_and_proof_of_play(app_world: AppWorld, sign_in: SignIn) -> None:
    slide_id = publish(app_world)
    app_world.run(lambda w: _players(w, slide_id))
    at = page(sign_in(app_world.world.utama))
    players, today, week = (t.value for t in at.dataframe[1:4])
    rows = {r["Pemutar"]: r for r in players.to_dict("records")}
    assert rows["pc-timur"]["Status"] == "terhubung"
    assert rows["pc-timur"]["Selisih jam"] == "+3.0 dtk (lebih cepat)"
    assert rows["pc-timur"]["Slide sekarang"] == "Posyandu serentak pekan ini"
    assert rows["pc-cadangan"]["Status"] == "terputus"
    assert "1 pemutar tidak melapor lebih dari 2 menit." in messages(at, "error")
    today_rows: list[dict[str, Any]] = today.to_dict("records")
    week_rows: list[dict[str, Any]] = week.to_dict("records")
    assert [(r["Slide"], r["Tayang (kali)"]) for r in today_rows] == [
        ("Posyandu serentak pekan ini", 3)
    ]
    assert [r["Tayang (kali)"] for r in week_rows] == [4]
    screens_row = at.dataframe[0].value.to_dict("records")[0]
    assert screens_row["Pemutar"] == "1 dari 2 terhubung" and screens_row["Tayang hari ini"] == 3


def test_other_roles_are_refused_and_a_role_taken_away_stops_the_push(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    world = app_world.world
    for actor in (world.pembantu, world.analyst, world.sysadmin):
        assert navigation.VIDEOTRON not in navigation.pages_for(actor)
        direct = AppTest.from_file(
            str(APP.parent / navigation.VIDEOTRON.path), default_timeout=TIMEOUT
        )
        direct.session_state[AUTH_KEY] = SignedIn(actor, utcnow())
        direct.run()
        assert messages(direct, "error") == [REFUSED]
        assert len(direct.title) == len(direct.button) == len(direct.dataframe) == 0
    at = page(sign_in(world.utama))
    sid = world.screen_id
    at.text_input(key=f"vt_em_headline_{sid}").input("Banjir di Bekasi Timur")
    at.text_area(key=f"vt_em_reason_{sid}").input("Banjir")
    at.button(key=f"vt_em_push_{sid}").click().run()
    # Taken away while the question "Ya, tayangkan sekarang?" is on screen.
    app_world.run(lambda w: users.set_role(w.session, SYSTEM, "utama", Role.ANALYST, opd_slug=None))
    at.button(key=f"vt_em_push_{sid}_yes").click().run()
    # The service refused in its own sentence; the menu no longer has the page.
    assert messages(at, "error") == ["Peran Anda tidak berhak mengelola playlist videotron."]
    assert [t.value for t in at.title] == [navigation.CALENDAR.title]
    with app_world.session() as session:
        assert session.scalars(select(ScreenOverride)).all() == []
    assert not [b for b in at.button if str(b.key or "").startswith("vt_")]


# --- the screen's hours, closures and default slide; its player keys (issue #17) ----------------


def screen_schedule(app_world: AppWorld) -> dict[str, Any]:
    from content.models import Screen
    from content.playlist.screen_hours import snapshot

    with app_world.session() as session:
        screen = session.get(Screen, app_world.world.screen_id)
        assert screen is not None
        return snapshot(screen)


def fill_schedule(at: AppTest, **typed: Any) -> AppTest:
    """Type into the schedule form (keys carry the schedule's fingerprint) and save it."""
    for name, value in typed.items():
        prefix = {"everyday": "vt_hours_", "closures": "vt_closed_", "text": "vt_default_text_"}
        if name.startswith("day"):
            keyed(at.text_input, f"vt_{name}_").input(value)
        elif name == "closures":
            keyed(at.text_area, prefix[name]).input(value)
        elif name == "overnight":
            keyed(at.checkbox, "vt_overnight_").set_value(bool(value))
        elif name == "outside":
            keyed(at.radio, "vt_outside_").set_value(value)
        else:
            keyed(at.text_input, prefix[name]).input(value)
    at.button(key=f"vt_hours_save_{at.session_state['vt_screen']}").click().run()
    assert not at.exception, at.exception
    return at


def test_ppid_utama_sets_the_hours_closures_and_default_slide_from_the_page(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    at = page(sign_in(app_world.world.utama))
    assert "24 jam" in visible_text(at)  # no hours yet: always on
    fill_schedule(
        at,
        everyday="06:00-22:00",
        day5="07.00-21.00",
        day6="tutup",
        closures="25-12-2099 hari libur\n2099-08-17 acara",
        outside=False,
        text="Selamat datang di Bekasi Timur",
    )
    assert messages(at, "error") == []
    assert "Jadwal layar disimpan; pemutar menerimanya di daftar putar berikutnya." in messages(
        at, "success"
    )
    assert screen_schedule(app_world) == {
        "opens_at": "06:00",
        "closes_at": "22:00",
        "weekly_hours": {"5": ["07:00", "21:00"], "6": None},
        "closures": [
            {"day": "2099-12-25", "reason": "holiday"},
            {"day": "2099-08-17", "reason": "event"},
        ],
        "default_outside_hours": False,
        "default_text": "Selamat datang di Bekasi Timur",
    }
    assert [who for who, _reason in audited(app_world, "videotron.screen_schedule_set")] == [
        "utama"
    ]
    # The form shows what is stored now (fresh inputs), in the page's own words.
    assert keyed(at.text_input, "vt_hours_").value == "06:00-22:00"
    assert keyed(at.text_input, "vt_day6_").value == "tutup"
    assert keyed(at.text_area, "vt_closed_").value == "25-12-2099 hari libur\n17-08-2099 acara"
    assert "06:00–22:00 WIB" in visible_text(at)
    # Hours that cross midnight are said so on purpose.
    fill_schedule(at, everyday="18:00-02:00", overnight=True)
    assert messages(at, "error") == []
    assert screen_schedule(app_world)["closes_at"] == "02:00"


def test_bad_hours_and_past_closures_are_one_sentence_and_nothing_is_written(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    at = page(sign_in(app_world.world.utama))
    before = screen_schedule(app_world)
    cases = {
        "Jam '25:00' tidak dikenali; tulis seperti 06:00 atau 22:00.": {"everyday": "06:00-25:00"},
        "Jam tutup 06:00 harus setelah jam buka 22:00; centang “melewati tengah malam” bila "
        "layar memang menyala sampai lewat tengah malam.": {"everyday": "22:00-06:00"},
        "Tanggal tutup 01-01-2020 sudah lewat; isi hari ini atau sesudahnya.": {
            "everyday": "06:00-22:00",
            "closures": "01-01-2020 hari libur",
        },
        "Tanggal '31-02-2099' tidak dikenali; tulis seperti 25-12-2026.": {
            "closures": "31-02-2099"
        },
        "Jam operasi 'pagi' tidak dikenali; tulis seperti 06:00-22:00 atau tutup.": {
            "day0": "pagi"
        },
    }
    for sentence, typed in cases.items():
        at = page(sign_in(app_world.world.utama))
        fill_schedule(at, **typed)
        assert messages(at, "error") == [sentence], typed
        assert not at.success
        assert screen_schedule(app_world) == before  # nothing half-written
    assert audited(app_world, "videotron.screen_schedule_set") == []


def test_someone_elses_schedule_change_is_a_conflict(app_world: AppWorld, sign_in: SignIn) -> None:
    from datetime import time as clock

    at = page(sign_in(app_world.world.utama))
    app_world.run(
        lambda w: playlist.set_screen_schedule(
            w.session, w.utama2, w.screen_id, everyday=(clock(5), clock(23))
        )
    )
    fill_schedule(at, everyday="06:00-22:00")
    assert messages(at, "error") == [playlist.screen_hours.SCHEDULE_CHANGED]
    assert screen_schedule(app_world)["opens_at"] == "05:00"


def test_a_new_player_key_is_shown_once_and_a_revoked_key_is_listed_by_its_short_id(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    sid = app_world.world.screen_id
    at = page(sign_in(app_world.world.utama))
    assert "Layar ini belum punya kunci pemutar." in messages(at, "info")
    at.text_input(key=f"vt_key_label_{sid}").input("PC LED Bekasi Timur")
    at.button(key=f"vt_key_issue_{sid}").click().run()
    (shown,) = [c.value for c in at.code if c.value.startswith("spk_")]
    assert any("tidak akan ditampilkan lagi" in m for m in messages(at, "success"))
    with app_world.session() as session:
        assert playlist.require_player_key(session, sid, shown).id == sid
        (info,) = playlist.player_keys(session, app_world.world.utama, sid)
    keys_table = next(t.value for t in at.dataframe if "Kunci" in t.value.columns)
    assert keys_table.to_dict("records")[0]["Status"] == "berlaku"
    assert keys_table.to_dict("records")[0]["Label"] == "PC LED Bekasi Timur"
    assert shown not in keys_table.to_string()
    # Never again: not on the next run, not after coming back to the page.
    at.run()
    assert shown not in visible_text(at)
    at = page(at)
    assert shown not in visible_text(at)

    at.selectbox(key=f"vt_revoke_pick_{sid}").select(info.id).run()
    at.button(key=f"vt_revoke_{sid}").click().run()
    at.button(key=f"vt_revoke_{sid}_yes").click().run()
    assert f"Kunci pemutar #{info.id} dicabut; pemutar yang memakainya ditolak mulai sekarang." in (
        messages(at, "success")
    )
    keys_table = next(t.value for t in at.dataframe if "Kunci" in t.value.columns)
    row = keys_table.to_dict("records")[0]
    assert row["Kunci"] == info.short_id == f"#{info.id} · {info.fingerprint}"
    assert row["Status"].startswith("dicabut ")
    assert len(audited(app_world, "videotron.player_key_issued")) == 1
    assert len(audited(app_world, "videotron.player_key_revoked")) == 1
    with app_world.session() as session, pytest.raises(AuthenticationFailed):
        playlist.require_player_key(session, sid, shown)


def test_the_offline_limit_is_the_installations_setting(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    slide_id = publish(app_world)
    app_world.run(lambda w: _players(w, slide_id))  # pc-cadangan: silent for 10 minutes
    (app_world.settings.data_dir / "siaran.toml").write_text(
        "[videotron]\nplayer_silent_minutes = 15\n", encoding="utf-8"
    )
    at = page(sign_in(app_world.world.utama))
    rows = {r["Pemutar"]: r for r in at.dataframe[1].value.to_dict("records")}
    assert rows["pc-cadangan"]["Status"] == "terhubung"  # 10 minutes is within 15
    assert not [m for m in messages(at, "error") if "tidak melapor" in m]
    (app_world.settings.data_dir / "siaran.toml").write_text(
        "[videotron]\nplayer_silent_minutes = 5\n", encoding="utf-8"
    )
    at.run()
    assert "1 pemutar tidak melapor lebih dari 5 menit." in messages(at, "error")
