"""The data the dashboard's two busiest pages load per click, with 100,000 posts in the database
against the same pages with 1,000 posts, measured in the same run on temporary SQLite databases
(demo data plus `content.infra.demo.bulk_posts`). Pagination and indexed queries should keep each
ratio near 1 (goal: at most 1.5); loading whole tables would make it grow with the data.

    approval queue   review_queue.queue_page (page 1 and page 5, 10 items with targets,
                     photos, findings and the authors' records) as PPID Utama
    Konten saya      my_posts.my_posts (page 1, all statuses and drafts only, 20 items with
                     counts per status) as a PPID Pembantu
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from content.editorial.my_posts import my_posts
from content.editorial.review_queue import queue_page
from content.infra.db import make_engine
from content.infra.demo import bulk_posts, load_demo
from content.infra.migrate import upgrade
from content.infra.secrets import SecretBox
from content.infra.store import FileBlobStore
from content.models import PostStatus
from content.org.actors import Actor
from content.org.users import actor_for

SIZES = (1_000, 100_000)
REPEATS = 25
GOAL = 1.5
PASSWORD = "bench-sandi-123"


@dataclass(frozen=True)
class Installation:
    engine: Engine
    utama: Actor
    pembantu: Actor


def _install(folder: Path, posts: int) -> Installation:
    engine = make_engine(f"sqlite:///{folder / 'siaran.db'}")
    upgrade(engine)
    box, store = SecretBox(Fernet.generate_key()), FileBlobStore(folder / "media")
    with Session(bind=engine) as session, session.begin():
        load_demo(session, box, store, password=PASSWORD)
        bulk_posts(session, posts - 7)  # the demo brings seven sample posts
    with Session(bind=engine) as session:
        return Installation(engine, actor_for(session, "utama"), actor_for(session, "dinkes"))


def _median_ms(engine: Engine, load: Callable[[Session], object]) -> float:
    """One short transaction per load, as the page does; the median of several."""
    timings = []
    for attempt in range(REPEATS + 3):
        started = time.perf_counter()
        with Session(bind=engine) as session, session.begin():
            load(session)
        if attempt >= 3:  # the first runs warm the caches
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


LOADS: dict[str, Callable[[Installation], Callable[[Session], object]]] = {
    "antrean persetujuan, hal. 1": lambda i: lambda s: queue_page(s, i.utama, page=1),
    "antrean persetujuan, hal. 5": lambda i: lambda s: queue_page(s, i.utama, page=5),
    "konten saya, semua status": lambda i: lambda s: my_posts(s, i.pembantu),
    "konten saya, draf": lambda i: lambda s: my_posts(s, i.pembantu, [PostStatus.DRAFT]),
}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="siaran-bench-pages-") as tmp:
        installs = {}
        for size in SIZES:
            folder = Path(tmp) / str(size)
            folder.mkdir()
            started = time.perf_counter()
            installs[size] = _install(folder, size)
            print(f"  {size:>7,} posts ready in {time.perf_counter() - started:.1f} s")
        small, large = (installs[size] for size in SIZES)
        worst = 0.0
        for name, make in LOADS.items():
            base = _median_ms(small.engine, make(small))
            big = _median_ms(large.engine, make(large))
            ratio = big / base
            worst = max(worst, ratio)
            print(
                f"  {name:<30} {base:7.2f} ms @ {SIZES[0]:,}  {big:7.2f} ms @ {SIZES[1]:,}"
                f"  ratio {ratio:4.2f}"
            )
        verdict = "ok" if worst <= GOAL else "ABOVE GOAL"
        print(f"  worst ratio {worst:.2f} (goal ≤ {GOAL}): {verdict}")
        for install in installs.values():
            install.engine.dispose()
