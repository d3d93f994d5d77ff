"""Jejak audit: filters, paging and the CSV export of what the filter shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from content.models import PostStatus
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import messages

SignIn = Callable[[Actor | str], AppTest]
EXPORT = "au_export"


def audit_page(sign_in: SignIn, app_world: AppWorld, who: str = "analyst") -> AppTest:
    at = sign_in(app_world.world.actor(who))
    return at.switch_page(navigation.AUDIT.path).run()


def test_filter_page_and_export(app_world: AppWorld, sign_in: SignIn) -> None:
    post = app_world.run(lambda w: w.post_in(PostStatus.APPROVED))
    at = audit_page(sign_in, app_world)
    table = at.dataframe[0].value
    assert {"membuat draf", "mengajukan", "menyetujui"} <= set(table["Peristiwa"])
    assert "Aksi" not in table  # the stored code is for exports, not for the screen
    at.selectbox(key="au_action").set_value("post.approved").run()
    table = at.dataframe[0].value
    assert list(table["Peristiwa"]) == ["menyetujui"] and list(table["Pelaku"]) == ["utama"]
    at.selectbox(key="au_action").set_value("").run()
    at.text_input(key="au_actor").input("dinkes").run()
    assert set(at.dataframe[0].value["Pelaku"]) == {"dinkes"}
    at.selectbox(key="au_entity").set_value("post")
    at.number_input(key="au_entity_id").set_value(post.id).run()
    assert set(at.dataframe[0].value["Entitas"]) == {f"Konten #{post.id}"}

    at.button(key="au_prepare").click().run()
    made_for, data, rows = at.session_state[EXPORT]
    assert made_for.actor_username == "dinkes" and rows == 2
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [r["aksi"] for r in parsed] == ["post.submitted", "post.created"]
    assert all(r["waktu_wib"].endswith("WIB") for r in parsed)
    assert [b.label for b in at.get("download_button")] == ["Unduh CSV (2 baris)"]
    # A different filter is not offered the old file.
    at.text_input(key="au_actor").input("utama").run()
    assert at.get("download_button") == []


def test_an_empty_result_says_so(app_world: AppWorld, sign_in: SignIn) -> None:
    at = audit_page(sign_in, app_world, "sysadmin")
    at.text_input(key="au_actor").input("tidak-ada").run()
    assert "Tidak ada catatan untuk saringan ini." in messages(at, "info")
