"""Amounts of money: one type (a `Decimal` to 1/10 000 of a dollar, as the ledger and budgets
store them) and one way to show them to people (dollars in Indonesian notation, with Rupiah)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from content import formats

if TYPE_CHECKING:
    from content.costs.prices import Prices

UNIT = Decimal("0.0001")  # Numeric(12, 4) in the database


def money(value: object) -> Decimal:
    """`value` (a Decimal, a number, a numeric string from an audit row, or None for nothing)
    as a stored amount: a Decimal quantized to 1/10 000 of a dollar."""
    return Decimal(str(value or 0)).quantize(UNIT)


def format_usd(amount: Decimal, prices: Prices | None = None) -> str:
    """ "$0,200", and "$0,200 (≈ Rp3.300)" when the price table has an exchange rate
    (`content.formats.usd`, the one way money is written)."""
    return formats.usd(amount, prices)
