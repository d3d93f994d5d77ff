"""Impor rencana (issue 21): the template to download, the preview before anything is written,
the import asked once, the summary and the rejected rows to download; the menu has the page
for the roles that write, and "Konten saya" downloads in the same layout."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from content.editorial import plans, workflow
from content.editorial.importer import read_rows
from content.editorial.plans import PLAN_ALIASES, UploadedPhotos
from content.infra.timeutil import WIB
from content.labels import PLAN_HEADERS, PLAN_REASON_HEADER
from content.models import Post, PostStatus
from content.org.actors import Actor
from dashboard import navigation
from tests.content.test_plans import BAD_DATE, GOOD, GOOD2, WITH_NIK
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import button, download, page_titles, visible_text
from tests.world import World, jpeg

SignIn = Callable[[Actor | str], AppTest]


def _filled(template: bytes) -> bytes:
    book = load_workbook(io.BytesIO(template))
    for row in (GOOD, WITH_NIK, BAD_DATE, GOOD2):
        book.worksheets[0].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _posts(app_world: AppWorld) -> int:
    with app_world.session() as session:
        return session.scalar(select(func.count()).select_from(Post)) or 0


def _upload(at: AppTest, plan: bytes) -> AppTest:
    at.file_uploader(key="ip_file").upload("rencana.xlsx", plan, "application/octet-stream")
    at.file_uploader(key="ip_photos").upload("posyandu.jpg", jpeg(), "image/jpeg")
    return at.run()


def test_preview_then_import_then_the_rejected_rows(
    app_world: AppWorld, sign_in: SignIn, media: list[MediaFileManager], tmp_path: Path
) -> None:
    before = _posts(app_world)
    at = sign_in(app_world.world.pembantu)
    assert "Impor rencana" in page_titles(at)
    at.switch_page(navigation.IMPORT_PLAN.path).run()
    name, template = download(at, media, "ip_template")
    assert name.endswith(".xlsx")

    _upload(at, _filled(template))
    assert not at.exception, at.exception
    text = visible_text(at)
    assert "2 baris siap, 2 baris ditolak" in text and "Belum ada yang disimpan" in text
    table = at.dataframe[0].value
    assert list(table["Baris"]) == [2, 3, 4, 5]
    states = list(table["Keadaan"])
    assert states[0] == "Siap diimpor" and "NIK" in states[1] and "31/02/2026" in states[2]
    assert _posts(app_world) == before  # nothing written by the preview

    button(at, "Impor").click().run()
    assert _posts(app_world) == before  # asked first
    button(at, "Ya, impor").click().run()
    assert not at.exception, at.exception
    assert "2 draf dibuat, 2 baris ditolak." in visible_text(at)
    with app_world.session() as session:
        drafts = session.scalars(select(Post).where(Post.plan_import_id.is_not(None))).all()
        assert [p.status for p in drafts] == [PostStatus.DRAFT, PostStatus.DRAFT]
    _, rejected = download(at, media, "ip_rejected")
    path = tmp_path / "ditolak.xlsx"
    path.write_bytes(rejected)
    # The plan's columns, then where the row came from, then why it was refused.
    reason_column = len(PLAN_HEADERS) + 2
    assert load_workbook(path).worksheets[0].cell(1, reason_column).value == PLAN_REASON_HEADER
    assert len(list(read_rows(path, aliases=PLAN_ALIASES))) == 2
    # The preview now says the good rows were imported; nothing new to import.
    assert "0 baris siap" in visible_text(at) and "Sudah diimpor sebagai draf" in str(
        list(at.dataframe[0].value["Keadaan"])
    )


def test_my_posts_downloads_in_the_plan_layout(
    app_world: AppWorld, sign_in: SignIn, media: list[MediaFileManager], tmp_path: Path
) -> None:
    at = sign_in(app_world.world.pembantu)
    at.switch_page(navigation.MY_POSTS.path).run()
    name, data = download(at, media, "mp_download")
    path = tmp_path / name
    path.write_bytes(data)
    assert name.endswith(".xlsx") and list(read_rows(path, aliases=PLAN_ALIASES)) is not None


def test_the_page_is_for_writers_only(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.analyst)
    assert "Impor rencana" not in page_titles(at)
    at = sign_in(app_world.world.utama)
    assert "Impor rencana" in page_titles(at)


def _imported_for_tomorrow(world: World) -> int:
    """A one-row plan for tomorrow (WIB), imported and submitted; returns the post id."""
    tomorrow = datetime.now(WIB).date() + timedelta(days=1)
    book = load_workbook(io.BytesIO(plans.template_bytes(world.session, world.pembantu)))
    row = list(GOOD2)
    row[0] = tomorrow
    book.worksheets[0].append(row)
    path = Path(tempfile.mkdtemp()) / "rencana.xlsx"
    book.save(path)
    result = plans.import_plan(world.session, world.pembantu, world.store, path, UploadedPhotos())
    workflow.submit(world.session, world.pembantu, result.post_ids[0])
    return result.post_ids[0]


def _in_queue(at: AppTest) -> set[int]:
    """The posts the queue offers a decision on (each has its own "Setujui" button)."""
    keys = [str(b.key) for b in at.button if str(b.key).startswith("q_approve_")]
    return {int(k.removeprefix("q_approve_")) for k in keys}


def test_planned_days_on_the_calendar_and_the_queue_by_plan(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    planned = app_world.run(_imported_for_tomorrow)
    by_hand = app_world.run(lambda w: w.post_in(PostStatus.SUBMITTED)).id  # type: ignore[attr-defined]
    at = sign_in(app_world.world.utama)
    assert {by_hand, planned} <= _in_queue(at)
    at.checkbox(key="q_from_plan").check().run()
    assert _in_queue(at) == {planned}
    at.switch_page(navigation.CALENDAR.path).run()
    # One entry per post and day, in the planned kind's colour, with no hour (a plan has a day).
    entries = [b.label for b in at.button if ":violet[(rencana" in b.label]
    assert len(entries) == 1 and entries[0].startswith(":violet[:material/circle:] **"), entries
    assert "rencana" in set(at.dataframe[0].value["Keadaan"])
