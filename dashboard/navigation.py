"""Which pages a role has. The navigation is built from this list on every run, so a person's
menu holds exactly the pages of their current role; each page checks the right again itself.
A page's menu entry may carry a count of what waits for the person there (Kotak masuk: the open
items they must act on, asked of `content.inbox.menu_count`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
import streamlit.commands.navigation as _st_navigation
from sqlalchemy.orm import Session

from content import inbox
from content.models import Role
from content.org.actors import Actor
from content.org.permissions import Action, can
from dashboard.ui import flash


@dataclass(frozen=True)
class PageSpec:
    key: str  # also the URL path
    path: str  # relative to dashboard/app.py
    title: str
    icon: str
    action: Action | None  # None: every signed-in person has it


COMPOSE = PageSpec(
    "tulis", "pages/compose.py", "Tulis konten", ":material/edit_note:", Action.WRITE_POST
)
MY_POSTS = PageSpec(
    "konten-saya", "pages/my_posts.py", "Konten saya", ":material/folder_open:", Action.WRITE_POST
)
IMPORT_PLAN = PageSpec(
    "impor-rencana",
    "pages/import_plan.py",
    "Impor rencana",
    ":material/upload_file:",
    Action.WRITE_POST,
)
APPROVALS = PageSpec(
    "antrean", "pages/approvals.py", "Antrean persetujuan", ":material/fact_check:", Action.REVIEW
)
CALENDAR = PageSpec(
    "kalender",
    "pages/calendar_view.py",
    "Kalender",
    ":material/calendar_month:",
    Action.VIEW_POSTS,
)
STATUS = PageSpec(
    "status",
    "pages/publication_status.py",
    "Status publikasi",
    ":material/monitor_heart:",
    Action.VIEW_OPERATIONS,
)
ADMIN = PageSpec(
    "administrasi",
    "pages/administration.py",
    "Administrasi",
    ":material/admin_panel_settings:",
    Action.MANAGE_USERS,
)
AUDIT = PageSpec(
    "jejak-audit", "pages/audit_trail.py", "Jejak audit", ":material/policy:", Action.VIEW_AUDIT
)
VIDEOTRON = PageSpec(
    "layar", "pages/videotron.py", "Videotron", ":material/live_tv:", Action.MANAGE_VIDEOTRON
)
MONEV = PageSpec(
    "skor-monev", "pages/monev.py", "Monev media", ":material/leaderboard:", Action.VIEW_REPORTS
)
SPENDING = PageSpec(
    "biaya", "pages/spending.py", "Biaya platform", ":material/payments:", Action.VIEW_REPORTS
)
INBOX = PageSpec(
    "kotak-masuk", "pages/inbox.py", "Kotak masuk", ":material/inbox:", Action.VIEW_REPORTS
)
DIK = PageSpec("daftar-dik", "pages/dik.py", "Daftar DIK", ":material/block:", Action.PROPOSE_DIK)
NOTIFICATIONS = PageSpec(
    "pemberitahuan",
    "pages/notification_settings.py",
    "Pengaturan pemberitahuan",
    ":material/notifications_active:",
    None,
)
PAGES = (
    COMPOSE,
    MY_POSTS,
    IMPORT_PLAN,
    APPROVALS,
    CALENDAR,
    INBOX,
    VIDEOTRON,
    STATUS,
    MONEV,
    SPENDING,
    DIK,
    ADMIN,
    AUDIT,
    NOTIFICATIONS,
)
# Where each role lands after signing in: the work that is theirs.
LANDING = {
    Role.ADMIN_OPD: COMPOSE,
    Role.PPID_PEMBANTU: COMPOSE,
    Role.PPID_UTAMA: APPROVALS,
    Role.ANALYST: CALENDAR,
    Role.SYSADMIN: ADMIN,
}


def pages_for(actor: Actor) -> list[PageSpec]:
    return [p for p in PAGES if p.action is None or can(actor, p.action, actor.opd_id)]


def menu_counts(session: Session, actor: Actor) -> dict[str, int]:
    """{page key: how many items wait for this person there}, for the pages of their menu."""
    mine = pages_for(actor)
    return {INBOX.key: inbox.menu_count(session, actor)} if INBOX in mine else {}


def menu_title(spec: PageSpec, counts: Mapping[str, int]) -> str:
    waiting = counts.get(spec.key, 0)
    if not waiting:
        return spec.title
    shown = f"{inbox.MENU_CAP}+" if waiting > inbox.MENU_CAP else str(waiting)
    return f"{spec.title} ({shown})"


NOT_FOR_ROLE = "Halaman itu tidak tersedia untuk peran Anda; ini halaman utama Anda."
NOT_FOUND = "Halaman yang Anda buka tidak ada; ini halaman utama Anda."


def st_pages(actor: Actor, counts: Mapping[str, int] | None = None) -> list[st.Page]:
    """The role's pages for the menu (with `counts` in their titles), plus every other page's
    address, hidden, leading back to the role's home page with one sentence (an old bookmark, a
    link from a colleague)."""
    mine = pages_for(actor)
    landing = LANDING.get(actor.role) if actor.role else None
    if landing not in mine:
        landing = mine[0] if mine else None
    pages = [
        st.Page(
            spec.path,
            title=menu_title(spec, counts or {}),
            icon=spec.icon,
            url_path=spec.key,
            default=spec == landing,
        )
        for spec in mine
    ]
    home = next((p for p in pages if p._default), None)
    if home is None:
        return pages
    return pages + [
        st.Page(_back_home(home), title=spec.title, url_path=spec.key, visibility="hidden")
        for spec in PAGES
        if spec not in mine
    ]


def leads_home(actor: Actor, page: st.Page) -> bool:
    """Whether `page` is one of the hidden addresses that only lead back home for this actor."""
    return page.url_path in {spec.key for spec in PAGES if spec not in pages_for(actor)}


def _back_home(home: st.Page) -> Callable[[], None]:
    def go_home() -> None:
        flash("info", NOT_FOR_ROLE)
        st.switch_page(home)

    return go_home


def signed_out_pages(sign_in: Callable[[], None]) -> list[st.Page]:
    """Before sign-in every page's address shows the sign-in form; the address stays, so the
    run after signing in opens the page that was asked for."""
    return [st.Page(sign_in, title="Masuk", url_path="masuk", default=True)] + [
        st.Page(sign_in, title="Masuk", url_path=spec.key, visibility="hidden") for spec in PAGES
    ]


def translate_page_not_found(message: str | None = NOT_FOUND) -> None:
    """An address no page has: the default page runs (Streamlit's choice), with `message` (if
    any) instead of Streamlit's English dialog. Streamlit has no setting for that dialog, but
    `st.navigation` sends it through this module function, so this run replaces the function
    (tests/e2e/test_sessions.py notices if a Streamlit upgrade moves it)."""

    def page_not_found(ctx: Any) -> None:
        if message:
            flash("info", message)

    _st_navigation.send_page_not_found = page_not_found
