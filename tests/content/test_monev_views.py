"""content.monev.views on the hand-computed February 2026 dataset of test_monev.py (also the
dashboard's Monev page test data): one OPD's posts and trend, scoped as `compute` is, and
stepping between periods in WIB.

Weekly numbers (weeks from 1 Feb 2026 00:00 WIB), all on X:
Dinkes      — posts on days 0, 7, 14, 16: weeks 0,1,2,2; 30 interactions and 500 reach a post.
Disdukcapil — two posts in each of the four weeks; 150 interactions and 6000 reach a post.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from content.config import Settings
from content.errors import NotFound, PermissionDenied
from content.models import (
    Channel,
    Decision,
    MetricSnapshot,
    Post,
    PostStatus,
    PostTarget,
    Review,
    TargetStatus,
)
from content.monev import MonevConfig, compute, load, parse_period
from content.monev import views as monev_views
from content.timeutil import WIB
from tests.world import World

PERIOD = parse_period("2026-02")
START = datetime(2026, 2, 1, 9, 0, tzinfo=WIB)
# test_monev.py's configuration, as a settings file's [monev] section says it.
MONEV_SETTINGS = {
    "weights": {
        "activity": 20,
        "consistency": 20,
        "engagement": 20,
        "reach": 20,
        "timeliness": 10,
        "compliance": 10,
    },
    "targets": {"posts_per_week": 2},
}
SMALL = {"impressions": 1000, "reach": 500, "likes": 20, "comments": 5, "shares": 5, "saves": 0}
FIRST_HOUR = {"impressions": 100, "reach": 80, "likes": 1, "comments": 0, "shares": 0, "saves": 0}
BIG = {"impressions": 10_000, "reach": 6000, "likes": 150, "comments": 0, "shares": 0, "saves": 0}
DINKES_CAPTION = "Posyandu keliling"
CAPIL_CAPTION = "Layanan jemput bola Zebrakuning"


def monev_config() -> MonevConfig:
    return load(replace(Settings(data_dir=Path(".")), extra={"monev": MONEV_SETTINGS}))


def _published(
    world: World,
    opd_id: int,
    account_id: int,
    day: int,
    *,
    caption: str,
    late_minutes: int = 0,
    review_hours: float = 48,
    metrics: dict[str, int],
    earlier: dict[str, int] | None = None,
) -> None:
    s = world.session
    when = START + timedelta(days=day)
    author = world.pembantu if opd_id == world.dinkes_id else world.other_pembantu
    post = Post(
        opd_id=opd_id,
        author_id=author.user_id,
        caption=f"{caption} hari ke-{day}",
        status=PostStatus.PUBLISHED,
        content_hash="h",
        approved_hash="h",
        scheduled_at=when,
        published_at=when + timedelta(minutes=late_minutes),
        submitted_at=when - timedelta(hours=review_hours + 1),
        decided_at=when - timedelta(hours=1),
    )
    s.add(post)
    s.flush()
    target = PostTarget(
        post_id=post.id,
        channel=Channel.X,
        account_id=account_id,
        status=TargetStatus.PUBLISHED,
        published_at=post.published_at,
    )
    s.add(target)
    s.flush()
    if earlier:
        s.add(MetricSnapshot(target_id=target.id, captured_at=when + timedelta(hours=1), **earlier))
    s.add(MetricSnapshot(target_id=target.id, captured_at=when + timedelta(days=2), **metrics))
    s.add(
        Review(
            post_id=post.id,
            reviewer_id=world.utama.user_id,
            decision=Decision.APPROVE,
            content_hash="h",
            created_at=when - timedelta(hours=1),
        )
    )


def build_dataset(world: World) -> World:
    """test_monev.py's dataset: Dinkes 60,0 Cukup Informatif, Disdukcapil 100,0 Informatif,
    Diskominfostandi 0,0 Tidak Informatif (with `monev_config()`)."""
    for day, late in [(0, 0), (7, 0), (14, 30), (16, 0)]:
        _published(
            world,
            world.dinkes_id,
            world.x_account,
            day,
            caption=DINKES_CAPTION,
            late_minutes=late,
            metrics=SMALL,
            earlier=FIRST_HOUR,
        )
    for decision in (Decision.REJECT, Decision.REQUEST_CHANGES):
        post = world.draft()
        world.session.add(
            Review(
                post_id=post.id,
                reviewer_id=world.utama.user_id,
                decision=decision,
                content_hash="x",
                created_at=START + timedelta(days=3),
            )
        )
    for day in (0, 1, 7, 8, 14, 15, 21, 22, 40):  # day 40 is in March: not counted
        _published(
            world,
            world.disdukcapil_id,
            world.other_x_account,
            day,
            caption=CAPIL_CAPTION,
            review_hours=12,
            metrics=BIG,
        )
    world.session.flush()
    return world


@pytest.fixture
def dataset(world: World) -> World:
    return build_dataset(world)


def test_the_configuration_from_settings_gives_the_hand_computed_scores(dataset: World) -> None:
    report = compute(dataset.session, dataset.analyst, PERIOD, monev_config())
    assert [(s.facts.slug, s.total, s.qualification) for s in report.scores] == [
        ("disdukcapil", 100.0, "Informatif"),
        ("dinkes", 60.0, "Cukup Informatif"),
        ("diskominfostandi", 0.0, "Tidak Informatif"),
    ]


def test_one_opds_posts_newest_first_with_a_limit(dataset: World) -> None:
    s, analyst = dataset.session, dataset.analyst
    dinkes = monev_views.posts(s, analyst, PERIOD, opd_id=dataset.dinkes_id)
    assert [p.caption for p in dinkes] == [f"{DINKES_CAPTION} hari ke-{d}" for d in (16, 14, 7, 0)]
    assert {p.opd for p in dinkes} == {"dinkes"}
    assert {(p.values["likes"], p.values["reach_any"]) for p in dinkes} == {(20, 500)}
    two = monev_views.posts(s, analyst, PERIOD, opd_id=dataset.dinkes_id, limit=2)
    assert [p.post_id for p in two] == [p.post_id for p in dinkes[:2]]
    capil = monev_views.posts(s, analyst, PERIOD, opd_id=dataset.disdukcapil_id)
    assert len(capil) == 8  # the March post is outside the period


def test_every_post_is_what_compute_lists(dataset: World) -> None:
    s = dataset.session
    every = monev_views.posts(s, dataset.analyst, PERIOD)
    assert every == compute(s, dataset.analyst, PERIOD, monev_config()).posts
    assert len(every) == 12


def test_a_pembantu_reaches_its_own_opd_only(dataset: World) -> None:
    s, pembantu = dataset.session, dataset.pembantu
    assert {p.opd for p in monev_views.posts(s, pembantu, PERIOD)} == {"dinkes"}
    assert len(monev_views.posts(s, pembantu, PERIOD, opd_id=dataset.dinkes_id)) == 4
    with pytest.raises(NotFound):
        monev_views.posts(s, pembantu, PERIOD, opd_id=dataset.disdukcapil_id)
    with pytest.raises(NotFound):
        monev_views.trend(s, pembantu, PERIOD, opd_id=dataset.disdukcapil_id)
    assert sum(t.posts for t in monev_views.trend(s, pembantu, PERIOD)) == 4


def test_a_role_without_reports_is_refused(dataset: World) -> None:
    with pytest.raises(PermissionDenied):
        monev_views.posts(dataset.session, dataset.sysadmin, PERIOD, opd_id=dataset.dinkes_id)
    with pytest.raises(PermissionDenied):
        monev_views.trend(dataset.session, dataset.sysadmin, PERIOD)


def test_trend_per_opd_and_channel(dataset: World) -> None:
    s, analyst = dataset.session, dataset.analyst
    dinkes = monev_views.trend(s, analyst, PERIOD, opd_id=dataset.dinkes_id)
    assert [(t.week_start, t.channel, t.posts, t.engagements, t.reach) for t in dinkes] == [
        (PERIOD.start, "x", 1, 30, 500),
        (PERIOD.start + timedelta(weeks=1), "x", 1, 30, 500),
        (PERIOD.start + timedelta(weeks=2), "x", 2, 60, 1000),
    ]
    capil = monev_views.trend(s, analyst, PERIOD, opd_id=dataset.disdukcapil_id)
    assert [(t.posts, t.engagements, t.reach) for t in capil] == [(2, 300, 12_000)] * 4
    every = monev_views.trend(s, analyst, PERIOD)
    assert every == compute(s, analyst, PERIOD, monev_config()).trend
    assert sum(t.engagements for t in every) == 4 * 30 + 8 * 150


def test_trend_table_in_wib(dataset: World) -> None:
    points = monev_views.trend(dataset.session, dataset.analyst, PERIOD, opd_id=dataset.dinkes_id)
    header, rows = monev_views.trend_table(points)
    assert header == ["Minggu mulai (WIB)", "Kanal", "Publikasi", "Interaksi", "Jangkauan"]
    assert rows[0] == ["01-02-2026 WIB", "x", 1, 30, 500]
    assert rows[2] == ["15-02-2026 WIB", "x", 2, 60, 1000]


@pytest.mark.parametrize(
    ("key", "step", "expected"),
    [
        ("2026-02", 1, "2026-03"),
        ("2026-12", 1, "2027-01"),
        ("2026-01", -1, "2025-12"),
        ("2026-2", 13, "2027-03"),
        ("2026-Q4", 1, "2027-Q1"),
        ("2026-q1", -1, "2025-Q4"),
        ("2026-Q2", -6, "2024-Q4"),
        ("2026", -1, "2025"),
        ("2026", 0, "2026"),
    ],
)
def test_shift_keeps_the_kind(key: str, step: int, expected: str) -> None:
    shifted = monev_views.shift(parse_period(key), step)
    assert shifted.key == expected
    assert monev_views.kind_of(shifted) == monev_views.kind_of(parse_period(key))


def test_the_period_containing_a_moment_is_read_in_wib() -> None:
    # 31 Jan 2026 18:00 UTC is already 1 Feb 01:00 WIB; 31 Dec 17:30 UTC is New Year in Bekasi.
    feb = datetime(2026, 1, 31, 18, 0, tzinfo=UTC)
    assert monev_views.containing("month", feb).key == "2026-02"
    assert monev_views.containing("quarter", feb).key == "2026-Q1"
    new_year = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    assert monev_views.containing("year", new_year).key == "2027"
    assert monev_views.containing("quarter", new_year).label == "Triwulan 1 2027"
    assert monev_views.kind_of(monev_views.containing("month")) == "month"
