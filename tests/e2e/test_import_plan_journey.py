"""Issue 21 in a real browser: a PPID Pembantu downloads the plan template, fills two good rows,
one with a NIK and one with a bad date, uploads it with a photo, reads the preview, imports,
finds the two drafts in Konten saya and the rejected-rows file with two sentences; uploading
the same file again creates nothing twice. Screenshots: test-artifacts/e2e/."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import Artifacts, Server
from tests.e2e.test_dashboard_journey import (  # noqa: F401 (the fixture is used by name)
    dashboard,
    expect,
    go,
    heading,
    idle,
    sign_in,
    text_of,
)
from tests.world import jpeg

pytestmark = pytest.mark.e2e

NIK = "3275014505900001"
GOOD = ("Posyandu Melati buka Sabtu pagi di Balai RW 07.", "2026-12-05")
GOOD2 = ("Vaksinasi HPV Melati untuk siswi kelas 5.", "2026-12-08")


def _row(caption: str, day: str, photo: str = "", alt: str = "") -> list[str]:
    # Template order: day, OPD, caption, link, headline, KIP, channels, photo, alt, X, FB, IG.
    return [day, "", caption, "", "", "berkala", "x", photo, alt, "", "", ""]


def _filled(template: bytes) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    sheet.append(_row(*GOOD, photo="posyandu.jpg", alt="Kader menimbang balita"))
    sheet.append(_row(f"Selamat untuk warga NIK {NIK} pemenang lomba.", "2026-12-06"))
    sheet.append(_row("Senam sehat Melati bersama.", "31/02/2026"))
    sheet.append(_row(*GOOD2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _download(page: Any, label: str) -> bytes:
    idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def _upload(page: Any, plan: bytes) -> None:
    inputs = page.get_by_test_id("stFileUploaderDropzoneInput")
    inputs.nth(0).set_input_files(
        files=[{"name": "rencana.xlsx", "mimeType": "application/octet-stream", "buffer": plan}]
    )
    idle(page)
    inputs.nth(1).set_input_files(
        files=[{"name": "posyandu.jpg", "mimeType": "image/jpeg", "buffer": jpeg((1200, 900))}]
    )


def test_a_plan_from_template_to_drafts(
    dashboard: Server,  # noqa: F811 (the fixture)
    new_context: Callable[..., Any],
    artifacts: Artifacts,
) -> None:
    page = new_context(accept_downloads=True).new_page()
    sign_in(page, dashboard.url, "dinkes")
    heading(page, "Tulis konten")
    go(page, "Impor rencana")
    plan = _filled(_download(page, "Unduh templat XLSX"))

    _upload(page, plan)
    expect(page.get_by_text("2 baris siap, 2 baris ditolak", exact=False)).to_be_visible()
    artifacts.shot(page, "plan-preview")
    idle(page)
    page.get_by_role("button", name="Impor", exact=True).click()
    page.get_by_role("button", name="Ya, impor").click()
    expect(page.get_by_text("2 draf dibuat, 2 baris ditolak.", exact=False)).to_be_visible()
    artifacts.shot(page, "plan-imported")

    book = load_workbook(io.BytesIO(_download(page, "Unduh baris yang ditolak (XLSX)")))
    reasons = [row[-1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert len(reasons) == 2 and all(str(r).endswith(".") for r in reasons), reasons
    assert "NIK" in str(reasons[0]) and "31/02/2026" in str(reasons[1])

    # The same file again: the preview knows both rows, nothing can be imported twice.
    page.reload()
    heading(page, "Impor rencana")
    _upload(page, plan)
    expect(page.get_by_text("2 baris sudah pernah diimpor", exact=False)).to_be_visible()
    expect(page.get_by_text("Tidak ada baris baru yang dapat diimpor.")).to_be_visible()
    artifacts.shot(page, "plan-again")

    go(page, "Konten saya")
    idle(page)
    shown = text_of(page)
    assert shown.count(GOOD[0]) == 1 and shown.count(GOOD2[0]) == 1, shown
