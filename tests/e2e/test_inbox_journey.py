"""Kotak masuk end to end, in a real browser against the real app, worker and simulator: a
citizen's complaint arrives on the simulator's Facebook post of the city's page → the worker's
collector reads it → it appears in Kotak masuk → PPID Utama assigns it to Dinkes → Dinkes' PPID
Pembantu answers → the reply is on the simulator's thread (read over HTTP) → closed → Dinkes'
complaint-handling figures (Monev Pengaduan) move. Disdukcapil's Pembantu never sees it.
Screenshots of each step: test-artifacts/e2e/."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from content import inbox
from content.editorial.posts import DraftInput, create_draft
from content.infra.config import load_settings
from content.infra.db import make_engine
from content.infra.timeutil import utcnow
from content.models import Account, InboxItem, InboxStatus, Opd, PostTarget, TargetStatus, User
from content.org.actors import Actor
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimState
from tests.e2e.conftest import Artifacts, Server, free_port, siaran
from tests.e2e.test_dashboard_journey import (
    PASSWORD,
    expect,
    go,
    heading,
    idle,
    sign_in,
    text_of,
    write,
)

pytestmark = pytest.mark.e2e

PAGE = "pemkotbekasi"  # the demo's city Facebook page (simulator page id "sim-pemkotbekasi")
COMPLAINT = "Puskesmas Jatiasih tutup jam 10 pagi, antrean vaksin balita terlantar"
ANSWER = "Terima kasih laporannya. Puskesmas Jatiasih kini buka sampai pukul 14.00 WIB."
FAST = """
[worker]
dispatch_seconds = 0.5
heartbeat_seconds = 1
reconcile_seconds = 2
metrics_seconds = 3600
tokens_hours = 24

[inbox]
collect_seconds = 1
send_seconds = 0.5
escalate_seconds = 5
"""


class Installation:
    """The demo installation the app and the worker share, as the test sees it."""

    def __init__(self, env: dict[str, str], sim_url: str) -> None:
        self.env, self.sim_url = env, sim_url
        self.engine: Engine = make_engine(load_settings(env).database_url)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def sim(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = requests.request(method, f"{self.sim_url}{path}", timeout=10, **kwargs)
        answer.raise_for_status()
        return answer.json()

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = 90) -> None:
        """Wait for the worker (not an assertion on how long it takes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.3)
        raise AssertionError(f"waited in vain for {what}")

    def opd_id(self, slug: str) -> int:
        with self.session() as s:
            return int(s.scalars(select(Opd.id).where(Opd.slug == slug)).one())

    def item(self) -> InboxItem | None:
        with self.session() as s:
            return s.scalars(select(InboxItem).where(InboxItem.text == COMPLAINT)).one_or_none()

    def city_post_on_facebook(self) -> str:
        """Diskominfostandi's post, published on the city's Facebook page of the simulator."""
        [remote_id] = self.sim(
            "POST", "/_sim/seed", json={"platform": "facebook", "owner": f"sim-{PAGE}"}
        )["ids"]
        with self.session() as s, s.begin():
            author = Actor.of(s.scalars(select(User).where(User.username == "utama")).one())
            page = s.scalars(select(Account).where(Account.handle == PAGE)).one()
            assert author.opd_id is not None
            post = create_draft(
                s, author, author.opd_id,
                DraftInput(caption="Jadwal layanan puskesmas pekan ini", account_ids=[page.id]),
            )  # fmt: skip
            target = s.scalars(select(PostTarget).where(PostTarget.post_id == post.id)).one()
            target.status, target.remote_id = TargetStatus.PUBLISHED, str(remote_id)
            target.published_at = utcnow()
        return str(remote_id)

    def complaint_score(self, slug: str) -> tuple[float | None, float | None]:
        """Dinkes' Monev Pengaduan figures: share answered in time, share closed."""
        now = utcnow()
        with self.session() as s:
            m = inbox.measures(s, self.opd_id(slug), now - timedelta(days=1), now)
            return m.share_in_time, m.share_closed


@pytest.fixture
def installation(
    guarded_env: dict[str, str], start_server: Callable[..., Server], tmp_path: Path
) -> Iterator[tuple[Installation, Server]]:
    """A fresh demo installation (SQLite), the simulator, the worker and the dashboard."""
    env = dict(guarded_env)
    siaran(env, "init")
    siaran(env, "demo", "--no-history", "--password", PASSWORD)
    settings_file = Path(env["SIARAN_DATA_DIR"]) / "siaran.toml"
    before = settings_file.read_text(encoding="utf-8") if settings_file.is_file() else ""
    settings_file.write_text(before + FAST, encoding="utf-8")
    with BackgroundServer(create_app(SimState())) as simulator:
        env.update({"SIARAN_HOST": "127.0.0.1", "SIARAN_SIMULATOR_PORT": str(simulator.port)})
        world = Installation(env, simulator.url)
        worker_log = tmp_path / "worker.log"
        with worker_log.open("wb") as out:
            worker = subprocess.Popen(
                [sys.executable, "-m", "siaran", "worker"], env=env, stdout=out, stderr=out
            )
        try:
            port = free_port()
            env["SIARAN_DASHBOARD_PORT"] = str(port)
            app = start_server(
                [sys.executable, "-m", "siaran", "dashboard"], env, port, "/_stcore/health"
            )
            yield world, app
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            world.engine.dispose()


def choose_typed(page: Any, label: str, option: str) -> None:
    """Pick from a long select box by typing (its list is drawn only in part)."""
    idle(page)
    combo = page.get_by_role("combobox", name=label)
    combo.click()
    combo.fill(option)
    page.get_by_role("option", name=option, exact=True).click()


def test_a_complaint_is_collected_assigned_answered_closed_and_scored(
    installation: tuple[Installation, Server],
    new_context: Callable[..., Any],
    artifacts: Artifacts,
) -> None:
    world, app = installation
    post = world.city_post_on_facebook()
    assert world.complaint_score("dinkes") == (None, None)  # nothing reached Dinkes yet
    complaint = str(
        world.sim(
            "POST", "/_sim/comments",
            json={"object_id": post, "message": COMPLAINT, "from_name": "Warga Jatiasih"},
        )["id"]
    )  # fmt: skip
    world.wait(lambda: world.item() is not None, "the collector to read the complaint")

    utama = new_context().new_page()
    sign_in(utama, app.url, "utama")
    heading(utama, "Antrean persetujuan")
    go(utama, "Kotak masuk")
    expect(utama.get_by_text(COMPLAINT).first).to_be_visible()
    artifacts.shot(utama, "utama-sees-the-complaint")
    choose_typed(utama, "Tugaskan ke OPD", "Dinkes")
    idle(utama)
    utama.get_by_role("button", name="Tugaskan", exact=True).click()
    expect(utama.get_by_text("Pesan ditugaskan ke OPD.")).to_be_visible()
    artifacts.shot(utama, "utama-assigned-to-dinkes")
    assigned = world.item()
    assert assigned is not None and assigned.opd_id == world.opd_id("dinkes")

    pembantu = new_context().new_page()
    sign_in(pembantu, app.url, "dinkes")
    heading(pembantu, "Tulis konten")
    expect(pembantu.get_by_role("link", name="Kotak masuk (1)")).to_be_visible()  # waits for it
    go(pembantu, "Kotak masuk")
    expect(pembantu.get_by_text(COMPLAINT).first).to_be_visible()
    write(pembantu.get_by_role("textbox", name="Balasan", exact=True), ANSWER)
    idle(pembantu)
    pembantu.get_by_role("button", name="Kirim balasan").click()
    expect(pembantu.get_by_text("Balasan disimpan dan segera dikirim.")).to_be_visible()
    artifacts.shot(pembantu, "pembantu-answered")

    def on_the_thread() -> bool:
        comments = world.sim("GET", "/_sim/comments")["comments"]
        return any(c["parent_id"] == complaint and c["message"] == ANSWER for c in comments)

    world.wait(on_the_thread, "the worker to send the reply to the simulator's thread")
    [reply] = [c for c in world.sim("GET", "/_sim/comments")["comments"] if c["message"] == ANSWER]
    assert reply["from_id"] == f"sim-{PAGE}"  # from the city's page, under the complaint
    world.wait(lambda: getattr(world.item(), "status", None) is InboxStatus.ANSWERED, "settling")

    go(pembantu, "Kotak masuk")  # a fresh run: the item as the worker left it
    expect(pembantu.get_by_text("Terkirim").first).to_be_visible()
    idle(pembantu)
    pembantu.get_by_role("button", name="Selesaikan").click()
    expect(pembantu.get_by_text("Pesan diselesaikan.")).to_be_visible()
    artifacts.shot(pembantu, "pembantu-closed")
    closed = world.item()
    assert closed is not None and closed.status is InboxStatus.CLOSED
    assert world.complaint_score("dinkes") == (1.0, 1.0)  # answered in time, closed

    other = new_context().new_page()
    sign_in(other, app.url, "disdukcapil")
    heading(other, "Tulis konten")
    go(other, "Kotak masuk")
    expect(other.get_by_text("Tidak ada pesan untuk saringan ini.")).to_be_visible()
    assert COMPLAINT not in text_of(other)
    artifacts.shot(other, "other-opd-sees-nothing")
