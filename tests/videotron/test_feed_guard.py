"""Only a screen's own players may report, and what they report must be possible (issue #17,
point 5), over real HTTP against a committed database (both databases)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from http.client import HTTPConnection
from typing import Any

import pytest
from PIL import Image, ImageStat
from sqlalchemy import func, select

from content import playlist
from content.infra.config import Settings
from content.infra.timeutil import utcnow
from content.models import PlayerHeartbeat, PlayEvent, PostTarget, TargetStatus
from publishers.videotron.feed import FeedOptions, PlayerOptions, create_app
from tests.videotron.conftest import LiveWorld
from tests.videotron.helpers import FeedServer, HttpAnswer, approved_post, http, publish

SCREEN = "bekasi-timur"


@dataclass
class Guarded:
    live: LiveWorld
    server: FeedServer
    settings: Settings
    key: str

    def post(self, what: str, body: Any, **headers: str) -> HttpAnswer:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", "Authorization": f"Bearer {self.key}"}
        sent.update(headers)
        sent = {k: v for k, v in sent.items() if v}
        return http(self.server.port, "POST", f"/screens/{SCREEN}/{what}", body=data, headers=sent)

    def count(self, table: Any) -> int:
        with self.live.database.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(table)) or 0)


@pytest.fixture
def guarded(live: LiveWorld, settings: Settings) -> Iterator[Guarded]:
    app = create_app(
        settings,
        engine=live.database.engine,
        store=live.world.store,
        options=FeedOptions(PlayerOptions(poll_seconds=5), reports_per_second=50, reports_burst=60),
    )
    world = live.world
    _row, key = playlist.issue_player_key(world.session, world.utama, SCREEN, label="PC LED")
    live.session.commit()
    server = FeedServer(app).start()
    try:
        yield Guarded(live, server, settings, key)
    finally:
        server.stop()


def _slide(guarded: Guarded, headline: str = "Posyandu serentak", **window: Any) -> str:
    world = guarded.live.world
    slide = publish(world.session, approved_post(world, headline), world.store, guarded.settings)
    for name, value in window.items():
        setattr(slide, name, value)
    guarded.live.session.commit()
    return slide.sha256


def _beat(player_id: str) -> dict[str, Any]:
    return {"player_id": player_id, "clock": utcnow().isoformat(), "state": {}}


def _play(sha: str, at: Any, seconds: float = 10, event: str = "") -> dict[str, Any]:
    return {
        "event_id": event or f"evt-{at.timestamp():.3f}".replace(".", "-"),
        "sha256": sha,
        "played_at": at.isoformat(),
        "seconds": seconds,
    }


def test_unregistered_clients_cannot_report(guarded: Guarded) -> None:
    sha = _slide(guarded)
    now = utcnow()
    plays = {"player_id": "asing", "sent_at": now.isoformat(), "events": [_play(sha, now)]}
    other_row, other_key = playlist.issue_player_key(
        guarded.live.world.session, guarded.live.world.utama, SCREEN
    )
    playlist.revoke_player_key(guarded.live.world.session, guarded.live.world.utama, other_row.id)
    guarded.live.session.commit()
    refusals = {
        "no key": ({"Authorization": ""}, 401),
        "invented key": ({"Authorization": "Bearer spk_" + "x" * 43}, 401),
        "revoked key": ({"Authorization": f"Bearer {other_key}"}, 401),
        "text/plain": ({"Content-Type": "text/plain"}, 415),
        "foreign page": ({"Origin": "http://penipu.example"}, 403),
    }
    for what in ("plays", "heartbeat"):
        body = plays if what == "plays" else _beat("asing")
        for case, (headers, status) in refusals.items():
            answer = guarded.post(what, body, **headers)
            assert answer.status == status, (what, case, answer.body)
            assert answer.json()["error"] and b"Traceback" not in answer.body
    assert "tidak terdaftar" in guarded.post("plays", plays, Authorization="").json()["error"]
    assert guarded.count(PlayEvent) == 0 and guarded.count(PlayerHeartbeat) == 0
    # The same reports with the screen's key are taken.
    assert guarded.post("plays", plays).json()["accepted"] == 1
    assert guarded.post("heartbeat", _beat("asli")).status == 200


def test_the_real_player_stays_listed_under_a_flood_of_invented_ids(guarded: Guarded) -> None:
    assert guarded.post("heartbeat", _beat("pemutar-asli")).status == 200
    for index in range(40):
        forged = guarded.post("heartbeat", _beat(f"palsu-{index}"), Authorization="")
        assert forged.status == 401
    session = guarded.live.session
    session.expire_all()
    listed = [p.player_id for p in playlist.player_states(session, SCREEN)]
    assert listed == ["pemutar-asli"]


def test_implausible_plays_are_refused_with_a_reason(guarded: Guarded) -> None:
    now = utcnow()
    sha = _slide(guarded, valid_from=now - timedelta(minutes=2))  # a slide two minutes old
    ended = _slide(
        guarded,
        "Sudah berakhir",
        valid_from=now - timedelta(days=3),
        valid_until=now - timedelta(days=2),
    )
    # The forgery of the issue: plays of an hour each, long before the slide existed.
    forged = [
        _play(sha, now - timedelta(hours=2 + i), seconds=3600, event=f"palsu-{i:05d}")
        for i in range(500)
    ]
    answer = guarded.post(
        "plays", {"player_id": "p1", "sent_at": now.isoformat(), "events": forged}
    )
    assert answer.status == 200 and answer.json()["accepted"] == 0
    assert answer.json()["reasons"]["too_long"]["count"] == 500
    assert answer.json()["reasons"]["too_long"]["text"] == "lebih lama dari durasi slide"
    events = [
        _play(sha, now - timedelta(hours=1), event="sebelum-ada"),
        _play(ended, now - timedelta(hours=1), event="sesudah-habis"),
        _play(sha, now + timedelta(hours=1), event="masa-depan"),
        _play(sha, now - timedelta(seconds=60), event="pertama-sah"),
        _play(sha, now - timedelta(seconds=55), event="bertumpuk"),  # while the first still plays
        _play(sha, now - timedelta(seconds=50), event="kedua-sah"),
    ]
    answer = guarded.post(
        "plays", {"player_id": "p1", "sent_at": now.isoformat(), "events": events}
    )
    result = answer.json()
    assert result["accepted"] == 2 and result["rejected"] == 4
    assert {code: r["count"] for code, r in result["reasons"].items()} == {
        "before_slide": 1,
        "after_slide": 1,
        "future": 1,
        "overlap": 1,
    }
    assert guarded.count(PlayEvent) == 2


@pytest.mark.parametrize(
    ("what", "body"),
    [
        ("heartbeat", {"player_id": "p1", "clock": "0001-01-01T00:00:00+14:00"}),
        ("heartbeat", {"player_id": "p1", "clock": "9999-12-31T23:59:59-14:00"}),
        ("plays", {"player_id": "p1", "sent_at": "0001-01-01T00:00:00+01:00", "events": []}),
        ("plays", b"[" * 100_000 + b"]" * 100_000),
        ("heartbeat", b'{"player_id": "p1", "state": ' + b"{" * 50 + b"}" * 50 + b"}"),
        ("plays", b'{"player_id": "p1", "events": 1e999999}'),
    ],
    ids=["year-1", "year-9999", "sent-year-1", "deep-array", "deep-state", "huge-number"],
)
def test_extreme_dates_and_deep_json_get_a_sentence(guarded: Guarded, what: str, body: Any) -> None:
    answer = guarded.post(what, body)
    assert answer.status == 400, answer.body
    assert answer.json()["error"].endswith(".") and b"Traceback" not in answer.body


def test_extreme_times_inside_events_cost_only_those_events(guarded: Guarded) -> None:
    sha = _slide(guarded)
    now = utcnow()
    events = [
        {
            "event_id": "aneh-00001",
            "sha256": sha,
            "played_at": "0001-01-01T00:00:00+14:00",
            "seconds": 10,
        },
        {"event_id": "aneh-00002", "sha256": sha, "played_at": now.isoformat(), "seconds": 10**400},
        _play(sha, now, event="wajar-00001"),
    ]
    answer = guarded.post(
        "plays", {"player_id": "p1", "sent_at": now.isoformat(), "events": events}
    )
    assert answer.status == 200
    assert (answer.json()["accepted"], answer.json()["rejected"]) == (1, 2)


def test_each_player_key_is_rate_limited(live: LiveWorld, settings: Settings) -> None:
    app = create_app(
        settings,
        engine=live.database.engine,
        store=live.world.store,
        options=FeedOptions(reports_per_second=0.01, reports_burst=3),
    )
    _row, key = playlist.issue_player_key(live.world.session, live.world.utama, SCREEN)
    live.session.commit()
    server = FeedServer(app).start()
    try:
        guarded = Guarded(live, server, settings, key)
        statuses = [guarded.post("heartbeat", _beat("p1")).status for _ in range(5)]
        assert statuses == [200, 200, 200, 429, 429]
        limited = guarded.post("heartbeat", _beat("p1"))
        assert int(limited.headers["retry-after"]) >= 1
        assert "Terlalu banyak" in limited.json()["error"]
    finally:
        server.stop()


def test_an_ended_or_withdrawn_slide_is_no_longer_served(guarded: Guarded) -> None:
    world = guarded.live.world
    kept = publish(
        world.session, approved_post(world, "Tetap tayang"), world.store, guarded.settings
    )
    ended = publish(world.session, approved_post(world, "Diakhiri"), world.store, guarded.settings)
    guarded.live.session.commit()
    port = guarded.server.port
    assert http(port, "GET", f"/slides/{ended.sha256}.jpg").status == 200
    playlist.end_slide(world.session, world.utama, ended.id, reason="salah tanggal")
    withdrawn = world.session.get(PostTarget, kept.target_id)
    assert withdrawn is not None
    withdrawn.status = TargetStatus.CANCELLED  # withdrawn from the screen
    guarded.live.session.commit()
    assert http(port, "GET", f"/slides/{ended.sha256}.jpg").status == 404
    assert http(port, "GET", f"/slides/{kept.sha256}.jpg").status == 404
    listed = http(port, "GET", f"/screens/{SCREEN}/playlist.json").json()["slides"]
    assert {s["sha256"] for s in listed}.isdisjoint({ended.sha256, kept.sha256})


def test_the_default_slide_is_the_screens_own_picture(guarded: Guarded) -> None:
    document = http(guarded.server.port, "GET", f"/screens/{SCREEN}/playlist.json").json()
    default = document["default"]
    answer = http(guarded.server.port, "GET", default["url"])
    assert answer.status == 200 and answer.headers["content-type"] == default["mime"]
    image = Image.open(io.BytesIO(answer.body)).convert("L")
    assert image.size == (1408, 400)
    assert ImageStat.Stat(image).stddev[0] > 10  # a picture, not a blank page
    stale = default["url"].replace(default["sha256"], "0" * 64)
    assert http(guarded.server.port, "GET", stale).status == 404


def test_the_event_stream_announces_the_playlist(guarded: Guarded) -> None:
    port = guarded.server.port
    etag = http(port, "GET", f"/screens/{SCREEN}/playlist.json").headers["etag"]
    conn = HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", f"/screens/{SCREEN}/events")
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("content-type", "").startswith("text/event-stream")
        lines: list[bytes] = []
        while not any(line.startswith(b"data:") for line in lines):
            lines.append(response.fp.readline().strip())
        assert b"event: playlist" in lines
        assert json.loads(lines[-1].removeprefix(b"data:"))["etag"] == etag
        _slide(guarded, "Diumumkan")  # a change: announced on the open stream
        while True:
            line = response.fp.readline().strip()
            if line.startswith(b"data:"):
                assert json.loads(line.removeprefix(b"data:"))["etag"] != etag
                break
    finally:
        conn.close()
    assert http(port, "GET", "/screens/tidak-ada/events").status == 404
