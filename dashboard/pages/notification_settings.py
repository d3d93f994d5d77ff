"""Pengaturan pemberitahuan: for each kind of notification, bell only or bell and e-mail. Every
signed-in person sets their own (content.org.notifications); the address is the one the system
administrator keeps for them."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy.orm import Session

from content.labels import NOTIFICATION_KIND_LABELS
from content.models import NotificationKind
from content.org import notifications
from content.org.actors import Actor
from dashboard import auth
from dashboard.ui import attempt, md, read

SAVED = "Pengaturan pemberitahuan disimpan."


@dataclass(frozen=True)
class Choices:
    email: str | None
    by_kind: dict[NotificationKind, bool]


def load(session: Session, actor: Actor) -> Choices:
    return Choices(
        notifications.own_email(session, actor), notifications.email_choices(session, actor)
    )


def _key(kind: NotificationKind) -> str:
    return f"ntf_email_{kind.value}"


def _save(actor: Actor) -> None:
    chosen = {kind: bool(st.session_state.get(_key(kind))) for kind in NotificationKind}
    attempt(lambda s: notifications.set_email_choices(s, actor, chosen), done=SAVED)


def main() -> None:
    actor = auth.require_page(None)
    st.title("Pengaturan pemberitahuan")
    choices = read(lambda s: load(s, actor))
    st.caption(
        "Semua pemberitahuan selalu tampil di lonceng. Centang yang juga ingin Anda terima "
        "lewat e-mail."
    )
    if choices.email:
        st.info(f"E-mail dikirim ke {md(choices.email)}.")
    else:
        st.warning(
            "Akun Anda belum punya alamat e-mail; minta administrator sistem mengisinya. "
            "Sampai saat itu pemberitahuan hanya tampil di lonceng."
        )
    with st.form("ntf_form"):
        for kind in NotificationKind:
            st.checkbox(
                NOTIFICATION_KIND_LABELS[kind],
                value=choices.by_kind[kind],
                key=_key(kind),
            )
        st.form_submit_button("Simpan", on_click=_save, args=(actor,))


main()
