"""The kiosk launcher for a videotron's PC: Debian's Chromium, full-screen on the player page,
restarted whenever it dies.

- A persistent profile (the player's IndexedDB and service worker live there, so the screen
  starts from its cache when the feed or the LAN is down).
- The feed's origin is treated as secure (`--unsafely-treat-insecure-origin-as-secure`):
  browsers allow service workers and crypto.subtle only in a secure context, and a screen's LAN
  is usually plain HTTP.
- Quiet: no first-run, crash, translate or update bubbles, no pinch or swipe navigation.
- The window is placed pixel-exact (`--window-position`, `--window-size`) where the LED
  controller reads its input.
- The player key goes to the page in the address's fragment (#key=…): the page keeps it and
  drops it from the address; a fragment is never sent over the network.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from urllib.parse import quote, urlsplit

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
QUIET_FLAGS = (
    "--no-first-run",
    "--no-default-browser-check",
    "--noerrdialogs",
    "--disable-infobars",
    "--disable-session-crashed-bubble",
    "--disable-features=Translate,TranslateUI,MediaRouter",
    "--disable-pinch",
    "--overscroll-history-navigation=0",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--check-for-update-interval=31536000",
    "--password-store=basic",
    "--autoplay-policy=no-user-gesture-required",
    # A kiosk is never "in the background": timers must keep their rhythm.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
)
# Restarts come quickly at first, then no faster than this (a browser that cannot start at
# all must not spin the PC's CPU).
MAX_BACKOFF_SECONDS = 30.0
STABLE_SECONDS = 60.0  # a browser that ran this long restarts at once when it dies


@dataclass(frozen=True)
class Placement:
    """Where the window goes on the PC's desktop, in pixels: the LED controller's input."""

    width: int
    height: int
    x: int = 0
    y: int = 0

    @classmethod
    def parse(cls, text: str) -> Placement:
        """`1408x400+0+0` (X geometry), the offsets optional."""
        size, _, rest = text.strip().partition("+")
        width, _, height = size.lower().replace("×", "x").partition("x")
        x, _, y = rest.partition("+")
        try:
            return cls(int(width), int(height), int(x or 0), int(y or 0))
        except ValueError as exc:
            raise ValueError(
                f"Posisi jendela '{text}' tidak dikenali; tulis 1408x400+0+0."
            ) from exc


def player_url(feed: str, screen: str, key: str = "") -> str:
    base = feed.rstrip("/")
    url = f"{base}/screens/{quote(screen, safe='')}/player"
    return f"{url}#key={quote(key, safe='')}" if key else url


def origin_of(feed: str) -> str:
    parts = urlsplit(feed)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"Alamat feed '{feed}' harus seperti http://10.0.0.5:8600.")
    return f"{parts.scheme}://{parts.netloc}"


def kiosk_argv(
    chromium: Path,
    profile: Path,
    url: str,
    origin: str,
    *,
    placement: Placement | None = None,
    headless: bool = False,
    extra: Sequence[str] = (),
) -> list[str]:
    argv = [
        str(chromium),
        f"--user-data-dir={profile}",
        f"--unsafely-treat-insecure-origin-as-secure={origin}",
        *QUIET_FLAGS,
    ]
    if headless:
        argv.append("--headless")
    else:
        argv.append("--kiosk")
    if placement is not None:
        argv += [
            f"--window-position={placement.x},{placement.y}",
            f"--window-size={placement.width},{placement.height}",
        ]
    return [*argv, *extra, url]


def mark_clean_exit(profile: Path) -> None:
    """Tell Chromium its last run ended normally, so a restart after a crash or a power cut
    shows the page, not a "restore pages?" bubble."""
    preferences = profile / "Default" / "Preferences"
    try:
        data = json.loads(preferences.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    profile_section = data.setdefault("profile", {})
    profile_section["exit_type"] = "Normal"
    profile_section["exited_cleanly"] = True
    try:
        preferences.write_text(json.dumps(data), encoding="utf-8")
    except OSError:
        return


@dataclass
class Supervisor:
    """Starts the browser and starts it again whenever it exits, until told to stop."""

    argv: list[str]
    profile: Path
    say: Callable[[str], None] = print
    max_starts: int | None = None  # None: for ever
    child: subprocess.Popen[bytes] | None = None
    stopping: bool = False
    starts: int = 0
    _backoff: float = field(default=1.0)

    def stop(self, _signum: int = 0, _frame: FrameType | None = None) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.terminate()

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        self.profile.mkdir(parents=True, exist_ok=True)
        while not self.stopping and (self.max_starts is None or self.starts < self.max_starts):
            mark_clean_exit(self.profile)
            started = time.monotonic()
            self.child = subprocess.Popen(  # noqa: S603 - argv built above, no shell
                self.argv, stdin=subprocess.DEVNULL, start_new_session=True
            )
            self.starts += 1
            self.say(f"Pemutar dimulai (pid {self.child.pid}).")
            code = self.child.wait()
            if self.stopping:
                break
            ran = time.monotonic() - started
            self._backoff = (
                1.0 if ran >= STABLE_SECONDS else min(self._backoff * 2, MAX_BACKOFF_SECONDS)
            )
            wait = 0.0 if ran >= STABLE_SECONDS else self._backoff
            self.say(f"Pemutar berhenti (kode {code}); dimulai lagi dalam {wait:.0f} detik.")
            deadline = time.monotonic() + wait
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(0.1)
        self._finish()
        return 0

    def _next_wait(self, ran: float) -> float:
        """At once after a long run; 1, 2, 4 … 30 seconds after quick deaths in a row."""
        if ran >= STABLE_SECONDS:
            self._backoff = 1.0
            return 0.0
        wait = self._backoff
        self._backoff = min(self._backoff * 2, MAX_BACKOFF_SECONDS)
        return wait

    def _finish(self) -> None:
        child = self.child
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
