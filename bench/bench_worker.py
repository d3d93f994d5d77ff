"""Publish lag with real worker processes: 500 targets due at the same moment, on PostgreSQL
with one, two and four workers and on the embedded SQLite with one; lag = due time → the
simulator receiving the post. The floor, measured in the same run, is the same 500 posts sent
one after another straight through the publisher (no database, no claims). CPU per target is
the workers' own CPU time (user + system, from /proc) while they publish, over 500.

Goals (issue #18): two workers on PostgreSQL p99 ≤ 2 s (last ≤ 2.5 s), one worker ≤ 3 s,
SQLite ≤ 4 s, CPU ≤ 5 ms a target."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.pg import pg_schema
from content.editorial import workflow
from content.editorial.posts import DraftInput, create_draft
from content.infra.db import make_engine
from content.infra.migrate import upgrade
from content.infra.secrets import SecretBox
from content.infra.timeutil import utcnow
from content.models import Account, Channel, Role
from content.org import accounts, opds, users
from content.org.actors import SYSTEM, Actor
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimState
from publishers.social.registry import publisher_for
from publishers.social.target import TargetContent

COUNT = 500
SETTINGS = """
[worker]
dispatch_seconds = 0.2
parallel = 8
queued = 16
reconcile_seconds = 5
metrics_seconds = 3600
[worker.daily_caps]
x = 100000
"""
CREDS = {
    "consumer_key": "b",
    "consumer_secret": "b",
    "access_token": "b",
    "access_token_secret": "b",
}


def _setup(engine: Engine, key: bytes) -> tuple[Actor, Actor, int]:
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
        account = accounts.add_account(
            s,
            SYSTEM,
            SecretBox(key),
            kind="x",
            handle="@bench",
            display_name="B",
            credentials=CREDS,
            opd_slug="dinkes",
            is_simulator=True,
        )
        return Actor.of(author), Actor.of(utama), account.id


def _approve(engine: Engine, author: Actor, utama: Actor, account_id: int, tag: str) -> list[int]:
    ids = []
    with Session(engine) as s, s.begin():
        for n in range(COUNT):
            post = create_draft(
                s,
                author,
                author.opd_id or 0,
                DraftInput(caption=f"Kabar {tag} nomor {n}", account_ids=[account_id]),
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


def _lags(state: SimState, due: float, tag: str) -> list[float]:
    posts = list(state.x_posts.copy().values())  # the simulator adds posts meanwhile
    return [p.created_at - due for p in posts if f"Kabar {tag} " in p.text]


def _cpu_seconds(pid: int) -> float:
    """The process's own CPU time so far (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(
    engine: Engine,
    env: dict[str, str],
    workers: int,
    tag: str,
    *,
    state: SimState,
    people: tuple[Actor, Actor, int],
) -> tuple[list[float], float]:
    """(lags, the workers' CPU seconds spent while publishing)."""
    author, utama, account_id = people
    ids = _approve(engine, author, utama, account_id, tag)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "siaran", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        due = _due_all(engine, utama, ids, lead=6)  # workers are up and idle when it falls due
        while time.time() < due:
            time.sleep(0.05)
        idle = sum(_cpu_seconds(p.pid) for p in procs)
        deadline = time.monotonic() + 600
        while len(_lags(state, due, tag)) < COUNT:
            if time.monotonic() > deadline:
                raise RuntimeError("publication did not finish")
            time.sleep(0.2)
        time.sleep(0.5)  # the last outcomes are written
        cpu = sum(_cpu_seconds(p.pid) for p in procs) - idle
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)
    return _lags(state, due, tag), cpu


def _floor(server: BackgroundServer, data_dir: Path) -> float:
    from content.infra.config import Settings

    settings = Settings(data_dir=data_dir, simulator_port=server.port)
    account = Account(
        kind=Channel.X,
        handle="@floor",
        display_name="F",
        settings={},
        is_simulator=True,
    )
    publisher = publisher_for(account, CREDS, settings)
    started = time.perf_counter()
    for n in range(COUNT):
        content = TargetContent(post_id=n, target_id=n, channel=account.kind, text=f"Lantai {n}")
        publisher.publish(content)
    publisher.close()
    return (time.perf_counter() - started) / COUNT


def _summary(name: str, lags: list[float], cpu: float, floor: float) -> str:
    q = statistics.quantiles(lags, n=100)
    return (
        f"{name}: p50 {statistics.median(lags):.2f} s, p99 {q[98]:.2f} s, "
        f"last {max(lags):.2f} s ({max(lags) / (floor * COUNT):.1f}× the floor), "
        f"CPU {cpu / COUNT * 1000:.1f} ms a target"
    )


def _environment(engine: Engine, data: Path, key: bytes, port: int) -> dict[str, str]:
    return dict(
        os.environ,
        SIARAN_DATA_DIR=str(data),
        SIARAN_SECRET_KEY=key.decode(),
        DATABASE_URL=engine.url.render_as_string(hide_password=False),
        SIARAN_SIMULATOR_PORT=str(port),
        SIARAN_HOST="127.0.0.1",
    )


def main() -> None:
    results: list[tuple[str, tuple[list[float], float]]] = []
    with pg_schema() as engine, tempfile.TemporaryDirectory() as tmp:
        if engine is None:
            return
        state = SimState()
        with BackgroundServer(create_app(state)) as server:
            data = Path(tmp)
            (data / "siaran.toml").write_text(SETTINGS, encoding="utf-8")
            key = Fernet.generate_key()
            people = _setup(engine, key)
            env = _environment(engine, data, key, server.port)
            floor = _floor(server, data)
            for workers, tag in ((1, "satu"), (2, "dua"), (4, "empat")):
                run = _run(engine, env, workers, tag, state=state, people=people)
                results.append((f"PostgreSQL, {workers} worker(s)", run))
            lite = make_engine(f"sqlite:///{data / 'siaran.db'}")
            upgrade(lite)
            lite_people = _setup(lite, key)
            lite_env = _environment(lite, data, key, server.port)
            run = _run(lite, lite_env, 1, "lite", state=state, people=lite_people)
            results.append(("SQLite, 1 worker", run))
            lite.dispose()
    print(
        f"  floor: {floor * 1000:.1f} ms a post straight through the publisher "
        f"({floor * COUNT:.1f} s for {COUNT})"
    )
    for name, (lags, cpu) in results:
        print("  " + _summary(f"{COUNT} due at once, {name}", lags, cpu, floor))
