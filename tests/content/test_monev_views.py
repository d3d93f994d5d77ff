"""content.monev.views on the hand-computed February 2026 dataset of test_monev.py (also the
dashboard's Monev page test data): one OPD's posts and trend, scoped as `compute` is, and
stepping between periods in WIB.

Weekly numbers (weeks from 1 Feb 2026 00:00 WIB), all on X:
Dinkes      — posts on days 0, 7, 14, 16: weeks 0,1,2,2; 30 interactions and 500 reach a post.
Disdukcapil — two posts in each of the four weeks; 150 interactions and 6000 reach a post.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from content.infra.errors import NotFound, PermissionDenied
from content.monev import compute, parse_period
from content.monev import views as monev_views
from tests.monev_data import (
    DINKES_CAPTION,
    PERIOD,
    build_dataset,
    monev_config,
)
from tests.world import World


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
