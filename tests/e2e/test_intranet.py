"""Works on a closed intranet (issue #13): Chromium with every request to another host than the
app's blocked opens every page of PPID Utama's menu; each page renders whole (its heading, no
error), and no request tried to leave for fonts, icons or scripts (each one is recorded and
named in the failure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import Artifacts, Server
from tests.e2e.test_dashboard_journey import (
    dashboard,  # noqa: F401 (the fixture: a fresh demo installation and its dashboard)
    heading,
    idle,
    sign_in,
)
from tests.e2e.test_language_crawl import menu

# Every page of PPID Utama: longer than the suite's 300 s on a shared, loaded machine.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

ERROR = re.compile(r"\b(?:error|exception|traceback)\b", re.IGNORECASE)
LOCAL = {"data", "blob", "about", "chrome", "chrome-extension"}


def test_every_page_renders_whole_with_outside_hosts_blocked(
    dashboard: Server,  # noqa: F811
    new_context: Callable[..., Any],
    artifacts: Artifacts,
) -> None:
    app_host = urlsplit(dashboard.url).netloc
    blocked: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL or parts.netloc == app_host:
            route.continue_()
            return
        blocked.append(url)
        route.abort("blockedbyclient")

    context = new_context()
    context.route("**/*", guard)
    page = context.new_page()
    sign_in(page, dashboard.url, "utama")
    heading(page, "Antrean persetujuan")
    broken: dict[str, str] = {}
    titles = menu(page)
    assert len(titles) >= 8  # PPID Utama's menu: every page they work with
    for title in titles:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
        heading(page, title)
        idle(page)
        app = page.get_by_test_id("stApp")
        text = str(app.inner_text())
        word = ERROR.search(text)
        if page.get_by_test_id("stException").count() or word:
            broken[title] = word.group(0) if word else "stException"
            artifacts.shot(page, f"broken-{title}")
    page.reload()  # the tab icon and the first load's assets, once more
    idle(page)
    assert not broken, f"pages that did not render whole: {broken}"
    assert not blocked, "requests that tried to leave the intranet:\n" + "\n".join(
        dict.fromkeys(blocked)
    )
