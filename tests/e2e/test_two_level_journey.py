"""Two levels of approval in a real browser against the real app, worker and simulator: the
Dinkes OPD admin drafts a post for an account that needs both sign-offs; the Sekretaris (PPID
Pembantu) signs it off for the OPD; PPID Utama signs it off for the city and publishes it now;
the worker publishes it on the simulator. A post to an OPD-only account is approved by the
Sekretaris alone: PPID Utama is never asked. Screenshots: test-artifacts/e2e/."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from content.models import Post, PostStatus
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
from tests.world import jpeg

# Four processes and three browser contexts on a shared machine: more than the default limit.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

TOKEN = "Kenanga"  # a word that appears in these posts only
X_ACCOUNT = "X · Dinkes Kota Bekasi (@dinkeskotabekasi) — mode latihan"
IG_ACCOUNT = "Instagram · Dinkes Kota Bekasi (@dinkes.kotabekasi) — mode latihan"


def _account_id(env: dict[str, str], handle: str) -> str:
    listed = json.loads(siaran(env, "account", "list", "--json"))
    return str(next(a["id"] for a in listed if a["handle"] == handle))


def _status(env: dict[str, str], post_id: int) -> PostStatus:
    """Read from the installation's database (as the worker leaves it)."""
    engine = create_engine(f"sqlite:///{env['SIARAN_DATA_DIR']}/siaran.db")
    try:
        with Session(engine) as session:
            status = session.scalar(select(Post.status).where(Post.id == post_id))
    finally:
        engine.dispose()
    assert status is not None
    return status


@pytest.fixture
def stack(
    guarded_env: dict[str, str], start_server: Callable[..., Server], tmp_path: Path
) -> Iterator[tuple[Server, dict[str, str]]]:
    """A fresh demo installation (SQLite): Dinkes's X account needs both sign-offs, its
    Instagram account its Sekretaris's only; the simulator, the dashboard and a worker."""
    env = dict(guarded_env)
    env.update(
        {
            "SIARAN_HOST": "127.0.0.1",
            "SIARAN_SIMULATOR_PORT": str(free_port()),
            "SIARAN_DASHBOARD_PORT": str(free_port()),
        }
    )
    siaran(env, "init")
    siaran(env, "demo", "--no-history", "--password", PASSWORD)
    x = _account_id(env, "@dinkeskotabekasi")
    siaran(env, "account", "approvals", x, "--approval", "opd", "--approval", "city")
    siaran(env, "account", "approvals", _account_id(env, "@dinkes.kotabekasi"), "--approval", "opd")
    sim_port = int(env["SIARAN_SIMULATOR_PORT"])
    start_server([sys.executable, "-m", "siaran", "simulator"], env, sim_port, "/_sim/posts")
    port = int(env["SIARAN_DASHBOARD_PORT"])
    dashboard = start_server(
        [sys.executable, "-m", "siaran", "dashboard"], env, port, "/_stcore/health"
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
        yield dashboard, env
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def admin_drafts_and_submits(page: Any, shots: Artifacts, account: str, caption: str) -> int:
    """On the composer's blank form (as it is after signing in, or after a submission)."""
    heading(page, "Tulis konten")
    write(box(page, "Keterangan utama"), caption)
    choose(page, "Akun media sosial", account)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "kenanga.jpg", "mimeType": "image/jpeg", "buffer": jpeg((1200, 900))}]
    )
    alt = box(page, "Teks alternatif foto 1 (wajib)")
    alt.fill("Kader posyandu menimbang balita")
    alt.press("Enter")
    expect(page.get_by_text("Tidak ada temuan.").first).to_be_visible()
    idle(page)  # a rerun still under way can show the old button beside the new one
    page.get_by_role("button", name="Ajukan untuk persetujuan").click()
    # Two levels: the admin is told the OPD's Sekretaris signs it off first.
    done = page.get_by_text(re.compile(r"Konten #\d+ diajukan ke PPID Pembantu \(OPD\)\."))
    expect(done).to_be_visible()
    found = re.search(r"#(\d+)", done.inner_text())
    assert found is not None
    shots.shot(page, f"admin-submitted-{found.group(1)}")
    return int(found.group(1))


def approve(page: Any, post_id: int, said: str) -> None:
    go(page, "Antrean persetujuan")
    expect(page.get_by_text(TOKEN).first).to_be_visible()
    keyed(page, f"q_approve_{post_id}").get_by_role("button").click()
    expect(page.get_by_text(said)).to_be_visible()


def test_admin_drafts_sekretaris_then_ppid_utama_approve_and_it_is_published(
    stack: tuple[Server, dict[str, str]], new_context: Callable[..., Any], artifacts: Artifacts
) -> None:
    dashboard, env = stack
    admin = new_context().new_page()
    sign_in(admin, dashboard.url, "dinkes-admin")
    both = admin_drafts_and_submits(
        admin, artifacts, X_ACCOUNT, f"Posyandu {TOKEN} Sabtu pagi di RW 03."
    )
    opd_only = admin_drafts_and_submits(
        admin, artifacts, IG_ACCOUNT, f"Senam lansia {TOKEN} Minggu pagi."
    )

    sekretaris = new_context().new_page()
    sign_in(sekretaris, dashboard.url, "dinkes")
    heading(sekretaris, "Tulis konten")
    approve(sekretaris, both, f"Konten #{both} disetujui; kini menunggu persetujuan PPID Utama")
    artifacts.shot(sekretaris, "sekretaris-signed-off-for-the-opd")
    # The OPD-only account: the Sekretaris's sign-off is the last one.
    approve(sekretaris, opd_only, f"Konten #{opd_only} disetujui.")
    assert _status(env, opd_only) is PostStatus.APPROVED

    utama = new_context().new_page()
    sign_in(utama, dashboard.url, "utama")
    heading(utama, "Antrean persetujuan")
    expect(keyed(utama, f"q_approve_{opd_only}")).to_have_count(0)  # never asked
    keyed(utama, f"q_approve_{both}").get_by_role("button").click()
    expect(utama.get_by_text(f"Konten #{both} disetujui.")).to_be_visible()
    keyed(utama, f"q_now_{both}").get_by_role("button").click()
    utama.get_by_role("button", name="Ya, terbitkan sekarang").click()
    expect(utama.get_by_text(f"Konten #{both} masuk antrean terbit sekarang.")).to_be_visible()
    artifacts.shot(utama, "utama-published-now")

    # The worker publishes it on the simulator; the author sees it published.
    for _ in range(600):  # a bound on the wait, not a timed assertion
        if _status(env, both) is PostStatus.PUBLISHED:
            break
        time.sleep(0.5)
    assert _status(env, both) is PostStatus.PUBLISHED
    go(admin, "Konten saya")
    keyed(admin, f"mp_open_{both}").get_by_role("button").click()
    expect(admin.get_by_role("heading", name=f"Konten #{both} · Terpublikasi")).to_be_visible()
    artifacts.shot(admin, "admin-sees-published")
