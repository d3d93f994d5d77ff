"""Monev exports: an XLSX workbook (what the offices use) and a CSV per table."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import date
from typing import Any

from content.infra import exports
from content.infra.exports import Table, csv_text
from content.infra.timeutil import WIB, format_wib, utcnow
from content.labels import (
    EVIDENCE_KIND_LABELS,
    KIP_LABELS,
    MONEV_SECTION_LABELS,
    NO_DATA_LABEL,
    OBJECTION_OUTCOME_LABELS,
    PPID_ITEM_LABELS,
    REQUEST_OUTCOME_LABELS,
)
from content.monev import MonevReport
from content.monev.config import PART_LABELS, PARTS, SECTIONS
from content.monev.pdf import pdf_bytes
from content.monev.score import utama_figures

__all__ = [
    "SHEET_TITLES",
    "TABLES",
    "Table",
    "config_table",
    "csv_text",
    "evidence_bundle",
    "kip_table",
    "parts_table",
    "posts_table",
    "summary_table",
    "workbook_bytes",
]


def summary_table(report: MonevReport) -> Table:
    """The ranking. An OPD with nothing published in the period reads "belum ada data" (no
    score, rank or band: a 0 would read as a judgement) and comes after the ranked ones."""
    header = ["Peringkat", "OPD", "Nama", "Skor", "Predikat", "Kelompok audiens", "Publikasi"]
    ranked = [s for s in report.scores if s.measured]
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
        for rank, s in enumerate(ranked, start=1)
    ]
    rows += [
        [None, s.facts.slug, s.facts.name, None, NO_DATA_LABEL, None, 0]
        for s in report.scores
        if not s.measured
    ]
    return header, rows


def _shown(score: float | None) -> float | str:
    return NO_DATA_LABEL if score is None else round(score, 1)


def _day(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def sections_table(report: MonevReport) -> Table:
    """The three parts per OPD, the total and its band ("belum ada data", never a 0)."""
    header = [
        "OPD",
        "Nama",
        *(f"{MONEV_SECTION_LABELS[name]} ({_weight(report, name)}%)" for name in SECTIONS),
        "Total",
        "Predikat",
        "Catatan",
    ]
    rows = [
        [
            s.facts.slug,
            s.facts.name,
            *(_shown(s.section(name).score) for name in SECTIONS),
            s.total,
            s.qualification,
            s.total_why,
        ]
        for s in report.scores
    ]
    return header, rows


def _weight(report: MonevReport, section: str) -> float:
    weights = report.config.section_weights
    return round(100 * weights[section] / sum(weights.values()), 1)


def ppid_table(report: MonevReport) -> Table:
    header = ["OPD", "Butir", "Bobot", "Skor", "Mengapa"]
    weights = report.config.ppid_weights
    rows = [
        [
            s.facts.slug,
            PPID_ITEM_LABELS[item.name],
            weights[item.name],
            round(item.score, 1) if item.counted else NO_DATA_LABEL,
            item.why,
        ]
        for s in report.scores
        for item in s.section("ppid").items
    ]
    rows += [
        [
            s.facts.slug,
            "Pengaduan",
            "",
            _shown(s.section("pengaduan").score),
            s.section("pengaduan").why,
        ]
        for s in report.scores
    ]
    return header, rows


def _in_time(answered: date | None, due: date, today: date) -> str:
    if answered is not None:
        return "ya" if answered <= due else "tidak"
    return "tidak (belum dijawab)" if due < today else "masih dalam tenggat"


def requests_table(report: MonevReport) -> Table:
    today = utcnow().astimezone(WIB).date()
    header = [
        "OPD",
        "Nomor",
        "Perihal",
        "Diterima",
        "Perpanjangan",
        "Tenggat",
        "Dijawab",
        "Tepat waktu",
        "Hasil",
        "Keberatan",
        "Hasil keberatan",
    ]
    rows = [
        [
            r.opd,
            r.number,
            r.subject,
            _day(r.received_on),
            _day(r.extended_on),
            _day(r.due_on),
            _day(r.answered_on),
            _in_time(r.answered_on, r.due_on, today),
            REQUEST_OUTCOME_LABELS.get(r.outcome or "", ""),
            _day(r.objection_on),
            OBJECTION_OUTCOME_LABELS.get(r.objection_outcome or "", ""),
        ]
        for r in report.requests
    ]
    return header, rows


def evidence_table(report: MonevReport) -> Table:
    header = ["OPD", "Jenis", "Tanggal", "Tautan", "Berkas"]
    rows = [
        [e.opd, EVIDENCE_KIND_LABELS[e.kind], _day(e.dated_on), e.url or "", e.file_name or ""]
        for e in report.evidence
    ]
    return header, rows


def utama_table(report: MonevReport) -> Table:
    """PPID Utama's own figures: not charged to any OPD's timeliness."""
    figures = utama_figures(report.scores)
    rows: list[list[Any]] = [
        [
            "Rata-rata waktu persetujuan (jam)",
            round(figures["review_hours"], 1),
            f"{int(figures['reviews'])} keputusan",
        ],
        [
            "Rata-rata keterlambatan terbit (menit)",
            round(figures["worker_lag_minutes"], 1),
            f"{int(figures['targets'])} kanal terbit",
        ],
    ]
    return ["Ukuran", "Nilai", "Dasar"], rows


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


def kip_table(report: MonevReport) -> Table:
    header = [
        "Kategori KIP",
        "Publikasi",
        "Jumlah tayangan",
        "Jumlah interaksi",
        "Keterlibatan (%)",
    ]
    rows: list[list[Any]] = [
        [
            KIP_LABELS[r.category],
            r.posts,
            r.exposure,
            r.engagements,
            round(100 * r.engagements / r.exposure, 2) if r.exposure else 0.0,
        ]
        for r in report.kip
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
    "tiga_bagian": sections_table,
    "ppid": ppid_table,
    "bagian": parts_table,
    "publikasi": posts_table,
    "kategori_kip": kip_table,
    "register": requests_table,
    "bukti": evidence_table,
    "utama": utama_table,
    "konfigurasi": config_table,
}
SHEET_TITLES = {
    "ringkasan": "Ringkasan",
    "tiga_bagian": "Tiga bagian",
    "ppid": "Pengelolaan PPID",
    "bagian": "Bagian per OPD",
    "publikasi": "Publikasi",
    "kategori_kip": "Per kategori KIP",
    "register": "Register permohonan",
    "bukti": "Bukti DIP DIK SOP",
    "utama": "Kinerja PPID Utama",
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
    return exports.workbook_bytes(sheets, title=f"Laporan Monev — {report.period.label}")


# The lists behind each part, one CSV each in the evidence bundle.
BUNDLE_LISTS = {
    "tiga-bagian": sections_table,
    "pengelolaan-ppid": ppid_table,
    "media-sosial": parts_table,
    "register-permohonan": requests_table,
    "bukti-dip-dik-sop": evidence_table,
    "publikasi": posts_table,
    "publikasi-per-kategori-kip": kip_table,
    "kinerja-ppid-utama": utama_table,
    "konfigurasi": config_table,
}


def evidence_bundle(report: MonevReport, extra: Iterable[tuple[str, Table]] = ()) -> bytes:
    """The evidence for the Komisi Informasi self-assessment as one ZIP: the PDF report, the
    XLSX and the lists behind each part as CSV (UTF-8 with a BOM, so Excel reads them). It holds
    exactly what the report holds: a PPID Pembantu's bundle has its own OPD only."""
    extra = list(extra)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"laporan-monev-{report.period.key}.pdf", pdf_bytes(report))
        archive.writestr(f"laporan-monev-{report.period.key}.xlsx", workbook_bytes(report, extra))
        for name, table in BUNDLE_LISTS.items():
            archive.writestr(f"{name}.csv", csv_text(table(report)).encode("utf-8-sig"))
    return buffer.getvalue()
