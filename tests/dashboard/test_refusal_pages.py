"""Refusals known in advance on the pages: the composer shows what Instagram would refuse and
applies the framed photo; the approval queue shows the problem, keeps "Setujui" closed and
prefills "Minta perbaikan" with the problem and its fix."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta

from PIL import Image
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft
from content.infra.timeutil import WIB
from content.models import Post, PostStatus, Review
from content.org.actors import Actor
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import button, messages, visible_text
from tests.dashboard.test_compose import field, form_of, stored
from tests.world import World, jpeg

SignIn = Callable[[Actor | str], AppTest]
BANNER = (600, 1800)  # a portrait banner, 1:3: far outside Instagram's 4:5 … 1.91:1
RATIO_PROBLEM = "Instagram: rasio foto ke-1 0.33:1 di luar 0.80:1 sampai 1.91:1"


def test_the_composer_shows_the_refusal_and_applies_the_framed_photo(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    world = app_world.world
    at = sign_in(world.pembantu)
    field(at, "caption").input("Posyandu serentak pekan ini.").run()
    assert "Pilih kanal tujuan untuk memeriksa aturan tiap platform." in messages(at, "caption")
    field(at, "account_ids").set_value([world.x_account, world.ig_account]).run()
    at.file_uploader[0].upload("spanduk.jpg", jpeg(BANNER), "image/jpeg").run()
    original = form_of(at).photos[0]
    alt = next(w for w in at.text_input if w.key == form_of(at).key(f"alt_{original.media_id}"))
    alt.input("Spanduk posyandu di balai warga").run()
    assert not at.exception
    warnings = messages(at, "warning")
    assert any(w.startswith(RATIO_PROBLEM) for w in warnings)
    assert "Instagram · @dinkes.ig (@dinkes.ig) — mode latihan" in visible_text(at)

    button(at, "Pakai versi berbingkai").click().run()
    assert not at.exception
    [framed] = form_of(at).photos
    assert framed.media_id != original.media_id
    assert framed.alt_text == "Spanduk posyandu di balai warga"
    assert "Foto ke-1 diganti versi berbingkai; simpan draf." in messages(at, "success")
    assert "Semua kanal tujuan menerima konten ini." in messages(at, "success")
    assert not any(w.startswith("Instagram: rasio") for w in messages(at, "warning"))
    data = world.store.get(framed.sha256, framed.extension)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (1440, 1800)  # 4:5, nothing cut

    button(at, "Simpan draf").click().run()
    post_id = form_of(at).post_id
    assert post_id is not None
    with app_world.session() as session:
        post = session.get(Post, post_id)
        assert post is not None
        assert [(p.media_id, p.alt_text) for p in post.photos] == [
            (framed.media_id, "Spanduk posyandu di balai warga")
        ]
    assert stored(app_world, post_id).status is PostStatus.DRAFT


def _submitted_banner(world: World) -> Post:
    media = store_upload(
        world.session, world.pembantu, world.store, jpeg(BANNER), filename="spanduk.jpg"
    )
    data = DraftInput(
        caption="Posyandu serentak pekan ini.",
        headline="Posyandu serentak pekan ini",
        account_ids=[world.x_account, world.ig_account],
        photos=[PhotoInput(media.id, "Spanduk posyandu di balai warga")],
    )
    post = create_draft(world.session, world.pembantu, world.dinkes_id, data)
    return workflow.submit(world.session, world.pembantu, post.id)


def test_the_queue_shows_the_refusal_and_prefills_the_change_request(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    post = app_world.run(_submitted_banner)
    assert isinstance(post, Post)
    at = sign_in(app_world.world.utama)
    assert at.title[0].value == "Antrean persetujuan"
    assert any(w.startswith(RATIO_PROBLEM) for w in messages(at, "warning"))
    assert any("belum dapat disetujui" in e for e in messages(at, "error"))
    assert at.button(key=f"q_approve_{post.id}").disabled
    comment = at.text_area(key=f"q_comment_{post.id}").value
    assert comment.startswith("Platform akan menolak konten ini:\n- " + RATIO_PROBLEM)
    assert "“Pakai versi berbingkai”" in comment

    # Approve-and-schedule in bulk meets the same refusal, with its sentence.
    at.checkbox(key=f"q_pick_{post.id}").check()
    when = (datetime.now(WIB) + timedelta(days=1)).replace(hour=7, minute=0, second=0)
    at.datetime_input(key="q_bulk_when").set_value(when.replace(tzinfo=None, microsecond=0))
    at.button(key="q_bulk").click().run()
    at.button(key="q_bulk_yes").click().run()
    errors = messages(at, "error")
    assert any(
        e.startswith(f"#{post.id}: Belum dapat disetujui karena platform akan menolaknya")
        for e in errors
    )

    at.button(key=f"q_request_changes_{post.id}").click().run()
    assert f"Konten #{post.id} dikembalikan untuk perbaikan." in messages(at, "success")
    with app_world.session() as session:
        reviewed = session.get(Post, post.id)
        assert reviewed is not None and reviewed.status is PostStatus.CHANGES_REQUESTED
        [review] = session.scalars(select(Review).where(Review.post_id == post.id)).all()
        assert review.comment == comment
