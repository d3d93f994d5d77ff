"""Kotak masuk at city scale, in one run:

1. Ingest: 10,000 comments over 500 Facebook posts read from the simulator over HTTP by the
   publisher the worker uses. Goal: within Graph's limits — at most 50 requests a batch, 100
   comments a page — so 500 posts cost ceil(500 / 50) = 10 batch calls (plus one cursor call
   per post with more than 100 comments), and every comment is stored once.
2. The page's loads with 100,000 items against 1,000 items (temporary SQLite databases):
   the list as PPID Utama, the overdue and triage filters, an OPD's own list, one thread.
   Goal: each ratio at most 1.5.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from content import inbox
from content.infra.config import Settings
from content.infra.db import make_engine
from content.infra.migrate import upgrade
from content.infra.secrets import SecretBox
from content.infra.timeutil import utcnow
from content.models import Account, Channel, InboxItem, InboxKind, InboxStatus, Role
from content.org import accounts, opds, users
from content.org.actors import SYSTEM, Actor
from publishers.simulator.app import create_app
from publishers.simulator.comments_api import add_comment
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import FbPost, SimState
from publishers.social.registry import publisher_for

POSTS, COMMENTS = 500, 10_000
SIZES = (1_000, 100_000)
REPEATS = 25
GOAL = 1.5


def ingest() -> None:
    state = SimState()
    with tempfile.TemporaryDirectory() as tmp, BackgroundServer(create_app(state)) as server:
        with state.lock:
            for n in range(POSTS):
                post_id = f"1_{n + 1000}"
                state.fb_posts[post_id] = FbPost(post_id, "1", f"Kabar {n}", state.now() - 3600)
            posts = list(state.fb_posts)
            for n in range(COMMENTS):
                add_comment(state, posts[n % POSTS], f"Keluhan warga #{n}", f"p{n}", f"Warga {n}")
        settings = Settings(data_dir=Path(tmp), simulator_port=server.port)
        account = Account(
            kind=Channel.FACEBOOK, handle="b", display_name="B", settings={"page_id": "1"},
            is_simulator=True,
        )  # fmt: skip
        publisher = publisher_for(account, {"page_access_token": "b"}, settings)
        started = time.perf_counter()
        read = publisher.fetch_comments(posts)
        took = time.perf_counter() - started
        publisher.close()
        calls = state.requests()
    batches = [c["batch_size"] for c in calls if c["batch_size"]]
    unique = len({i.remote_id for i in read.items})
    print(
        f"  ingest: {len(read.items):,} comments ({unique:,} distinct) of {POSTS} posts in "
        f"{len(calls)} HTTP calls ({len(batches)} batches, largest {max(batches)} requests), "
        f"{took:.1f} s; complete posts {len(read.complete)}"
    )
    ok = len(calls) <= -(-POSTS // 50) and max(batches) <= 50 and unique == COMMENTS
    print(f"  ingest within Graph's limits: {'ok' if ok else 'NO'}")


def _install(folder: Path, size: int) -> tuple[Engine, Actor, Actor, int]:
    engine = make_engine(f"sqlite:///{folder / 'siaran.db'}")
    upgrade(engine)
    box = SecretBox(Fernet.generate_key())
    with Session(bind=engine) as session, session.begin():
        dinkes = opds.add_opd(session, SYSTEM, slug="dinkes", name="Dinas Kesehatan", kind="dinas")
        opds.add_opd(session, SYSTEM, slug="dishub", name="Dinas Perhubungan", kind="dinas")
        utama = users.create_user(
            session, SYSTEM, username="utama", display_name="Utama", password="bench-sandi-123",
            role=Role.PPID_UTAMA,
        )  # fmt: skip
        pembantu = users.create_user(
            session, SYSTEM, username="dinkes", display_name="Dinkes",
            password="bench-sandi-123", role=Role.PPID_PEMBANTU, opd_slug="dinkes",
        )  # fmt: skip
        account = accounts.add_account(
            session, SYSTEM, box, kind="facebook", handle="kota", display_name="Kota",
            credentials={"page_access_token": "b"}, settings={"page_id": "1"},
        )  # fmt: skip
        opd_ids = [dinkes.id, dinkes.id + 1, None]
        now = utcnow()
        rows: list[dict[str, Any]] = []
        for n in range(size):
            received = now - timedelta(days=60) * (size - n) / size  # both sizes: 60 days
            rows.append(
                {
                    "account_id": account.id,
                    "channel": Channel.FACEBOOK,
                    "kind": InboxKind.COMMENT,
                    "remote_id": f"c{n}",
                    "thread_remote_id": f"c{n}",
                    "author_handle": "",
                    "author_name": f"Warga {n}",
                    "author_remote_id": "",
                    "text": f"Keluhan #{n}",
                    "received_at": received,
                    "collected_at": received,
                    "opd_id": opd_ids[n % 3],
                    "route_reason": "account_opd",
                    "topic_phrase": "",
                    "proposal_phrase": "",
                    "status": InboxStatus.OPEN if n % 4 else InboxStatus.CLOSED,
                    "due_at": received + timedelta(hours=24),
                    "lapor_ticket": "",
                    "hidden_on_platform": False,
                    "deleted_on_platform": False,
                    "ours": False,
                    "version": 1,
                }
            )
        session.execute(insert(InboxItem), rows)
        newest = session.scalar(select(InboxItem.id).order_by(InboxItem.id.desc()).limit(1))
        assert newest is not None
        return engine, Actor.of(utama), Actor.of(pembantu), newest


def _median_ms(engine: Engine, load: Callable[[Session], object]) -> float:
    timings = []
    for attempt in range(REPEATS + 3):
        started = time.perf_counter()
        with Session(bind=engine) as session, session.begin():
            load(session)
        if attempt >= 3:
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


Install = tuple[Engine, Actor, Actor, int]
LOADS: dict[str, Callable[[Install], Callable[[Session], object]]] = {
    "daftar, PPID Utama": lambda i: lambda s: inbox.list_items(s, i[1]),
    "lewat tenggat": lambda i: lambda s: inbox.list_items(s, i[1], inbox.InboxFilter(overdue=True)),
    "menunggu penugasan": lambda i: (
        lambda s: inbox.list_items(s, i[1], inbox.InboxFilter(triage=True))
    ),
    "daftar OPD sendiri": lambda i: lambda s: inbox.list_items(s, i[2]),
    "satu utas": lambda i: lambda s: inbox.thread(s, i[1], i[3]),
}


def pages() -> None:
    with tempfile.TemporaryDirectory(prefix="siaran-bench-inbox-") as tmp:
        installs = {}
        for size in SIZES:
            folder = Path(tmp) / str(size)
            folder.mkdir()
            installs[size] = _install(folder, size)
        small, large = (installs[size] for size in SIZES)
        worst = 0.0
        for name, make in LOADS.items():
            base = _median_ms(small[0], make(small))
            big = _median_ms(large[0], make(large))
            worst = max(worst, big / base)
            print(
                f"  {name:<22} {base:6.2f} ms @ {SIZES[0]:,}  {big:6.2f} ms @ {SIZES[1]:,}"
                f"  ratio {big / base:4.2f}"
            )
        print(f"  worst ratio {worst:.2f} (goal ≤ {GOAL}): {'ok' if worst <= GOAL else 'ABOVE'}")
        for install in installs.values():
            install[0].dispose()


def main() -> None:
    ingest()
    pages()


if __name__ == "__main__":
    main()
