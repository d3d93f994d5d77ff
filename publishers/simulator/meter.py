"""What the same calls would cost on X (pay-per-use since February 2026), counted per
`content.costs.Operation` and priced from the one price table the worker uses
(`content.costs.load_prices`: content/data/prices.toml with the settings' `[prices.x]`).
Per-post operations (post reads) count each post once per UTC day, as X bills them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from content.costs.operations import ONCE_A_DAY_PER_POST, Operation
from content.costs.prices import Prices, load_prices
from content.models import Channel


@dataclass
class Meter:
    prices: Prices = field(default_factory=load_prices)
    counts: dict[str, int] = field(default_factory=dict)
    free_repeat_reads: int = 0
    # Follower counts answered, per API ("x", "graph": Facebook Pages and Instagram accounts):
    # X's are also charged as a User: Read above; Meta's are free and counted here only.
    follower_reads: dict[str, int] = field(default_factory=dict)
    _read_today: set[tuple[str, str, str]] = field(default_factory=set)

    def charge(self, operation: Operation, count: int = 1) -> None:
        """`count` requests of a flat-priced operation (a post created, a user read, alt text)."""
        self.counts[operation] = self.counts.get(operation, 0) + count

    def per_post(self, operation: Operation, ids: Iterable[str], now: datetime) -> None:
        """A per-post operation (`ONCE_A_DAY_PER_POST`) returned these posts: each is billed
        once per UTC day."""
        if operation not in ONCE_A_DAY_PER_POST:
            raise ValueError(f"{operation} is not charged per post")
        day = now.date().isoformat()  # `now` is UTC: the day boundary is 00:00 UTC
        for post_id in ids:
            key = (operation.value, post_id, day)
            if key in self._read_today:
                self.free_repeat_reads += 1
                continue
            self._read_today.add(key)
            self.charge(operation)

    def followers_read(self, platform: str) -> None:
        self.follower_reads[platform] = self.follower_reads.get(platform, 0) + 1

    def reset(self) -> None:
        self.follower_reads.clear()
        self.counts.clear()
        self._read_today.clear()
        self.free_repeat_reads = 0

    def snapshot(self) -> dict[str, Any]:
        items = {}
        total = Decimal(0)
        for operation, price in self.prices.operations(Channel.X).items():
            count = self.counts.get(operation, 0)
            cost = price * count
            total += cost
            items[operation] = {"count": count, "unit_usd": str(price), "cost_usd": str(cost)}
        return {
            "currency": "USD",
            "items": items,
            "free_repeat_reads": self.free_repeat_reads,
            "follower_reads": dict(self.follower_reads),
            "total_usd": str(total),
        }
