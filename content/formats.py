"""How numbers, money and dates are written for people: the one place (pages, exports, the CLI's
human output all call these). Indonesian notation: "63.206", "1,5", "$0,060 (≈ Rp990)",
"Rp3.300", "30 Nov 2026", "Senin, 30 November 2026", "30 Nov 2026 14:05 WIB" (times in WIB).

Charts use the same vocabulary through `dashboard/charts.py` (Vega's number and time locale).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from content.infra.timeutil import MONTHS, SHORT_MONTHS, WIB, as_utc, format_wib

if TYPE_CHECKING:
    from content.costs.prices import Prices

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # Monday first
SHORT_DAYS = tuple(d[:3] for d in DAYS)
MISSING = "–"  # what a table shows where there is no value (never "None")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: object, digits: int = 0) -> str:
    """1234.5 → "1.234,5" (digits=1); 63206 → "63.206"; None → "–"."""
    if _missing(value):
        return MISSING
    text = f"{float(str(value)) if digits else round(float(str(value))):,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def percent(value: object, digits: int = 1) -> str:
    return MISSING if _missing(value) else f"{number(value, digits)}%"


def usd(amount: object, prices: Prices | None = None) -> str:
    """ "$0,200", and "$0,200 (≈ Rp3.300)" when the price table has an exchange rate."""
    if _missing(amount):
        return MISSING
    value = Decimal(str(amount))
    text = f"${number(value, 3)}"
    if prices and prices.usd_idr and value:
        text += f" (≈ {rupiah(float(value) * prices.usd_idr)})"
    return text


def rupiah(value: object) -> str:
    """12345.6 → "Rp12.346"."""
    return MISSING if _missing(value) else f"Rp{number(value)}"


def day(value: date | datetime | None) -> str:
    """ "30 Nov 2026" (a datetime is read in WIB)."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(WIB).date()
    return f"{value.day} {SHORT_MONTHS[value.month - 1]} {value.year}"


def long_day(value: date) -> str:
    """ "Senin, 30 November 2026"."""
    return f"{DAYS[value.weekday()]}, {value.day} {MONTHS[value.month - 1]} {value.year}"


def day_month(value: date) -> str:
    """ "30 Nov" (a week's or a chart's short form)."""
    return f"{value.day} {SHORT_MONTHS[value.month - 1]}"


def month(value: date) -> str:
    """ "November 2026"."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def moment(value: datetime | None, *, seconds: bool = False) -> str:
    """ "30 Nov 2026 14:05 WIB" (the clock as people type it into the app)."""
    return format_wib(value, seconds=seconds)


def day_range(first: date, last: date) -> str:
    """ "24 – 30 Nov 2026", "28 Nov – 4 Des 2026", "28 Des 2026 – 3 Jan 2027"."""
    if first.year != last.year:
        return f"{day(first)} – {day(last)}"
    if first.month != last.month:
        return f"{day_month(first)} – {day(last)}"
    return f"{first.day} – {day(last)}"


# Thousands grouped with dots ("63.206"); a first group of 0 is a decimal point ("0.001").
_GROUPED = re.compile(r"[1-9]\d{0,2}(\.\d{3})+")


def parse_number(text: object) -> Decimal | None:
    """A number as an Indonesian types it: "1.234,50", "12,5", "63.206"; also "12.50" and a
    number object. None when it is not a number."""
    if isinstance(text, int | float | Decimal):
        return Decimal(str(text))
    cleaned = str(text).strip().replace(" ", "").removeprefix("$").removeprefix("Rp")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
