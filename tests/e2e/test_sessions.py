"""Sessions that behave like a web app's (issue #13, point 1), in a real browser against the real
app: a reload, a bookmarked page's address and a second tab keep the person signed in; an address
no page has, or a page of another role, lands on the home page in Indonesian; signing out in one
tab signs out the other, and a reload after it shows the sign-in form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import Artifacts, Server
from tests.e2e.test_dashboard_journey import (
    dashboard,  # noqa: F401 (the fixture: a fresh demo installation and its dashboard)
    expect,
    heading,
    idle,
    sign_in,
    text_of,
)

pytestmark = pytest.mark.e2e

NOT_FOUND = "Halaman yang Anda buka tidak ada; ini halaman utama Anda."
NOT_FOR_ROLE = "Halaman itu tidak tersedia untuk peran Anda; ini halaman utama Anda."


def signed_in_as(page: Any, name: str) -> None:
    expect(page.get_by_test_id("stSidebar")).to_contain_text(name)
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def test_reload_bookmark_and_second_tab_keep_the_session_until_sign_out(
    dashboard: Server,  # noqa: F811
    new_context: Callable[..., Any],
    artifacts: Artifacts,
) -> None:
    url = dashboard.url
    context = new_context()
    first = context.new_page()
    sign_in(first, url, "utama")
    heading(first, "Antrean persetujuan")
    cookie = next(c for c in context.cookies() if c["name"] == "siaran_sesi")
    assert len(cookie["value"]) >= 40 and "utama" not in cookie["value"]  # opaque
    assert cookie["sameSite"] == "Strict"

    first.reload()  # F5
    heading(first, "Antrean persetujuan")
    signed_in_as(first, "utama")
    first.goto(f"{url}/status")  # a bookmarked page
    heading(first, "Status publikasi")
    artifacts.shot(first, "bookmark-after-reload")

    second = context.new_page()  # a second tab of the same browser
    second.goto(f"{url}/kalender")
    heading(second, "Kalender")
    signed_in_as(second, "utama")

    second.goto(f"{url}/tidak-ada")  # no page has this address
    expect(second.get_by_text(NOT_FOUND)).to_be_visible()
    heading(second, "Antrean persetujuan")
    assert "Page not found" not in second.content()

    first.get_by_role("button", name="Keluar").click()
    expect(first.get_by_text("Anda telah keluar.")).to_be_visible()
    expect(first.get_by_label("Nama pengguna")).to_be_visible()
    idle(first)
    # The other tab is signed out at its next click, and a reload brings back nothing.
    second.get_by_role("link", name="Status publikasi").click()
    expect(second.get_by_label("Nama pengguna")).to_be_visible()
    artifacts.shot(second, "second-tab-signed-out")
    first.reload()
    expect(first.get_by_label("Nama pengguna")).to_be_visible()
    assert "Antrean persetujuan" not in text_of(first)


def test_a_bookmark_opened_signed_out_opens_after_sign_in_and_other_roles_pages_lead_home(
    dashboard: Server,  # noqa: F811
    new_context: Callable[..., Any],
) -> None:
    url = dashboard.url
    page = new_context().new_page()
    page.goto(f"{url}/kalender")  # a bookmark, before signing in
    expect(page.get_by_label("Nama pengguna")).to_be_visible()
    assert "Page not found" not in page.content()
    page.get_by_label("Nama pengguna").fill("dinkes")
    from tests.e2e.test_dashboard_journey import PASSWORD

    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    heading(page, "Kalender")
    page.goto(f"{url}/status")  # PPID Utama's publication status: not an OPD's page
    expect(page.get_by_text(NOT_FOR_ROLE)).to_be_visible()
    heading(page, "Tulis konten")
