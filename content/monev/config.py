"""Weights, targets and band edges of the Monev score, read from TOML (defaults shipped in
content/data/monev.toml, overridden by the settings file's [monev] section)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from content.infra.config import Settings
from content.infra.errors import ValidationFailed

DEFAULTS = Path(__file__).parent.parent / "data" / "monev.toml"
# The three parts of the yearly Monev; "media" is the score built from the PARTS below.
SECTIONS = ("ppid", "pengaduan", "media")
PPID_ITEMS = ("dip", "dik", "sop", "requests", "objections")
PARTS = ("activity", "consistency", "engagement", "reach", "timeliness", "compliance")
PART_LABELS = {
    "activity": "Aktivitas",
    "consistency": "Konsistensi",
    "engagement": "Keterlibatan",
    "reach": "Jangkauan",
    "timeliness": "Ketepatan waktu",
    "compliance": "Kepatuhan",
}


@dataclass(frozen=True)
class AudienceBand:
    name: str
    target_rate: float
    max_reach: float | None = None


@dataclass(frozen=True)
class Qualification:
    name: str
    min: float


@dataclass(frozen=True)
class MonevConfig:
    weights: Mapping[str, float]
    targets: Mapping[str, float]
    audience_bands: tuple[AudienceBand, ...]
    qualifications: tuple[Qualification, ...]
    checked: str = ""
    section_weights: Mapping[str, float] = field(default_factory=dict)
    ppid_weights: Mapping[str, float] = field(default_factory=dict)
    ppid: Mapping[str, float] = field(default_factory=dict)  # working days of the register
    holidays: frozenset[date] = frozenset()
    pengaduan: Mapping[str, float] = field(default_factory=dict)

    def target(self, name: str) -> float:
        return float(self.targets[name])

    def weight_share(self, part: str) -> float:
        return self.weights[part] / sum(self.weights.values())

    def band_for_reach(self, reach_per_post: float) -> AudienceBand:
        for band in self.audience_bands:
            if band.max_reach is None or reach_per_post <= band.max_reach:
                return band
        return self.audience_bands[-1]

    def qualification(self, score: float) -> str:
        # Scores are compared at one decimal, as the bands are written (89.95 is 90.0).
        rounded = round(score, 1)
        return next(q.name for q in self.qualifications if rounded >= q.min)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "weights": dict(self.weights),
            "targets": dict(self.targets),
            "audience_bands": [b.__dict__ for b in self.audience_bands],
            "qualifications": [q.__dict__ for q in self.qualifications],
            "sections": dict(self.section_weights),
            "ppid": {**self.ppid, "weights": dict(self.ppid_weights)},
            "pengaduan": dict(self.pengaduan),
        }


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _weights(values: Mapping[str, Any], names: tuple[str, ...], what: str) -> dict[str, float]:
    weights = {name: float(values.get(name, 0)) for name in names}
    if sum(weights.values()) <= 0 or any(w < 0 for w in weights.values()):
        raise ValidationFailed(f"Bobot {what} harus positif dan tidak semuanya nol.")
    return weights


def _holidays(values: Any) -> frozenset[date]:
    try:
        return frozenset(v if isinstance(v, date) else date.fromisoformat(str(v)) for v in values)
    except ValueError as exc:
        raise ValidationFailed("Hari libur Monev ditulis YYYY-MM-DD.") from exc


def _defaults() -> dict[str, Any]:
    return tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))


def parse(data: Mapping[str, Any]) -> MonevConfig:
    """A configuration from `data`; what it leaves out comes from the shipped defaults."""
    data = _merge(_defaults(), data)
    weights = _weights(data["weights"], PARTS, "Monev")
    bands = tuple(
        AudienceBand(b["name"], float(b["target_rate"]), b.get("max_reach"))
        for b in data["audience_bands"]
    )
    quals = tuple(
        sorted(
            (Qualification(q["name"], float(q["min"])) for q in data["qualifications"]),
            key=lambda q: q.min,
            reverse=True,
        )
    )
    if not quals or quals[-1].min > 0:
        raise ValidationFailed("Predikat Monev harus mencakup nilai 0.")
    targets = {k: float(v) for k, v in data["targets"].items()}
    ppid = dict(data["ppid"])
    return MonevConfig(
        weights,
        targets,
        bands,
        quals,
        str(data.get("checked", "")),
        section_weights=_weights(data["sections"], SECTIONS, "bagian Monev"),
        ppid_weights=_weights(ppid.pop("weights"), PPID_ITEMS, "Pengelolaan PPID"),
        holidays=_holidays(ppid.pop("holidays", [])),
        ppid={k: float(v) for k, v in ppid.items()},
        pengaduan={k: float(v) for k, v in data["pengaduan"].items()},
    )


def load(settings: Settings | None = None) -> MonevConfig:
    return parse(settings.section("monev") if settings is not None else {})
