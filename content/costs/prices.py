"""The price table: what each platform charges per operation (`operations.Operation`), read from
`data/prices.toml` with the settings file's `[prices.<platform>]` overrides on top. The worker,
the dashboard and the simulator's meter all read it through `load_prices`: one table."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from content.infra.config import Settings
from content.models import Channel

PRICES_FILE = Path(__file__).parent.parent / "data" / "prices.toml"


@dataclass(frozen=True)
class Prices:
    table: Mapping[str, Mapping[str, Any]]
    checked: str = ""
    source: str = ""
    usd_idr: float = 0.0

    def price(self, platform: Channel, operation: str) -> Decimal:
        """The price of one operation (one post for per-post reads); 0 when it is not listed."""
        value = self.table.get(platform.value, {}).get(operation, 0)
        return Decimal(str(value))

    def operations(self, platform: Channel) -> dict[str, Decimal]:
        """Every priced operation of the platform (free ones too), by name."""
        entries = self.table.get(platform.value, {}).items()
        return {k: Decimal(str(v)) for k, v in entries if _is_price(v)}

    def note(self, platform: Channel) -> str:
        return str(self.table.get(platform.value, {}).get("note", ""))

    def paid(self, platform: Channel) -> bool:
        return any(v > 0 for v in self.operations(platform).values())


def _is_price(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def load_prices(settings: Settings | None = None) -> Prices:
    data: dict[str, Any] = tomllib.loads(PRICES_FILE.read_text(encoding="utf-8"))
    overrides = dict(settings.section("prices")) if settings else {}
    for key, value in overrides.items():
        if isinstance(value, Mapping):
            data[key] = {**data.get(key, {}), **value}
        else:
            data[key] = value
    table = {k: v for k, v in data.items() if isinstance(v, Mapping)}
    return Prices(
        table,
        str(data.get("checked", "")),
        str(data.get("source", "")),
        float(data.get("usd_idr", 0)),
    )
