"""The player page in headless Chromium against a running feed: it loops the slides with their
durations, keeps playing while the feed is down (and after a browser restart), picks up a slide
added meanwhile, reports plays, and shows a `<script>` headline as text.

Uses Debian's /usr/bin/chromium, never a downloaded browser. Under CI=true a missing chromium
fails the test; elsewhere it skips with the reason.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from content import playlist
from content.infra.config import Settings
from content.models import PlayEvent
from publishers.videotron.feed import FeedOptions, PlayerOptions, create_app
from tests.videotron.conftest import LiveWorld
from tests.videotron.helpers import FeedServer, approved_post, publish

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
OUTAGE_SECONDS = 60  # the issue asks for a minute without the feed
SCRIPT_HEADLINE = "<script>window.__pwned = 1</script> Awas banjir"


@pytest.fixture
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{CHROMIUM} is missing (CI=true: browser tests must run)")
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _shows(page: Any) -> list[dict[str, Any]]:
    shows: list[dict[str, Any]] = page.evaluate(
        "window.__siaranPlayer.log.filter(e => e.event === 'show')"
    )
    return shows


def _plays(live: LiveWorld) -> dict[str, list[float]]:
    with live.database.engine.connect() as conn:
        rows = conn.execute(select(PlayEvent.slide_sha256, PlayEvent.seconds)).all()
    found: dict[str, list[float]] = {}
    for sha, seconds in rows:
        found.setdefault(sha, []).append(seconds)
    return found


@pytest.fixture
def running(live: LiveWorld, settings: Settings) -> Iterator[tuple[FeedServer, LiveWorld]]:
    app = create_app(
        settings,
        engine=live.database.engine,
        store=live.world.store,
        options=FeedOptions(
            PlayerOptions(poll_seconds=1, heartbeat_seconds=1, plays_flush_seconds=1)
        ),
    )
    server = FeedServer(app).start()
    try:
        yield server, live
    finally:
        server.stop()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the feed tests cover both
def test_player_plays_through_an_outage_and_a_restart(
    chromium: Path,
    running: tuple[FeedServer, LiveWorld],
    settings: Settings,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import sync_playwright

    server, live = running
    world = live.world
    first = publish(
        world.session, approved_post(world, "Posyandu serentak"), world.store, settings, seconds=1
    )
    second = publish(
        world.session, approved_post(world, "Vaksinasi lansia"), world.store, settings, seconds=2
    )
    _row, key = playlist.issue_player_key(world.session, world.utama, "bekasi-timur")
    live.session.commit()
    order = [first.sha256, second.sha256]
    seconds = {first.sha256: 1, second.sha256: 2}
    ARTIFACTS.mkdir(exist_ok=True)
    profile = tmp_path / "chromium-profile"
    url = f"{server.base}/screens/bekasi-timur/player?debug=1#key={key}"

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(chromium),
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 720},
            # The test's own probes are evaluated strings, which the page's CSP forbids; the
            # headline check is then stricter: escaping alone must keep the markup inert.
            bypass_csp=True,
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(url)
        page.wait_for_function("document.body.dataset.sw === 'ready'", timeout=20_000)
        page.wait_for_function(
            "window.__siaranPlayer.log.filter(e => e.event === 'show').length >= 5",
            timeout=30_000,
        )
        page.screenshot(path=str(ARTIFACTS / "player-online.png"))

        # In order, each for its own duration.
        shows = _shows(page)
        shas = [s["detail"] for s in shows]
        start = shas.index(order[0])
        for index, sha in enumerate(shas[start:]):
            assert sha == order[index % 2], shas
        for current, following in zip(shows[start:], shows[start + 1 :], strict=False):
            shown_for = (following["at"] - current["at"]) / 1000
            expected = seconds[current["detail"]]
            assert expected - 0.05 <= shown_for <= expected + 1.0, (current, shown_for)
        assert page.evaluate("document.body.dataset.mode") == "fit"  # letterboxed 1408×400

        # The feed goes away; a slide is added meanwhile.
        server.stop()
        outage_started = time.monotonic()
        third = publish(
            world.session, approved_post(world, SCRIPT_HEADLINE), world.store, settings, seconds=1
        )
        live.session.commit()
        page.wait_for_function("document.body.dataset.state === 'offline'", timeout=10_000)
        before = len(_shows(page))
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - outage_started)))
        during = _shows(page)[before:]
        # Slides of 1–2 s kept coming for the whole minute: no gap, no black screen.
        assert len(during) >= OUTAGE_SECONDS // 3, "the player stopped while the feed was down"
        gaps = [(b["at"] - a["at"]) / 1000 for a, b in itertools.pairwise(during)]
        assert max(gaps) <= 3.0, gaps
        assert {s["detail"] for s in during} <= set(order)
        assert page.evaluate("document.body.dataset.state") == "offline"
        page.screenshot(path=str(ARTIFACTS / "player-offline.png"))

        # The feed comes back: the new slide appears, its headline is text, not markup.
        server.start()
        page.wait_for_function(
            f"document.body.dataset.current === '{third.sha256}'", timeout=30_000
        )
        page.wait_for_function(
            "document.getElementById('info-headline').textContent.includes('<script>')",
            timeout=5_000,
        )
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('#info div *, #stage script').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 1
        page.screenshot(path=str(ARTIFACTS / "player-script-headline.png"))

        # Proof of play for every slide shown, with the seconds it was shown.
        everything = {first.sha256, second.sha256, third.sha256}
        _wait(lambda: everything <= set(_plays(live)), 20, "plays of every slide")
        played = _plays(live)
        assert all(0.9 <= s <= 2.5 for s in played[second.sha256]), played[second.sha256]
        with live.database.engine.connect() as conn:
            players = conn.scalar(select(func.count(func.distinct(PlayEvent.player_id))))
        assert players == 1
        page.wait_for_function("document.body.dataset.state === 'online'", timeout=10_000)
        context.close()

        # The browser restarts while the feed is down: it still plays from its cache.
        server.stop()
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(chromium),
            headless=True,
            args=ARGS,
            viewport={"width": 800, "height": 800},
            bypass_csp=True,
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(url)
        page.wait_for_function(
            "window.__siaranPlayer && "
            "window.__siaranPlayer.log.filter(e => e.event === 'show').length >= 3",
            timeout=30_000,
        )
        assert page.evaluate("document.body.dataset.state") == "offline"
        assert {s["detail"] for s in _shows(page)} <= everything
        page.screenshot(path=str(ARTIFACTS / "player-after-restart-offline.png"))
        context.close()
