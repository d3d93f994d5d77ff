""" "Laporan Monev" as PDF on the hand-computed February 2026 dataset (tests/monev_data.py),
read back the way a reader sees it: pages rendered with poppler's `pdftoppm` (a page image that
is not blank) and the text extracted with `pdftotext`. Every OPD of the period appears with the
total the page and the XLSX show; a PPID Pembantu's PDF (and its evidence ZIP) holds its own
OPD only; an OPD name outside the PDF font's characters cannot break the file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from content.models import Opd
from content.monev import compute
from content.monev.pdf import pdf_bytes
from content.monev.pdf import pdf_text as font_text
from content.monev.report import evidence_bundle, workbook_bytes
from content.monev.score import format_number
from tests.monev_data import PERIOD, build_dataset, monev_config
from tests.pdfread import need_poppler, page_count, page_png, pdf_text
from tests.world import World

NAMES = {
    "dinkes": "Dinas Kesehatan",
    "disdukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
    "diskominfostandi": "Diskominfostandi",
}


@pytest.fixture
def dataset(world: World) -> World:
    need_poppler()
    return build_dataset(world)


def _not_blank(png: Path) -> int:
    """How many pixels are not white."""
    with Image.open(png) as image:
        grey = image.convert("L")
        return sum(count for value, count in enumerate(grey.histogram()) if value < 200)


def _summary(xlsx: bytes) -> dict[str, float]:
    sheet = load_workbook(io.BytesIO(xlsx))["Ringkasan"]
    rows = list(sheet.iter_rows(values_only=True))[1:]
    # An OPD without publications in the period has no total ("belum ada data").
    return {str(r[1]): float(r[3]) for r in rows if r[3] is not None}  # type: ignore[arg-type]


def test_the_pdf_holds_every_opd_with_the_pages_and_the_xlsxs_totals(
    dataset: World, tmp_path: Path
) -> None:
    report = compute(dataset.session, dataset.analyst, PERIOD, monev_config())
    data = pdf_bytes(report)
    assert data.startswith(b"%PDF")
    # A cover, the leaderboard (one page for three OPDs), one page per OPD.
    assert page_count(data) == 2 + len(report.scores)
    for page in (1, 3):
        assert _not_blank(page_png(data, tmp_path, page)) > 500
    text = pdf_text(data)
    assert "Laporan Monev" in text and "Februari 2026" in text
    # The leaderboard: each OPD on one line with its rank, total (1.234,5) and band; the same
    # totals as the page (compute) and the XLSX's summary sheet.
    xlsx = _summary(workbook_bytes(report))
    measured = [s for s in report.scores if s.measured]
    assert set(xlsx) == {s.facts.slug for s in measured}
    lines = text.splitlines()
    for rank, score in enumerate(measured, start=1):
        name = NAMES[score.facts.slug]
        assert xlsx[score.facts.slug] == score.total
        row = next(line for line in lines if name in line and score.qualification in line)
        assert row.split()[0] == str(rank)
        assert f" {format_number(xlsx[score.facts.slug])} " in row
        # Its own page: the total, the three parts and their reasons.
        assert f"Skor total {format_number(score.total)} - {score.qualification}" in text
    assert {"60,0", "100,0", "0,0"} <= {format_number(s.total) for s in report.scores}
    assert "Pengelola Pengaduan Publik: belum ada data" in text
    assert "Permohonan dijawab tepat waktu" in text
    assert "2 dari 4 permohonan dijawab dalam 10 hari kerja" in text
    assert "Pengaduan ditangani: belum ada data" in text
    assert "Publikasi menurut kategori KIP" in text and "Tersedia setiap saat" in text
    assert "Jumlah publikasi dalam periode: 4." in text  # Dinkes's four posts
    assert "Jumlah publikasi dalam periode: 8." in text  # Disdukcapil's eight in February


def test_a_pembantus_pdf_and_zip_hold_nothing_of_another_opd(dataset: World) -> None:
    report = compute(dataset.session, dataset.pembantu, PERIOD, monev_config())
    data = pdf_bytes(report)
    text = pdf_text(data)
    assert "Dinas Kesehatan" in text and "Laporan ini memuat OPD Anda saja." in text
    for other in ("Kependudukan", "Pencatatan Sipil", "disdukcapil", "Diskominfostandi"):
        assert other.lower() not in text.lower(), other
    with zipfile.ZipFile(io.BytesIO(evidence_bundle(report))) as archive:
        assert "laporan-monev-2026-02.pdf" in archive.namelist()
        bundled = archive.read("laporan-monev-2026-02.pdf")
    bundled_text = pdf_text(bundled)
    assert "Dinas Kesehatan" in bundled_text and "Kependudukan" not in bundled_text


def test_an_opd_name_outside_the_font_cannot_break_the_pdf(dataset: World) -> None:
    opd = dataset.session.get(Opd, dataset.dinkes_id)
    assert opd is not None
    opd.name = "Dinas Kesehatan — Ūnit “Khusus” 🚑 Ñ\x07"
    dataset.session.flush()
    report = compute(dataset.session, dataset.analyst, PERIOD, monev_config())
    text = pdf_text(pdf_bytes(report))
    assert 'Dinas Kesehatan - Unit "Khusus" ? Ñ' in text


def test_pdf_text_keeps_latin1_and_spells_the_rest() -> None:
    assert font_text("≥ 24 jam → ok … Café") == ">= 24 jam -> ok ... Café"
    assert font_text("Şehir İstanbul 東京") == "Sehir Istanbul ??"
    assert font_text("a\tb\x00c") == "a bc"
