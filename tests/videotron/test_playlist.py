"""Playlists, overrides, proof of play and heartbeats, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from content import playlist
from content.infra.errors import InvalidTransition, PermissionDenied, ValidationFailed
from content.infra.store import sha256_hex
from content.infra.timeutil import WIB
from content.models import (
    AuditEvent,
    PlayEvent,
    Post,
    PostStatus,
    PostTarget,
    Screen,
    Slide,
    TargetStatus,
)
from tests.videotron.helpers import WORKER, approved_post, photo_jpeg, videotron_target
from tests.world import World

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 WIB
HOUR = timedelta(hours=1)


def _sha(text: str) -> str:
    return sha256_hex(text.encode())


def slide_for(
    world: World,
    headline: str,
    *,
    start: datetime = NOW - HOUR,
    end: datetime | None = None,
    seconds: int = 10,
    published: bool = True,
) -> Slide:
    post = approved_post(world, headline)
    target = videotron_target(post)
    slide = playlist.record_slide(
        world.session,
        WORKER,
        target,
        sha256=_sha(headline),
        mime="image/jpeg",
        headline=headline,
        valid_from=start,
        valid_until=end,
        seconds=seconds,
    )
    if published:
        target.status = TargetStatus.PUBLISHED
    world.session.flush()
    return slide


def _shas(result: playlist.Playlist) -> list[str]:
    return [item.sha256 for item in result.items]


def _actions(world: World, action: str) -> int:
    return (
        world.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )
        or 0
    )


def test_only_published_videotron_targets_play(world: World) -> None:
    shown = slide_for(world, "Posyandu serentak")
    waiting = slide_for(world, "Belum terbit", published=False)
    result = playlist.playlist_at(world.session, "bekasi-timur", NOW)
    assert _shas(result) == [shown.sha256]
    assert waiting.sha256 not in _shas(result)
    item = result.items[0]
    assert item.headline == "Posyandu serentak" and item.opd_name == "Dinas Kesehatan"
    assert item.path == f"/slides/{shown.sha256}.jpg"
    assert _actions(world, "videotron.slide_recorded") == 2


def test_validity_windows_and_the_next_change(world: World) -> None:
    now_slide = slide_for(world, "Sekarang", start=NOW - HOUR, end=NOW + HOUR)
    later = slide_for(world, "Nanti", start=NOW + 2 * HOUR)
    slide_for(world, "Kemarin", start=NOW - 3 * HOUR, end=NOW - 2 * HOUR)
    at_now = playlist.playlist_at(world.session, world.screen_id, NOW)
    assert _shas(at_now) == [now_slide.sha256]
    assert at_now.next_change == NOW + HOUR
    between = playlist.playlist_at(world.session, world.screen_id, NOW + 90 * timedelta(minutes=1))
    assert between.items == () and between.next_change == NOW + 2 * HOUR
    after = playlist.playlist_at(world.session, world.screen_id, NOW + 2 * HOUR)
    assert _shas(after) == [later.sha256] and after.next_change is None
    # The window's ends are exact: from is included, until is not.
    assert _shas(playlist.playlist_at(world.session, world.screen_id, NOW + HOUR)) == []


def test_order_follows_positions_and_ppid_utama_reorders(world: World) -> None:
    first, second, third = (slide_for(world, name) for name in ("Satu", "Dua", "Tiga"))
    assert _shas(playlist.playlist_at(world.session, world.screen_id, NOW)) == [
        first.sha256,
        second.sha256,
        third.sha256,
    ]
    with pytest.raises(PermissionDenied):
        playlist.reorder_slides(world.session, world.pembantu, world.screen_id, [third.id])
    playlist.reorder_slides(world.session, world.utama, world.screen_id, [third.id, first.id])
    assert _shas(playlist.playlist_at(world.session, world.screen_id, NOW)) == [
        third.sha256,
        first.sha256,
        second.sha256,
    ]
    assert _actions(world, "videotron.slides_reordered") == 1


def test_schedule_and_end_a_slide(world: World) -> None:
    slide = slide_for(world, "Jadwal")
    with pytest.raises(PermissionDenied):
        playlist.set_slide_schedule(
            world.session, world.analyst, slide.id, valid_from=NOW, valid_until=None
        )
    with pytest.raises(ValidationFailed):
        playlist.set_slide_schedule(
            world.session, world.utama, slide.id, valid_from=NOW, valid_until=NOW - HOUR
        )
    playlist.set_slide_schedule(
        world.session, world.utama, slide.id, valid_from=NOW + HOUR, valid_until=None, seconds=7
    )
    assert playlist.playlist_at(world.session, world.screen_id, NOW).next_change == NOW + HOUR
    later = playlist.playlist_at(world.session, world.screen_id, NOW + 2 * HOUR)
    assert [i.seconds for i in later.items] == [7]
    playlist.end_slide(
        world.session, world.utama, slide.id, reason="Salah tanggal", now=NOW + 3 * HOUR
    )
    assert playlist.playlist_at(world.session, world.screen_id, NOW + 3 * HOUR).items == ()


def test_operating_hours_in_the_screens_time_zone(world: World) -> None:
    slide = slide_for(world, "Jam operasi", start=NOW - 24 * HOUR)
    screen = world.session.get(Screen, world.screen_id)
    assert screen is not None
    screen.opens_at, screen.closes_at = time(6, 0), time(22, 0)
    world.session.flush()
    at_23_wib = datetime(2026, 11, 24, 23, 0, tzinfo=WIB)
    closed = playlist.playlist_at(world.session, world.screen_id, at_23_wib)
    assert not closed.open_now and closed.items == ()
    assert closed.next_change == datetime(2026, 11, 25, 6, 0, tzinfo=WIB)
    opened = playlist.playlist_at(world.session, world.screen_id, NOW)
    assert opened.open_now and _shas(opened) == [slide.sha256]
    assert opened.next_change == datetime(2026, 11, 24, 22, 0, tzinfo=WIB)
    screen.opens_at, screen.closes_at = time(18, 0), time(2, 0)  # an evening wall
    assert playlist.is_open(screen, datetime(2026, 11, 24, 1, 0, tzinfo=WIB))
    assert not playlist.is_open(screen, datetime(2026, 11, 24, 10, 0, tzinfo=WIB))


def test_override_takes_the_screen_at_once_and_is_lifted_by_hand(world: World) -> None:
    normal = slide_for(world, "Biasa")
    for refused in (world.pembantu, world.analyst, world.sysadmin):
        with pytest.raises(PermissionDenied):
            playlist.push_override(
                world.session,
                refused,
                "bekasi-timur",
                sha256=_sha("darurat"),
                mime="image/png",
                headline="Banjir",
                reason="Banjir di Bekasi Timur",
                now=NOW,
            )
    with pytest.raises(ValidationFailed, match="alasan"):
        playlist.push_override(
            world.session,
            world.utama,
            "bekasi-timur",
            sha256=_sha("x"),
            mime="image/png",
            headline="Banjir",
            reason=" ",
            now=NOW,
        )
    override = playlist.push_override(
        world.session,
        world.utama,
        "bekasi-timur",
        sha256=_sha("darurat"),
        mime="image/png",
        headline="Banjir: hindari Jl. Ahmad Yani",
        reason="Informasi serta-merta: banjir",
        now=NOW,
    )
    held = playlist.playlist_at(world.session, world.screen_id, NOW)
    assert held.override_active and _shas(held) == [_sha("darurat")]
    assert held.items[0].is_override and held.overrides[0].created_by == "Utama"
    assert playlist.is_servable_slide(world.session, _sha("darurat"), "png")
    with pytest.raises(PermissionDenied):
        playlist.lift_override(world.session, world.pembantu, override.id, now=NOW + HOUR)
    playlist.lift_override(world.session, world.utama, override.id, reason="Surut", now=NOW + HOUR)
    back = playlist.playlist_at(world.session, world.screen_id, NOW + HOUR)
    assert not back.override_active and _shas(back) == [normal.sha256]
    assert not playlist.is_servable_slide(world.session, _sha("darurat"), "png")
    with pytest.raises(InvalidTransition):
        playlist.lift_override(world.session, world.utama, override.id, now=NOW + 2 * HOUR)
    assert _actions(world, "videotron.override_pushed") == 1
    assert _actions(world, "videotron.override_lifted") == 1
    history = playlist.overrides(world.session, "bekasi-timur")
    assert history[0].lifted_by == "Utama" and history[0].lift_reason == "Surut"


def test_override_ends_at_its_time_even_outside_operating_hours(world: World) -> None:
    normal = slide_for(world, "Biasa", start=NOW - 24 * HOUR)
    screen = world.session.get(Screen, world.screen_id)
    assert screen is not None
    screen.opens_at, screen.closes_at = time(6, 0), time(7, 0)  # closed at 10:00 WIB
    world.session.flush()
    playlist.push_override(
        world.session,
        world.utama,
        world.screen_id,
        sha256=_sha("darurat"),
        mime="image/png",
        headline="Jalan ditutup",
        reason="Informasi serta-merta",
        ends_at=NOW + HOUR,
        now=NOW,
    )
    during = playlist.playlist_at(world.session, world.screen_id, NOW)
    assert not during.open_now and _shas(during) == [_sha("darurat")]
    assert during.next_change == NOW + HOUR
    ended = playlist.playlist_at(world.session, world.screen_id, NOW + HOUR)
    assert ended.items == () and not ended.override_active
    screen.opens_at = screen.closes_at = None
    assert _shas(playlist.playlist_at(world.session, world.screen_id, NOW + HOUR)) == [
        normal.sha256
    ]


def test_only_approved_content_becomes_a_slide(world: World) -> None:
    draft = world.post_in(PostStatus.DRAFT)
    with pytest.raises(InvalidTransition):
        playlist.record_slide(
            world.session,
            WORKER,
            videotron_target(draft),
            sha256=_sha("d"),
            mime="image/jpeg",
            headline="Draf",
            valid_from=NOW,
        )
    approved = approved_post(world, "Disetujui")
    with pytest.raises(PermissionDenied):
        playlist.record_slide(
            world.session,
            world.pembantu,
            videotron_target(approved),
            sha256=_sha("a"),
            mime="image/jpeg",
            headline="Disetujui",
            valid_from=NOW,
        )
    with pytest.raises(ValidationFailed):
        playlist.record_slide(
            world.session,
            WORKER,
            videotron_target(approved),
            sha256="../etc/passwd",
            mime="image/jpeg",
            headline="Disetujui",
            valid_from=NOW,
        )


def test_a_re_render_replaces_the_image_and_keeps_the_place(world: World) -> None:
    slide = slide_for(world, "Pertama")
    other = slide_for(world, "Kedua")
    owner = world.session.get(Post, other.post_id)
    assert owner is not None
    rerendered = playlist.record_slide(
        world.session,
        WORKER,
        videotron_target(owner),
        sha256=_sha("Kedua v2"),
        mime="image/png",
        headline="Kedua",
        valid_from=NOW,
    )
    assert rerendered.id == other.id and rerendered.position == other.position
    assert _shas(playlist.playlist_at(world.session, world.screen_id, NOW)) == [
        slide.sha256,
        _sha("Kedua v2"),
    ]
    assert _actions(world, "videotron.slide_rerendered") == 1


def test_proof_of_play_is_idempotent_and_clock_corrected(world: World) -> None:
    slide = slide_for(world, "Diputar")
    received = NOW
    behind = timedelta(minutes=30)  # the player's clock is half an hour slow
    events = [
        playlist.PlayInput(
            f"evt-{i:04d}-abcdef", slide.sha256, NOW - behind - timedelta(seconds=10 * i), 10.0
        )
        for i in range(5)
    ]
    strange = [
        playlist.PlayInput("evt-unknown-sha", _sha("bukan slide layar ini"), NOW - behind, 10.0),
        playlist.PlayInput("evt-too-long-ago", slide.sha256, NOW - timedelta(days=60), 10.0),
        playlist.PlayInput("evt-negative-1", slide.sha256, NOW - behind, -1.0),
        playlist.PlayInput("bad id!", slide.sha256, NOW - behind, 10.0),
    ]
    first = playlist.record_plays(
        world.session,
        "bekasi-timur",
        "pemutar-1",
        events + strange,
        sent_at=NOW - behind,
        received_at=received,
    )
    assert (first.accepted, first.duplicates, first.rejected) == (5, 0, 4)
    again = playlist.record_plays(
        world.session,
        "bekasi-timur",
        "pemutar-1",
        events,
        sent_at=NOW - behind,
        received_at=received,
    )
    assert (again.accepted, again.duplicates, again.rejected) == (0, 5, 0)
    stored = list(world.session.scalars(select(PlayEvent).order_by(PlayEvent.played_at.desc())))
    assert len(stored) == 5 and stored[0].played_at == NOW  # corrected by the half hour
    counted = playlist.plays_per_slide(
        world.session, "bekasi-timur", since=NOW - HOUR, until=NOW + HOUR
    )
    assert [(c.sha256, c.plays, c.seconds, c.headline) for c in counted] == [
        (slide.sha256, 5, 50.0, "Diputar")
    ]
    assert counted[0].last_played_at == NOW
    with pytest.raises(ValidationFailed):
        playlist.record_plays(world.session, "bekasi-timur", "<script>", events)
    other = playlist.record_plays(
        world.session, "bekasi-timur", "pemutar-2", events[:1], received_at=NOW
    )
    assert other.accepted == 1  # event ids are the player's own: another player may reuse one


def test_heartbeats_keep_the_last_word_of_each_player(world: World) -> None:
    slide = slide_for(world, "Tayang")
    beat = playlist.HeartbeatInput(
        player_id="pemutar-1",
        clock=NOW + timedelta(seconds=90),
        current_sha256=slide.sha256,
        playlist_etag='"abc"',
        user_agent="Chromium",
        state={"online": True, "queued_plays": 3, "x" * 100: "y" * 1000, "nested": {"a": 1}},
    )
    result = playlist.record_heartbeat(world.session, "bekasi-timur", beat, received_at=NOW)
    assert result.skew_ms == 90_000
    playlist.record_heartbeat(
        world.session, "bekasi-timur", beat, received_at=NOW + timedelta(seconds=30)
    )
    (player,) = playlist.player_states(
        world.session, "bekasi-timur", at=NOW + timedelta(seconds=40)
    )
    assert player.skew_ms == 60_000 and player.beats == 2 and player.online
    assert player.current_headline == "Tayang"
    assert "nested" not in player.state and all(len(str(v)) <= 200 for v in player.state.values())
    later = playlist.player_states(world.session, "bekasi-timur", at=NOW + timedelta(minutes=10))
    assert not later[0].online
    for index in range(playlist.MAX_PLAYERS_PER_SCREEN + 3):
        playlist.record_heartbeat(
            world.session,
            "bekasi-timur",
            playlist.HeartbeatInput(player_id=f"p{index}", clock=NOW),
            received_at=NOW + timedelta(minutes=1, seconds=index),
        )
    assert (
        len(playlist.player_states(world.session, "bekasi-timur"))
        == playlist.MAX_PLAYERS_PER_SCREEN
    )


def test_what_the_feed_may_serve(world: World) -> None:
    published = slide_for(world, "Terbit")
    hidden = slide_for(world, "Belum", published=False)
    assert playlist.is_servable_slide(world.session, published.sha256, "jpg")
    assert not playlist.is_servable_slide(world.session, published.sha256, "png")
    assert not playlist.is_servable_slide(world.session, hidden.sha256, "jpg")
    assert not playlist.is_servable_slide(world.session, "../../etc/passwd", "jpg")
    owner = world.session.get(PostTarget, published.target_id)
    assert owner is not None
    owner.status = TargetStatus.CANCELLED
    world.session.flush()
    assert not playlist.is_servable_slide(world.session, published.sha256, "jpg")

    approved = approved_post(world, "Untuk Instagram")
    photo = approved.photos[0].media
    assert playlist.is_public_photo(world.session, photo.sha256, photo.extension)
    draft = world.post_in(PostStatus.DRAFT)
    draft_photo = draft.photos[0].media
    if draft_photo.sha256 != photo.sha256:
        assert not playlist.is_public_photo(
            world.session, draft_photo.sha256, draft_photo.extension
        )
    no_instagram = approved_post(
        world, "Tanpa Instagram", author=world.other_pembantu, photo=_other_photo()
    )
    other_photo = no_instagram.photos[0].media
    assert not playlist.is_public_photo(world.session, other_photo.sha256, other_photo.extension)


def _other_photo() -> bytes:
    return photo_jpeg((640, 480), colour="#9b2226")


def test_day_schedule_and_overview_for_the_dashboard(world: World) -> None:
    today = slide_for(world, "Hari ini", start=NOW - HOUR, end=NOW + HOUR)
    tomorrow = slide_for(world, "Besok", start=NOW + 24 * HOUR)
    schedule = playlist.day_schedule(world.session, "bekasi-timur", now=NOW)
    assert schedule.day == NOW.astimezone(WIB).date()
    assert [(e.item.sha256, e.live_now) for e in schedule.entries] == [(today.sha256, True)]
    assert schedule.entries[0].thumbnail_path == f"/slides/{today.sha256}.jpg"
    next_day = playlist.day_schedule(
        world.session, "bekasi-timur", NOW.astimezone(WIB).date() + timedelta(days=1), now=NOW
    )
    assert [e.item.sha256 for e in next_day.entries] == [tomorrow.sha256]
    playlist.record_plays(
        world.session,
        "bekasi-timur",
        "pemutar-1",
        [playlist.PlayInput("evt-overview-1", today.sha256, NOW - timedelta(minutes=1), 10.0)],
        received_at=NOW,
    )
    (status,) = playlist.screens_overview(world.session, at=NOW)
    assert status.screen.slug == "bekasi-timur" and status.open_now
    assert status.playing == 1 and status.override is None and status.plays_today == 1
    assert status.next_change == NOW + HOUR


def test_changes_against_a_stale_view_are_conflicts_and_an_ended_slide_stays_ended(
    world: World,
) -> None:
    from content.infra.errors import Conflict

    first, second = (slide_for(world, name) for name in ("Pertama", "Kedua"))
    seen = playlist.SlideWindow(first.valid_from, first.valid_until, first.seconds)
    playlist.set_slide_schedule(
        world.session,
        world.utama,
        first.id,
        valid_from=NOW,
        valid_until=None,
        seconds=5,
        expected=seen,
    )
    with pytest.raises(Conflict, match="diubah orang lain"):
        playlist.set_slide_schedule(
            world.session,
            world.utama2,
            first.id,
            valid_from=NOW,
            valid_until=None,
            seconds=9,
            expected=seen,  # what utama2 saw before utama saved
        )
    with pytest.raises(Conflict, match="urutannya"):
        playlist.reorder_slides(
            world.session,
            world.utama,
            world.screen_id,
            [first.id, second.id],
            expected_order=[second.id, first.id],
        )
    playlist.end_slide(world.session, world.utama, second.id, now=NOW)
    with pytest.raises(InvalidTransition, match="sudah berakhir"):
        playlist.end_slide(world.session, world.utama, second.id, now=NOW + HOUR)
