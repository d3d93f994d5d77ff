"""Browser and process fixtures for end-to-end tests (reusable by any e2e test).

Browsers: Debian's chromium through Playwright, never a downloaded browser. Without it the
browser tests skip with the reason, except under CI=true, where they fail.
Processes: start a part of Siaran on a free port, wait until it answers, stop it afterwards
(only the process the test started, by its id), keeping its output for the failure report.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "e2e"
REPO = Path(__file__).parents[2]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test file; tests open their own contexts. Not per session: a
    sync Playwright left running keeps its asyncio loop running, and the player's browser tests
    in the same xdist worker start their own sync Playwright, which refuses inside a loop."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"{CHROMIUM} not found: install Debian's chromium (make browser)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("Python Playwright is not installed (pip install -e '.[test]')")
    # A wait, not a timed assertion: how long to wait for a page to reach the expected state.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[..., Any]]:
    """Make a browser context (one person: own cookies and storage), WIB and Indonesian."""
    made: list[Any] = []

    def make(**options: Any) -> Any:
        settings: dict[str, Any] = {
            "viewport": {"width": 1400, "height": 1000},
            "locale": "id-ID",
            "timezone_id": "Asia/Jakarta",
        }
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(30_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@dataclass
class Artifacts:
    folder: Path
    count: int = 0

    def shot(self, page: Any, name: str) -> Path:
        """A screenshot named by step number and what it shows."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path))
        return path


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Artifacts:
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return Artifacts(folder)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def wait_until_up(server: Server, path: str, deadline_seconds: float = 60) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{server.output()}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"server did not answer {path} in time:\n{server.output()}")


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start a command (e.g. `python -m siaran dashboard`) and stop it after the test."""
    started: list[Server] = []

    def start(argv: Sequence[str], env: dict[str, str], port: int, health: str = "/") -> Server:
        log = tmp_path / f"server-{len(started)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                list(argv), env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT
            )
        server = Server(process, f"http://127.0.0.1:{port}", log)
        started.append(server)
        wait_until_up(server, health)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.terminate()
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


def siaran(env: dict[str, str], *args: str) -> str:
    """Run a `siaran` command to completion (as the operator would), returning its output."""
    done = subprocess.run(
        [sys.executable, "-m", "siaran", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
