"""Publish lag under platform faults, with a real worker process on PostgreSQL: N targets on X,
Facebook and Instagram (a third with several photos) due at one moment, first with a platform
that answers truthfully, then with the fault mix of the worker tests — every third create is
carried out and answered 5xx, every seventh refused with 5xx — and then with a Graph that also
accepts the same message twice. Lag = due time → the target recorded as published (what the
dashboard shows). Also counts the platform's posts per target: 1 everywhere, or the run failed.
Prints each run's p50/p99 and its ratio to the no-fault baseline of the same run."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bench.pg import pg_schema
from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft
from content.infra.config import Settings
from content.infra.secrets import SecretBox
from content.infra.store import FileBlobStore
from content.infra.timeutil import utcnow
from content.models import Post, PostTarget, Role, TargetStatus
from content.org import accounts, opds, users
from content.org.actors import SYSTEM, Actor
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimConfig, SimState
from publishers.social.target import fingerprint
from publishers.videotron.feed.app import create_app as create_feed

POSTS = 40  # x 3 channels = 120 targets a run
QUOTA = 10_000  # Instagram's 100 a day would hold the third run: that is another test's subject
# The worker as the tests run it, with production's settle times scaled down alike.
SETTINGS = """
[worker]
dispatch_seconds = 0.2
parallel = 8
max_attempts = 5
backoff_seconds = 0.3
backoff_max_seconds = 2
stale_after_seconds = 3
settle_seconds = 11
answered_settle_seconds = 0.5
heartbeat_seconds = 0.5
reconcile_seconds = 1
metrics_seconds = 3600
[worker.daily_caps]
x = 100000
facebook = 100000
instagram = 100000
[publishers]
read_timeout = 10
ig_poll_interval = 0.05
"""
CREDENTIALS = {
    "x": {
        "consumer_key": "b",
        "consumer_secret": "b",
        "access_token": "b",
        "access_token_secret": "b",
    },
    "facebook": {"page_access_token": "b"},
    "instagram": {"access_token": "b"},
}
CREATES: dict[str, dict[str, Any]] = {
    "x": {"platform": "x", "method": "POST", "path": "^/2/tweets$"},
    "facebook": {
        "platform": "graph",
        "method": "POST",
        "path": "/(feed|photos)$",
        "unless": {"published": "false"},
    },
    "instagram": {"platform": "graph", "method": "POST", "path": "/media_publish$"},
}
TEXT_FIELD = {"x": "text", "facebook": "message", "instagram": "caption"}


def _jpeg(colour: str) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, "JPEG")
    return out.getvalue()


def _setup(engine: Engine, key: bytes, store: FileBlobStore) -> tuple[Actor, Actor, list[int]]:
    with Session(engine) as s, s.begin():
        opds.add_opd(s, SYSTEM, slug="dinkes", name="Dinas Kesehatan", kind="dinas")
        author = users.create_user(
            s,
            SYSTEM,
            username="penulis",
            display_name="P",
            password="x" * 12,
            role=Role.PPID_PEMBANTU,
            opd_slug="dinkes",
        )
        utama = users.create_user(
            s, SYSTEM, username="utama", display_name="U", password="x" * 12, role=Role.PPID_UTAMA
        )
        ids = [
            accounts.add_account(
                s,
                SYSTEM,
                SecretBox(key),
                kind=kind,
                handle=f"@bench-{kind}",
                display_name=kind,
                credentials=CREDENTIALS[kind],
                settings={"page_id": "bench-page", "ig_user_id": "bench-ig"},
                opd_slug="dinkes",
                is_simulator=True,
            ).id
            for kind in ("x", "facebook", "instagram")
        ]
        return Actor.of(author), Actor.of(utama), ids


def _approve(
    engine: Engine, people: tuple[Actor, Actor, list[int]], tag: str, store: FileBlobStore
) -> list[int]:
    author, utama, account_ids = people
    ids = []
    with Session(engine) as s, s.begin():
        photos = [
            store_upload(s, author, store, _jpeg(c), filename=f"{c}.jpg").id
            for c in ("navy", "maroon", "olive")
        ]
        for n in range(POSTS):
            shots = photos[: 1 + n % 3]  # one, two or three photos
            post = create_draft(
                s,
                author,
                author.opd_id or 0,
                DraftInput(
                    caption=f"Kabar {tag} nomor {n} untuk warga Kota Bekasi.",
                    account_ids=account_ids,
                    photos=[PhotoInput(m, "Foto kegiatan") for m in shots],
                ),
            )
            workflow.submit(s, author, post.id)
            workflow.approve(s, utama, post.id)
            ids.append(post.id)
    return ids


def _due_all(engine: Engine, utama: Actor, ids: list[int], lead: float) -> float:
    due = utcnow() + timedelta(seconds=lead)
    with Session(engine) as s, s.begin():
        for post_id in ids:
            workflow.schedule(s, utama, post_id, due)
    return due.timestamp()


def _targets(engine: Engine, ids: list[int]) -> list[tuple[PostTarget, str]]:
    with Session(engine) as s:
        query = select(PostTarget, Post.caption).join(Post).where(PostTarget.post_id.in_(ids))
        return [(t, caption) for t, caption in s.execute(query).all()]


def _settled(engine: Engine, ids: list[int]) -> bool:
    done = {TargetStatus.PUBLISHED, TargetStatus.FAILED}
    return all(t.status in done for t, _ in _targets(engine, ids))


def _posts_per_target(state: SimState, engine: Engine, ids: list[int]) -> Counter[int]:
    """How many platform posts each target has (by channel and text fingerprint)."""
    from publishers.simulator.admin import snapshot

    held: Counter[tuple[str, str]] = Counter()
    for channel, posts in snapshot(state).items():
        for post in posts if channel in TEXT_FIELD else []:
            held[(channel, fingerprint(str(post.get(TEXT_FIELD[channel]) or "")))] += 1
    return Counter(
        held[(t.channel.value, fingerprint(caption))] for t, caption in _targets(engine, ids)
    )


@contextmanager
def _worker(env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(
        [sys.executable, "-m", "siaran", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=60)


def _run(
    engine: Engine,
    env: dict[str, str],
    state: SimState,
    *,
    store: FileBlobStore,
    people: tuple[Actor, Actor, list[int]],
    tag: str,
) -> tuple[list[float], Counter[int], int]:
    ids = _approve(engine, people, tag, store)
    with _worker(env):
        due = _due_all(engine, people[1], ids, lead=6)  # the worker is up and idle by then
        deadline = time.monotonic() + 600
        while not _settled(engine, ids):
            if time.monotonic() > deadline:
                raise RuntimeError("publication did not finish")
            time.sleep(0.3)
    rows = _targets(engine, ids)
    lags = [t.published_at.timestamp() - due for t, _ in rows if t.published_at is not None]
    failed = sum(t.status is TargetStatus.FAILED for t, _ in rows)
    return lags, _posts_per_target(state, engine, ids), failed


def _faults(state: SimState, *, accept_duplicates: bool) -> None:
    state.faults.clear()
    state.config = SimConfig(
        ig_processing_seconds=0.05,
        ig_quota_total=QUOTA,
        graph_accepts_duplicates=accept_duplicates,
    )
    for create in CREATES.values():
        state.faults.add({**create, "kind": "created_then_error", "every": 3})
        state.faults.add({**create, "kind": "server_error", "every": 7})


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def _line(name: str, lags: list[float], base: list[float] | None) -> str:
    p50, p99 = statistics.median(lags), _p99(lags)
    line = f"{name}: p50 {p50:.2f} s, p99 {p99:.2f} s"
    if base:
        line += f" ({p50 / statistics.median(base):.2f}× / {p99 / _p99(base):.2f}× the baseline)"
    return line


def main() -> None:
    with pg_schema() as engine, tempfile.TemporaryDirectory() as tmp:
        if engine is None:
            return
        data = Path(tmp)
        (data / "siaran.toml").write_text(SETTINGS, encoding="utf-8")
        store = FileBlobStore(data / "media")
        key = Fernet.generate_key()
        people = _setup(engine, key, store)
        state = SimState()
        feed_app = create_feed(Settings(data_dir=data), engine=engine, store=store)
        with BackgroundServer(create_app(state)) as sim, BackgroundServer(feed_app) as feed:
            env = dict(
                os.environ,
                SIARAN_DATA_DIR=str(data),
                SIARAN_SECRET_KEY=key.decode(),
                DATABASE_URL=engine.url.render_as_string(hide_password=False),
                SIARAN_SIMULATOR_PORT=str(sim.port),
                SIARAN_FEED_PORT=str(feed.port),
                SIARAN_HOST="127.0.0.1",
            )
            state.config = SimConfig(ig_processing_seconds=0.05, ig_quota_total=QUOTA)
            run = partial(_run, engine, env, state, store=store, people=people)
            runs = {"no faults": run(tag="bersih")}
            _faults(state, accept_duplicates=False)
            runs["5xx mix"] = run(tag="gangguan")
            _faults(state, accept_duplicates=True)
            runs["5xx mix, Graph accepts duplicates"] = run(tag="ganda")
    base = runs["no faults"][0]
    targets = POSTS * 3
    print(f"  {targets} targets due at once (X, Facebook, Instagram; 1-3 photos), 1 worker")
    for name, (lags, per_target, failed) in runs.items():
        print("  " + _line(name, lags, None if name == "no faults" else base))
        counts = ", ".join(f"{n} post(s): {k} targets" for n, k in sorted(per_target.items()))
        print(f"    platform posts per target: {counts}; failed: {failed}")
