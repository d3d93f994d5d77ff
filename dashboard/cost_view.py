"""Drawing platform money: a post's estimate (composer, approval queue) and the budget banner
for PPID Utama (spending page, status page). The numbers and sentences come from
`content.costs` (`summary`, `views`); this module only lays them out."""

from __future__ import annotations

import streamlit as st

from content import costs, formats
from content.costs import views as cost_views
from content.costs.summary import CostLine, CostSummary
from content.costs.views import SpendRow
from content.infra.errors import DomainError
from content.org.actors import Actor
from dashboard import resources
from dashboard.resources import transaction
from dashboard.ui import md


def prices() -> costs.Prices:
    """The price table as the settings have it now (read on every run, like the settings)."""
    return costs.load_prices(resources.settings())


def line_text(line: CostLine) -> str:
    text = f"{md(line.name)}: **{md(line.amount_text)}**"
    return f"{text} — {md(line.reason)}" if line.reason else text


def cheaper_text(line: CostLine) -> str:
    return f"{md(line.cheaper)} Perkiraan: **{md(line.cheaper_text)}**."


def estimate(summary: CostSummary) -> None:
    """Every target with its reason and, where there is one, the cheaper form; then the total
    and the date the prices were checked (the composer)."""
    for line in summary.lines:
        st.markdown(line_text(line))
        if line.cheaper:
            st.info(cheaper_text(line), icon=":material/savings:")
    total = f"Perkiraan biaya total: **{md(summary.total_text)}**"
    if summary.cheaper_total is not None:
        total += f" · dengan bentuk lebih murah: **{md(summary.cheaper_total_text)}**"
    st.markdown(total)
    st.caption(md(summary.checked_text))


def target_caption(line: CostLine) -> None:
    """One target's estimate under its preview (the approval queue)."""
    text = f"Perkiraan biaya: {md(line.amount_text)}"
    # A free target's reason is the platform's note, said once already by "gratis, dibatasi laju".
    st.caption(f"{text} — {md(line.reason)}" if line.reason and line.amount else text)
    if line.cheaper:
        st.caption(f"Lebih murah: {md(line.cheaper_text)}. {md(line.cheaper)}")


def budget_banner(actor: Actor) -> list[SpendRow]:
    """PPID Utama is warned while a budget of the current month is at 80 % or more; nobody else
    sees anything. A failure to read is not allowed to break the page it sits on. Returns what
    was shown, so a page listing the same rows need not say it twice."""
    table = prices()
    try:
        with transaction() as session:
            alerts = cost_views.budget_alerts(session, actor, table)
    except DomainError:
        return []
    for alert in alerts:
        shown = st.error if alert.level == "error" else st.warning
        shown(md(alert.summary(table)), icon=":material/payments:")
    return alerts


def usd(value: object) -> str:
    """A dollar amount in a table cell, written as everywhere else ($0,660 (≈ Rp10.890))."""
    return formats.usd(value)


def rupiah(value: object) -> str:
    return formats.rupiah(value)


def percent(value: object) -> str:
    return formats.percent(value)
