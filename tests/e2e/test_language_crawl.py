"""Only Indonesian on screen (issue #13, point 3): sign in as every role, open every page of its
menu, and fail on raw identifiers (an audit action such as `post.published`, `user.`, a worker's
`worker:` id, a Python `None`) and on English words from a list.

Streamlit's own widget texts that it offers no way to translate are listed in
STREAMLIT_UNTRANSLATABLE and left out of the check (dashboard/README.md, "Only Indonesian")."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from dashboard import navigation
from tests.e2e.conftest import Artifacts, Server
from tests.e2e.test_dashboard_journey import (
    dashboard,  # noqa: F401 (the fixture: a fresh demo installation and its dashboard)
    heading,
    idle,
    sign_in,
)

# Every page of several roles: longer than the suite's 300 s on a shared, loaded machine.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

ROLES = {"dinkes": "Tulis konten", "utama": "Antrean persetujuan", "analis": "Kalender"}
ROLES["admin"] = "Administrasi"
RAW = re.compile(
    r"\b(?:post|user|account|target|publication|videotron|screen|budget|dik|media|opd|secrets)"
    r"\.[a-z_]+\b|\bworker:|\bNone\b|\bnan\b|\bNaT\b|\bWIB WIB\b"
)
# Dates in the American order ("Nov 30, 2026"; the Indonesian "30 Nov 2026" passes) and words.
ENGLISH = re.compile(
    r"\b(?:Select all|Page not found|No results|Choose an option|pay-per-use|yyyy|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2},? \d{4}\b|"
    r"\b(?:Select all|Page not found|No results|Choose an option|pay-per-use|yyyy/mm/dd|"
    r"Submit|Cancel|Delete|Loading|Search|Settings|Dashboard|Published|Scheduled|Failed|"
    r"Approved|Draft|Pending|Error|Warning)\b"
)
# Streamlit's own texts with no setting to translate them (the uploader's drop zone).
STREAMLIT_UNTRANSLATABLE = ("Drag and drop file here", "Browse files", "per file")


def offences(text: str) -> list[str]:
    """Each raw identifier or English word in `text`, with a little context."""
    for fixed in STREAMLIT_UNTRANSLATABLE:
        text = text.replace(fixed, "")
    found = []
    for pattern in (RAW, ENGLISH):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 30), match.end() + 30
            found.append(text[start:end].replace("\n", " ⏎ "))
    return found


def furnish(env: dict[str, str]) -> None:
    """What a working office adds to the demo: a worker's heartbeat, a post that went out (with
    the worker in its audit trail), so the pages show those too."""
    from pathlib import Path

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from content import audit
    from content.audit import AuditAction
    from content.delivery import operations
    from content.infra.db import make_engine
    from content.infra.timeutil import utcnow
    from content.models import PostTarget
    from content.org.actors import worker_actor

    engine = make_engine(f"sqlite:///{Path(env['SIARAN_DATA_DIR']) / 'siaran.db'}")
    worker = "bekasi-app:27696:627aa7"
    with Session(engine) as session, session.begin():
        operations.beat(session, worker, hostname="bekasi-app", pid=27696, details={})
        target = session.scalars(select(PostTarget).where(PostTarget.account_id.is_not(None)))
        first = target.first()
        assert first is not None
        first.published_at, first.remote_url = utcnow(), "https://x.com/pemkotbekasi/status/1"
        audit.record(
            session, worker_actor(worker), AuditAction.POST_PUBLISHED, "post", first.post_id
        )
    engine.dispose()


def menu(page: Any) -> list[str]:
    """The titles of the pages this person's menu lists."""
    nav = page.get_by_test_id("stSidebarNav")
    return [s.title for s in navigation.PAGES if nav.get_by_role("link", name=s.title).count()]


def test_every_page_of_every_role_speaks_indonesian(
    dashboard: Server,  # noqa: F811
    guarded_env: dict[str, str],
    new_context: Callable[..., Any],
    artifacts: Artifacts,
) -> None:
    furnish(guarded_env)
    found: dict[str, list[str]] = {}
    for username, home in ROLES.items():
        page = new_context().new_page()
        sign_in(page, dashboard.url, username)
        heading(page, home)
        for title in menu(page):
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
            heading(page, title)
            idle(page)
            text = str(page.get_by_test_id("stApp").inner_text())
            hits = offences(text)
            if hits:
                found[f"{username} · {title}"] = hits
                artifacts.shot(page, f"{username}-{title}")
    assert not found, "\n".join(f"{where}: {hits}" for where, hits in found.items())
