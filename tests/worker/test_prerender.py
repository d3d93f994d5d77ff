"""Slides of approved posts are rendered ahead of time; one that cannot fit is reported early."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.delivery.preparation import PrepareCode, sentence
from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, update_draft
from content.infra.config import Settings
from content.models import Channel, PostStatus, PostTarget, TargetStatus
from content.org import screens
from content.org.actors import SYSTEM
from scheduler.config import WorkerConfig
from scheduler.context import WorkerContext
from scheduler.prerender import prerender
from tests.conftest import Database
from tests.world import build_world, jpeg

LONG = "Pengumuman penutupan jalan Ahmad Yani karena perbaikan saluran air kota"


def test_prerender_renders_good_slides_and_reports_one_that_cannot_fit(
    committed: Database, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with Session(committed.engine, expire_on_commit=False) as s, s.begin():
        world = build_world(s, data / "media")
        good = world.post_in(PostStatus.APPROVED)
        # A small wall seen from 30 m: letters must be 0.67 m tall, so these words cannot fit.
        small = screens.add_screen(
            s, SYSTEM, slug="alun-alun", name="Alun-alun", size="288x176", viewing_distance_m=30
        )
        bad = world.draft()
        photo = PhotoInput(bad.photos[0].media_id, "Foto")
        data_in = DraftInput(
            caption="Pengumuman penting",
            headline=LONG,
            account_ids=[world.x_account],
            screen_ids=[small.id],
            photos=[photo],
        )
        update_draft(s, world.pembantu, bad.id, data_in, None)
        workflow.submit(s, world.pembantu, bad.id)
        workflow.approve(s, world.utama, bad.id)
        key = world.secret_key
    ctx = WorkerContext(Settings(data_dir=data, secret_key=key), WorkerConfig(), committed.engine)
    assert prerender(ctx) == 1
    assert prerender(ctx) == 0  # nothing new: each (target, content) once
    assert any((data / "render-cache").rglob("*")), "the good slide is in the render cache"
    with Session(committed.engine) as s:
        query = select(PostTarget).where(PostTarget.channel == Channel.VIDEOTRON)
        targets = {t.post_id: t for t in s.scalars(query).unique()}
    assert targets[bad.id].last_error_code == "render"
    assert "persingkat" in targets[bad.id].last_error.lower()
    assert targets[bad.id].status is TargetStatus.PENDING  # reported, not failed
    assert targets[good.id].last_error == ""


def test_a_slide_whose_photo_is_gone_is_noted_and_the_others_are_rendered(
    committed: Database, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with Session(committed.engine, expire_on_commit=False) as s, s.begin():
        world = build_world(s, data / "media")
        good = world.post_in(PostStatus.APPROVED)
        lost = world.draft()
        media = store_upload(s, world.pembantu, world.store, jpeg(colour="maroon"))
        data_in = DraftInput(
            caption="Pasar murah di kecamatan",
            headline="Pasar murah pekan ini",
            account_ids=[world.x_account],
            screen_ids=[world.screen_id],
            photos=[PhotoInput(media.id, "Pasar murah")],
        )
        update_draft(s, world.pembantu, lost.id, data_in, None)
        workflow.submit(s, world.pembantu, lost.id)
        workflow.approve(s, world.utama, lost.id)
        world.store.path(media.sha256, media.extension).unlink()
        name = f"'{media.original_name or media.sha256[:12]}'"
        key = world.secret_key
    ctx = WorkerContext(Settings(data_dir=data, secret_key=key), WorkerConfig(), committed.engine)
    assert prerender(ctx) == 1  # the good one, although the lost one comes with it
    with Session(committed.engine) as s:
        query = select(PostTarget).where(PostTarget.channel == Channel.VIDEOTRON)
        targets = {t.post_id: t for t in s.scalars(query).unique()}
    assert targets[lost.id].last_error_code == "photo_missing"
    assert targets[lost.id].last_error == sentence(PrepareCode.PHOTO_MISSING, names=name)
    assert targets[lost.id].status is TargetStatus.PENDING
    assert targets[good.id].last_error == ""
