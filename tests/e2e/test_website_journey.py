"""The website channel in a real browser against the real app, worker and simulator: the Dinkes
PPID writes a post for the OPD's WordPress site in the Website tab (title and body, the page
previewed escaped), PPID Utama approves it and publishes it at once, the worker posts it to the
simulator's WordPress, the status page lists it under Website, and its live link there opens
the site's page for it. Screenshots: test-artifacts/e2e/."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import REPO, Artifacts, Server, free_port, siaran
from tests.e2e.test_dashboard_journey import (
    PASSWORD,
    box,
    choose,
    expect,
    go,
    heading,
    idle,
    keyed,
    sign_in,
    write,
)

pytestmark = pytest.mark.e2e

TOKEN = "Jatimulya"  # a word in this post only
CAPTION = f"Imunisasi dasar gratis di Puskesmas {TOKEN}, Sabtu pukul 08.00 WIB.\nBawa buku KIA."
TITLE = f"Imunisasi <gratis> di {TOKEN}"
WEBSITE = "Website · Website Dinkes Kota Bekasi (dinkes.bekasikota.go.id) — mode latihan"


@pytest.fixture
def stack(
    guarded_env: dict[str, str], start_server: Callable[..., Server], tmp_path: Path
) -> Iterator[tuple[Server, Server]]:
    """A fresh demo installation with its simulator, dashboard and worker."""
    env = dict(guarded_env)
    siaran(env, "init")
    siaran(env, "demo", "--no-history", "--password", PASSWORD)
    env.update(
        {
            "SIARAN_HOST": "127.0.0.1",
            "SIARAN_SIMULATOR_PORT": str(free_port()),
            "SIARAN_DASHBOARD_PORT": str(free_port()),
            "SIARAN_FEED_PORT": str(free_port()),
        }
    )
    simulator = start_server(
        [sys.executable, "-m", "siaran", "simulator"],
        env,
        int(env["SIARAN_SIMULATOR_PORT"]),
        "/_sim/health",
    )
    dashboard = start_server(
        [sys.executable, "-m", "siaran", "dashboard"],
        env,
        int(env["SIARAN_DASHBOARD_PORT"]),
        "/_stcore/health",
    )
    with (tmp_path / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "siaran", "worker"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield dashboard, simulator
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def author_writes_for_the_website(page: Any, shots: Artifacts, url: str) -> int:
    sign_in(page, url, "dinkes")
    heading(page, "Tulis konten")
    write(box(page, "Keterangan utama"), CAPTION)
    choose(page, "Akun media sosial", WEBSITE)
    page.get_by_role("tab", name="Website").click()
    title = box(page, "Judul untuk Website")
    title.fill(TITLE)
    title.press("Enter")
    idle(page)
    # The page as the site will show it: the title's markup stays text.
    expect(page.get_by_text("Pratinjau halaman Website")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    shots.shot(page, "website-author-tab")
    idle(page)
    page.get_by_role("button", name="Ajukan untuk persetujuan").click()
    done = page.get_by_text(re.compile(r"Konten #\d+ diajukan ke PPID"))
    expect(done).to_be_visible()
    found = re.search(r"#(\d+)", done.inner_text())
    assert found is not None
    return int(found.group(1))


def reviewer_approves_and_publishes(page: Any, shots: Artifacts, url: str, post_id: int) -> None:
    sign_in(page, url, "utama")
    heading(page, "Antrean persetujuan")
    keyed(page, f"q_approve_{post_id}").get_by_role("button").click()
    expect(page.get_by_text(f"Konten #{post_id} disetujui", exact=False)).to_be_visible()
    keyed(page, f"q_now_{post_id}").get_by_role("button").click()
    page.get_by_role("button", name="Ya, terbitkan sekarang").click()
    shots.shot(page, "website-reviewer-published-now")


def status_lists_it(page: Any, shots: Artifacts) -> None:
    go(page, "Status publikasi")
    section = page.get_by_text("Website", exact=True)
    for _ in range(60):  # the worker publishes within seconds; the page shows it on a rerun
        if section.count():
            break
        page.wait_for_timeout(1000)
        go(page, "Status publikasi")
    expect(section.first).to_be_visible()
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    shots.shot(page, "website-status-page")


def the_live_link_opens_the_sites_page(
    page: Any, shots: Artifacts, post_id: int, simulator: Server
) -> None:
    # The status page lists the live post under Website: its link opens the site's page.
    live = page.get_by_role("link", name=f"Buka #{post_id}")
    expect(live).to_be_visible()
    href = str(live.get_attribute("href"))
    assert href.startswith(f"{simulator.url}/situs/siaran-")
    page.goto(href)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("Bawa buku KIA.")).to_be_visible()
    shots.shot(page, "website-live-page")


def test_website_journey(
    stack: tuple[Server, Server], new_context: Callable[..., Any], artifacts: Artifacts
) -> None:
    dashboard, simulator = stack
    author = new_context().new_page()
    reviewer = new_context().new_page()
    post_id = author_writes_for_the_website(author, artifacts, dashboard.url)
    reviewer_approves_and_publishes(reviewer, artifacts, dashboard.url, post_id)
    status_lists_it(reviewer, artifacts)
    the_live_link_opens_the_sites_page(reviewer, artifacts, post_id, simulator)
