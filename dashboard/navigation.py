"""Which pages a role has. The navigation is built from this list on every run, so a person's
menu holds exactly the pages of their current role; each page checks the right again itself."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from content.models import Role
from content.org.actors import Actor
from content.org.permissions import Action, can


@dataclass(frozen=True)
class PageSpec:
    key: str  # also the URL path
    path: str  # relative to dashboard/app.py
    title: str
    icon: str
    action: Action


COMPOSE = PageSpec(
    "tulis", "pages/compose.py", "Tulis konten", ":material/edit_note:", Action.WRITE_POST
)
MY_POSTS = PageSpec(
    "konten-saya", "pages/my_posts.py", "Konten saya", ":material/folder_open:", Action.WRITE_POST
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
DIK = PageSpec("daftar-dik", "pages/dik.py", "Daftar DIK", ":material/block:", Action.PROPOSE_DIK)
PAGES = (
    COMPOSE,
    MY_POSTS,
    APPROVALS,
    CALENDAR,
    VIDEOTRON,
    STATUS,
    MONEV,
    SPENDING,
    DIK,
    ADMIN,
    AUDIT,
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
    return [p for p in PAGES if can(actor, p.action, actor.opd_id)]


def st_pages(actor: Actor) -> list[st.Page]:
    landing = LANDING.get(actor.role) if actor.role else None
    return [
        st.Page(
            spec.path,
            title=spec.title,
            icon=spec.icon,
            url_path=spec.key,
            default=spec == landing,
        )
        for spec in pages_for(actor)
    ]
