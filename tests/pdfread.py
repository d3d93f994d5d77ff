"""Reading a PDF back as its reader would, with poppler-utils (`pdftotext`, `pdftoppm`,
`pdfinfo`): under CI=true they must be there (the Makefile's `browser` target installs them
when root); elsewhere a test without them skips and says why."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TOOLS = ("pdftotext", "pdftoppm", "pdfinfo")


def need_poppler() -> None:
    if all(shutil.which(tool) for tool in TOOLS):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("poppler-utils (pdftotext, pdftoppm) missing under CI: run `make browser`")
    pytest.skip("poppler-utils (pdftotext, pdftoppm) not installed: `make browser` as root")


def pdf_text(data: bytes) -> str:
    """The text of every page, each line as laid out (`pdftotext -layout`)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "laporan.pdf"
        path.write_bytes(data)
        result = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            timeout=60,
        )
    return result.stdout.decode("utf-8")


def page_count(data: bytes) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "laporan.pdf"
        path.write_bytes(data)
        info = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, check=True, timeout=60
        ).stdout.decode()
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def page_png(data: bytes, folder: Path, page: int) -> Path:
    """Page `page` (1-based) rendered by `pdftoppm` at 40 dpi."""
    path = folder / "render.pdf"
    path.write_bytes(data)
    prefix = folder / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page), str(path), str(prefix)],
        check=True,
        timeout=60,
    )
    found = sorted(folder.glob(f"page{page}*.png"))
    assert found, "pdftoppm wrote no page image"
    return found[0]
