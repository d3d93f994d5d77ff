"""The calendar: scheduled and published targets on WIB days, scoped and bounded."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from content.editorial import calendar, workflow
from content.infra.errors import PermissionDenied, ValidationFailed
from content.infra.timeutil import WIB
from content.models import Channel, PostStatus, TargetStatus
from tests.world import World


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


def test_scheduled_and_published_entries_fall_on_wib_days(world: World) -> None:
    day = (datetime.now(WIB) + timedelta(days=3)).date()
    post = world.post_in(PostStatus.APPROVED)
    # 06:30 WIB is still the previous day in UTC: the entry must sit on the WIB day.
    workflow.schedule(world.session, world.utama, post.id, _at(day, 6, 30))
    found = calendar.entries(world.session, world.utama, day, day)
    # one entry for the post, with its three channels in the channel order
    assert [(e.post_id, e.kind, e.day, e.time_wib) for e in found] == [
        (post.id, "scheduled", day, "06:30")
    ]
    assert [c.channel for c in found[0].channels] == [
        Channel.X,
        Channel.INSTAGRAM,
        Channel.VIDEOTRON,
    ]
    assert (
        calendar.entries(
            world.session, world.utama, day - timedelta(days=1), day - timedelta(days=1)
        )
        == []
    )
    target = post.targets[0]
    target.status, target.published_at = TargetStatus.PUBLISHED, _at(day, 7)
    world.session.flush()
    found = calendar.entries(world.session, world.utama, day, day)
    published = [e for e in found if e.kind == "published"]
    assert len(published) == 1 and published[0].post_id == post.id
    assert [c.target for c in published[0].channels] == [
        target.account.handle if target.account else ""
    ]
    scheduled = next(e for e in found if e.kind == "scheduled")
    assert target.channel not in {c.channel for c in scheduled.channels}  # no longer to go
    only_x = calendar.entries(world.session, world.utama, day, day, channel=Channel.X)
    assert {c.channel for e in only_x for c in e.channels} == {Channel.X}


def test_kinds_are_data_for_the_legend_and_new_sources(world: World) -> None:
    """Every kind an entry can have is in KINDS (label and colour), and a registered source's
    entries appear beside the posts' (as imported plans will)."""
    day = (datetime.now(WIB) + timedelta(days=4)).date()
    assert {"scheduled", "published", "partial", "taken_down"} <= set(calendar.KINDS)
    assert all(k.label and k.colour for k in calendar.KINDS.values())
    planned = calendar.CalendarEntry(
        None, world.dinkes_id, "Dinkes", _at(day, 8), "scheduled", "Rencana", ()
    )
    calendar.SOURCES["test"] = lambda session, actor, window: [planned]
    try:
        assert calendar.entries(world.session, world.utama, day, day) == [planned]
    finally:
        del calendar.SOURCES["test"]


def test_calendar_is_scoped_to_the_readers_opd(world: World) -> None:
    day = (datetime.now(WIB) + timedelta(days=2)).date()
    post = world.post_in(PostStatus.APPROVED)
    workflow.schedule(world.session, world.utama, post.id, _at(day, 9))
    assert calendar.entries(world.session, world.other_pembantu, day, day) == []
    assert calendar.entries(world.session, world.pembantu, day, day) != []
    assert calendar.entries(world.session, world.analyst, day, day) != []
    assert calendar.entries(world.session, world.utama, day, day, opd_id=world.disdukcapil_id) == []
    with pytest.raises(PermissionDenied):
        calendar.entries(world.session, world.sysadmin, day, day)


def test_range_is_bounded() -> None:
    assert len(calendar.week_days(date(2026, 11, 26))) == 7
    assert calendar.week_days(date(2026, 11, 26))[0] == date(2026, 11, 23)
    weeks = calendar.month_weeks(date(2026, 11, 15))
    assert weeks[0][0] == date(2026, 10, 26) and weeks[-1][-1] == date(2026, 12, 6)


def test_too_long_a_range_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed):
        calendar.entries(world.session, world.utama, date(2026, 1, 1), date(2026, 6, 1))
