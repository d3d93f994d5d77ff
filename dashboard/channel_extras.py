"""What a channel's tab in the composer shows beyond its text, read from the channel's declared
rules (`content.editorial.channels`): a title field where the channel has titles (the post's
headline, shared with the videotron slide), and the page as it will look where the body is sent
as HTML (the same `body_html` the publisher sends; every piece of user text escaped)."""

from __future__ import annotations

from html import escape

import streamlit as st

from content.editorial.channels import RULES, compose
from content.editorial.web_html import body_html
from content.models import Channel
from dashboard.compose_state import ComposeForm


def _title_changed(form: ComposeForm, key: str) -> None:
    form.headline = st.session_state[key]
    st.session_state[form.key("headline")] = form.headline  # the videotron tab's field


def title_field(form: ComposeForm, channel: Channel) -> None:
    rules = RULES[channel]
    if rules.max_title_chars is None:
        return
    key = form.key(f"title_{channel.value}")
    st.session_state[key] = form.headline  # one headline: edited here or in the videotron tab
    st.text_input(
        f"Judul untuk {rules.label}",
        key=key,
        max_chars=rules.max_title_chars,
        on_change=_title_changed,
        args=(form, key),
        help="Judul yang sama dipakai untuk slide videotron.",
    )


def body_preview(form: ComposeForm, channel: Channel, text: str) -> None:
    rules = RULES[channel]
    if not rules.html_body:
        return
    sent, _ = compose(channel, text, form.link, bool(form.photos))
    title = escape(" ".join(form.headline.split()))
    st.caption(f"Pratinjau halaman {rules.label}")
    st.html(
        '<div style="border:1px solid #ccc;border-radius:6px;padding:8px 14px">'
        f"<h3>{title}</h3>{body_html(sent)}</div>"
    )
