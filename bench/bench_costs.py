"""X spend per published post, including 30 days of engagement reads, in the same simulated run:
Siaran's default reading schedule through the account's own timeline (owned reads, $0.001 a
post since 2026-04-20), the same schedule through lookups by id ($0.005, the path before), and
a naive schedule (hourly for 48 hours, then daily). The simulator's meter is the judge: it
charges like X (each post read once per UTC day). Goal: ≤ 5 charged reads per post at $0.001
(≤ $0.005 of reads per post, 5× less than the lookup path)."""

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


def _run(
    schedule: Sequence[float], with_url_every: int, *, owned: bool = False
) -> tuple[Decimal, int, int, Decimal]:
    """(total spend, charged reads, read calls, spend on reads) for one way of reading."""
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
        if owned:  # the account's user id, as `siaran account add` stores it in its settings
            user_id = str(publisher.me()["id"])  # type: ignore[attr-defined]
            account.settings = {"user_id": user_id}
            publisher.close()
            publisher = publisher_for(account, CREDS, settings)
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
    read_items = [meter["items"][name] for name in ("read_post", "read_owned")]
    reads = sum(int(item["count"]) for item in read_items)
    read_usd = sum((Decimal(item["cost_usd"]) for item in read_items), Decimal(0))
    return Decimal(meter["total_usd"]), reads, calls, read_usd


def main() -> None:
    schedule = DEFAULT_SCHEDULES[Channel.X]
    runs = {
        "default schedule, own timeline (owned reads)": _run(schedule, 4, owned=True),
        "default schedule, lookup by id": _run(schedule, 4),
        "naive schedule (hourly 48 h, then daily), lookup": _run(NAIVE, 4),
    }
    print(f"  {POSTS} X posts (one in four with a link), {DAYS} days of engagement reads")
    for name, (total, reads, calls, read_usd) in runs.items():
        print(
            f"  {name}: ${total / POSTS:.4f} a post (reads ${read_usd / POSTS:.4f}), "
            f"{reads / POSTS:.1f} charged reads a post, {calls} reading rounds"
        )
    owned, lookup = (
        runs["default schedule, own timeline (owned reads)"],
        runs["default schedule, lookup by id"],
    )
    print(
        f"  lookup / owned read spend: {lookup[3] / owned[3]:.2f}× (goal ≥ 5); "
        f"owned reads a post {owned[1] / POSTS:.1f} (goal ≤ 5), "
        f"${owned[3] / POSTS:.4f} a post (goal ≤ $0.005)"
    )
