"""Proof of play for analysts (issue #17, point 7): plays per slide, per OPD and per day with
on-screen minutes, in the Monev report and its XLSX, scoped like the rest of Monev. Both
databases."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

from openpyxl import load_workbook

from content import monev, playlist
from content.models import PostStatus, TargetStatus
from content.monev.report import workbook_bytes
from content.org.actors import Actor
from content.playlist import PlayInput
from tests.videotron.helpers import WORKER, approved_post, videotron_target
from tests.videotron.test_playlist import HOUR, NOW, _sha
from tests.world import World

PERIOD = monev.parse_period("2026-11")
DAY = timedelta(days=1)


def _slide(world: World, headline: str, author: Actor | None = None) -> str:
    post = approved_post(world, headline, author=author)
    target = videotron_target(post)
    playlist.record_slide(
        world.session,
        WORKER,
        target,
        sha256=_sha(headline),
        mime="image/jpeg",
        headline=headline,
        valid_from=NOW - 3 * DAY,
    )
    target.status = TargetStatus.PUBLISHED
    post.status, post.published_at = PostStatus.PUBLISHED, NOW - 3 * DAY
    world.session.flush()
    return _sha(headline)


def _plays(world: World, sha: str, starts: list[timedelta], tag: str) -> None:
    events = [
        PlayInput(f"{tag}-{i:04d}-evt", sha, NOW - start, 10.0) for i, start in enumerate(starts)
    ]
    result = playlist.record_plays(
        world.session, world.screen_id, "pc-timur", events, received_at=NOW
    )
    assert result.accepted == len(events), result


def test_plays_per_slide_opd_and_day_for_analysts(world: World) -> None:
    dinkes = _slide(world, "Posyandu serentak")
    capil = _slide(world, "Rekam KTP keliling", author=world.other_pembantu)
    override = playlist.push_override(
        world.session,
        world.utama,
        world.screen_id,
        sha256=_sha("darurat"),
        mime="image/png",
        headline="Banjir",
        reason="Informasi serta-merta",
        starts_at=NOW - 2 * HOUR,
        now=NOW - 2 * HOUR,
    )
    assert override.id
    # Today (Tuesday 24 November, WIB) and yesterday.
    _plays(world, dinkes, [timedelta(minutes=m) for m in (5, 4, 3)] + [DAY + HOUR], "dk")
    _plays(world, capil, [timedelta(minutes=2)], "cp")
    _plays(world, _sha("darurat"), [timedelta(minutes=1)], "dr")

    report = monev.compute(world.session, world.analyst, PERIOD, monev.load())
    plays = report.plays
    by_opd = {r.opd: (r.slides, r.plays, r.minutes) for r in plays.per_opd}
    assert by_opd["Dinas Kesehatan"] == (1, 4, round(40 / 60, 1))
    assert by_opd["Dinas Kependudukan dan Pencatatan Sipil"][1] == 1
    assert by_opd["(darurat, tanpa OPD)"][1] == 1
    (top, *_rest) = plays.per_slide
    assert (top.headline, top.opd, top.plays) == ("Posyandu serentak", "Dinas Kesehatan", 4)
    days = {(r.day, r.screen): r.plays for r in plays.per_day}
    assert days == {
        (date(2026, 11, 23), "Videotron Bekasi Timur"): 1,
        (date(2026, 11, 24), "Videotron Bekasi Timur"): 5,
    }

    book = load_workbook(io.BytesIO(workbook_bytes(report)))
    assert {"Videotron per slide", "Videotron per OPD", "Videotron per hari"} <= set(
        book.sheetnames
    )
    rows = list(book["Videotron per hari"].iter_rows(values_only=True))
    assert rows[0] == ("Tanggal (WIB)", "Layar", "Tayang (kali)", "Di layar (menit)")
    assert rows[1][:3] == ("23-11-2026", "Videotron Bekasi Timur", 1)

    # A PPID Pembantu sees its own OPD's plays only (not another OPD's, not the emergency).
    own = monev.compute(world.session, world.pembantu, PERIOD, monev.load()).plays
    assert [r.opd for r in own.per_opd] == ["Dinas Kesehatan"]
    assert {r.headline for r in own.per_slide} == {"Posyandu serentak"}
    assert sum(r.plays for r in own.per_day) == 4


def test_videotron_minutes_count_in_reach_only_with_a_weight(world: World) -> None:
    dinkes = _slide(world, "Posyandu serentak")
    _plays(world, dinkes, [timedelta(seconds=10 * i) for i in range(1, 7)], "dk")  # 1 minute

    def reach_part(config: monev.MonevConfig) -> monev.Part:
        report = monev.compute(world.session, world.analyst, PERIOD, config)
        score = next(s for s in report.scores if s.facts.slug == "dinkes")
        return next(p for p in score.parts if p.name == "reach")

    default = monev.load()
    assert default.targets["videotron_viewers_per_minute"] == 0
    unweighted = reach_part(default)
    assert "videotron" not in unweighted.why
    weighted_config = replace(
        default, targets={**default.targets, "videotron_viewers_per_minute": 300.0}
    )
    weighted = reach_part(weighted_config)
    assert weighted.score > unweighted.score
    assert "Termasuk videotron: 1,0 menit di layar × 300,0 orang per menit = 300." in weighted.why
