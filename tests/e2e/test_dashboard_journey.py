"""The journey that matters, in a real browser against the real app: a PPID Pembantu writes a post
with a photo, meets a personal-data finding, fixes it and submits; PPID Utama asks for a change;
the author fixes and resubmits; PPID Utama approves and schedules it; both see the right status;
a PPID Pembantu of another OPD never sees it. Screenshots of each step: test-artifacts/e2e/."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Artifacts, Server, free_port, siaran
from tests.world import jpeg

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-demo-e2e-123"
TOKEN = "Cempakaputih"  # a word that appears in this post only
CAPTION_WITH_PHONE = f"Posyandu {TOKEN} di Balai RW 05. Info: 0812-3456-7890"
CAPTION_FIXED = f"Posyandu {TOKEN} di Balai RW 05. Info: call center 1500-444."
CAPTION_RESUBMITTED = (
    f"Posyandu {TOKEN} di Balai RW 05, Sabtu pukul 08.00 WIB. Info: call center 1500-444."
)
COMMENT = "Mohon cantumkan jam mulai."
X_ACCOUNT = "X · Dinkes Kota Bekasi (@dinkeskotabekasi) — mode latihan"
SCREEN = "Videotron · Videotron Bekasi Timur (1408×400)"


@pytest.fixture
def dashboard(
    guarded_env: dict[str, str], start_server: Callable[..., Server], tmp_path: Path
) -> Server:
    """A fresh demo installation (SQLite) and its dashboard on a free port."""
    env = dict(guarded_env)
    siaran(env, "init")
    siaran(env, "demo", "--no-history", "--password", PASSWORD)
    port = free_port()
    env.update({"SIARAN_HOST": "127.0.0.1", "SIARAN_DASHBOARD_PORT": str(port)})
    return start_server([sys.executable, "-m", "siaran", "dashboard"], env, port, "/_stcore/health")


# --- driving Streamlit like a person ----------------------------------------------------------


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(url)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def heading(page: Any, title: str) -> None:
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def box(page: Any, label: str) -> Any:
    return page.get_by_role("textbox", name=label, exact=True)


def write(field: Any, text: str) -> None:
    """Type into a text area and apply it (Streamlit applies on Ctrl+Enter or leaving it)."""
    field.fill(text)
    field.press("Control+Enter")


def idle(page: Any) -> None:
    """Wait until the app has finished its current run (Streamlit marks it on the page)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def choose(page: Any, label: str, option: str) -> None:
    idle(page)
    combo = page.get_by_role("combobox", name=label)
    combo.click()
    if combo.get_attribute("aria-expanded") != "true":
        combo.press("ArrowDown")  # a click right after a rerun may only focus it
    page.get_by_role("option", name=option, exact=True).click()
    combo.press("Escape")


def keyed(page: Any, key: str) -> Any:
    """The element Streamlit drew for the widget with this key."""
    return page.locator(f".st-key-{key}")


def go(page: Any, title: str) -> None:
    page.get_by_role("link", name=title).click()
    heading(page, title)


def text_of(page: Any) -> str:
    return str(page.get_by_test_id("stMain").inner_text())


# --- the people -------------------------------------------------------------------------------


def author_drafts_meets_the_finding_and_submits(page: Any, shots: Artifacts, url: str) -> int:
    sign_in(page, url, "dinkes")
    heading(page, "Tulis konten")
    write(box(page, "Keterangan utama"), CAPTION_WITH_PHONE)
    finding = page.locator("mark", has_text="0812-3456-7890")
    expect(finding).to_be_visible()
    choose(page, "Akun media sosial", X_ACCOUNT)
    choose(page, "Layar videotron", SCREEN)
    page.get_by_role("tab", name="Videotron").click()
    headline = box(page, "Judul slide videotron")
    headline.fill(f"Posyandu {TOKEN} Sabtu pagi")
    headline.press("Enter")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "posyandu.jpg", "mimeType": "image/jpeg", "buffer": jpeg((1200, 900))}]
    )
    alt = box(page, "Teks alternatif foto 1 (wajib)")
    alt.fill("Kader posyandu menimbang balita")
    alt.press("Enter")
    expect(page.get_by_text(re.compile("^Pratinjau: Videotron"))).to_be_visible()
    finding.scroll_into_view_if_needed()
    shots.shot(page, "author-personal-data-finding")
    idle(page)  # a rerun still under way can show the old button beside the new one
    page.get_by_role("button", name="Ajukan untuk persetujuan").click()
    expect(page.get_by_text("Penyaringan menahan konten ini")).to_be_visible()
    shots.shot(page, "author-submit-refused")
    write(box(page, "Keterangan utama"), CAPTION_FIXED)
    expect(page.get_by_text("Penyaringan data pribadi dan DIK: tidak ada temuan.")).to_be_visible()
    idle(page)  # a rerun still under way can show the old button beside the new one
    page.get_by_role("button", name="Ajukan untuk persetujuan").click()
    done = page.get_by_text(re.compile(r"Konten #\d+ diajukan ke PPID"))
    expect(done).to_be_visible()
    shots.shot(page, "author-submitted")
    found = re.search(r"#(\d+)", done.inner_text())
    assert found is not None
    return int(found.group(1))


def reviewer_requests_a_change(page: Any, shots: Artifacts, url: str, post_id: int) -> None:
    sign_in(page, url, "utama")
    heading(page, "Antrean persetujuan")
    write(keyed(page, f"q_comment_{post_id}").locator("textarea"), COMMENT)
    expect(page.get_by_text(TOKEN).first).to_be_visible()
    shots.shot(page, "reviewer-queue")
    keyed(page, f"q_request_changes_{post_id}").get_by_role("button").click()
    expect(page.get_by_text(f"Konten #{post_id} dikembalikan untuk perbaikan.")).to_be_visible()
    shots.shot(page, "reviewer-requested-changes")


def author_fixes_and_resubmits(page: Any, shots: Artifacts, post_id: int) -> None:
    go(page, "Konten saya")
    keyed(page, f"mp_open_{post_id}").get_by_role("button").click()
    expect(page.get_by_text(COMMENT).first).to_be_visible()
    shots.shot(page, "author-sees-the-comment")
    keyed(page, f"mp_edit_{post_id}").get_by_role("button").click()
    heading(page, "Tulis konten")
    caption = box(page, "Keterangan utama")
    expect(caption).to_have_value(CAPTION_FIXED)
    write(caption, CAPTION_RESUBMITTED)
    expect(page.get_by_text("Ada perubahan belum disimpan.")).to_be_visible()
    # The saved photo came back with its alt text, as the author sees it before submitting.
    expect(box(page, "Teks alternatif foto 1 (wajib)")).to_have_value(
        "Kader posyandu menimbang balita"
    )
    idle(page)  # a rerun still under way can show the old button beside the new one
    page.get_by_role("button", name="Ajukan untuk persetujuan").click()
    expect(page.get_by_text(f"Konten #{post_id} diajukan ke PPID Utama (kota).")).to_be_visible()
    shots.shot(page, "author-resubmitted")


def reviewer_approves_and_schedules(page: Any, shots: Artifacts, post_id: int) -> None:
    go(page, "Antrean persetujuan")
    keyed(page, f"q_pick_{post_id}").get_by_text("Pilih").click()
    page.get_by_role("button", name="Setujui & jadwalkan terpilih").click()
    page.get_by_role("button", name="Ya, setujui & jadwalkan").click()  # asked once
    expect(
        page.get_by_text(re.compile(rf"Disetujui dan dijadwalkan .*#{post_id}\."))
    ).to_be_visible()
    shots.shot(page, "reviewer-approved-and-scheduled")
    choose(page, "Status", "Terjadwal")
    expect(keyed(page, f"q_unschedule_{post_id}")).to_be_visible()
    expect(page.get_by_text("Terjadwal tayang").first).to_be_visible()
    shots.shot(page, "reviewer-sees-scheduled")


def author_sees_scheduled(page: Any, shots: Artifacts, post_id: int) -> None:
    go(page, "Konten saya")
    keyed(page, f"mp_open_{post_id}").get_by_role("button").click()
    expect(page.get_by_role("heading", name=f"Konten #{post_id} · Terjadwal")).to_be_visible()
    shots.shot(page, "author-sees-scheduled")


def other_opd_never_sees_it(page: Any, shots: Artifacts, url: str, post_id: int) -> None:
    sign_in(page, url, "disdukcapil")
    heading(page, "Tulis konten")
    for title in ("Konten saya", "Kalender"):
        go(page, title)
        expect(page.get_by_text(TOKEN)).to_have_count(0)
        assert TOKEN not in text_of(page)
    go(page, "Konten saya")
    expect(keyed(page, f"mp_open_{post_id}")).to_have_count(0)
    shots.shot(page, "other-opd-sees-nothing")


def unsaved_changes_guard_the_tab(page: Any) -> None:
    go(page, "Tulis konten")
    write(box(page, "Keterangan utama"), "Draf yang belum disimpan")
    expect(page.get_by_text("Ada perubahan belum disimpan.")).to_be_visible()
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]


def test_dashboard_journey(
    dashboard: Server, new_context: Callable[..., Any], artifacts: Artifacts
) -> None:
    author = new_context().new_page()
    reviewer = new_context().new_page()
    post_id = author_drafts_meets_the_finding_and_submits(author, artifacts, dashboard.url)
    reviewer_requests_a_change(reviewer, artifacts, dashboard.url, post_id)
    author_fixes_and_resubmits(author, artifacts, post_id)
    reviewer_approves_and_schedules(reviewer, artifacts, post_id)
    author_sees_scheduled(author, artifacts, post_id)
    other_opd_never_sees_it(new_context().new_page(), artifacts, dashboard.url, post_id)
    unsaved_changes_guard_the_tab(author)
