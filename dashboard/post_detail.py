"""A post's result per channel (where, its state, when it went out, the live post's link), as
"Konten saya" and the calendar show it."""

from __future__ import annotations

import streamlit as st

from content.infra.timeutil import format_wib
from content.labels import CHANNEL_LABELS, TARGET_STATUS_LABELS
from dashboard.ui import md
from dashboard.views import TargetView


def channel_result(target: TargetView, key: str) -> None:
    """One channel of a post; `key` makes the link button unique on the page."""
    when = f" · {format_wib(target.published_at)}" if target.published_at else ""
    text, link = st.columns([5, 1])
    text.caption(
        f"{CHANNEL_LABELS[target.channel]} · {md(target.label)}"
        f"{' — mode latihan' if target.is_simulator else ''} · "
        f"**{TARGET_STATUS_LABELS[target.status]}**{when}"
    )
    if target.remote_url:
        link.link_button("Lihat unggahan", target.remote_url, key=f"{key}_live_{target.id}")
