"""Platform money in the dashboard: the composer's and the queue's estimates, the spending page
(per platform and OPD against the budgets, warnings, ledger, chart), setting a budget that
releases what waits, a PPID Pembantu's own-OPD view, the banner, and the XLSX/CSV downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from content import costs
from content.costs.views import SHEET_TITLE
from content.delivery.holds import HoldCode
from content.infra.timeutil import utcnow
from content.models import Channel, Post, PostStatus, PostTarget, TargetStatus
from content.monev.periods import parse_period
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import download, messages, visible_text
from tests.dashboard.test_compose import field, form_of
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]
MONEV_SHEETS = [
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
]
CITY_NAME = "Seluruh kota"
DINKES = "Dinas Kesehatan"
CAPIL = "Dinas Kependudukan dan Pencatatan Sipil"


def plain(at: AppTest) -> str:
    """What the page says, with Markdown's escapes taken out."""
    return visible_text(at).replace("\\", "")


def said(at: AppTest, kind: str) -> list[str]:
    return [m.replace("\\", "") for m in messages(at, kind)]


# --- the composer ------------------------------------------------------------------------------


def test_the_composer_shows_the_cost_with_and_without_a_url(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    world = app_world.world
    at = sign_in(world.pembantu)
    assert "Pilih kanal tujuan untuk melihat perkiraan biayanya." in plain(at)
    field(at, "caption").input("Posyandu serentak Sabtu pagi.").run()
    field(at, "account_ids").set_value([world.x_account, world.fb_account, world.ig_account])
    field(at, "screen_ids").set_value([world.screen_id]).run()
    assert not at.exception
    text = plain(at)
    assert "X · @dinkes: **$0,015 (≈ Rp248)** — tanpa tautan" in text
    assert "Facebook · dinkes-fb: **gratis, dibatasi laju**" in text
    assert "Instagram · @dinkes.ig: **gratis, dibatasi laju**" in text
    assert "Videotron · bekasi-timur: **gratis**" in text
    assert "Perkiraan biaya total: **$0,015 (≈ Rp248)**" in text
    assert "Harga platform diperiksa 30 Nov 2026" in text
    assert not [m for m in said(at, "info") if "kode QR" in m]

    field(at, "caption").input("Daftar di https://dinkes.bekasikota.go.id/posyandu").run()
    text = plain(at)
    assert "X · @dinkes: **$0,200 (≈ Rp3.300)** — berisi tautan" in text
    assert "Perkiraan biaya total: **$0,200 (≈ Rp3.300)** · dengan bentuk lebih murah: " in text
    cheaper = [m for m in said(at, "info") if "kode QR" in m]
    assert len(cheaper) == 1
    assert "baris pertama keterangan Facebook/Instagram" in cheaper[0]
    assert "Perkiraan: **$0,015 (≈ Rp248)**" in cheaper[0]

    # Saved, the estimate is the stored draft's, and says the same.
    at.button(key=form_of(at).key("save")).click().run()
    assert form_of(at).post_id is not None and not form_of(at).dirty
    assert "X · @dinkes: **$0,200 (≈ Rp3.300)** — berisi tautan" in plain(at)


# --- the approval queue ------------------------------------------------------------------------


def test_the_queue_shows_estimates_and_the_batch_total(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    posts = app_world.run(lambda w: [w.post_in(PostStatus.SUBMITTED) for _ in range(2)])
    assert isinstance(posts, list)
    at = sign_in(app_world.world.utama)
    assert at.title[0].value == "Antrean persetujuan"
    captions = said(at, "caption")
    # Each item: a photo with alt text on X without a link ($0.015 + $0.005), Meta free.
    x_line = "Perkiraan biaya: $0,020 (≈ Rp330) — tanpa tautan, 1 teks alternatif foto"
    assert captions.count(x_line) == 2
    assert captions.count("Perkiraan biaya: gratis, dibatasi laju") == 2  # Instagram
    assert captions.count("Perkiraan biaya: gratis") == 2  # the videotron
    totals = [c for c in captions if c.startswith("Perkiraan biaya platform konten ini: ")]
    assert len(totals) == 2 and "$0,020 (≈ Rp330)" in totals[0]
    assert "Belum ada konten terpilih." in plain(at)

    for post in posts:
        at.checkbox(key=f"q_pick_{post.id}").check()
    at.run()
    assert "Perkiraan biaya platform 2 konten terpilih: **$0,040 (≈ Rp660)**" in plain(at)
    at.button(key="q_bulk").click().run()
    at.button(key="q_bulk_yes").click().run()
    done = said(at, "success")
    assert done and "Perkiraan biaya platform: $0,040 (≈ Rp660)" in done[0]


# --- the spending page -------------------------------------------------------------------------


def _charge(world: World, amount: str, opd_id: int | None, hours: int, action: str) -> None:
    start = parse_period(costs.month_of(utcnow())).start
    costs.record_charges(
        world.session,
        [costs.Charge(Channel.X, action, 1, Decimal(amount), "uji")],
        opd_id=opd_id,
        at=start + timedelta(hours=hours),
    )


def seed_spending(world: World) -> None:
    """This month: Dinkes $0.45 (3 calls), Disdukcapil $0.20, a city account $0.01; budgets X
    city $0.80 (82.5 % used) and Dinkes $0.50 (90 %)."""
    month = costs.month_of(utcnow())
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal("0.80"))
    costs.set_budget(
        world.session, world.utama, Channel.X, month, Decimal("0.50"), opd_id=world.dinkes_id
    )
    _charge(world, "0.2", world.dinkes_id, 1, "post_with_url")
    _charge(world, "0.2", world.dinkes_id, 2, "post_with_url")
    _charge(world, "0.05", world.dinkes_id, 3, "read_post")
    _charge(world, "0.2", world.disdukcapil_id, 30, "post")
    _charge(world, "0.01", None, 31, "read_user")


def spending_page(at: AppTest) -> AppTest:
    at.switch_page(navigation.SPENDING.path).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Biaya platform"
    return at


def spending_table(at: AppTest) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if "Terpakai (%)" in d.value.columns]
    assert len(found) == 1
    return found[0]


def ledger_table(at: AppTest) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if "Panggilan" in d.value.columns]
    assert len(found) == 1
    return found[0]


def rows_of(frame: pd.DataFrame) -> list[list[Any]]:
    return [[None if pd.isna(v) else v for v in row] for row in frame.values.tolist()]


def test_the_spending_page_per_platform_and_opd_against_the_budgets(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    app_world.run(seed_spending)
    at = spending_page(sign_in(app_world.world.utama))
    month = costs.month_of(utcnow())
    table = rows_of(spending_table(at))
    assert table == [
        [month, "X", CITY_NAME, 0.66, 0.8, 82.5, 10890, 5],
        [month, "X", CAPIL, 0.2, None, None, 3300, 1],
        [month, "X", DINKES, 0.45, 0.5, 90.0, 7425, 3],
        [month, "X", "Tanpa OPD (akun kota)", 0.01, None, None, 165, 1],
    ]
    warned = said(at, "warning")
    label = parse_period(month).label
    assert (
        f"Anggaran X seluruh kota {label}: 82,5% terpakai ($0,660 (≈ Rp10.890) dari "
        in "\n".join(warned)
    )
    assert any(f"Anggaran X {DINKES} {label}: 90,0% terpakai" in w for w in warned)
    # This month's rows are PPID Utama's banner (said once), then the warnings written at 80 %.
    assert sum("terpakai" in w for w in warned) == 2
    assert any(f"X {DINKES}: mencapai 80%" in w for w in warned)
    assert any("X seluruh kota: mencapai 80%" in w for w in warned)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1 and "Belanja (USD)" in charts[0].proto.spec
    ledger = ledger_table(at)
    assert len(ledger) == 5 and list(ledger["Biaya (USD)"]) == [0.01, 0.2, 0.05, 0.2, 0.2]
    assert "Cek koneksi akun" in list(ledger["Panggilan"])
    at.selectbox(key="sp_l_opd").set_value(app_world.world.disdukcapil_id).run()
    assert list(ledger_table(at)["OPD"]) == [CAPIL]
    # The status page warns PPID Utama too.
    at.switch_page(navigation.STATUS.path).run()
    assert any("82,5% terpakai" in w for w in said(at, "warning"))


def _hold(world: World) -> PostTarget:
    post = world.post_in(PostStatus.SCHEDULED)
    target = next(t for t in post.targets if t.channel is Channel.X)
    target.status, target.wait_code = TargetStatus.WAITING, HoldCode.BUDGET
    target.wait_reason = "Anggaran X kota bulan ini tidak cukup; menunggu anggaran dinaikkan."
    world.session.flush()
    return target


def test_ppid_utama_sets_a_budget_and_a_waiting_target_is_released(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    target = app_world.run(_hold)
    assert isinstance(target, PostTarget)
    at = spending_page(sign_in(app_world.world.utama))
    assert f"Konten #{target.post_id}" in plain(at)
    assert "menunggu anggaran dinaikkan" in plain(at)
    assert at.selectbox(key="sp_b_platform").value is Channel.X
    at.selectbox(key="sp_b_opd").set_value(None)
    at.text_input(key="sp_b_amount").set_value("5,00")
    at.button(key="sp_b_save").click().run()
    done = said(at, "success")
    assert len(done) == 1, done
    assert "Anggaran X seluruh kota" in done[0] and "$5,000 (≈ Rp82.500)" in done[0]
    assert "1 target yang menunggu anggaran dilepas kembali ke antrean." in done[0]
    with app_world.session() as session:
        stored = session.get(PostTarget, target.id)
        assert stored is not None and stored.status is TargetStatus.SCHEDULED
        post = session.get(Post, target.post_id)
        assert post is not None and post.status is PostStatus.SCHEDULED
    assert "Tidak ada target yang ditahan karena anggaran." in plain(at)
    table = rows_of(spending_table(at))
    assert table == [[costs.month_of(utcnow()), "X", CITY_NAME, 0.0, 5.0, 0.0, 0, 0]]
    assert "Anggaran saat ini untuk" in plain(at)


def test_a_ppid_pembantu_sees_only_their_own_opd_and_sets_no_budget(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    app_world.run(seed_spending)
    capil_hold = app_world.run(lambda w: _hold_for(w, w.other_pembantu))
    assert isinstance(capil_hold, PostTarget)
    at = spending_page(sign_in(app_world.world.pembantu))
    month = costs.month_of(utcnow())
    assert rows_of(spending_table(at)) == [[month, "X", DINKES, 0.45, 0.5, 90.0, 7425, 3]]
    text = plain(at)
    assert CITY_NAME not in text and CAPIL not in text and "0,660" not in text
    assert "Yang tampil hanya belanja OPD Anda." in text
    assert f"Konten #{capil_hold.post_id}" not in text
    assert set(ledger_table(at)["OPD"]) == {DINKES}
    assert "sp_b_save" not in {b.key for b in at.button}
    assert not at.number_input and "Setel anggaran bulanan" not in text
    # The table's own warning, and no banner (that is PPID Utama's).
    assert [w for w in said(at, "warning") if "terpakai" in w] == [
        next(w for w in said(at, "warning") if w.startswith(f"Anggaran X {DINKES}"))
    ]
    # The analyst reads everything and sets nothing.
    analyst = spending_page(sign_in(app_world.world.analyst))
    assert len(spending_table(analyst)) == 4
    assert "sp_b_save" not in {b.key for b in analyst.button}


def _hold_for(world: World, author: Actor) -> PostTarget:
    post = world.post_in(PostStatus.SCHEDULED, author=author)
    target = next(t for t in post.targets if t.channel is Channel.X)
    target.status, target.wait_code = TargetStatus.WAITING, HoldCode.BUDGET
    target.wait_reason = "Menunggu anggaran dinaikkan."
    world.session.flush()
    return target


# --- downloads ---------------------------------------------------------------------------------


def test_the_downloads_have_the_monev_sheets_and_the_pages_numbers(
    app_world: AppWorld, sign_in: SignIn, media: list[MediaFileManager]
) -> None:
    app_world.run(seed_spending)
    at = spending_page(sign_in(app_world.world.utama))
    month = costs.month_of(utcnow())
    shown = spending_table(at)
    name, data = download(at, media, "sp_dl_xlsx")
    assert name == f"biaya-platform-{month}.xlsx"
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [*MONEV_SHEETS, SHEET_TITLE]
    sheet = [list(r) for r in book[SHEET_TITLE].iter_rows(values_only=True)]
    assert sheet[0] == list(shown.columns)
    assert sheet[1:] == rows_of(shown)
    assert sheet[1][3:6] == [0.66, 0.8, 82.5]
    name, data = download(at, media, "sp_dl_csv")
    assert name == f"biaya-platform-{month}.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(shown.columns)
    assert rows[1] == [month, "X", CITY_NAME, "0.66", "0.8", "82.5", "10890", "5"]
    # A PPID Pembantu's workbook holds their OPD only.
    own = spending_page(sign_in(app_world.world.pembantu))
    _, data = download(own, media, "sp_dl_xlsx")
    sheet = [
        list(r) for r in load_workbook(io.BytesIO(data))[SHEET_TITLE].iter_rows(values_only=True)
    ]
    assert [r[2] for r in sheet[1:]] == [DINKES]


def test_the_ledger_is_paged(app_world: AppWorld, sign_in: SignIn) -> None:
    def many(world: World) -> None:
        for hour in range(27):
            _charge(world, "0.015", world.dinkes_id, hour, "post")

    app_world.run(many)
    at = spending_page(sign_in(app_world.world.analyst))
    first = ledger_table(at)
    at.button(key="sp_ledger_next").click().run()
    second = ledger_table(at)
    assert (len(first), len(second)) == (25, 2)
    assert not set(first["Waktu (WIB)"]) & set(second["Waktu (WIB)"])
    assert at.button(key="sp_ledger_next").disabled
    assert rows_of(spending_table(at))[0][3:] == [0.405, None, None, 6682, 27]
