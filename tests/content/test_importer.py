"""Importing a content plan from the command line's file (photos beside it): good rows become
drafts, bad rows are reported, none half-done; the file's limits hold while streaming."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from content.editorial.importer import ImportLimits, read_rows
from content.editorial.plans import import_plan
from content.infra.errors import ValidationFailed
from content.models import Channel, Media, Post, PostStatus
from tests.world import World, jpeg

HEADER = ["keterangan", "tautan", "judul_videotron", "kategori", "kanal", "foto", "alt", "teks_x"]


def _rows(folder: Path) -> list[list[str]]:
    (folder / "foto").mkdir(parents=True, exist_ok=True)
    (folder / "foto" / "posyandu.jpg").write_bytes(jpeg())
    (folder / "foto" / "rusak.jpg").write_bytes(jpeg()[:300])
    return [
        HEADER,
        [
            "Posyandu serentak Sabtu.",
            "https://dinkes.bekasikota.go.id/posyandu",
            "Posyandu serentak Sabtu",
            "berkala",
            "x, instagram, videotron",
            "foto/posyandu.jpg",
            "Kader menimbang balita",
            "Posyandu Sabtu!",
        ],
        ["Tautan rusak", "bukan-url", "", "berkala", "x", "", "", ""],
        ["Foto tidak ada", "", "", "berkala", "x", "foto/hilang.jpg", "alt", ""],
        ["Foto rusak", "", "", "berkala", "x", "foto/rusak.jpg", "alt", ""],
        ["Kategori aneh", "", "", "rahasia", "x", "", "", ""],
        ["Kanal lain", "", "", "berkala", "tiktok", "", "", ""],
        ["Keluar folder", "", "", "berkala", "x", "../../etc/passwd", "", ""],
        ["", "", "", "", "", "", "", ""],
        ["Pengumuman tanpa foto", "", "", "serta-merta", "facebook", "", "", ""],
    ]


def _csv(folder: Path) -> Path:
    path = folder / "rencana.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(_rows(folder))
    return path


def _xlsx(folder: Path) -> Path:
    path = folder / "rencana.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in _rows(folder):
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("maker", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_good_rows_imported_bad_rows_reported(world: World, tmp_path: Path, maker: object) -> None:
    path = maker(tmp_path)  # type: ignore[operator]
    before_media = world.session.scalar(select(func.count()).select_from(Media))
    result = import_plan(world.session, world.pembantu, world.store, path)

    assert len(result.post_ids) == 2
    assert {e.row for e in result.errors} == {3, 4, 5, 6, 7, 8}
    messages = {e.row: e.message for e in result.errors}
    assert "http" in messages[3] and "tidak ditemukan" in messages[4]
    assert "rusak" in messages[5] and "Kategori 'rahasia'" in messages[6]
    assert "tiktok" in messages[7] and "folder berkas impor" in messages[8]

    first = world.session.get(Post, result.post_ids[0])
    assert (
        first is not None and first.status is PostStatus.DRAFT and first.opd_id == world.dinkes_id
    )
    assert {t.channel for t in first.targets} == {Channel.X, Channel.INSTAGRAM, Channel.VIDEOTRON}
    x_target = next(t for t in first.targets if t.channel is Channel.X)
    assert x_target.text_override == "Posyandu Sabtu!"
    assert first.photos[0].alt_text == "Kader menimbang balita"
    # The broken-photo row stored no Media row: only the good photo was registered.
    assert world.session.scalar(select(func.count()).select_from(Media)) == (before_media or 0) + 1


def test_a_pembantu_cannot_import_for_another_opd(world: World, tmp_path: Path) -> None:
    path = tmp_path / "lain.csv"
    path.write_text("opd,keterangan,kanal\ndisdukcapil,Halo,x\n", encoding="utf-8")
    result = import_plan(world.session, world.pembantu, world.store, path)
    assert result.post_ids == [] and "OPD Anda sendiri" in result.errors[0].message


def test_file_level_problems_are_one_sentence(world: World, tmp_path: Path) -> None:
    no_caption = tmp_path / "salah.csv"
    no_caption.write_text("judul,kanal\nA,x\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="Kolom 'Keterangan'"):
        import_plan(world.session, world.pembantu, world.store, no_caption)
    fake = tmp_path / "palsu.xlsx"
    fake.write_text("bukan excel", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="bukan XLSX"):
        import_plan(world.session, world.pembantu, world.store, fake)
    other = tmp_path / "rencana.pdf"
    other.write_bytes(b"%PDF-1.4")
    with pytest.raises(ValidationFailed, match=r"\.csv atau \.xlsx"):
        import_plan(world.session, world.pembantu, world.store, other)


def _big_plan(path: Path, rows: int, *, truncate: bool = False) -> Path:
    book = Workbook()  # not write-only: that leaves out the <dimension> a reader looks for first
    sheet = book.active
    assert sheet is not None
    sheet.append(["keterangan", "kanal"])
    for number in range(rows):
        sheet.append([f"Rencana {number}", "x"])
    book.save(path)
    if truncate:  # cut the sheet's XML short near its end: only a reader that gets there fails
        with zipfile.ZipFile(path) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
        name = next(n for n in parts if n.startswith("xl/worksheets/"))
        parts[name] = parts[name][: len(parts[name]) - 2000]
        with zipfile.ZipFile(path, "w") as archive:
            for part, data in parts.items():
                archive.writestr(part, data)
    return path


def test_an_xlsx_over_the_row_limit_is_refused_as_soon_as_the_limit_is_passed(
    world: World, tmp_path: Path
) -> None:
    # Streamed: the refusal comes at row 5 002, before the broken end of the file is read
    # (a reader that loads everything first trips over it).
    path = _big_plan(tmp_path / "besar.xlsx", 5_200, truncate=True)
    with pytest.raises(ValidationFailed, match="Paling banyak 5000 baris"):
        import_plan(world.session, world.pembantu, world.store, path)
    assert world.session.scalar(select(func.count()).select_from(Post)) == 0


def test_a_huge_cell_is_refused_and_nothing_is_imported(world: World, tmp_path: Path) -> None:
    path = tmp_path / "sel.csv"
    path.write_text(f"keterangan,kanal\nRencana biasa,x\n{'a' * 25_000},x\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="Baris 3 berisi sel lebih dari 20000 karakter"):
        import_plan(world.session, world.pembantu, world.store, path)
    assert world.session.scalar(select(func.count()).select_from(Post)) == 0


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    path = _big_plan(tmp_path / "rencana.xlsx", 50)
    with pytest.raises(ValidationFailed, match="terlalu besar"):
        list(read_rows(path, ImportLimits(max_part_bytes=1024)))
    with pytest.raises(ValidationFailed, match="paling besar 0 MB"):
        list(read_rows(path, ImportLimits(max_file_bytes=100)))
