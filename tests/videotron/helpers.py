"""Shared pieces of the videotron tests: photos, published slides, a feed on a loopback port."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import uvicorn
from PIL import Image, ImageDraw
from sqlalchemy.orm import Session
from starlette.types import ASGIApp

from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft
from content.infra.config import Settings, load_settings
from content.infra.store import BlobStore, sha256_hex
from content.infra.timeutil import utcnow
from content.models import Channel, KipCategory, Post, PostTarget, Slide, TargetStatus
from content.org.actors import Actor, worker_actor
from publishers.videotron import MemoryRenderCache, publish_slide
from tests.world import World

WORKER = worker_actor("test")


def photo_jpeg(size: tuple[int, int] = (1200, 900), colour: str = "#2a6f97") -> bytes:
    """A photo-like JPEG: a gradient sky, a sun and a horizon, so crops are visible."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image = Image.blend(image, Image.new("RGB", size, colour), 0.6)
    draw = ImageDraw.Draw(image)
    r = max(1, min(size) // 6)
    draw.ellipse((width // 2 - r, height // 2 - r, width // 2 + r, height // 2 + r), fill="#f4a261")
    draw.rectangle((0, height * 3 // 4, width, height), fill="#264653")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def settings_for(tmp_path: Path) -> Settings:
    return load_settings({"SIARAN_DATA_DIR": str(tmp_path / "data")})


def approved_post(
    world: World,
    headline: str,
    *,
    author: Actor | None = None,
    link: str = "",
    photo: bytes | None = None,
    instagram: bool = True,
) -> Post:
    """An approved post with its own headline, through the real workflow."""
    author = author or world.pembantu
    media = store_upload(world.session, author, world.store, photo or photo_jpeg())
    own = author.opd_id == world.dinkes_id
    accounts = (
        [world.x_account, world.ig_account]
        if own and instagram
        else ([world.x_account] if own else [world.other_x_account])
    )
    data = DraftInput(
        caption=f"{headline}. Informasi lengkap di kanal resmi.",
        link=link,
        headline=headline,
        kip_category=KipCategory.BERKALA,
        account_ids=accounts,
        screen_ids=[world.screen_id],
        photos=[PhotoInput(media.id, "Foto kegiatan")],
    )
    post = create_draft(world.session, author, author.opd_id or world.dinkes_id, data)
    workflow.submit(world.session, author, post.id)
    workflow.approve(world.session, world.utama, post.id)
    return post


def videotron_target(post: Post) -> PostTarget:
    return next(t for t in post.targets if t.channel is Channel.VIDEOTRON)


def publish(
    session: Session,
    post: Post,
    store: BlobStore,
    settings: Settings,
    *,
    seconds: int | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    cache: MemoryRenderCache | None = None,
) -> Slide:
    """What the worker does for a videotron target: render, record, mark published."""
    target = videotron_target(post)
    start = valid_from or utcnow() - timedelta(seconds=5)
    slide = publish_slide(
        session,
        target,
        store,
        settings,
        cache=cache or MemoryRenderCache(),
        actor=WORKER,
        valid_from=start,
        valid_until=valid_until,
    )
    if seconds is not None:
        slide.seconds = seconds
    target.status = TargetStatus.PUBLISHED
    target.published_at = utcnow()
    session.flush()
    return slide


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> HttpAnswer:
    """A raw request: the path goes out exactly as written (no client-side normalisation)."""
    conn = HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return HttpAnswer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        conn.close()


class FeedServer:
    """uvicorn in a thread on a loopback port that survives a stop and a start (the player
    reconnects to the same origin, as it would to the real feed coming back)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.port = 0
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> FeedServer:
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
        # and without it small answers wait for the client's delayed ACK (40 ms each).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=1,  # players' event streams must not hold a stop
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the feed did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=15)
        self.server = self.thread = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sha_of(self, data: bytes) -> str:
        return sha256_hex(data)
