"""From facts to a 0–100 score per part, a weighted total and Komisi Informasi's band, each with
a sentence saying how it was computed ("mengapa skor ini")."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from content import formats
from content.labels import MONEV_SECTION_LABELS, NO_DATA_LABEL, PPID_ITEM_LABELS
from content.monev.aggregate import OpdFacts
from content.monev.complaints import ComplaintMeasures, complaint_part
from content.monev.config import PART_LABELS, PARTS, MonevConfig
from content.monev.periods import Period
from content.monev.ppid import PpidFacts, ppid_items, weighted


@dataclass(frozen=True)
class Part:
    name: str
    score: float
    why: str
    counted: bool = True  # False: nothing to judge yet (the score is 0 but left out, never shown)

    @property
    def label(self) -> str:
        return PART_LABELS.get(self.name) or PPID_ITEM_LABELS[self.name]


@dataclass(frozen=True)
class Section:
    """One of the three parts of the yearly Monev (ppid, pengaduan, media): 0–100, or None
    ("belum ada data") when nothing can be judged yet, with the items it is made of."""

    name: str
    score: float | None
    why: str
    items: tuple[Part, ...] = ()

    @property
    def label(self) -> str:
        return MONEV_SECTION_LABELS[self.name]

    @property
    def shown(self) -> str:
        """The score as a reader sees it: one decimal, or "belum ada data"."""
        return NO_DATA_LABEL if self.score is None else _num(self.score)


@dataclass(frozen=True)
class OpdScore:
    facts: OpdFacts
    parts: tuple[Part, ...]  # the Media Sosial part's items
    total: float  # the three parts, weighted (a part without data is left out)
    qualification: str
    band: str
    sections: tuple[Section, ...] = ()
    media: float = 0.0  # the Media Sosial part alone
    total_why: str = ""  # which parts were left out of the total for want of data

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)

    @property
    def measured(self) -> bool:
        """Whether the OPD published anything in the period; until then there is nothing to
        rank it on ("belum ada data", not a 0 in the lowest band)."""
        return self.facts.published_posts > 0

    def section(self, name: str) -> Section:
        return next(s for s in self.sections if s.name == name)


def _pct(value: float) -> float:
    return max(0.0, min(100.0, value))


def format_number(value: float, digits: int = 1) -> str:
    """A score as the Monev shows it: one decimal, the Indonesian way (60,0)."""
    return formats.number(value, digits)


_num = format_number


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


def _reach(f: OpdFacts, c: MonevConfig, period_days: float = 30.0) -> Part:
    """Average reach per post against its target and, when followers were read on two days
    or more of the period, their growth (weight `followers_growth_weight`)."""
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
    score = _pct(100 * reach_per_post(f) / target)
    weight = c.targets.get("followers_growth_weight", 0.0)
    if weight <= 0:
        return Part("reach", score, why)
    if not f.follower_accounts:
        why += " Pertumbuhan pengikut: belum ada data (pengikut dibaca harian)."
        return Part("reach", score, why)
    growth_score, growth_why = _follower_growth(f, c, period_days)
    why += (
        f" {growth_why} Skor jangkauan = {_num(100 * (1 - weight), 0)}% × {_num(score)} + "
        f"{_num(100 * weight, 0)}% × {_num(growth_score)}."
    )
    return Part("reach", (1 - weight) * score + weight * growth_score, why)


DAYS_PER_MONTH = 365.25 / 12


def _follower_growth(f: OpdFacts, c: MonevConfig, period_days: float) -> tuple[float, str]:
    """(0–100, why): followers gained over the period against the monthly target, scaled to
    the period's length."""
    target = c.targets.get("followers_growth_per_month", 0.01) * period_days / DAYS_PER_MONTH
    gained = f.followers_end - f.followers_start
    rate = gained / f.followers_start if f.followers_start else 0.0
    score = _pct(100 * rate / target) if target > 0 else 0.0
    accounts = f"{f.follower_accounts} akun"
    return score, (
        f"Pengikut ({accounts}) {_num(f.followers_start, 0)} → {_num(f.followers_end, 0)}: "
        f"tumbuh {_num(100 * rate, 2)}%, target {_num(100 * target, 2)}% dalam periode ini "
        f"(skor pertumbuhan {_num(score)})."
    )


def _timeliness(f: OpdFacts, c: MonevConfig) -> Part:
    """What the OPD controls: drafts submitted ahead of their planned time and answers to
    "perlu perbaikan" in time. PPID Utama's review and the worker's lag are not counted here
    (see `utama_figures`)."""
    ahead = f.ahead_posts / f.timed_posts if f.timed_posts else 0.0
    lead, hours = c.target("submit_lead_hours"), c.target("fix_working_hours")
    why = (
        f"{f.ahead_posts} dari {f.timed_posts} publikasi diajukan ≥ {_num(lead, 0)} jam "
        f"sebelum jadwalnya"
    )
    if f.fixes:
        share = c.target("on_time_share")
        fixed = f.fixes_in_time / f.fixes
        score = share * 100 * ahead + (1 - share) * 100 * fixed
        why += (
            f"; {f.fixes_in_time} dari {f.fixes} permintaan perbaikan dijawab dalam "
            f"{_num(hours, 0)} jam kerja."
        )
    else:
        score = 100 * ahead
        why += "; tidak ada permintaan perbaikan yang jatuh tempo."
    return Part("timeliness", _pct(score), why)


def utama_figures(scores: Sequence[OpdScore]) -> dict[str, float]:
    """PPID Utama's own figures over the OPDs shown: average review hours (submission to
    decision) and average minutes a channel was published after its schedule (the worker)."""
    reviews = sum(s.facts.reviews_timed for s in scores)
    targets = sum(s.facts.published_targets for s in scores)
    return {
        "review_hours": sum(s.facts.review_seconds for s in scores) / reviews / 3600
        if reviews
        else 0.0,
        "worker_lag_minutes": sum(s.facts.lag_seconds for s in scores) / targets / 60
        if targets
        else 0.0,
        "reviews": float(reviews),
        "targets": float(targets),
    }


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


def ppid_section(facts: PpidFacts, period: Period, config: MonevConfig) -> Section:
    items = ppid_items(facts, period, config)
    score = weighted(((name, value) for name, value, _ in items), dict(config.ppid_weights))
    parts = tuple(Part(name, value or 0.0, why, value is not None) for name, value, why in items)
    left_out = [PPID_ITEM_LABELS[name].lower() for name, value, _ in items if value is None]
    why = "Rata-rata berbobot butir yang ada datanya" + (
        f" (tanpa {', '.join(left_out)})." if left_out else "."
    )
    return Section("ppid", score, why, parts)


def media_section(parts: tuple[Part, ...], config: MonevConfig) -> Section:
    score = sum(config.weight_share(p.name) * p.score for p in parts)
    return Section("media", score, "Rata-rata berbobot enam butir pengelolaan media.", parts)


def combine(sections: Sequence[Section], config: MonevConfig) -> tuple[float, str]:
    """The total of the parts that have data (their weights renormalised), and a sentence
    naming any part left out."""
    value = weighted(((s.name, s.score) for s in sections), dict(config.section_weights))
    missing = [s.label for s in sections if s.score is None]
    if not missing:
        return round(value or 0.0, 1), ""
    why = f"{', '.join(missing)}: {NO_DATA_LABEL}; bobotnya dibagi ke bagian lain."
    return round(value or 0.0, 1), why


def score_opd(
    facts: OpdFacts,
    period: Period,
    config: MonevConfig,
    bench: dict[str, tuple[float, int]],
    *,
    ppid: PpidFacts | None = None,
    complaints: ComplaintMeasures | None = None,
) -> OpdScore:
    band = config.band_for_reach(reach_per_post(facts)).name
    if not facts.published_posts:
        parts = tuple(Part(p, 0.0, "Tidak ada publikasi dalam periode ini.") for p in PARTS)
    else:
        parts = (
            _activity(facts, period, config),
            _consistency(facts, period),
            _engagement(facts, *bench[band][:1], band, bench[band][1]),
            _reach(facts, config, period.days),
            _timeliness(facts, config),
            _compliance(facts, config),
        )
    media = media_section(parts, config)
    complaint_score, complaint_why = complaint_part(
        complaints, config.pengaduan.get("answer_working_hours", 24.0)
    )
    sections = (
        ppid_section(ppid or PpidFacts(), period, config),
        Section("pengaduan", complaint_score, complaint_why),
        media,
    )
    total, total_why = combine(sections, config)
    return OpdScore(
        facts,
        parts,
        total,
        config.qualification(total),
        band,
        sections,
        round(media.score or 0.0, 1),
        total_why,
    )


def score_all(
    facts: Sequence[OpdFacts],
    period: Period,
    config: MonevConfig,
    ppid: Mapping[int, PpidFacts] | None = None,
    complaints: Mapping[int, ComplaintMeasures | None] | None = None,
) -> list[OpdScore]:
    """Every OPD's score; `ppid` and `complaints` by OPD id (missing: no records)."""
    bench = benchmarks(facts, config)
    ppid, complaints = ppid or {}, complaints or {}
    scores = [
        score_opd(
            f, period, config, bench, ppid=ppid.get(f.opd_id), complaints=complaints.get(f.opd_id)
        )
        for f in facts
    ]
    return sorted(scores, key=lambda s: (-s.total, s.facts.name))
