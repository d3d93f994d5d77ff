"""Charts in Indonesian: Vega's number locale (12.000; 1,5) and time locale (Senin, Nov → "30 Nov",
"Desember"), one date vocabulary with `content.formats`. Every Altair chart of the dashboard goes
through `indonesian()` before it is drawn, and dates on axes use `DAY_AXIS` / `MOMENT_AXIS`
(Vega's default day tick reads "Nov 30", the American order)."""

from __future__ import annotations

from typing import Any, TypeVar

import altair as alt

from content.formats import DAYS
from content.infra.timeutil import MONTHS, SHORT_MONTHS

# Vega counts days from Sunday.
_SUNDAY_FIRST = [DAYS[-1], *DAYS[:-1]]

LOCALE = alt.Locale(
    number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["Rp", ""]),
    time=alt.TimeLocale(
        dateTime="%A, %e %B %Y %H.%M.%S",
        date="%d/%m/%Y",
        time="%H.%M.%S",
        periods=["", ""],
        days=_SUNDAY_FIRST,
        shortDays=[d[:3] for d in _SUNDAY_FIRST],
        months=list(MONTHS),
        shortMonths=list(SHORT_MONTHS),
    ),
)

# Vega's dynamic time format: the label depends on the tick's boundary (a new year, month, day…).
TIME_FORMAT: dict[str, str] = {
    "year": "%Y",
    "quarter": "%b %Y",
    "month": "%b %Y",
    "week": "%e %b",
    "date": "%e %b",
    "hours": "%H.%M",
    "minutes": "%H.%M",
    "seconds": "%H.%M.%S",
    "milliseconds": "%H.%M.%S",
}
DAY = "%e %b %Y"  # tooltips: "30 Nov 2026"
MOMENT = "%e %b %Y %H.%M"

Chart = TypeVar("Chart", bound=alt.TopLevelMixin)


def date_axis(**kw: Any) -> alt.Axis:
    """A time axis whose ticks read "30 Nov", "Des 2026", "14.00"."""
    return alt.Axis(format=TIME_FORMAT, formatType="time", **kw)


def indonesian(chart: Chart) -> Chart:
    """The chart with the Indonesian locale (numbers and dates)."""
    configured: Chart = chart.configure(locale=LOCALE)
    return configured
