"""Metric collection: HTTP calls and time for batched reads against one read per post (the
baseline, measured in the same run), through the real publishers and the simulator."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from content.infra.config import Settings
from content.models import Account, Channel
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimState
from publishers.social.base import Publisher
from publishers.social.registry import publisher_for

SIZES = {Channel.X: 500, Channel.FACEBOOK: 200, Channel.INSTAGRAM: 200}
SEED = {Channel.X: "x", Channel.FACEBOOK: "facebook", Channel.INSTAGRAM: "instagram"}
CREDENTIALS = {
    Channel.X: dict.fromkeys(
        ("consumer_key", "consumer_secret", "access_token", "access_token_secret"), "bench"
    ),
    Channel.FACEBOOK: {"page_access_token": "bench"},
    Channel.INSTAGRAM: {"access_token": "bench"},
}


def _calls(url: str) -> int:
    return int(requests.get(f"{url}/_sim/requests", timeout=10).json()["count"])


def _measure(url: str, work: Callable[[], object]) -> tuple[int, float]:
    requests.delete(f"{url}/_sim/requests", timeout=10)
    started = time.perf_counter()
    work()
    return _calls(url), time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, BackgroundServer(create_app(SimState())) as sim:
        settings = Settings(data_dir=Path(tmp), simulator_port=sim.port)
        for channel, size in SIZES.items():
            account = Account(
                kind=channel,
                handle="bench",
                settings={"page_id": "sim-bench", "ig_user_id": "sim-bench"},
                is_simulator=True,
            )
            publisher: Publisher = publisher_for(account, CREDENTIALS[channel], settings)
            body = {"platform": SEED[channel], "count": size, "owner": "sim-bench"}
            ids = requests.post(f"{sim.url}/_sim/seed", json=body, timeout=30).json()["ids"]
            base_calls, base_time = _measure(
                sim.url, lambda p=publisher, i=ids: [p.fetch_metrics([one]) for one in i]
            )
            calls, took = _measure(sim.url, lambda p=publisher, i=ids: p.fetch_metrics(i))
            publisher.close()
            print(
                f"{channel.value:<10} {size:>4} posts: {calls:>3} calls {took * 1000:7.1f} ms | "
                f"one per post: {base_calls:>4} calls {base_time * 1000:7.1f} ms | "
                f"calls x{base_calls / calls:.0f} fewer, time x{base_time / took:.1f} faster"
            )


if __name__ == "__main__":
    main()
