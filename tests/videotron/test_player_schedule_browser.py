"""The player holds a week of schedule and never goes dark (issue #17, points 1 and 2), in
headless Chromium with Playwright's clock control, against a feed whose clock moves with the
page's: closing at 22:00 with slides valid until the day after tomorrow, the feed stopped at
21:59, the default slide through the night, the slides again at 06:00 from the cache, plays
queued and delivered when the feed returns, a slide ended meanwhile gone at the latest then,
and a fresh browser process on the same profile playing while the feed is down.

Uses Debian's /usr/bin/chromium (never a downloaded browser), like test_player_browser.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat
from sqlalchemy import select

from content import playlist
from content.infra.config import Settings
from content.infra.timeutil import WIB
from content.models import PlayEvent
from publishers.videotron import push_emergency
from publishers.videotron.feed import FeedOptions, PlayerOptions, create_app
from tests.videotron.conftest import LiveWorld
from tests.videotron.helpers import FeedServer, approved_post, publish
from tests.videotron.test_player_browser import ARGS, ARTIFACTS, chromium  # noqa: F401

pytestmark = pytest.mark.e2e
SCREEN = "bekasi-timur"


@dataclass
class MovingClock:
    """A clock that runs at real speed from a chosen start and can jump, for the feed; the page
    gets the same start and the same jumps through Playwright's clock."""

    start: datetime
    _real: float = field(default_factory=time.monotonic)
    _jumped: timedelta = timedelta(0)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> datetime:
        with self._lock:
            return self.start + self._jumped + timedelta(seconds=time.monotonic() - self._real)

    def jump(self, delta: timedelta) -> None:
        with self._lock:
            self._jumped += delta


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _until(page: Any, expression: str, timeout: float) -> None:
    """Poll `expression` from the test's side: the page's own timers (which Playwright's
    waits lean on) run on the installed fake clock."""
    _wait(lambda: bool(page.evaluate(expression)), timeout, expression)


def _shows(page: Any, since: int = 0) -> list[str]:
    shown: list[str] = page.evaluate(
        "window.__siaranPlayer.log.filter(e => e.event === 'show').map(e => e.detail)"
    )
    return shown[since:]


def _is_picture(png: bytes) -> bool:
    """Not a blank page: the screenshot has real contrast and bright pixels (text, emblem)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    bright = sum(image.histogram()[128:])
    return ImageStat.Stat(image).stddev[0] > 10 and bright > image.width * image.height // 200


def _launch(pw: Any, profile: Path, url: str, at: datetime) -> tuple[Any, Any]:
    context = pw.chromium.launch_persistent_context(
        str(profile),
        executable_path="/usr/bin/chromium",
        headless=True,
        args=ARGS,
        viewport={"width": 1408, "height": 400},
        bypass_csp=True,  # the test's probes are evaluated strings
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.clock.install(time=at)
    page.goto(url)
    return context, page


@pytest.fixture
def night(live: LiveWorld, settings: Settings) -> Iterator[tuple[FeedServer, MovingClock, str]]:
    # Tomorrow 21:58:30 in Bekasi: the slides already exist, the screen closes at 22:00.
    day = (datetime.now(WIB) + timedelta(days=1)).date()
    clock = MovingClock(datetime.combine(day, clock_time(21, 58, 30), tzinfo=WIB).astimezone(UTC))
    world = live.world
    playlist.set_screen_schedule(
        world.session, world.utama, SCREEN, everyday=(clock_time(6), clock_time(22))
    )
    _row, key = playlist.issue_player_key(world.session, world.utama, SCREEN)
    live.session.commit()
    app = create_app(
        settings,
        engine=live.database.engine,
        store=world.store,
        options=FeedOptions(
            PlayerOptions(poll_seconds=1, heartbeat_seconds=1, plays_flush_seconds=1)
        ),
        clock=clock.now,
    )
    server = FeedServer(app).start()
    try:
        yield server, clock, key
    finally:
        server.stop()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the feed tests cover both
def test_a_night_without_the_feed(
    chromium: Path,  # noqa: F811
    night: tuple[FeedServer, MovingClock, str],
    live: LiveWorld,
    settings: Settings,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import sync_playwright

    server, clock, key = night
    world = live.world
    until = clock.now() + timedelta(days=2)  # the day after tomorrow
    slides = [
        publish(world.session, approved_post(world, headline), world.store, settings, seconds=s)
        for headline, s in (("Posyandu serentak", 1), ("Vaksinasi lansia", 2), ("Ditarik", 1))
    ]
    for slide in slides:
        slide.valid_until = until
    live.session.commit()
    first, second, withdrawn = (s.sha256 for s in slides)
    url = f"{server.base}/screens/{SCREEN}/player?debug=1#key={key}"
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        context, page = _launch(pw, tmp_path / "profile", url, clock.now())
        _until(
            page,
            "window.__siaranPlayer && "
            "window.__siaranPlayer.log.filter(e => e.event === 'show').length >= 4",
            30,
        )
        assert page.evaluate("location.hash") == ""  # the key left the address bar

        # 21:59: the feed goes away for the night; a slide is ended while the player is offline.
        server.stop()
        page.clock.fast_forward("00:30")
        clock.jump(timedelta(seconds=30))
        _until(page, "document.body.dataset.state === 'offline'", 10)
        playlist.end_slide(world.session, world.utama, slides[2].id, now=clock.now())
        live.session.commit()

        # 22:00: closed, the default slide with its date and clock, not a black page.
        page.clock.fast_forward("01:30")
        clock.jump(timedelta(seconds=90))
        _until(page, "document.body.dataset.showing === 'default'", 10)
        assert page.evaluate("document.getElementById('clock').hidden") is False
        assert page.evaluate("document.getElementById('clock-time').textContent").startswith("22.0")
        night_shot = page.screenshot(path=str(ARTIFACTS / "player-closed-default.png"))
        assert _is_picture(night_shot)

        # 06:00 the next day, the feed still down: the cached slides play again, in order.
        page.clock.fast_forward("08:00:05")
        clock.jump(timedelta(hours=8, seconds=5))
        _until(page, "document.body.dataset.showing === 'slide'", 10)
        before = len(_shows(page))
        _until(
            page,
            f"window.__siaranPlayer.log.filter(e => e.event === 'show').length >= {before + 6}",
            30,
        )
        morning = _shows(page, before)
        start = morning.index(first)
        order = [first, second, withdrawn]  # the player has not heard of the ending yet
        assert morning[start:] == [order[i % 3] for i in range(len(morning) - start)], morning
        assert page.evaluate("document.body.dataset.state") == "offline"

        # The feed returns: the ended slide is gone, the night's and morning's plays arrive.
        server.start()
        _until(
            page,
            f"!window.__siaranPlayer.state.doc.slides.some(s => s.sha256 === '{withdrawn}')",
            20,
        )
        after = len(_shows(page))
        _until(
            page,
            f"window.__siaranPlayer.log.filter(e => e.event === 'show').length >= {after + 4}",
            30,
        )
        assert withdrawn not in _shows(page, after + 1)
        assert page.evaluate(f"window.__siaranPlayer.state.urls.has('{withdrawn}')") is False
        morning_start = clock.start + timedelta(hours=8)

        def morning_plays() -> set[str]:
            with live.database.engine.connect() as conn:
                rows = conn.execute(
                    select(PlayEvent.slide_sha256).where(PlayEvent.played_at >= morning_start)
                ).all()
            return {row[0] for row in rows}

        _wait(lambda: {first, second} <= morning_plays(), 20, "the morning's plays")
        with live.database.engine.connect() as conn:
            evening = conn.scalar(
                select(PlayEvent.id).where(PlayEvent.played_at < clock.start + timedelta(minutes=2))
            )
        assert evening is not None  # plays from before 22:00 arrived too
        context.close()

        # A fresh browser process on the same profile, the feed down: it plays from its cache.
        server.stop()
        clock.jump(timedelta(minutes=5))
        context, page = _launch(
            pw, tmp_path / "profile", url.split("#", maxsplit=1)[0], clock.now()
        )
        _until(
            page,
            "window.__siaranPlayer && "
            "window.__siaranPlayer.log.filter(e => e.event === 'show').length >= 3",
            30,
        )
        assert set(_shows(page)) <= {first, second}
        assert page.evaluate("document.body.dataset.state") == "offline"
        context.close()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_nothing_valid_shows_the_default_slide(
    chromium: Path,  # noqa: F811
    night: tuple[FeedServer, MovingClock, str],
    live: LiveWorld,
    settings: Settings,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import sync_playwright

    server, clock, _key = night
    clock.jump(timedelta(hours=-4))  # 17:58, open, and no slide at all
    with sync_playwright() as pw:
        context, page = _launch(
            pw, tmp_path / "profile", f"{server.base}/screens/{SCREEN}/player?debug=1", clock.now()
        )
        _until(page, "document.body.dataset.showing === 'default'", 20)
        assert page.evaluate("document.getElementById('clock-time').textContent")[:4] == "17.5"
        shot = page.screenshot(path=str(ARTIFACTS / "player-nothing-valid-default.png"))
        assert _is_picture(shot)

        # An emergency override takes the screen at once while the feed is reachable.
        world = live.world
        override = push_emergency(
            world.session,
            world.utama,
            world.store,
            settings,
            SCREEN,
            headline="Banjir di Jalan Ahmad Yani",
            reason="Informasi serta-merta",
            now=clock.now(),
        )
        sha = override.slide.sha256
        live.session.commit()  # and nothing more on this session: SQLite would keep it locked
        pushed = time.monotonic()
        _until(page, f"document.body.dataset.current === '{sha}'", 10)
        print(f"override on screen {time.monotonic() - pushed:.2f} s after the push (poll 1 s)")
        assert page.evaluate("document.getElementById('clock').hidden") is True
        context.close()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_change_reaches_a_connected_player_at_once(
    chromium: Path,  # noqa: F811
    live: LiveWorld,
    settings: Settings,
    tmp_path: Path,
) -> None:
    """Publish → on screen, and an override → on screen, with polling a minute apart: only the
    feed's event stream can bring them. The figures are printed, not asserted."""
    from playwright.sync_api import sync_playwright

    world = live.world
    app = create_app(
        settings,
        engine=live.database.engine,
        store=world.store,
        options=FeedOptions(PlayerOptions(poll_seconds=60, heartbeat_seconds=60)),
    )
    server = FeedServer(app).start()
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                str(tmp_path / "profile"),
                executable_path="/usr/bin/chromium",
                headless=True,
                args=ARGS,
                viewport={"width": 1408, "height": 400},
                bypass_csp=True,
            )
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(f"{server.base}/screens/{SCREEN}/player?debug=1")
            _until(page, "document.body.dataset.showing === 'default'", 20)
            _until(page, "window.__siaranPlayer.log.some(e => e.event === 'announced')", 10)

            slide = publish(
                world.session, approved_post(world, "Baru terbit"), world.store, settings
            )
            sha = slide.sha256
            live.session.commit()
            published = time.monotonic()
            _until(page, f"document.body.dataset.current === '{sha}'", 20)
            publish_lag = time.monotonic() - published

            override = push_emergency(
                world.session,
                world.utama,
                world.store,
                settings,
                SCREEN,
                headline="Banjir di Jalan Ahmad Yani",
                reason="Informasi serta-merta",
            )
            sha = override.slide.sha256
            live.session.commit()
            pushed = time.monotonic()
            _until(page, f"document.body.dataset.current === '{sha}'", 20)
            override_lag = time.monotonic() - pushed
            print(
                f"\npublish → on screen {publish_lag:.2f} s; "
                f"override → on screen {override_lag:.2f} s (poll every 60 s)"
            )
            context.close()
    finally:
        server.stop()
