"""Monev on a small hand-computed dataset: every part, total and band, and the XLSX export.

February 2026 (WIB) is exactly four weeks. The test configuration makes the arithmetic easy:
Dinkes  — 4 posts in weeks 0,1,2,2: activity 1/wk of 2 → 50; consistency 3/4 → 75;
          ER 120/4000 = 3 % vs band "kecil" target 6 % → 50; reach 500/1000 → 50;
          timeliness: 2 of 4 submitted ≥ 24 h ahead (50), the one request for changes
          answered in 2 working hours (100) → ½·50 + ½·100 = 75 (PPID Utama's 48 h reviews and
          the worker's 30 minutes late are not counted: they are PPID Utama's own figures);
          6 decisions, 1 rejection + 1 change request (½) → 1 − 1.5/6 → 75.
          Total .2·50+.2·75+.2·50+.2·50+.1·75+.1·75 = 60.0 → Cukup Informatif (on the edge).
Capil   — 8 posts, 2 a week in every week, ER 1.5 % vs "besar" 1.5 %, reach 6000: all 100 → 100.
Kominfo — nothing published: every part 0 → Tidak Informatif.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from content.infra.timeutil import WIB
from content.monev import compute, parse_period
from content.monev.config import load, parse
from content.monev.report import workbook_bytes
from tests.monev_data import build_dataset
from tests.world import World

PERIOD = parse_period("2026-02")
START = datetime(2026, 2, 1, 9, 0, tzinfo=WIB)
CONFIG = parse(
    {
        "weights": {
            "activity": 20,
            "consistency": 20,
            "engagement": 20,
            "reach": 20,
            "timeliness": 10,
            "compliance": 10,
        },
        "targets": {
            "posts_per_week": 2,
            "reach_per_post": 1000,
            "on_time_minutes": 15,
            "submit_lead_hours": 24,
            "fix_working_hours": 8,
            "on_time_share": 0.5,
            "changes_requested_penalty": 0.5,
            "override_penalty": 1,
            "min_band_peers": 3,
        },
        "audience_bands": [
            {"name": "kecil", "max_reach": 500, "target_rate": 0.06},
            {"name": "menengah", "max_reach": 5000, "target_rate": 0.03},
            {"name": "besar", "target_rate": 0.015},
        ],
        "qualifications": [
            {"name": "Informatif", "min": 90},
            {"name": "Menuju Informatif", "min": 80},
            {"name": "Cukup Informatif", "min": 60},
            {"name": "Kurang Informatif", "min": 40},
            {"name": "Tidak Informatif", "min": 0},
        ],
    }
)


@pytest.fixture
def dataset(world: World) -> World:
    return build_dataset(world)


def _by_slug(report: object) -> dict[str, object]:
    return {s.facts.slug: s for s in report.scores}  # type: ignore[attr-defined]


def test_hand_computed_parts_totals_and_bands(dataset: World) -> None:
    report = compute(dataset.session, dataset.analyst, PERIOD, CONFIG)
    scores = _by_slug(report)
    dinkes = scores["dinkes"]
    parts = {p.name: round(p.score, 6) for p in dinkes.parts}  # type: ignore[attr-defined]
    assert parts == {
        "activity": 50,
        "consistency": 75,
        "engagement": 50,
        "reach": 50,
        "timeliness": 75,
        "compliance": 75,
    }
    assert dinkes.total == 60.0 and dinkes.qualification == "Cukup Informatif"  # type: ignore[attr-defined]
    assert dinkes.band == "kecil"  # type: ignore[attr-defined]
    capil = scores["disdukcapil"]
    assert [p.score for p in capil.parts] == [100] * 6  # type: ignore[attr-defined]
    assert capil.total == 100.0 and capil.qualification == "Informatif"  # type: ignore[attr-defined]
    nothing = scores["diskominfostandi"]
    assert nothing.total == 0 and nothing.qualification == "Tidak Informatif"  # type: ignore[attr-defined]
    assert [s.facts.slug for s in report.scores][:2] == ["disdukcapil", "dinkes"]


def test_every_part_says_why(dataset: World) -> None:
    dinkes = _by_slug(compute(dataset.session, dataset.utama, PERIOD, CONFIG))["dinkes"]
    why = {p.name: p.why for p in dinkes.parts}  # type: ignore[attr-defined]
    assert why["activity"].startswith("4 publikasi dalam 4,0 minggu")
    assert why["consistency"] == "Ada publikasi di 3 dari 4 minggu."
    assert "3,00% (120 interaksi dari 4000 tayangan)" in why["engagement"]
    assert why["timeliness"] == (
        "2 dari 4 publikasi diajukan ≥ 24 jam sebelum jadwalnya; 1 dari 1 permintaan "
        "perbaikan dijawab dalam 8 jam kerja."
    )
    assert why["compliance"].startswith("6 keputusan: 1 ditolak, 1 perlu perbaikan")


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "Informatif"),
        (90.0, "Informatif"),
        (89.9, "Menuju Informatif"),
        (80.0, "Menuju Informatif"),
        (79.9, "Cukup Informatif"),
        (60.0, "Cukup Informatif"),
        (59.9, "Kurang Informatif"),
        (40.0, "Kurang Informatif"),
        (39.9, "Tidak Informatif"),
        (0, "Tidak Informatif"),
    ],
)
def test_band_edges(score: float, band: str) -> None:
    assert CONFIG.qualification(score) == band
    assert load().qualification(score) == band  # the shipped defaults have the same edges


def test_pembantu_sees_only_its_own_opd(dataset: World) -> None:
    report = compute(dataset.session, dataset.pembantu, PERIOD, CONFIG)
    assert [s.facts.slug for s in report.scores] == ["dinkes"]
    assert {p.opd for p in report.posts} == {"dinkes"}


def test_latest_snapshot_is_used_and_posts_table_matches(dataset: World) -> None:
    report = compute(dataset.session, dataset.analyst, PERIOD, CONFIG)
    dinkes_posts = [p for p in report.posts if p.opd == "dinkes"]
    assert len(dinkes_posts) == 4 and len(report.posts) == 12
    assert {p.values["likes"] for p in dinkes_posts} == {20}
    assert {round(p.engagement_rate, 4) for p in dinkes_posts} == {0.03}
    weeks = {(t.week_start.date().isoformat(), t.channel): t.posts for t in report.trend}
    assert sum(weeks.values()) == 12


def test_xlsx_export_reads_back_with_the_dashboard_numbers(dataset: World) -> None:
    report = compute(dataset.session, dataset.analyst, PERIOD, CONFIG)
    book = load_workbook(io.BytesIO(workbook_bytes(report)))
    assert book.sheetnames == [
        "Ringkasan",
        "Tiga bagian",
        "Pengelolaan PPID",
        "Bagian per OPD",
        "Publikasi",
        "Per kategori KIP",
        "Register permohonan",
        "Bukti DIP DIK SOP",
        "Kinerja PPID Utama",
        "Konfigurasi",
    ]
    summary = list(book["Ringkasan"].iter_rows(min_row=2, values_only=True))
    assert summary[0][1:5] == (
        "disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        100,
        "Informatif",
    )
    dinkes_row = next(r for r in summary if r[1] == "dinkes")
    assert dinkes_row[3] == 60 and dinkes_row[4] == "Cukup Informatif"
    parts = [
        r for r in book["Bagian per OPD"].iter_rows(min_row=2, values_only=True) if r[0] == "dinkes"
    ]
    assert [r[3] for r in parts] == [50, 75, 50, 50, 75, 75]
    assert [r[2] for r in parts] == [20, 20, 20, 20, 10, 10]
    assert book["Publikasi"].max_row == 13
    config_rows = list(book["Konfigurasi"].iter_rows(min_row=2, values_only=True))
    assert ("target", "posts_per_week", 2.0) in config_rows


def test_periods_are_wib_months_quarters_and_years() -> None:
    assert PERIOD.start == datetime(2026, 1, 31, 17, 0, tzinfo=UTC) and PERIOD.weeks == 4
    assert parse_period("2026-Q4").label == "Triwulan 4 2026"
    assert parse_period("2026").days == 365
    from content.infra.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="2026-Q4"):
        parse_period("Q4/2026")


def test_publications_are_broken_down_by_kip_category(dataset: World) -> None:
    from content.models import KipCategory, Post

    s = dataset.session
    report = compute(s, dataset.analyst, PERIOD, CONFIG)
    urgent = next(p for p in report.posts if p.opd == "dinkes")
    post = s.get(Post, urgent.post_id)
    assert post is not None
    post.kip_category = KipCategory.SERTA_MERTA
    s.flush()
    report = compute(s, dataset.analyst, PERIOD, CONFIG)
    by_category = {r.category: r for r in report.kip}
    assert list(by_category) == list(KipCategory)  # every category, also an empty one
    assert by_category[KipCategory.SERTA_MERTA].posts == 1
    assert by_category[KipCategory.SERTA_MERTA].exposure == urgent.values["exposure"]
    assert by_category[KipCategory.BERKALA].posts == 11
    assert by_category[KipCategory.SETIAP_SAAT].posts == 0
    assert sum(r.exposure for r in report.kip) == sum(p.values["exposure"] for p in report.posts)

    sheet = load_workbook(io.BytesIO(workbook_bytes(report)))["Per kategori KIP"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kategori KIP", "Publikasi", "Jumlah tayangan")
    assert [r[:2] for r in rows[1:]] == [
        ("Berkala", 11),
        ("Serta-merta", 1),
        ("Tersedia setiap saat", 0),
    ]

    # A PPID Pembantu's breakdown counts its own OPD's publications only.
    own = compute(s, dataset.pembantu, PERIOD, CONFIG)
    assert sum(r.posts for r in own.kip) == 4
