"""Platform money: prices, estimates before spending, monthly budgets, and the ledger of charged
calls. X charges per call since February 2026; Meta is free but rate-limited.

One module per concern, each the only home of its rule:
- `operations`: the names of paid calls (what the publishers report, the prices and the ledger use);
- `prices`: the price table (`data/prices.toml` + settings), read by the worker, the dashboard
  and the simulator's meter alike;
- `money`: the one amount type and its display; `months`: budget months (WIB);
- `estimate`: what a target will cost; `budgets`: budgets, `may_spend`, holds and warnings;
- `ledger`: pricing the calls made and writing them; `summary` and `views`: what people read.

The names below are what the worker, the pages and the tests use from outside the package.
"""

from content.costs.budgets import level_of, may_spend, set_budget, spent
from content.costs.estimate import estimate_post, estimate_reads, estimate_target
from content.costs.ledger import Charge, record_charges, x_charges
from content.costs.money import format_usd
from content.costs.months import month_label, month_of, recent_months
from content.costs.operations import Operation
from content.costs.prices import Prices, load_prices

__all__ = [
    "Charge",
    "Operation",
    "Prices",
    "estimate_post",
    "estimate_reads",
    "estimate_target",
    "format_usd",
    "level_of",
    "load_prices",
    "may_spend",
    "month_label",
    "month_of",
    "recent_months",
    "record_charges",
    "set_budget",
    "spent",
    "x_charges",
]
