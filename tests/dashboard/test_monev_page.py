"""Monev media page on the hand-computed dataset of tests/content/test_monev.py (February 2026).

The settings file of the app's data directory carries that test's configuration ([monev]:
weights 20/20/20/20/10/10, two posts a week), so the page computes the same numbers:
Disdukcapil 100,0 Informatif · Dinkes 60,0 Cukup Informatif (parts 50/75/50/50/75/75) ·
Diskominfostandi 0,0 Tidak Informatif.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from content.monev import views as monev_views
from content.org.actors import Actor
from dashboard import monev_view, navigation
from dashboard.ui import md
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import download, visible_text
from tests.monev_data import (
    CAPIL_CAPTION,
    DINKES_CAPTION,
    MONEV_SETTINGS,
    build_dataset,
)
from tests.pdfread import need_poppler, pdf_text

SignIn = Callable[[Actor | str], AppTest]
# The content tests' configuration, written as the settings file of the app's data directory.
SETTINGS = "\n".join(
    f"[monev.{section}]\n" + "\n".join(f"{name} = {value}" for name, value in values.items())
    for section, values in MONEV_SETTINGS.items()
)
EXPECTED = {  # slug: (total, band, audience band, parts)
    "disdukcapil": (100.0, "Informatif", "besar", [100.0] * 6),
    "dinkes": (60.0, "Cukup Informatif", "kecil", [50.0, 75.0, 50.0, 50.0, 75.0, 75.0]),
    "diskominfostandi": (0.0, "Tidak Informatif", "kecil", [0.0] * 6),
}
# The ranking: an OPD that published nothing reads "belum ada data", not a 0 in the red band.
ON_THE_BOARD = {slug: expected[:3] for slug, expected in EXPECTED.items()}
ON_THE_BOARD["diskominfostandi"] = (None, "belum ada data", None)
DINKES_WHY = [
    "4 publikasi dalam 4,0 minggu = 1,00 per minggu; target 2,0 per minggu.",
    "Ada publikasi di 3 dari 4 minggu.",
    "Tingkat keterlibatan 3,00% (120 interaksi dari 4000 tayangan) dibanding 6,00% "
    "(target kelompok, audiens kecil).",
    "Rata-rata jangkauan 500 per publikasi; target 1.000. Pertumbuhan pengikut: belum ada data "
    "(pengikut dibaca harian).",
    "2 dari 4 publikasi diajukan ≥ 24 jam sebelum jadwalnya; 1 dari 1 permintaan perbaikan "
    "dijawab dalam 8 jam kerja.",
    "6 keputusan: 1 ditolak, 1 perlu perbaikan, 0 temuan penyaringan diabaikan.",
]
CSV_NAMES = ("ringkasan", "bagian", "publikasi", "tren", "konfigurasi")


@pytest.fixture
def monev_world(app_world: AppWorld) -> AppWorld:
    data_dir = app_world.settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "siaran.toml").write_text(SETTINGS, encoding="utf-8")
    app_world.run(build_dataset)
    return app_world


def open_page(at: AppTest, period: str = "2026-02") -> AppTest:
    at.switch_page(navigation.MONEV.path).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Monev media"
    at.text_input(key="monev_period").input(period).run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, *columns: str, without: str = "") -> pd.DataFrame:
    """The one dataframe on the page with these columns (and without that one)."""
    found = [
        d.value
        for d in at.dataframe
        if set(columns) <= set(d.value.columns) and without not in d.value.columns
    ]
    assert len(found) == 1, (columns, len(found))
    return found[0]


def charts(at: AppTest) -> list[str]:
    """Each Altair chart's spec and data, as text."""
    return [
        "\n".join(
            [
                chart.proto.spec,
                *(
                    convert_arrow_bytes_to_pandas_df(d.data.data).to_string()
                    for d in chart.proto.datasets
                ),
            ]
        )
        for chart in at.get("vega_lite_chart")
    ]


def test_analyst_sees_every_opd_with_totals_bands_and_why(
    monev_world: AppWorld, sign_in: SignIn
) -> None:
    at = open_page(sign_in(monev_world.world.analyst))
    assert "Februari 2026" in at.subheader[0].value
    board = table(at, "Peringkat", "Skor", "Predikat")
    assert list(board["OPD"]) == ["disdukcapil", "dinkes", "diskominfostandi"]
    assert list(board["Peringkat"])[:2] == [1, 2] and pd.isna(board["Peringkat"][2])
    for _, row in board.iterrows():
        shown = tuple(None if pd.isna(v) else v for v in row[["Skor", "Predikat"]])
        audience = row["Kelompok audiens"]
        assert (*shown, None if pd.isna(audience) else audience) == ON_THE_BOARD[row["OPD"]]
    text = visible_text(at)
    assert "Informatif ≥ 90 · Menuju Informatif 80–89,9 · Cukup Informatif 60–79,9" in text
    assert "Kurang Informatif 40–59,9 · Tidak Informatif < 40" in text
    parts = table(at, "Bagian", "Bobot (%)", "Mengapa")
    for slug, (_, _, _, scores) in EXPECTED.items():
        assert list(parts[parts["OPD"] == slug]["Skor"]) == scores
    # The drill-down opens on the leader; choose Dinkes.
    assert at.selectbox(key="monev_opd").value == monev_world.world.disdukcapil_id
    at.selectbox(key="monev_opd").set_value(monev_world.world.dinkes_id).run()
    assert not at.exception, at.exception
    text = visible_text(at)
    assert [m.value for m in at.metric][:1] == ["60,0"]
    assert "Cukup Informatif" in text
    for why in DINKES_WHY:
        assert f"*Mengapa skor ini:* {why}" in text
    assert "**Aktivitas** — skor 50,0 dari 100 · bobot 20,0% · menyumbang 10,0 poin" in text
    assert "**Kepatuhan** — skor 75,0 dari 100 · bobot 10,0% · menyumbang 7,5 poin" in text
    # The posts behind the parts: Dinkes's four, newest first, with their newest numbers.
    posts = table(at, "Tayangan", "Tingkat keterlibatan (%)", without="OPD")
    assert list(posts["Keterangan"]) == [f"{DINKES_CAPTION} hari ke-{d}" for d in (16, 14, 7, 0)]
    assert set(posts["Suka"]) == {20} and set(posts["Jangkauan"]) == {500}
    assert set(posts["Tingkat keterlibatan (%)"]) == {3.0}
    # The growth of the chosen post: two readings (first hour, day two) on X.
    growth = [c for c in charts(at) if "Waktu pengukuran (WIB)" in c]
    assert len(growth) == 1
    # Newest post (day 16, 17 Feb 09:00 WIB): read after an hour and after two days, in WIB.
    assert "2026-02-17 10:00:00" in growth[0] and "2026-02-19 09:00:00" in growth[0]
    chosen = int(posts["ID"][2])
    at.selectbox(key="monev_post").set_value(chosen).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="monev_post").value == chosen
    # Trends per channel: Altair line charts, and the weekly table (12 posts in February).
    trend = table(at, "Minggu mulai (WIB)", "Kanal", "Interaksi")
    assert trend["Publikasi"].sum() == 12 and set(trend["Kanal"]) == {"x"}
    assert any("Interaksi per minggu" in c for c in charts(at))
    every = table(at, "OPD", "Tayangan")
    assert len(every) == 12 and set(every["OPD"]) == {"dinkes", "disdukcapil"}


def _xlsx_rows(data: bytes, sheet: str) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data))
    return list(book[sheet].iter_rows(min_row=2, values_only=True))


def test_xlsx_from_the_button_matches_the_page(
    monev_world: AppWorld, sign_in: SignIn, media: list[MediaFileManager]
) -> None:
    at = open_page(sign_in(monev_world.world.analyst))
    board = table(at, "Peringkat", "Skor", "Predikat")
    parts = table(at, "Bagian", "Bobot (%)", "Mengapa")
    name, data = download(at, media, "monev_dl_xlsx")
    assert name == "monev-2026-02.xlsx"
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Ringkasan",
        "Tiga bagian",
        "Pengelolaan PPID",
        "Bagian per OPD",
        "Publikasi",
        "Per kategori KIP",
        "Register permohonan",
        "Bukti DIP DIK SOP",
        "Kinerja PPID Utama",
        "Konfigurasi",
        "Tren mingguan",
    ]
    summary = _xlsx_rows(data, "Ringkasan")
    shown = [
        tuple(None if pd.isna(v) else v for v in r)
        for r in board[["Peringkat", "OPD", "Skor", "Predikat"]].itertuples(False)
    ]
    assert [(r[0], r[1], r[3], r[4]) for r in summary] == shown
    assert [r[5] for r in summary] == [None if pd.isna(v) else v for v in board["Kelompok audiens"]]
    xlsx_parts = _xlsx_rows(data, "Bagian per OPD")
    assert [list(r) for r in xlsx_parts] == parts.values.tolist()
    # And both say what the hand computation says.
    assert {r[1]: (r[3], r[4]) for r in summary} == {k: v[:2] for k, v in ON_THE_BOARD.items()}
    dinkes_parts = [r for r in xlsx_parts if r[0] == "dinkes"]
    assert [r[3] for r in dinkes_parts] == EXPECTED["dinkes"][3]
    assert [r[2] for r in dinkes_parts] == [20, 20, 20, 20, 10, 10]
    assert [r[4] for r in dinkes_parts] == DINKES_WHY
    # Every post of the period (not just the page's), with the metrics the page shows.
    posts = _xlsx_rows(data, "Publikasi")
    shown_posts = table(at, "OPD", "Tayangan")
    assert len(posts) == 12 == len(shown_posts)
    assert [list(r) for r in posts] == shown_posts.values.tolist()
    config = _xlsx_rows(data, "Konfigurasi")
    assert ("target", "posts_per_week", 2.0) in config and ("bobot", "reach", 20.0) in config


def test_a_csv_for_every_table(
    monev_world: AppWorld, sign_in: SignIn, media: list[MediaFileManager]
) -> None:
    at = open_page(sign_in(monev_world.world.analyst))
    board = table(at, "Peringkat", "Skor", "Predikat")
    read = {}
    for name in CSV_NAMES:
        file_name, data = download(at, media, f"monev_dl_{name}")
        assert file_name == f"monev-2026-02-{name}.csv"
        text = data.decode("utf-8-sig")
        read[name] = list(csv.reader(io.StringIO(text)))
    assert read["ringkasan"][0][:5] == ["Peringkat", "OPD", "Nama", "Skor", "Predikat"]
    assert [(r[1], float(r[3]) if r[3] else None, r[4]) for r in read["ringkasan"][1:]] == [
        (slug, None if pd.isna(total) else total, band)
        for slug, total, band in board[["OPD", "Skor", "Predikat"]].values
    ]
    assert len(read["bagian"]) == 1 + 3 * 6
    assert len(read["publikasi"]) == 1 + 12
    assert sum(int(r[2]) for r in read["tren"][1:]) == 12
    assert ["target", "posts_per_week", "2.0"] in read["konfigurasi"]


def test_a_pembantu_sees_only_its_own_opd(
    monev_world: AppWorld, sign_in: SignIn, media: list[MediaFileManager]
) -> None:
    at = open_page(sign_in(monev_world.world.pembantu))
    board = table(at, "Skor", "Predikat")
    assert list(board["OPD"]) == ["dinkes"] and "Peringkat" not in board.columns
    assert (board["Skor"][0], board["Predikat"][0]) == (60.0, "Cukup Informatif")
    assert at.selectbox(key="monev_opd").options == ["Dinas Kesehatan"]
    text = visible_text(at)
    for why in DINKES_WHY:
        assert f"*Mengapa skor ini:* {why}" in text
    downloads = [download(at, media, "monev_dl_xlsx")[1]]
    downloads += [download(at, media, f"monev_dl_{name}")[1] for name in CSV_NAMES]
    xlsx = load_workbook(io.BytesIO(downloads[0]))
    cells = " ".join(
        str(value)
        for sheet in xlsx.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )
    seen = "\n".join([text, *charts(at), cells, *(d.decode("utf-8-sig") for d in downloads[1:])])
    for other in (
        "disdukcapil",
        "Kependudukan",
        "diskominfostandi",
        "Diskominfostandi",
        CAPIL_CAPTION,
        "10000",
        "6000",
        "48000",
        "48.000",
    ):
        assert other not in seen, other
    assert len(_xlsx_rows(downloads[0], "Ringkasan")) == 1
    assert len(_xlsx_rows(downloads[0], "Publikasi")) == 4


def test_the_pdf_from_the_button_matches_the_page(
    monev_world: AppWorld, sign_in: SignIn, media: list[MediaFileManager]
) -> None:
    """The analyst's PDF ranks every OPD with the page's scores; a Pembantu's holds its own."""
    need_poppler()
    at = open_page(sign_in(monev_world.world.analyst))
    board = table(at, "Peringkat", "Skor", "Predikat")
    name, data = download(at, media, "monev_dl_pdf")
    assert name == "laporan-monev-2026-02.pdf"
    lines = pdf_text(data).splitlines()
    for rank, score, band in board[["Peringkat", "Skor", "Predikat"]].values:
        if math.isnan(rank):  # an OPD with no publications has no rank ("belum ada data")
            continue
        shown = score if isinstance(score, str) else f"{score:.1f}".replace(".", ",")
        assert any(
            line.split()[:1] == [str(int(rank))] and f" {shown} " in line and band in line
            for line in lines
        ), (rank, shown, band)
    at = open_page(sign_in(monev_world.world.pembantu))
    text = pdf_text(download(at, media, "monev_dl_pdf")[1])
    assert "Dinas Kesehatan" in text and "60,0" in text
    for other in ("Kependudukan", "Diskominfostandi", "disdukcapil"):
        assert other not in text, other


def test_bad_empty_and_quiet_periods_say_one_sentence(
    monev_world: AppWorld, sign_in: SignIn
) -> None:
    at = open_page(sign_in(monev_world.world.analyst), "Q4/2026")
    assert [e.value for e in at.error] == [
        md("Periode 'Q4/2026' tidak dikenali; tulis 2026-11, 2026-Q4 atau 2026.")
    ]
    assert len(at.dataframe) == len(at.download_button) == 0
    at.text_input(key="monev_period").input("").run()
    assert [i.value for i in at.info] == [
        "Tulis periode Monev: 2026-11 (bulan), 2026-Q4 (triwulan) atau 2026 (tahun); waktu WIB."
    ]
    assert len(at.dataframe) == len(at.error) == 0
    at.text_input(key="monev_period").input("2025-Q3").run()
    # A quiet period still shows the PPID register (records do not wait for publications).
    assert [i.value for i in at.info][:2] == [
        "Belum ada publikasi yang terbit pada Triwulan 3 2025.",
        "Belum ada permohonan informasi tercatat pada periode ini.",
    ]
    assert len(at.error) == len(at.download_button) == 0


def test_period_buttons_step_and_keep_the_kind(monev_world: AppWorld, sign_in: SignIn) -> None:
    at = open_page(sign_in(monev_world.world.utama), "2026-01")
    assert at.info[0].value == "Belum ada publikasi yang terbit pada Januari 2026."
    at.button(key="monev_step_1").click().run()
    assert at.text_input(key="monev_period").value == "2026-02"
    assert list(table(at, "Peringkat", "Skor")["Skor"].fillna(-1)) == [
        100.0,
        60.0,
        -1,
    ]  # no publication: no score
    at.text_input(key="monev_period").input("2026-q1").run()
    assert at.subheader[0].value == "Triwulan 1 2026"
    at.button(key="monev_step_-1").click().run()
    assert at.text_input(key="monev_period").value == "2025-Q4"
    at.button(key="monev_this_year").click().run()
    assert at.text_input(key="monev_period").value == monev_views.containing("year").key


def test_post_tables_page_without_counting(
    monev_world: AppWorld, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(monev_view, "PAGE_SIZE", 5)
    at = open_page(sign_in(monev_world.world.analyst))
    seen: list[int] = []
    for expected, more in ((5, True), (5, True), (2, False)):
        every = table(at, "OPD", "Tayangan")
        assert len(every) == expected
        seen += list(every["ID"])
        assert at.button(key="monev_posts_next").disabled is not more
        if more:
            at.button(key="monev_posts_next").click().run()
    assert len(set(seen)) == 12
    # Beside them, the period's publications per KIP category, all of them, not one page.
    kip = table(at, "Kategori KIP", "Publikasi")
    assert list(kip["Kategori KIP"]) == ["Berkala", "Serta-merta", "Tersedia setiap saat"]
    assert list(kip["Publikasi"]) == [12, 0, 0]
    # One OPD's posts page on their own; a new OPD starts at page one again.
    at.selectbox(key="monev_opd").set_value(monev_world.world.disdukcapil_id).run()
    assert len(table(at, "Tayangan", without="OPD")) == 5
    at.button(key="monev_opd_posts_next").click().run()
    capil = table(at, "Tayangan", without="OPD")
    assert len(capil) == 3 and at.button(key="monev_opd_posts_next").disabled
    at.selectbox(key="monev_opd").set_value(monev_world.world.dinkes_id).run()
    assert len(table(at, "Tayangan", without="OPD")) == 4


def test_the_three_parts_and_the_register_on_the_page(
    monev_world: AppWorld, sign_in: SignIn
) -> None:
    """Dinkes's page shows its three parts (Pengaduan "belum ada data", never a 0), the
    register behind the PPID part, and records a new request through the form."""
    at = open_page(sign_in(monev_world.world.pembantu))
    text = visible_text(at)
    assert "**Pengelolaan PPID** — 60,0" in text
    assert "**Pengelola Pengaduan Publik** — belum ada data" in text
    assert "2 dari 4 permohonan dijawab dalam 10 hari kerja" in text
    register = table(at, "Nomor", "Tenggat", "Tepat waktu")
    assert list(register["Nomor"]) == ["R1", "R2", "R3", "R4"]  # nothing of Disdukcapil
    next(t for t in at.text_input if t.label == "Nomor register").input("R5")
    next(t for t in at.text_input if t.label == "Informasi yang diminta").input("Data gizi")
    next(b for b in at.button if b.label == "Simpan permohonan").click().run()
    assert not at.exception, at.exception
    assert "Permohonan R5 tercatat." in visible_text(at)
    # The same number again is refused with one sentence, and nothing is added.
    next(t for t in at.text_input if t.label == "Nomor register").input("R5")
    next(b for b in at.button if b.label == "Simpan permohonan").click().run()
    assert "Nomor register 'R5' sudah tercatat." in visible_text(at)


def test_the_page_says_website_page_views_are_not_read(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    at = sign_in(app_world.world.analyst)
    at.switch_page(navigation.MONEV.path).run()
    assert not at.exception
    assert "Tayangan halaman Website tidak dibaca Siaran" in visible_text(at)
