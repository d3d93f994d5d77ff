"""Serving the simulator: `run(settings)` for `siaran simulator`, and `BackgroundServer` for tests
and end-to-end runs that need it (or any ASGI app) on a free loopback port in a thread.

    [simulator]
    state_file = "simulator.json"   # relative to the data directory; omit to keep memory only

Its meter prices calls from the same table as the worker's ledger (`[prices.x]`, see
content/data/prices.toml).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from content.costs.prices import load_prices
from content.infra.config import Settings
from publishers.simulator.app import create_app
from publishers.simulator.meter import Meter
from publishers.simulator.state import SimState
from publishers.social.config import SIMULATOR_HOST, PublisherSettings
from publishers.social.transport import origin_of

log = logging.getLogger(__name__)


def image_origins(settings: Settings) -> frozenset[str]:
    """The one origin the simulator's Instagram fetches photos from: where simulator accounts
    point their image_url (the media base URL, or the local feed)."""
    media = PublisherSettings.from_settings(settings).for_simulator(settings).media_base_url
    return frozenset({origin_of(media)} - {""})


def build_state(settings: Settings) -> SimState:
    options = settings.section("simulator")
    state_file = options.get("state_file")
    path = None
    if state_file:
        path = Path(str(state_file))
        path = path if path.is_absolute() else settings.data_dir / path
    return SimState(path, Meter(load_prices(settings)), image_origins(settings))


def run(settings: Settings) -> None:
    """Serve the simulator on 127.0.0.1:settings.simulator_port until interrupted. It never
    follows SIARAN_HOST: opening the feed to the LAN must not open the simulator's admin API."""
    app = create_app(build_state(settings))
    if settings.host not in {SIMULATOR_HOST, "localhost", "::1"}:
        log.warning(
            "Simulator stays on %s (SIARAN_HOST=%s applies to the dashboard and feed only)",
            SIMULATOR_HOST,
            settings.host,
        )
    log.info("Simulator on http://%s:%s", SIMULATOR_HOST, settings.simulator_port)
    uvicorn.run(
        app,
        host=SIMULATOR_HOST,
        port=settings.simulator_port,
        log_level="warning",
        # The access log would print query strings, where Graph clients put their tokens.
        access_log=False,
        timeout_graceful_shutdown=2,
    )


class BackgroundServer:
    """An ASGI app served by uvicorn in a daemon thread on 127.0.0.1 (port 0: any free one)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.host = host
        self.port = port
        self._thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        sockets = [s for server in self.server.servers for s in server.sockets]
        self.port = int(sockets[0].getsockname()[1])
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
