"""Siaran's dashboard: `streamlit run dashboard/app.py` (or `siaran dashboard`).

This file is the frame around every page: sign-in, the role's navigation, the emergency-stop
banner, the sign-out button and the unsaved-draft guard. The pages in pages/ only call services
in content/; every rule lives there.
"""

from __future__ import annotations

import streamlit as st

from content.delivery.operations import current_pause
from content.infra.errors import DomainError
from content.infra.timeutil import format_wib
from content.models import PublicationPause, User
from dashboard import auth, compose_state, navigation
from dashboard.bell import bell
from dashboard.favicon import favicon
from dashboard.resources import transaction
from dashboard.ui import md, show_flash


def pause_banner() -> None:
    """Shown on every page while "Jeda semua publikasi" holds."""
    with transaction() as session:
        pause: PublicationPause | None = current_pause(session)
        if pause is None:
            return
        who = session.get(User, pause.paused_by_id) if pause.paused_by_id else None
        text = (
            f"**Publikasi sedang dijeda** sejak {format_wib(pause.paused_at)}"
            f"{' oleh ' + md(who.display_name) if who else ''}. Alasan: {md(pause.reason)}"
        )
    st.error(text, icon=":material/pause_circle:")


def sidebar(signed: auth.SignedIn) -> None:
    actor = signed.actor
    with st.sidebar:
        st.markdown(f"**{md(actor.display_name or actor.username)}**")
        st.caption(f"{auth.role_line(actor)} · {md(actor.username)}")
        bell(actor)
        if compose_state.has_unsaved():
            st.warning("Ada perubahan belum disimpan di *Tulis konten*.")
        if st.button("Keluar", key="sign_out", icon=":material/logout:"):
            auth.sign_out()
        # Last in the sidebar: an element that comes and goes here shifts nothing else.
        auth.write_cookie()


def signed_out() -> None:
    auth.try_sso()
    if auth.signed_in() is not None:
        st.rerun()
    # Any page's address shows the sign-in form and, once signed in, that page (when the role
    # has it): a bookmark survives the sign-in.
    navigation.translate_page_not_found(None)  # the sign-in form is the answer to any address
    page = st.navigation(navigation.signed_out_pages(auth.sign_in_page), position="hidden")
    show_flash()
    page.run()
    auth.write_cookie()  # after the form: an element that comes and goes shifts nothing


def main() -> None:
    st.set_page_config(page_title="Siaran", page_icon=favicon(), layout="wide")
    try:
        signed = auth.revalidate()
    except DomainError as exc:  # the database is not ready: one sentence, nothing else
        st.error(md(exc.message))
        st.stop()
    if signed is None:
        signed_out()
        return
    with transaction() as session:  # one cheap count per run, for the menu
        counts = navigation.menu_counts(session, signed.actor)
    pages = navigation.st_pages(signed.actor, counts)
    if not pages:
        st.error(auth.REFUSED)
        st.stop()
    navigation.translate_page_not_found()
    current = st.navigation(pages)
    if navigation.leads_home(signed.actor, current):
        current.run()  # straight on to the home page, where this run's messages are shown
    sidebar(signed)
    pause_banner()
    show_flash()
    if current.title != navigation.COMPOSE.title:
        # The compose page sets the guard itself, after it has read this run's input.
        compose_state.unload_guard(compose_state.has_unsaved())
    current.run()


main()
