"""Platform money: prices, estimates before spending, monthly budgets, and the ledger of charged
calls. X charges per call since February 2026; Meta is free but rate-limited.

One module per concern, each the only home of its rule:
- `operations`: the names of paid calls (what the publishers report, the prices and the ledger use);
- `prices`: the price table (`data/prices.toml` + settings), read by the worker, the dashboard
  and the simulator's meter alike;
- `money`: the one amount type and its display; `months`: budget months (WIB);
- `estimate`: what a target will cost; `budgets`: budgets, `may_spend`, holds and warnings;
- `ledger`: pricing the calls made and writing them; `summary` and `views`: what people read.

The names below are the package's working API (the worker, the CLI and the pages use them).
"""

from content.costs.budgets import (
    WARN_AT,
    SpendCheck,
    budget_row,
    in_flight,
    level_of,
    may_spend,
    parse_amount,
    release_budget_holds,
    set_budget,
    spent,
)
from content.costs.estimate import Estimate, estimate_post, estimate_target
from content.costs.ledger import Charge, PaidCall, record_charges, x_charges
from content.costs.money import format_usd, money
from content.costs.months import check_month, month_label, month_of, recent_months
from content.costs.operations import Operation
from content.costs.prices import Prices, load_prices

__all__ = [
    "WARN_AT",
    "Charge",
    "Estimate",
    "Operation",
    "PaidCall",
    "Prices",
    "SpendCheck",
    "budget_row",
    "check_month",
    "estimate_post",
    "estimate_target",
    "format_usd",
    "in_flight",
    "level_of",
    "load_prices",
    "may_spend",
    "money",
    "month_label",
    "month_of",
    "parse_amount",
    "recent_months",
    "record_charges",
    "release_budget_holds",
    "set_budget",
    "spent",
    "x_charges",
]
