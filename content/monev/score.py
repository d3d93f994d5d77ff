"""From facts to a 0–100 score per part, a weighted total and Komisi Informasi's band, each with
a sentence saying how it was computed ("mengapa skor ini")."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from content.monev.aggregate import OpdFacts
from content.monev.config import PART_LABELS, PARTS, MonevConfig
from content.monev.periods import Period


@dataclass(frozen=True)
class Part:
    name: str
    score: float
    why: str

    @property
    def label(self) -> str:
        return PART_LABELS[self.name]


@dataclass(frozen=True)
class OpdScore:
    facts: OpdFacts
    parts: tuple[Part, ...]
    total: float
    qualification: str
    band: str

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)


def _pct(value: float) -> float:
    return max(0.0, min(100.0, value))


def _num(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def rate(facts: OpdFacts) -> float:
    return facts.engagements / facts.exposure if facts.exposure else 0.0


def reach_per_post(facts: OpdFacts) -> float:
    return facts.reach / facts.published_posts if facts.published_posts else 0.0


def _activity(f: OpdFacts, period: Period, c: MonevConfig) -> Part:
    per_week = f.published_posts / (period.days / 7)
    target = c.target("posts_per_week")
    return Part(
        "activity",
        _pct(100 * per_week / target),
        f"{f.published_posts} publikasi dalam {_num(period.days / 7)} minggu = "
        f"{_num(per_week, 2)} per minggu; target {_num(target)} per minggu.",
    )


def _consistency(f: OpdFacts, period: Period) -> Part:
    return Part(
        "consistency",
        _pct(100 * f.weeks_with_posts / period.weeks),
        f"Ada publikasi di {f.weeks_with_posts} dari {period.weeks} minggu.",
    )


def _engagement(f: OpdFacts, benchmark: float, band: str, peers: int) -> Part:
    source = f"median {peers} OPD sekelompok" if peers else "target kelompok"
    return Part(
        "engagement",
        _pct(100 * rate(f) / benchmark) if benchmark else 0.0,
        f"Tingkat keterlibatan {_num(100 * rate(f), 2)}% ({f.engagements} interaksi dari "
        f"{f.exposure} tayangan) dibanding {_num(100 * benchmark, 2)}% ({source}, audiens {band}).",
    )


def _reach(f: OpdFacts, c: MonevConfig) -> Part:
    target = c.target("reach_per_post")
    why = (
        f"Rata-rata jangkauan {_num(reach_per_post(f), 0)} per publikasi; target {_num(target, 0)}."
    )
    if f.videotron_reach:
        per_minute = c.targets.get("videotron_viewers_per_minute", 0.0)
        why += (
            f" Termasuk videotron: {_num(f.videotron_minutes, 1)} menit di layar × "
            f"{_num(per_minute, 1)} orang per menit = {_num(f.videotron_reach, 0)}."
        )
    return Part("reach", _pct(100 * reach_per_post(f) / target), why)


def _timeliness(f: OpdFacts, c: MonevConfig) -> Part:
    on_time = f.on_time_targets / f.published_targets if f.published_targets else 0.0
    share = c.target("on_time_share")
    full, zero = c.target("review_hours_full"), c.target("review_hours_zero")
    if f.reviews_timed:
        hours = f.review_seconds / f.reviews_timed / 3600
        turnaround = _pct(100 * (zero - hours) / (zero - full)) if hours > full else 100.0
        review_text = f"rata-rata persetujuan {_num(hours)} jam (100 bila ≤ {_num(full, 0)} jam)"
    else:
        share, turnaround, review_text = 1.0, 0.0, "tidak ada keputusan persetujuan"
    score = share * 100 * on_time + (1 - share) * turnaround
    return Part(
        "timeliness",
        _pct(score),
        f"{f.on_time_targets} dari {f.published_targets} kanal terbit tepat waktu "
        f"(≤ {_num(c.target('on_time_minutes'), 0)} menit); {review_text}.",
    )


def _compliance(f: OpdFacts, c: MonevConfig) -> Part:
    penalties = (
        f.rejections
        + c.target("changes_requested_penalty") * f.changes_requested
        + c.target("override_penalty") * f.overrides
    )
    base = max(f.decisions, 1)
    return Part(
        "compliance",
        _pct(100 * (1 - penalties / base)),
        f"{f.decisions} keputusan: {f.rejections} ditolak, {f.changes_requested} perlu "
        f"perbaikan, {f.overrides} temuan penyaringan diabaikan.",
    )


def benchmarks(facts: Sequence[OpdFacts], config: MonevConfig) -> dict[str, tuple[float, int]]:
    """Each audience band's benchmark engagement rate: the median of its OPDs when there are
    enough of them, else the band's configured target. Returns {band: (rate, peers)}."""
    by_band: dict[str, list[float]] = {b.name: [] for b in config.audience_bands}
    for fact in facts:
        if fact.published_posts and fact.exposure:
            by_band[config.band_for_reach(reach_per_post(fact)).name].append(rate(fact))
    result = {}
    for band in config.audience_bands:
        rates = by_band[band.name]
        if len(rates) >= config.target("min_band_peers"):
            result[band.name] = (statistics.median(rates), len(rates))
        else:
            result[band.name] = (band.target_rate, 0)
    return result


def score_opd(
    facts: OpdFacts, period: Period, config: MonevConfig, bench: dict[str, tuple[float, int]]
) -> OpdScore:
    band = config.band_for_reach(reach_per_post(facts)).name
    if not facts.published_posts:
        parts = tuple(Part(p, 0.0, "Tidak ada publikasi dalam periode ini.") for p in PARTS)
    else:
        parts = (
            _activity(facts, period, config),
            _consistency(facts, period),
            _engagement(facts, *bench[band][:1], band, bench[band][1]),
            _reach(facts, config),
            _timeliness(facts, config),
            _compliance(facts, config),
        )
    total = round(sum(config.weight_share(p.name) * p.score for p in parts), 1)
    return OpdScore(facts, parts, total, config.qualification(total), band)


def score_all(facts: Sequence[OpdFacts], period: Period, config: MonevConfig) -> list[OpdScore]:
    bench = benchmarks(facts, config)
    scores = [score_opd(f, period, config, bench) for f in facts]
    return sorted(scores, key=lambda s: (-s.total, s.facts.name))
