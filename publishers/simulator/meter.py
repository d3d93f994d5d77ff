"""What the same calls would cost on X (pay-per-use since February 2026): about $0.015 a post
created, $0.20 a post that contains a URL, $0.005 a post read, with repeated reads of the same
post in one UTC day free, $0.010 a user read, $0.005 a media-metadata (alt text) request and
$0.010 a post deleted ("Interaction: Delete"). Prices are a `[simulator]` setting (price_post,
price_post_url, price_read, price_user_read, price_media_metadata, price_delete) because X
changes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

DEFAULT_PRICES = {
    "post_create": Decimal("0.015"),
    "post_create_url": Decimal("0.20"),
    "post_read": Decimal("0.005"),
    "user_read": Decimal("0.010"),
    "media_metadata": Decimal("0.005"),
    "post_delete": Decimal("0.010"),
}


@dataclass
class Meter:
    prices: dict[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    counts: dict[str, int] = field(default_factory=dict)
    free_repeat_reads: int = 0
    _read_today: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def with_prices(cls, overrides: Mapping[str, Any]) -> Meter:
        prices = dict(DEFAULT_PRICES)
        names = {"price_post": "post_create", "price_post_url": "post_create_url"}
        names |= {"price_read": "post_read", "price_user_read": "user_read"}
        names["price_media_metadata"] = "media_metadata"
        names["price_delete"] = "post_delete"
        for setting, item in names.items():
            if setting in overrides:
                prices[item] = Decimal(str(overrides[setting]))
        return cls(prices=prices)

    def _add(self, item: str, count: int = 1) -> None:
        self.counts[item] = self.counts.get(item, 0) + count

    def post_created(self, has_url: bool) -> None:
        self._add("post_create_url" if has_url else "post_create")

    def charge(self, item: str) -> None:
        """One request of a flat-priced kind (user read, media metadata)."""
        self._add(item)

    def posts_read(self, ids: Iterable[str], now: datetime) -> None:
        day = now.date().isoformat()  # `now` is UTC: the day boundary is 00:00 UTC
        for post_id in ids:
            key = (post_id, day)
            if key in self._read_today:
                self.free_repeat_reads += 1
                continue
            self._read_today.add(key)
            self._add("post_read")

    def reset(self) -> None:
        self.counts.clear()
        self._read_today.clear()
        self.free_repeat_reads = 0

    def snapshot(self) -> dict[str, Any]:
        items = {}
        total = Decimal(0)
        for item, price in self.prices.items():
            count = self.counts.get(item, 0)
            cost = price * count
            total += cost
            items[item] = {"count": count, "unit_usd": str(price), "cost_usd": str(cost)}
        return {
            "currency": "USD",
            "items": items,
            "free_repeat_reads": self.free_repeat_reads,
            "total_usd": str(total),
        }
