"""The bell in the sidebar: how many notifications are unread, and the list (content.org
.notifications), with "mark all read". Each line names a post by its number only, and says
where its e-mail is when it was to be e-mailed (one cut short shows as possibly not arrived)."""

from __future__ import annotations

import streamlit as st

from content.infra.timeutil import format_wib
from content.labels import EMAIL_STATE_LABELS
from content.org import notifications
from content.org.actors import Actor
from dashboard.resources import transaction
from dashboard.ui import attempt, md


def _mark_read(actor: Actor) -> None:
    attempt(lambda s: notifications.mark_all_read(s, actor))


def bell(actor: Actor) -> None:
    if actor.user_id is None:
        return
    with transaction() as session:
        unread = notifications.unread_count(session, actor)
        shown = notifications.latest(session, actor, limit=10)
    label = f"Pemberitahuan ({unread} belum dibaca)" if unread else "Pemberitahuan"
    with st.expander(label, icon=":material/notifications:", expanded=False):
        if not shown:
            st.caption("Belum ada pemberitahuan.")
        for item in shown:
            mark = "" if item.read else "**●** "
            mail = f" · {EMAIL_STATE_LABELS[item.email]}" if item.email else ""
            st.markdown(f"{mark}{md(item.sentence)}  \n{format_wib(item.at)}{mail}")
        if unread:
            st.button("Tandai semua dibaca", key="bell_read", on_click=_mark_read, args=(actor,))
