"""Real worker processes against the simulator over real HTTP, on both databases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.editorial import workflow
from content.editorial.posts import DraftInput, create_draft
from content.infra.config import Settings
from content.models import Post, PostStatus, PostTarget, PublishAttempt, TargetStatus
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimState
from tests.conftest import GUARD_DIR, Database
from tests.world import World, build_world

WORKER_SETTINGS = """
[worker]
dispatch_seconds = 0.2
parallel = 8
max_attempts = 4
backoff_seconds = 0.3
backoff_max_seconds = 2
stale_after_seconds = 3
settle_seconds = 11
answered_settle_seconds = 0.5
heartbeat_seconds = 0.5
reconcile_seconds = 1
metrics_seconds = 3600
tokens_hours = 24
shutdown_grace_seconds = 20

[worker.daily_caps]
x = 100000
facebook = 100000
instagram = 100000

[publishers]
read_timeout = 10
"""


@pytest.fixture(scope="session")
def simulator() -> Iterator[tuple[BackgroundServer, SimState]]:
    state = SimState()
    with BackgroundServer(create_app(state)) as server:
        yield server, state


class Sim:
    def __init__(self, url: str, state: SimState) -> None:
        self.url, self.state = url, state

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(method, f"{self.url}{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def fault(self, **spec: Any) -> None:
        self.call("POST", "/_sim/faults", json=spec)

    def x_posts(self) -> list[dict[str, Any]]:
        return [p for p in self.call("GET", "/_sim/posts")["x"]]

    def calls(self, **params: str) -> int:
        return int(self.call("GET", "/_sim/requests", params=params)["count"])


@dataclass
class Stack:
    database: Database
    world_key: str
    data_dir: Path
    sim: Sim
    env: dict[str, str]
    x_account: int
    fb_account: int
    utama_id: int
    ig_account: int = 0
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def session(self) -> Session:
        return Session(self.database.engine, expire_on_commit=False)

    def daily_cap(self, channel: str, cap: int) -> None:
        """Change one account cap in the settings file the next worker reads."""
        path = self.data_dir / "siaran.toml"
        text = path.read_text(encoding="utf-8").replace(f"{channel} = 100000", f"{channel} = {cap}")
        path.write_text(text, encoding="utf-8")

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = open(self.data_dir / f"worker-{len(self.workers)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "siaran", "worker"], env=self.env, stdout=log, stderr=log
        )
        self.workers.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace") for p in sorted(self.data_dir.glob("worker-*.log"))
        )

    def due_posts(
        self,
        count: int,
        *,
        channels: str = "x",
        prefix: str = "Info",
        photos: Callable[[int], int] = lambda n: 0,
    ) -> list[int]:
        """`count` approved posts published now (the workflow, in one transaction); post `n`
        carries `photos(n)` photos (Instagram needs at least one)."""
        from content.editorial.media import store_upload
        from content.editorial.posts import PhotoInput
        from content.infra.store import FileBlobStore
        from content.models import User
        from content.org.actors import Actor
        from tests.world import jpeg

        ids = []
        store = FileBlobStore(self.data_dir / "media")
        with self.session() as s, s.begin():
            author = Actor.of(s.scalars(select(User).where(User.username == "dinkes")).one())
            utama = Actor.of(s.get(User, self.utama_id))  # type: ignore[arg-type]
            accounts = {
                "x": [self.x_account],
                "fb": [self.fb_account],
                "x+fb": [self.x_account, self.fb_account],
                "x+fb+ig": [self.x_account, self.fb_account, self.ig_account],
            }
            shots = [
                store_upload(s, author, store, jpeg(colour=colour), filename=f"{colour}.jpg").id
                for colour in ("navy", "maroon", "olive")
            ]
            for n in range(count):
                post = create_draft(
                    s,
                    author,
                    author.opd_id or 0,
                    DraftInput(
                        caption=f"{prefix} layanan kesehatan nomor {n} untuk warga Bekasi.",
                        account_ids=accounts[channels],
                        photos=[PhotoInput(m, "Kader posyandu") for m in shots[: photos(n)]],
                    ),
                )
                workflow.submit(s, author, post.id)
                workflow.approve(s, utama, post.id)
                workflow.publish_now(s, utama, post.id)
                ids.append(post.id)
        return ids

    def target_statuses(self) -> dict[TargetStatus, int]:
        with self.session() as s:
            rows = s.execute(select(PostTarget.status, func.count()).group_by(PostTarget.status))
            return {status: count for status, count in rows.all()}

    def wait(self, condition: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}\n{self.logs()[-4000:]}")

    def all_published(self, count: int) -> bool:
        return self.target_statuses().get(TargetStatus.PUBLISHED, 0) == count

    def attempts(self, target_id: int) -> list[PublishAttempt]:
        with self.session() as s:
            query = select(PublishAttempt).where(PublishAttempt.target_id == target_id)
            return list(s.scalars(query.order_by(PublishAttempt.id)))

    def post(self, post_id: int) -> Post:
        with self.session() as s:
            post = s.get(Post, post_id)
            assert post is not None
            _ = post.targets
            return post

    def stop_all(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def stack(
    committed: Database,
    simulator: tuple[BackgroundServer, SimState],
    tmp_path: Path,
) -> Iterator[Stack]:
    server, state = simulator
    sim = Sim(server.url, state)
    sim.call("POST", "/_sim/reset")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "siaran.toml").write_text(WORKER_SETTINGS, encoding="utf-8")
    with Session(committed.engine) as s, s.begin():
        world: World = build_world(s, data_dir / "media")
        ids = (world.x_account, world.fb_account, world.utama.user_id, world.ig_account)
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(GUARD_DIR), env.get("PYTHONPATH", "")])
            ),
            "SIARAN_DATA_DIR": str(data_dir),
            "DATABASE_URL": committed.url,
            "SIARAN_SECRET_KEY": world.secret_key,
            "SIARAN_HOST": "127.0.0.1",
            "SIARAN_SIMULATOR_PORT": str(server.port),
        }
    )
    stack = Stack(
        committed, world.secret_key, data_dir, sim, env, ids[0], ids[1], ids[2] or 0, ids[3]
    )
    try:
        yield stack
    finally:
        stack.stop_all()


@pytest.fixture
def media_feed(stack: Stack) -> Iterator[str]:
    """The real feed app serving the stack's photos, where the simulator fetches them for
    Instagram as Meta does (workers started afterwards are told its port)."""
    from content.infra.store import FileBlobStore
    from publishers.videotron.feed.app import create_app as create_feed

    settings = Settings(data_dir=stack.data_dir, database_url=stack.database.url)
    app = create_feed(
        settings, engine=stack.database.engine, store=FileBlobStore(stack.data_dir / "media")
    )
    with BackgroundServer(app) as feed:
        stack.env["SIARAN_FEED_PORT"] = str(feed.port)
        yield feed.url


__all__ = ["PostStatus", "Stack"]
