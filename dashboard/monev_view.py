"""The Monev page's tables, colours and Altair charts, built from what `content.monev` returns.

No database and no rules here: the tables are the export's own (`content.monev.report`), so what
the page shows and what the workbook holds come from one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal

import altair as alt
import pandas as pd

from content import formats
from content.infra.timeutil import WIB
from content.labels import CHANNEL_LABELS, NO_DATA_LABEL
from content.models import Channel
from content.monev import MonevConfig, MonevReport, OpdScore, PostRow, TrendPoint
from content.monev.report import Table, config_table, parts_table, posts_table, summary_table
from dashboard import charts

# Komisi Informasi's bands, highest first: green, blue, yellow, orange, red.
BAND_COLOURS = ("#21a366", "#1c83e1", "#f2c200", "#ff8c00", "#e0313a")
NO_DATA_COLOUR = "#6b7280"  # grey text: not a band
BAND_TEXT = ("white", "white", "black", "black", "white")
Badge = Literal["green", "blue", "yellow", "orange", "red"]
BAND_BADGES: tuple[Badge, ...] = ("green", "blue", "yellow", "orange", "red")
PAGE_SIZE = 25  # posts per page of a table
RANK = "Peringkat"
SCORE = "Skor"
BAND = "Predikat"
MEASURES = {"posts": "Publikasi", "engagements": "Interaksi", "reach": "Jangkauan"}


def number(value: float, digits: int = 1) -> str:
    """A number as written in Indonesian: 1.234,5."""
    return formats.number(value, digits)


def band_index(config: MonevConfig, name: str) -> int:
    names = [q.name for q in config.qualifications]
    index = names.index(name) if name in names else len(names) - 1
    return min(index, len(BAND_COLOURS) - 1)


def band_colour(config: MonevConfig, name: str) -> str:
    return BAND_COLOURS[band_index(config, name)]


def band_badge(config: MonevConfig, name: str) -> Badge:
    return BAND_BADGES[band_index(config, name)]


def band_legend(config: MonevConfig) -> str:
    """'Informatif ≥ 90 · Menuju Informatif 80–89,9 · … · Tidak Informatif < 40'."""
    quals = config.qualifications
    parts = []
    for i, q in enumerate(quals):
        if i == 0:
            parts.append(f"{q.name} ≥ {number(q.min, 0)}")
        elif q.min <= 0:
            parts.append(f"{q.name} < {number(quals[i - 1].min, 0)}")
        else:
            parts.append(f"{q.name} {number(q.min, 0)}–{number(quals[i - 1].min - 0.1)}")
    return " · ".join(parts)


def frame(table: Table) -> pd.DataFrame:
    header, rows = table
    return pd.DataFrame(rows, columns=header)


def leaderboard(report: MonevReport, *, ranked: bool) -> pd.DataFrame:
    """The export's summary sheet; without the rank when the reader sees one OPD only."""
    table = frame(summary_table(report))
    return table if ranked else table.drop(columns=[RANK])


def styled_leaderboard(report: MonevReport, table: pd.DataFrame) -> Any:
    def colour(name: object) -> str:
        if name == NO_DATA_LABEL:
            return f"color: {NO_DATA_COLOUR}"
        index = band_index(report.config, str(name))
        return f"background-color: {BAND_COLOURS[index]}; color: {BAND_TEXT[index]}"

    return (
        table.style.map(colour, subset=[BAND])
        .format(precision=1, decimal=",", thousands=".", subset=[SCORE], na_rep=formats.MISSING)
        .format(na_rep=formats.MISSING, subset=[c for c in table.columns if c != SCORE])
    )


def parts_of(report: MonevReport, score: OpdScore | None = None) -> pd.DataFrame:
    """The export's parts sheet: every OPD's, or one OPD's."""
    table = frame(parts_table(report))
    if score is not None:
        table = table[table["OPD"] == score.facts.slug].reset_index(drop=True)
    return table


def posts_frame(report: MonevReport, rows: Sequence[PostRow], *, with_opd: bool) -> pd.DataFrame:
    """The export's posts sheet for these rows."""
    header, body = posts_table(replace(report, posts=list(rows)))
    table = pd.DataFrame(body, columns=header)
    return table if with_opd else table.drop(columns=["OPD"])


def config_frame(report: MonevReport) -> pd.DataFrame:
    """The export's configuration sheet; its values are numbers and text, shown as text."""
    table = frame(config_table(report))
    return table.astype({"Nilai": str})


def contribution(report: MonevReport, score: OpdScore) -> dict[str, float]:
    """Points each part adds to the total (its weight share × its score)."""
    return {p.name: report.config.weight_share(p.name) * p.score for p in score.parts}


# --- charts -----------------------------------------------------------------------------------


def leaderboard_chart(report: MonevReport) -> alt.Chart:
    quals = [q.name for q in report.config.qualifications]
    data = pd.DataFrame(
        [
            {"OPD": s.facts.name, SCORE: s.total, BAND: s.qualification, "Audiens": s.band}
            for s in report.scores
            if s.measured  # an OPD with nothing to judge yet gets no bar
        ],
        columns=["OPD", SCORE, BAND, "Audiens"],
    )
    colours = [band_colour(report.config, q) for q in quals]
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{SCORE}:Q", scale=alt.Scale(domain=[0, 100]), title="Skor (0–100)"),
            y=alt.Y("OPD:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(f"{BAND}:N", scale=alt.Scale(domain=quals, range=colours)),
            tooltip=[
                "OPD",
                alt.Tooltip(f"{SCORE}:Q", format=".1f"),
                f"{BAND}:N",
                "Audiens:N",
            ],
        )
        # The height holds the axis too; at least room for the legend's five bands.
        .properties(height=max(160, 70 + 30 * len(report.scores)))
        .configure(locale=charts.LOCALE)
    )
    return chart


def channel_label(value: str) -> str:
    try:
        return CHANNEL_LABELS[Channel(value)]
    except ValueError:
        return value


def _wib(moment: datetime) -> datetime:
    """Naive WIB time: Vega draws it as written, whatever the reader's browser time zone."""
    return moment.astimezone(WIB).replace(tzinfo=None)


def trend_frame(points: Iterable[TrendPoint]) -> pd.DataFrame:
    rows = [
        {
            "Minggu": _wib(p.week_start),
            "Kanal": channel_label(p.channel),
            "Ukuran": label,
            "Nilai": value,
        }
        for p in points
        for key, label in MEASURES.items()
        for value in [getattr(p, key)]
    ]
    return pd.DataFrame(rows, columns=["Minggu", "Kanal", "Ukuran", "Nilai"])


def trend_chart(points: Sequence[TrendPoint], measure: str) -> alt.Chart:
    """One measure ('posts', 'engagements', 'reach') per week, one line per channel."""
    data = trend_frame(points)
    data = data[data["Ukuran"] == MEASURES[measure]]
    chart: alt.Chart = (
        alt.Chart(data, title=f"{MEASURES[measure]} per minggu")
        .mark_line(point=True)
        .encode(
            x=alt.X("Minggu:T", title="Minggu mulai (WIB)", axis=charts.date_axis()),
            y=alt.Y("Nilai:Q", title=MEASURES[measure], axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("Kanal:N"),
            tooltip=[alt.Tooltip("Minggu:T", format=charts.DAY), "Kanal:N", "Nilai:Q"],
        )
        .configure(locale=charts.LOCALE)
    )
    return chart


def growth_frame(readings: Iterable[tuple[datetime, str, int, int]]) -> pd.DataFrame:
    rows = [
        {"Waktu": _wib(at), "Kanal": channel_label(channel), "Ukuran": label, "Nilai": value}
        for at, channel, engaged, reached in readings
        for label, value in (("Interaksi", engaged), ("Jangkauan", reached))
    ]
    return pd.DataFrame(rows, columns=["Waktu", "Kanal", "Ukuran", "Nilai"])


def growth_chart(readings: Sequence[tuple[datetime, str, int, int]]) -> alt.FacetChart:
    chart: alt.FacetChart = (
        alt.Chart(growth_frame(readings))
        .mark_line(point=True)
        .encode(
            x=alt.X("Waktu:T", title="Waktu pengukuran (WIB)", axis=charts.date_axis()),
            y=alt.Y("Nilai:Q", title=None, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("Kanal:N"),
            tooltip=[
                alt.Tooltip("Waktu:T", format=charts.MOMENT),
                "Kanal:N",
                "Ukuran:N",
                "Nilai:Q",
            ],
        )
        .facet(column=alt.Column("Ukuran:N", title=None))
        .resolve_scale(y="independent")
        .configure(locale=charts.LOCALE)
    )
    return chart
