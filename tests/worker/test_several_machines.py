"""Siaran on several machines that share nothing but one database and one S3-compatible object
store: a photo uploaded through the services of machine A is published by a worker of machine B
(to X, and to Instagram, which fetches it from the feed) and served, with the slide B rendered,
by a feed of machine C. No machine's own folder holds a photo or a slide."""

from __future__ import annotations

from pathlib import Path

import requests
from sqlalchemy import select

from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft
from content.infra.config import load_settings
from content.models import TargetStatus, User
from content.org.actors import Actor
from publishers.simulator.server import BackgroundServer
from publishers.storage import open_store
from publishers.storage.s3 import S3BlobStore
from publishers.videotron.feed.app import create_app as create_feed
from tests.objectstore import S3Endpoint, s3_endpoint
from tests.worker.conftest import WORKER_SETTINGS, Stack
from tests.world import jpeg

__all__ = ["s3_endpoint"]


def _machine(root: Path, name: str, database_url: str) -> Path:
    data_dir = root / name
    data_dir.mkdir()
    (data_dir / "siaran.toml").write_text(
        WORKER_SETTINGS + '\n[media]\nstore = "s3"\nprefix = "siaran"\n', encoding="utf-8"
    )
    return data_dir


def _files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if p.suffix in {".jpg", ".png", ".webp"}]


def test_upload_on_a_publish_on_b_serve_on_c(
    stack: Stack, s3_endpoint: S3Endpoint, tmp_path: Path
) -> None:
    s3 = s3_endpoint.env(s3_endpoint.new_bucket())
    url = stack.database.url
    a, b, c = (_machine(tmp_path, name, url) for name in ("a", "b", "c"))

    # Machine A: the dashboard's services take the upload and the decisions.
    settings_a = load_settings({"SIARAN_DATA_DIR": str(a), "DATABASE_URL": url})
    store_a = open_store(settings_a, s3)
    assert isinstance(store_a, S3BlobStore)
    photo_bytes = jpeg(colour="teal")
    with stack.session() as s, s.begin():
        author = Actor.of(s.scalars(select(User).where(User.username == "dinkes")).one())
        utama = Actor.of(s.get(User, stack.utama_id))  # type: ignore[arg-type]
        media = store_upload(s, author, store_a, photo_bytes, filename="posyandu.jpg")
        screen_id = _screen_id(s)
        post = create_draft(
            s,
            author,
            author.opd_id or 0,
            DraftInput(
                caption="Posyandu keliling hadir di Bekasi Timur pekan ini.",
                headline="Posyandu keliling di Bekasi Timur",
                account_ids=[stack.x_account, stack.ig_account],
                screen_ids=[screen_id],
                photos=[PhotoInput(media.id, "Kader posyandu menimbang balita")],
            ),
        )
        workflow.submit(s, author, post.id)
        workflow.approve(s, utama, post.id)
        workflow.publish_now(s, utama, post.id)
        post_id, sha256 = post.id, media.sha256

    # Machine C: a feed that reads the same bucket (Instagram fetches the photo from it).
    settings_c = load_settings({"SIARAN_DATA_DIR": str(c), "DATABASE_URL": url})
    feed_app = create_feed(
        settings_c, engine=stack.database.engine, store=open_store(settings_c, s3)
    )
    with BackgroundServer(feed_app) as feed:
        # Machine B: a worker process with its own data directory.
        stack.env.update(s3)
        stack.env.update({"SIARAN_DATA_DIR": str(b), "SIARAN_FEED_PORT": str(feed.port)})
        stack.start_worker()
        stack.wait(
            lambda: _settled(stack, post_id), timeout=90, what="every target of the post settled"
        )
        statuses = {t.channel.value: t.status for t in stack.post(post_id).targets}
        assert set(statuses.values()) == {TargetStatus.PUBLISHED}, statuses

        served = requests.get(f"{feed.url}/media/{sha256}.jpg", timeout=10)
        assert served.status_code == 200 and served.content == store_a.get(sha256, "jpg")
        playlist = requests.get(f"{feed.url}/screens/bekasi-timur/playlist.json", timeout=10)
        slides = [
            item
            for item in playlist.json()["slides"]
            if item["headline"] == "Posyandu keliling di Bekasi Timur"
        ]
        assert len(slides) == 1, playlist.json()
        slide = requests.get(f"{feed.url}{slides[0]['url']}", timeout=10)
        assert slide.status_code == 200 and slide.content[:4] in (b"\xff\xd8\xff\xe0", b"\x89PNG")

    x_posts = [p for p in stack.sim.x_posts() if "Posyandu keliling" in p["text"]]
    assert len(x_posts) == 1 and x_posts[0].get("media_ids")
    containers = stack.sim.call("GET", "/_sim/posts")["ig_containers"]
    assert [c["status_code"] for c in containers] == ["PUBLISHED"]
    # Nothing went through a shared disk: no machine's folder holds a photo or a slide.
    assert _files(a) == _files(b) == _files(c) == []


def _screen_id(session: object) -> int:
    from sqlalchemy.orm import Session

    from content.models import Screen

    assert isinstance(session, Session)
    return session.scalars(select(Screen.id).where(Screen.slug == "bekasi-timur")).one()


def _settled(stack: Stack, post_id: int) -> bool:
    done = {TargetStatus.PUBLISHED, TargetStatus.FAILED}
    return all(t.status in done for t in stack.post(post_id).targets)
