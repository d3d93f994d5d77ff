"""The feed over real HTTP: uvicorn on a free loopback port, a committed database (both)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from content import playlist
from content.infra.config import Settings
from content.infra.store import sha256_hex
from content.infra.timeutil import utcnow
from content.models import PlayEvent, PostStatus, TargetStatus
from publishers.videotron import publish_slide
from publishers.videotron.feed import FeedOptions, PlayerOptions, create_app
from tests.videotron.conftest import LiveWorld
from tests.videotron.helpers import (
    FeedServer,
    approved_post,
    http,
    photo_jpeg,
    publish,
    videotron_target,
)


@dataclass
class Running:
    live: LiveWorld
    server: FeedServer
    settings: Settings

    @property
    def port(self) -> int:
        return self.server.port

    def get(self, path: str, **headers: str) -> object:
        return http(self.port, "GET", path, headers=headers)


@pytest.fixture
def feed(live: LiveWorld, settings: Settings) -> Iterator[Running]:
    app = create_app(
        settings,
        engine=live.database.engine,
        store=live.world.store,
        options=FeedOptions(PlayerOptions(poll_seconds=5), max_body_bytes=64 * 1024),
    )
    server = FeedServer(app).start()
    try:
        yield Running(live, server, settings)
    finally:
        server.stop()


def _key(running: Running) -> str:
    world = running.live.world
    _row, key = playlist.issue_player_key(world.session, world.utama, "bekasi-timur")
    running.live.session.commit()
    return key


def _report_headers(key: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}


def _publish(running: Running, headline: str) -> str:
    world = running.live.world
    post = approved_post(world, headline)
    slide = publish(world.session, post, world.store, running.settings)
    running.live.session.commit()
    return slide.sha256


def test_healthz(feed: Running) -> None:
    answer = http(feed.port, "GET", "/healthz")
    assert answer.status == 200 and answer.json()["status"] == "ok"


def test_playlist_with_etag_and_304(feed: Running) -> None:
    first = _publish(feed, "Posyandu serentak")
    answer = http(feed.port, "GET", "/screens/bekasi-timur/playlist.json")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["cache-control"] == "no-cache"
    etag = answer.headers["etag"]
    document = answer.json()
    assert document["screen"]["width"] == 1408 and document["screen"]["height"] == 400
    (slide,) = document["slides"]
    assert slide["sha256"] == first and slide["url"] == f"/slides/{first}.jpg"
    assert slide["seconds"] == 10 and slide["valid_from"].endswith("Z")
    assert slide["headline"] == "Posyandu serentak"
    # The player holds the schedule: the answer changes at local midnight or at a window's end.
    assert document["next_change"] <= slide["valid_until"]
    assert document["default"]["url"].startswith("/screens/bekasi-timur/default/")
    assert document["horizon"]["until"] > slide["valid_until"]
    assert document["player"]["poll_seconds"] == 5
    cached = http(
        feed.port, "GET", "/screens/bekasi-timur/playlist.json", headers={"If-None-Match": etag}
    )
    assert cached.status == 304 and cached.body == b"" and cached.headers["etag"] == etag
    listed = http(
        feed.port,
        "GET",
        "/screens/bekasi-timur/playlist.json",
        headers={"If-None-Match": f'W/"other", {etag}'},
    )
    assert listed.status == 304
    second = _publish(feed, "Vaksinasi lansia")
    changed = http(
        feed.port, "GET", "/screens/bekasi-timur/playlist.json", headers={"If-None-Match": etag}
    )
    assert changed.status == 200 and changed.headers["etag"] != etag
    assert [s["sha256"] for s in changed.json()["slides"]] == [first, second]
    assert http(feed.port, "GET", "/screens/tidak-ada/playlist.json").status == 404
    assert http(feed.port, "GET", "/screens/BAD..slug/playlist.json").status == 404


def test_slides_are_immutable_and_only_when_published(feed: Running) -> None:
    sha = _publish(feed, "Posyandu serentak")
    answer = http(feed.port, "GET", f"/slides/{sha}.jpg")
    assert answer.status == 200 and answer.headers["content-type"] == "image/jpeg"
    # A slide may end at any time: caches revalidate (a 304) instead of holding it for a year.
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert sha256_hex(answer.body) == sha
    again = http(feed.port, "GET", f"/slides/{sha}.jpg", headers={"If-None-Match": f'"{sha}"'})
    assert again.status == 304
    assert http(feed.port, "GET", f"/slides/{sha}.png").status == 404  # not its format
    # A trailing newline is not part of a well-formed name (`$` would have let it through).
    assert http(feed.port, "GET", f"/slides/{sha}.jpg%0A").status == 404

    world = feed.live.world
    post = approved_post(world, "Belum terbit")
    unpublished = publish_slide(world.session, videotron_target(post), world.store, feed.settings)
    feed.live.session.commit()
    assert world.store.exists(unpublished.sha256, "jpg")  # rendered and stored, yet not public
    assert http(feed.port, "GET", f"/slides/{unpublished.sha256}.jpg").status == 404
    videotron_target(post).status = TargetStatus.PUBLISHED
    feed.live.session.commit()
    assert http(feed.port, "GET", f"/slides/{unpublished.sha256}.jpg").status == 200


@pytest.mark.parametrize(
    "path",
    [
        "/slides/..%2f..%2fetc%2fpasswd.png",
        "/slides/../../etc/passwd.png",
        "/slides/%2e%2e%2f%2e%2e%2fetc%2fpasswd.png",
        "/slides/..%5c..%5cwindows%5cwin.ini.png",
        "/slides/" + "a" * 63 + ".png",
        "/slides/" + "a" * 65 + ".png",
        "/slides/" + "A" * 64 + ".png",
        "/slides/" + "a" * 64 + ".gif",
        "/slides/" + "a" * 64 + ".png%00.jpg",
        "/slides/" + "a" * 64,
        "/media/..%2f..%2fsiaran.db.jpg",
        "/media/" + "0" * 63 + ".jpg",
        "/screens/..%2f..%2fetc/player",
        "/screens/bekasi-timur/..%2f..%2fetc%2fpasswd",
    ],
)
def test_traversal_and_malformed_names_are_not_found(feed: Running, path: str) -> None:
    answer = http(feed.port, "GET", path)
    assert answer.status == 404, (path, answer.status, answer.body[:200])
    assert b"root:" not in answer.body


def test_media_only_for_instagram_bound_approved_posts(feed: Running) -> None:
    world = feed.live.world
    for_instagram = approved_post(world, "Untuk Instagram")
    photo = for_instagram.photos[0].media
    draft = world.post_in(PostStatus.DRAFT)
    x_only = approved_post(
        world, "Hanya X", author=world.other_pembantu, photo=photo_jpeg((500, 400), "#6a040f")
    )
    feed.live.session.commit()
    answer = http(feed.port, "GET", f"/media/{photo.sha256}.{photo.extension}")
    assert answer.status == 200 and sha256_hex(answer.body) == photo.sha256
    assert answer.headers["content-type"] == photo.mime
    draft_photo = draft.photos[0].media
    assert http(feed.port, "GET", f"/media/{draft_photo.sha256}.jpg").status == 404
    other = x_only.photos[0].media
    assert http(feed.port, "GET", f"/media/{other.sha256}.{other.extension}").status == 404
    assert http(feed.port, "GET", f"/media/{photo.sha256}.png").status == 404


def test_plays_are_recorded_once_even_when_sent_twice(feed: Running) -> None:
    sha = _publish(feed, "Diputar")
    now = utcnow()
    batch = {
        "player_id": "pemutar-uji",
        "sent_at": now.isoformat(),
        "events": [
            {
                "event_id": f"evt-{i:03d}-0123456789",
                "sha256": sha,
                "played_at": (now - timedelta(seconds=10 * i)).isoformat(),
                "seconds": 10,
            }
            for i in range(3)
        ]
        + [{"event_id": "evt-broken", "sha256": sha, "played_at": "kemarin", "seconds": 10}],
    }
    body = json.dumps(batch).encode()
    headers = _report_headers(_key(feed))
    first = http(feed.port, "POST", "/screens/bekasi-timur/plays", body=body, headers=headers)
    assert first.status == 200
    assert first.json()["accepted"] == 3 and first.json()["rejected"] == 1
    assert first.json()["reasons"]["malformed"]["count"] == 1
    again = http(feed.port, "POST", "/screens/bekasi-timur/plays", body=body, headers=headers)
    assert (again.json()["accepted"], again.json()["duplicates"]) == (0, 3)
    with feed.live.database.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(PlayEvent)) == 3
    too_big = json.dumps({"player_id": "p", "events": [], "pad": "x" * 70_000}).encode()
    big = http(feed.port, "POST", "/screens/bekasi-timur/plays", body=too_big, headers=headers)
    assert big.status == 413
    bad = http(feed.port, "POST", "/screens/bekasi-timur/plays", body=b"{nope", headers=headers)
    assert bad.status == 400 and "JSON" in bad.json()["error"]
    unknown = http(feed.port, "POST", "/screens/tidak-ada/plays", body=body, headers=headers)
    assert unknown.status == 404


def test_heartbeat_reports_clock_skew(feed: Running) -> None:
    sha = _publish(feed, "Tayang")
    clock = utcnow() + timedelta(minutes=2)
    body = json.dumps(
        {
            "player_id": "pemutar-uji",
            "clock": clock.isoformat(),
            "current_sha256": sha,
            "etag": '"abc"',
            "state": {"online": True, "queued_plays": 0},
        }
    ).encode()
    answer = http(
        feed.port,
        "POST",
        "/screens/bekasi-timur/heartbeat",
        body=body,
        headers={**_report_headers(_key(feed)), "User-Agent": "UjiPemutar/1.0"},
    )
    assert answer.status == 200
    assert 100_000 < answer.json()["skew_ms"] <= 120_000
    session = feed.live.session
    session.expire_all()
    (player,) = playlist.player_states(session, "bekasi-timur")
    assert player.user_agent == "UjiPemutar/1.0" and player.current_headline == "Tayang"


def test_player_page_and_its_files(feed: Running) -> None:
    page = http(feed.port, "GET", "/screens/bekasi-timur/player")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert b"player.js" in page.body and b"http" not in page.body  # no external resources
    script = http(feed.port, "GET", "/screens/bekasi-timur/player.js")
    assert script.status == 200 and "javascript" in script.headers["content-type"]
    assert b"innerHTML" not in script.body and b"textContent" in script.body
    worker = http(feed.port, "GET", "/screens/bekasi-timur/sw.js")
    assert worker.status == 200 and "javascript" in worker.headers["content-type"]
    assert http(feed.port, "GET", "/screens/tidak-ada/player").status == 404
    assert http(feed.port, "GET", "/screens/bekasi-timur/secret.txt").status == 404
