"""The schedule a player holds (issue #17, point 1): a week of slides with their windows, hours
per weekday, closures, overrides; and the screen's key. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from content import playlist
from content.infra.errors import AuthenticationFailed, PermissionDenied, ValidationFailed
from content.infra.timeutil import WIB
from publishers.videotron.default import render_default
from publishers.videotron.feed.payloads import PlayerOptions, encode_document, playlist_document
from tests.videotron.test_playlist import HOUR, NOW, _actions, _sha, slide_for
from tests.world import World

DAY = timedelta(days=1)
MONDAY = date(2026, 11, 23)  # NOW is Tuesday 24 November 2026, 10:00 WIB


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB)


def test_hours_per_weekday_and_closures(world: World) -> None:
    screen = playlist.set_screen_schedule(
        world.session,
        world.utama,
        world.screen_id,
        everyday=(time(6), time(22)),
        weekly_hours={"5": ["18:00", "02:00"], "6": None},  # Saturday evening, no Sunday
        closures=[{"day": "2026-11-25", "reason": "holiday"}],
        now=NOW,
    )
    tuesday, wednesday, saturday = MONDAY + DAY, MONDAY + 2 * DAY, MONDAY + 5 * DAY
    assert playlist.is_open(screen, _at(tuesday, 21, 59))
    assert not playlist.is_open(screen, _at(tuesday, 22))
    assert not playlist.is_open(screen, _at(wednesday, 12))  # the holiday
    assert not playlist.is_open(screen, _at(saturday, 12))
    assert playlist.is_open(screen, _at(saturday + DAY, 1, 30))  # Saturday's hours past midnight
    assert not playlist.is_open(screen, _at(saturday + DAY, 12))  # Sunday: none
    spans = playlist.open_intervals(screen, _at(tuesday, 0), _at(tuesday + 7 * DAY, 0))
    assert spans[0] == (_at(tuesday, 6), _at(tuesday, 22))
    assert spans[1] == (_at(tuesday + 2 * DAY, 6), _at(tuesday + 2 * DAY, 22))  # Thursday
    assert (_at(saturday, 18), _at(saturday + DAY, 2)) in spans
    assert playlist.next_hours_change(screen, _at(tuesday, 22)) == _at(tuesday + 2 * DAY, 6)
    assert _actions(world, "videotron.screen_schedule_set") == 1


def test_bad_hours_and_rights_are_refused(world: World) -> None:
    for not_utama in (world.pembantu, world.sysadmin):  # PPID Utama's, not the installer's
        with pytest.raises(PermissionDenied):
            playlist.set_screen_schedule(world.session, not_utama, world.screen_id, closures=[])
    with pytest.raises(ValidationFailed, match="Senin"):
        playlist.set_screen_schedule(
            world.session, world.utama, world.screen_id, weekly_hours={"7": ["06:00", "22:00"]}
        )
    with pytest.raises(ValidationFailed, match="06:00"):
        playlist.set_screen_schedule(
            world.session, world.utama, world.screen_id, weekly_hours={"1": ["pagi", "22:00"]}
        )
    with pytest.raises(ValidationFailed, match="Alasan"):
        playlist.set_screen_schedule(
            world.session,
            world.utama,
            world.screen_id,
            closures=[{"day": "2026-12-25", "reason": "karena saya mau"}],
        )


def test_the_week_ahead_with_windows_and_overrides(world: World) -> None:
    now_slide = slide_for(world, "Sekarang", end=NOW + 2 * DAY)
    later = slide_for(world, "Lusa", start=NOW + 3 * DAY)
    too_far = slide_for(world, "Bulan depan", start=NOW + 20 * DAY)
    ended = slide_for(world, "Sudah lewat", start=NOW - 3 * DAY, end=NOW - DAY)
    hidden = slide_for(world, "Belum terbit", published=False)
    playlist.push_override(
        world.session,
        world.utama,
        world.screen_id,
        sha256=_sha("darurat"),
        mime="image/png",
        headline="Banjir",
        reason="Informasi serta-merta",
        starts_at=NOW + 5 * HOUR,
        ends_at=NOW + 7 * HOUR,
        now=NOW,
    )
    schedule = playlist.schedule_ahead(world.session, world.screen_id, NOW)
    assert [i.sha256 for i in schedule.items] == [now_slide.sha256, later.sha256]
    assert {too_far.sha256, ended.sha256, hidden.sha256}.isdisjoint(
        i.sha256 for i in schedule.items
    )
    (override,) = schedule.overrides
    assert override.is_override and override.valid_from == NOW + 5 * HOUR
    assert schedule.start == _at(MONDAY + DAY, 0) and schedule.until == _at(MONDAY + 9 * DAY, 0)
    assert schedule.next_change == NOW + 7 * HOUR  # the override's end, before local midnight
    assert schedule.open_spans == ((schedule.start, schedule.until),)  # no hours: always open


def test_the_document_changes_only_when_the_schedule_does(world: World) -> None:
    slide_for(world, "Tetap", end=NOW + 2 * DAY)
    options = PlayerOptions()

    def etag(at: datetime) -> str:
        schedule = playlist.schedule_ahead(world.session, world.screen_id, at)
        default = render_default(schedule.screen)
        return encode_document(playlist_document(schedule, default, "/d", options))[1]

    assert etag(NOW) == etag(NOW + HOUR) == etag(NOW + 13 * HOUR + timedelta(minutes=59))
    assert etag(NOW) != etag(NOW + 14 * HOUR)  # the next local day
    assert etag(NOW) != etag(datetime(2026, 11, 24, 4, 0, tzinfo=UTC) + DAY)


def test_player_keys(world: World) -> None:
    for not_utama in (world.sysadmin, world.pembantu):
        with pytest.raises(PermissionDenied):
            playlist.issue_player_key(world.session, not_utama, world.screen_id)
    row, key = playlist.issue_player_key(world.session, world.utama, world.screen_id)
    assert key.startswith("spk_") and key not in row.key_sha256
    assert playlist.require_player_key(world.session, "bekasi-timur", key).id == world.screen_id
    for wrong in ("", "spk_salah", key + "x", "x" * 500):
        with pytest.raises(AuthenticationFailed):
            playlist.require_player_key(world.session, "bekasi-timur", wrong)
    playlist.revoke_player_key(world.session, world.utama, row.id)
    with pytest.raises(AuthenticationFailed):
        playlist.require_player_key(world.session, "bekasi-timur", key)
    assert _actions(world, "videotron.player_key_issued") == 1
    assert _actions(world, "videotron.player_key_revoked") == 1


def test_a_new_closure_day_in_the_past_is_refused_and_one_already_listed_is_kept(
    world: World,
) -> None:
    from content.models import Screen

    listed = [{"day": "2026-11-25", "reason": "holiday"}]
    playlist.set_screen_schedule(
        world.session, world.utama, world.screen_id, closures=listed, now=NOW
    )
    later = NOW + 7 * DAY  # the 25th is past now, and stays listed when the list is saved again
    playlist.set_screen_schedule(
        world.session,
        world.utama,
        world.screen_id,
        closures=[*listed, {"day": "2026-12-25", "reason": "holiday"}],
        now=later,
    )
    with pytest.raises(ValidationFailed, match="sudah lewat"):
        playlist.set_screen_schedule(
            world.session,
            world.utama,
            world.screen_id,
            everyday=(time(6), time(22)),
            closures=[{"day": "2026-11-30", "reason": "event"}],
            now=later,
        )
    screen = world.session.get(Screen, world.screen_id)
    assert screen is not None and screen.opens_at is None  # nothing of the refused change
    assert [c["day"] for c in screen.closures or []] == ["2026-11-25", "2026-12-25"]
