"""`siaran slide render` (the click command; siaran.cli registers it)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from content.infra.store import sha256_hex
from publishers.videotron.cli import slide


def _photo(tmp_path: Path, photo: bytes) -> Path:
    path = tmp_path / "foto.jpg"
    path.write_bytes(photo)
    return path


def test_render_writes_the_slide(photo: bytes, tmp_path: Path) -> None:
    out = tmp_path / "slide.jpg"
    result = CliRunner().invoke(
        slide,
        [
            "render",
            str(_photo(tmp_path, photo)),
            "Posyandu serentak pekan ini 🎉",
            "--size",
            "1408x400",
            "--out",
            str(out),
            "--opd",
            "Dinas Kesehatan",
            "--date",
            "24 November 2026",
            "--qr",
            "https://bekasikota.go.id/p/1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    data = out.read_bytes()
    assert info["sha256"] == sha256_hex(data) and info["format"] == "jpeg"
    assert Image.open(io.BytesIO(data)).size == (1408, 400)


def test_render_inside_a_controller_canvas_as_png(photo: bytes, tmp_path: Path) -> None:
    out = tmp_path / "slide.png"
    result = CliRunner().invoke(
        slide,
        [
            "render",
            str(_photo(tmp_path, photo)),
            "Banjir",
            "--size",
            "288x176",
            "--canvas",
            "640x480",
            "--offset",
            "10,20",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert Image.open(out).size == (640, 480) and "png" in result.output


def test_errors_are_one_sentence(photo: bytes, tmp_path: Path) -> None:
    broken = tmp_path / "rusak.jpg"
    broken.write_bytes(b"bukan foto")
    result = CliRunner().invoke(
        slide,
        ["render", str(broken), "Banjir", "--size", "1408x400", "--out", str(tmp_path / "x.jpg")],
    )
    assert result.exit_code == 2
    assert (
        result.output.startswith("siaran: Foto tidak dapat dibaca")
        and "Traceback" not in result.output
    )
    long = " ".join(["Pemerintah Kota Bekasi mengajak warga menjaga kebersihan"] * 5)
    result = CliRunner().invoke(
        slide,
        [
            "render",
            str(_photo(tmp_path, photo)),
            long,
            "--size",
            "288x176",
            "--out",
            str(tmp_path / "y.png"),
        ],
    )
    assert result.exit_code == 2 and "Persingkat" in result.output
    result = CliRunner().invoke(
        slide,
        ["render", str(broken), "Banjir", "--size", "besar", "--out", str(tmp_path / "z.jpg")],
    )
    assert result.exit_code == 2 and "1408x400" in result.output
