"""`siaran player` starts a real Chromium on the player page, which reports with the screen's
key, and starts it again when it dies (issue #17, point 3). Headless here; the same argv with
--kiosk on the screen's PC. Uses Debian's /usr/bin/chromium, never a downloaded browser."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from content import playlist
from content.infra.config import Settings
from content.models import PlayerHeartbeat
from publishers.videotron.feed import FeedOptions, PlayerOptions, create_app
from publishers.videotron.feed.launcher import Placement, kiosk_argv, origin_of, player_url
from tests.videotron.conftest import LiveWorld
from tests.videotron.helpers import FeedServer
from tests.videotron.test_player_browser import chromium  # noqa: F401

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_the_kiosk_command_line() -> None:
    url = player_url("http://10.0.0.5:8600/", "bekasi-timur", "spk_abc")
    assert url == "http://10.0.0.5:8600/screens/bekasi-timur/player#key=spk_abc"
    argv = kiosk_argv(
        Path("/usr/bin/chromium"),
        Path("/srv/profile"),
        url,
        origin_of("http://10.0.0.5:8600/"),
        placement=Placement.parse("1408x400+1920+0"),
    )
    assert "--unsafely-treat-insecure-origin-as-secure=http://10.0.0.5:8600" in argv
    assert "--kiosk" in argv and "--user-data-dir=/srv/profile" in argv
    assert "--window-position=1920,0" in argv and "--window-size=1408,400" in argv
    assert argv[-1] == url
    with pytest.raises(ValueError, match="http://"):
        origin_of("10.0.0.5:8600")


class Lines:
    """The launcher's stderr, read as it comes."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: object) -> None:
        for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
            self.lines.append(raw.decode(errors="replace").strip())

    def pids(self) -> list[int]:
        return [int(line.split("pid ")[1].rstrip(").")) for line in self.lines if "(pid " in line]


@pytest.fixture
def feed(live: LiveWorld, settings: Settings) -> Iterator[FeedServer]:
    app = create_app(
        settings,
        engine=live.database.engine,
        store=live.world.store,
        options=FeedOptions(PlayerOptions(poll_seconds=1, heartbeat_seconds=1)),
    )
    server = FeedServer(app).start()
    try:
        yield server
    finally:
        server.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in _status(pid)


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_launcher_starts_and_restarts_chromium(
    chromium: Path,  # noqa: F811
    feed: FeedServer,
    live: LiveWorld,
    tmp_path: Path,
) -> None:
    _row, key = playlist.issue_player_key(live.world.session, live.world.utama, "bekasi-timur")
    live.session.commit()
    key_file = tmp_path / "player.key"
    key_file.write_text(key + "\n")
    argv = [
        sys.executable,
        "-m",
        "siaran",
        "player",
        "--screen=bekasi-timur",
        f"--feed={feed.base}",
        f"--key-file={key_file}",
        f"--profile={tmp_path / 'profile'}",
        f"--chromium={chromium}",
        "--window=1408x400+0+0",
        "--headless",
        "--chromium-flag=--no-sandbox",
        "--chromium-flag=--disable-gpu",
    ]
    launcher = subprocess.Popen(argv, cwd=ROOT, stderr=subprocess.PIPE)
    lines = Lines(launcher.stderr)
    started: list[int] = []
    try:

        def beats() -> int:
            with live.database.engine.connect() as conn:
                found = conn.scalar(select(PlayerHeartbeat.beats))
            return int(found or 0)

        _wait(lambda: beats() >= 1, 60, "a heartbeat from the launched player")
        started = lines.pids()
        (first,) = started
        os.kill(first, signal.SIGKILL)  # the browser dies
        _wait(lambda: len(lines.pids()) >= 2, 30, "the browser started again")
        started = lines.pids()
        assert started[1] != first and "berhenti" in " ".join(lines.lines)
        seen = beats()
        _wait(lambda: beats() > seen + 1, 60, "heartbeats from the restarted player")
        with live.database.engine.connect() as conn:
            players = conn.scalars(select(PlayerHeartbeat.player_id)).all()
        assert len(players) == 1  # the same player (same profile) came back
    finally:
        launcher.send_signal(signal.SIGTERM)
        try:
            launcher.wait(timeout=20)
        finally:
            if launcher.poll() is None:
                launcher.kill()
                launcher.wait()
    assert launcher.returncode == 0
    _wait(lambda: not any(_alive(pid) for pid in started), 15, "the browser stopped with it")
