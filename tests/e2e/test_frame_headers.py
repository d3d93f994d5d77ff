"""The dashboard cannot be framed by another site (issue #19, point 8): the real dashboard's
answers carry `frame-ancestors 'none'`, X-Frame-Options DENY, nosniff and a same-origin referrer
policy, and a real Chromium showing a page of another origin that frames the dashboard does not
render it inside the frame."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from tests.e2e.conftest import Artifacts, Server
from tests.e2e.test_dashboard_journey import (
    dashboard,  # noqa: F401 (the fixture: a fresh demo installation and its dashboard)
    expect,
)

pytestmark = pytest.mark.e2e

EXPECTED = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def test_every_answer_of_the_dashboard_carries_the_security_headers(
    dashboard: Server,  # noqa: F811
) -> None:
    for path in ("/", "/status", "/_stcore/health", "/favicon.png"):
        answer = requests.get(dashboard.url + path, timeout=30)
        assert answer.status_code < 500, path
        for name, value in EXPECTED.items():
            assert answer.headers.get(name) == value, (path, name, answer.headers)


@pytest.fixture
def framing_site(dashboard: Server) -> Iterator[str]:  # noqa: F811
    """Another origin (its own port) whose page frames the dashboard."""
    page = (
        "<!doctype html><title>Situs lain</title><h1>Situs lain</h1>"
        f'<iframe id="victim" src="{dashboard.url}/" width="900" height="600"></iframe>'
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        # "localhost" vs "127.0.0.1" and another port: a different origin and site.
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_of_another_origin_cannot_show_the_dashboard_in_a_frame(
    dashboard: Server,  # noqa: F811
    framing_site: str,
    new_context: Callable[..., Any],
    artifacts: Artifacts,
) -> None:
    page = new_context().new_page()
    page.goto(dashboard.url)  # the dashboard itself opens normally
    expect(page.get_by_label("Nama pengguna")).to_be_visible()

    page.goto(framing_site)
    expect(page.get_by_role("heading", name="Situs lain")).to_be_visible()
    # The frame has finished loading (Chromium puts its error page there instead).
    page.wait_for_function("() => window.frames.length === 1")
    child = next(f for f in page.frames if f is not page.main_frame)
    child.wait_for_load_state("load")
    artifacts.shot(page, "framed-dashboard-blocked")
    assert not child.url.startswith(dashboard.url), child.url
    expect(page.frame_locator("#victim").get_by_label("Nama pengguna")).to_have_count(0)
    assert "Nama pengguna" not in child.content()
