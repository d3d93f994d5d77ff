"""The feed's playlist endpoint in requests per second over real HTTP (uvicorn, keep-alive):
players that already have the playlist (If-None-Match → 304) against full answers (200, the
baseline), measured in the same run on a temporary SQLite database with ten published slides."""

from __future__ import annotations

import hashlib
import socket
import tempfile
import threading
import time
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path

import uvicorn
from sqlalchemy.orm import Session

from content.infra.config import load_settings
from content.infra.db import make_engine
from content.infra.migrate import upgrade
from content.infra.store import FileBlobStore
from content.infra.timeutil import utcnow
from content.models import (
    Channel,
    Opd,
    OpdKind,
    Post,
    PostStatus,
    PostTarget,
    Role,
    Screen,
    Slide,
    TargetStatus,
    User,
)
from publishers.videotron.feed import create_app

SLIDES = 10
SECONDS = 2.0
PATH = "/screens/bekasi-timur/playlist.json"


def _fill(session: Session) -> None:
    opd = Opd(slug="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind=OpdKind.DINAS)
    screen = Screen(slug="bekasi-timur", name="Videotron Bekasi Timur", width=1408, height=400)
    session.add_all([opd, screen])
    session.flush()
    author = User(
        username="dinkes",
        display_name="Dinkes",
        password_hash="-",
        role=Role.PPID_PEMBANTU,
        opd_id=opd.id,
    )
    session.add(author)
    session.flush()
    now = utcnow()
    for index in range(SLIDES):
        digest = hashlib.sha256(f"slide {index}".encode()).hexdigest()
        post = Post(
            opd_id=opd.id,
            author_id=author.id,
            headline=f"Slide {index}",
            version=1,
            status=PostStatus.PUBLISHED,
            content_hash=digest,
            approved_hash=digest,
        )
        session.add(post)
        session.flush()
        target = PostTarget(
            post_id=post.id,
            channel=Channel.VIDEOTRON,
            screen_id=screen.id,
            status=TargetStatus.PUBLISHED,
        )
        session.add(target)
        session.flush()
        session.add(
            Slide(
                post_id=post.id,
                screen_id=screen.id,
                target_id=target.id,
                sha256=digest,
                mime="image/jpeg",
                headline=post.headline,
                valid_from=now - timedelta(hours=1),
                valid_until=now + timedelta(days=7),
                seconds=10,
                position=index,
            )
        )
    session.commit()


def _rate(port: int, headers: dict[str, str], expected: int) -> float:
    conn = HTTPConnection("127.0.0.1", port, timeout=10)
    count = 0
    deadline = time.perf_counter() + SECONDS
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        conn.request("GET", PATH, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != expected:
            raise RuntimeError(f"expected {expected}, got {response.status}")
        count += 1
    elapsed = time.perf_counter() - start
    conn.close()
    return count / elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = load_settings({"SIARAN_DATA_DIR": str(root)})
        engine = make_engine(f"sqlite:///{root / 'bench.db'}")
        upgrade(engine)
        with Session(bind=engine) as session:
            _fill(session)
        app = create_app(settings, engine=engine, store=FileBlobStore(root / "media"))
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say they are TCP
        # (uvicorn binding by host and port gets that right by itself).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        )
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        try:
            first = HTTPConnection("127.0.0.1", port)
            first.request("GET", PATH)
            answer = first.getresponse()
            size, etag = len(answer.read()), answer.getheader("ETag") or ""
            first.close()
            full = _rate(port, {}, 200)
            cached = _rate(port, {"If-None-Match": etag}, 304)
        finally:
            server.should_exit = True
            thread.join(10)
            engine.dispose()
    print(f"playlist of {SLIDES} slides, {size} bytes, one keep-alive connection, SQLite")
    print(f"  200 (baseline): {full:8.0f} requests/s")
    print(f"  304 (cached):   {cached:8.0f} requests/s   ratio {cached / full:.2f}")


if __name__ == "__main__":
    main()
