"""X spend per published post, including 30 days of engagement reads, for Siaran's default
reading schedule against a naive one (hourly for 48 hours, then daily), in the same simulated
run. The simulator's meter is the judge: it charges like X (each post read once per UTC day).
Goal: ≤ 8 charged reads per post."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import requests

from content.delivery.metrics import DEFAULT_SCHEDULES, is_due
from content.infra.config import Settings
from content.models import Account, Channel
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimState
from publishers.social.registry import publisher_for
from publishers.social.target import TargetContent

POSTS = 40
DAYS = 30
CREDS = {
    "consumer_key": "b",
    "consumer_secret": "b",
    "access_token": "b",
    "access_token_secret": "b",
}
NAIVE = tuple(float(h) for h in range(1, 49)) + tuple(24.0 * d for d in range(3, DAYS + 1))


def _run(schedule: Sequence[float], with_url_every: int) -> tuple[Decimal, int, int]:
    state = SimState()
    with tempfile.TemporaryDirectory() as tmp, BackgroundServer(create_app(state)) as server:
        settings = Settings(data_dir=Path(tmp), simulator_port=server.port)
        account = Account(
            kind=Channel.X, handle="@b", display_name="B", settings={}, is_simulator=True
        )
        publisher = publisher_for(account, CREDS, settings)
        published: dict[str, datetime] = {}
        for n in range(POSTS):
            text = f"Kabar kota nomor {n}" + (
                " https://bekasikota.go.id" if n % with_url_every == 0 else ""
            )
            receipt = publisher.publish(
                TargetContent(post_id=n, target_id=n, channel=Channel.X, text=text)
            )
            published[receipt.remote_id or ""] = state.now_dt()
        last: dict[str, datetime | None] = dict.fromkeys(published)
        start = min(published.values())
        calls = 0
        for hour in range(1, DAYS * 24 + 2):
            now = start + timedelta(hours=hour)
            requests.post(f"{server.url}/_sim/clock", json={"advance": 3600}, timeout=10)
            due = [
                i for i, at in published.items() if is_due(Channel.X, at, last[i], now, schedule)
            ]
            if due:
                publisher.fetch_metrics(due)  # batched: 100 ids a call
                calls += (len(due) + 99) // 100
                for i in due:
                    last[i] = now
        publisher.close()
        meter = requests.get(f"{server.url}/_sim/meter", timeout=10).json()
    reads = int(meter["items"]["read_post"]["count"])
    return Decimal(meter["total_usd"]), reads, calls


def main() -> None:
    default_total, default_reads, default_calls = _run(
        DEFAULT_SCHEDULES[Channel.X], with_url_every=4
    )
    naive_total, naive_reads, naive_calls = _run(NAIVE, with_url_every=4)
    print(f"  {POSTS} X posts (one in four with a link), {DAYS} days of engagement reads")
    for name, total, reads, calls in (
        (
            "default schedule (1 h, 1 d, 2 d, 7 d, 30 d)",
            default_total,
            default_reads,
            default_calls,
        ),
        ("naive schedule (hourly 48 h, then daily)", naive_total, naive_reads, naive_calls),
    ):
        print(
            f"  {name}: ${total / POSTS:.4f} a post, {reads / POSTS:.1f} charged reads a post, "
            f"{calls} read calls"
        )
    print(
        f"  naive / default spend: {naive_total / default_total:.2f}×; "
        f"reads a post {default_reads / POSTS:.1f} (goal ≤ 8)"
    )
