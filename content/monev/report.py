"""Monev exports: an XLSX workbook (what the offices use) and a CSV per table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from content.infra import exports
from content.infra.exports import Table, csv_text
from content.infra.timeutil import format_wib
from content.monev import MonevReport
from content.monev.config import PART_LABELS, PARTS

__all__ = [
    "SHEET_TITLES",
    "TABLES",
    "Table",
    "config_table",
    "csv_text",
    "parts_table",
    "posts_table",
    "summary_table",
    "workbook_bytes",
]


def summary_table(report: MonevReport) -> Table:
    header = ["Peringkat", "OPD", "Nama", "Skor", "Predikat", "Kelompok audiens", "Publikasi"]
    rows = [
        [
            None if report.scoped else rank,
            s.facts.slug,
            s.facts.name,
            s.total,
            s.qualification,
            s.band,
            s.facts.published_posts,
        ]
        for rank, s in enumerate(report.scores, start=1)
    ]
    return header, rows


def parts_table(report: MonevReport) -> Table:
    header = ["OPD", "Bagian", "Bobot (%)", "Skor", "Mengapa"]
    rows = [
        [
            s.facts.slug,
            PART_LABELS[p.name],
            round(100 * report.config.weight_share(p.name), 1),
            round(p.score, 1),
            p.why,
        ]
        for s in report.scores
        for p in s.parts
    ]
    return header, rows


def posts_table(report: MonevReport) -> Table:
    header = [
        "ID",
        "OPD",
        "Terbit (WIB)",
        "Keterangan",
        "Jumlah kanal",
        "Tayangan",
        "Jangkauan",
        "Suka",
        "Komentar",
        "Bagikan",
        "Simpan",
        "Klik",
        "Tingkat keterlibatan (%)",
    ]
    rows = [
        [
            p.post_id,
            p.opd,
            format_wib(p.published_at),
            p.caption[:200],
            p.channel_count,
            p.values["exposure"],
            p.values["reach_any"],
            p.values["likes"],
            p.values["comments"],
            p.values["shares"],
            p.values["saves"],
            p.values["clicks"],
            round(100 * p.engagement_rate, 2),
        ]
        for p in report.posts
    ]
    return header, rows


def config_table(report: MonevReport) -> Table:
    config = report.config
    rows: list[list[Any]] = [["bobot", part, config.weights[part]] for part in PARTS]
    rows += [["target", name, value] for name, value in config.targets.items()]
    rows += [
        ["kelompok audiens", b.name, f"≤ {b.max_reach} jangkauan, ER {b.target_rate}"]
        for b in config.audience_bands
    ]
    rows += [["predikat", q.name, f"≥ {q.min}"] for q in config.qualifications]
    rows.append(["diperiksa", "tanggal", config.checked])
    return ["Jenis", "Nama", "Nilai"], rows


def plays_per_slide_table(report: MonevReport) -> Table:
    header = ["Layar", "Slide", "OPD", "Tayang (kali)", "Di layar (menit)"]
    rows = [[r.screen, r.headline, r.opd, r.plays, r.minutes] for r in report.plays.per_slide]
    return header, rows


def plays_per_opd_table(report: MonevReport) -> Table:
    header = ["OPD", "Slide", "Tayang (kali)", "Di layar (menit)"]
    rows = [[r.opd, r.slides, r.plays, r.minutes] for r in report.plays.per_opd]
    return header, rows


def plays_per_day_table(report: MonevReport) -> Table:
    header = ["Tanggal (WIB)", "Layar", "Tayang (kali)", "Di layar (menit)"]
    rows = [
        [r.day.strftime("%d-%m-%Y"), r.screen, r.plays, r.minutes] for r in report.plays.per_day
    ]
    return header, rows


TABLES = {
    "ringkasan": summary_table,
    "bagian": parts_table,
    "publikasi": posts_table,
    "konfigurasi": config_table,
}
SHEET_TITLES = {
    "ringkasan": "Ringkasan",
    "bagian": "Bagian per OPD",
    "publikasi": "Publikasi",
    "konfigurasi": "Konfigurasi",
}
# Proof of play, added after the Monev sheets when the period has videotron plays.
PLAY_SHEETS = {
    "Videotron per slide": plays_per_slide_table,
    "Videotron per OPD": plays_per_opd_table,
    "Videotron per hari": plays_per_day_table,
}


def workbook_bytes(report: MonevReport, extra: Iterable[tuple[str, Table]] = ()) -> bytes:
    """The whole report as one XLSX (with the videotron's proof of play when the period has
    any); `extra` adds sheets (e.g. platform spending)."""
    sheets = [exports.Sheet(SHEET_TITLES[key], *make(report)) for key, make in TABLES.items()]
    if report.plays.per_opd:
        sheets += [exports.Sheet(title, *table(report)) for title, table in PLAY_SHEETS.items()]
    sheets += [exports.Sheet(title, header, rows) for title, (header, rows) in extra]
    return exports.workbook_bytes(sheets, title=f"Monev pengelolaan media — {report.period.label}")
