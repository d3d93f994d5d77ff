"""publish_slide (what the worker calls) and push_emergency (what PPID Utama's page calls)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

import pytest
from PIL import Image

from content import playlist
from content.infra.config import Settings
from content.infra.errors import PermissionDenied, ValidationFailed
from content.infra.store import sha256_hex
from content.infra.timeutil import utcnow
from content.models import Channel, PostStatus, Screen, TargetStatus
from publishers.videotron import (
    MemoryRenderCache,
    publish_slide,
    push_emergency,
    render_target,
    slide_url,
)
from tests.videotron.helpers import WORKER, approved_post, publish, videotron_target
from tests.world import World


def test_publish_slide_renders_at_the_screen_size_and_records_it(
    world: World, settings: Settings
) -> None:
    post = approved_post(world, "Posyandu serentak pekan ini", link="https://bekasikota.go.id/p/1")
    cache = MemoryRenderCache()
    slide = publish(world.session, post, world.store, settings, cache=cache)
    image = Image.open(io.BytesIO(world.store.get(slide.sha256, "jpg")))
    assert image.size == (1408, 400) and slide.mime == "image/jpeg"
    assert sha256_hex(world.store.get(slide.sha256, "jpg")) == slide.sha256
    assert slide.headline == "Posyandu serentak pekan ini" and slide.seconds == 10
    assert slide.valid_until is not None
    assert slide.valid_until - slide.valid_from == timedelta(days=7)
    result = playlist.playlist_at(world.session, world.screen_id)
    assert [i.sha256 for i in result.items] == [slide.sha256]
    # Publishing again (a retry after a crash) renders nothing new and keeps one slide.
    again = publish_slide(world.session, videotron_target(post), world.store, settings, cache=cache)
    assert again.id == slide.id and again.sha256 == slide.sha256
    assert len(cache.entries) == 1
    assert slide_url(settings, slide) == f"http://127.0.0.1:8600/slides/{slide.sha256}.jpg"
    public = replace(settings, public_base_url="https://siaran.bekasikota.go.id/")
    assert slide_url(public, slide).startswith("https://siaran.bekasikota.go.id/slides/")


def test_a_small_wall_gets_a_png_without_the_qr_that_does_not_fit(
    world: World, settings: Settings
) -> None:
    screen = world.session.get(Screen, world.screen_id)
    assert screen is not None
    screen.width, screen.height = 288, 176
    world.session.flush()
    post = approved_post(world, "Posyandu serentak", link="https://bekasikota.go.id/p/2")
    slide = publish(world.session, post, world.store, settings)
    assert slide.mime == "image/png"
    assert Image.open(io.BytesIO(world.store.get(slide.sha256, "png"))).size == (288, 176)


def test_an_unfit_headline_is_a_clear_error_for_the_worker(
    world: World, settings: Settings
) -> None:
    screen = world.session.get(Screen, world.screen_id)
    assert screen is not None
    screen.width, screen.height, screen.viewing_distance_m = 288, 176, 60.0
    world.session.flush()
    post = approved_post(world, "Posyandu serentak pekan ini di seluruh kelurahan")
    with pytest.raises(ValidationFailed, match="terbaca"):
        publish_slide(world.session, videotron_target(post), world.store, settings)


def test_only_videotron_targets_are_rendered(world: World, settings: Settings) -> None:
    post = world.post_in(PostStatus.APPROVED)
    social = next(t for t in post.targets if t.channel is not Channel.VIDEOTRON)
    with pytest.raises(ValidationFailed):
        publish_slide(world.session, social, world.store, settings)


def test_push_emergency_renders_and_takes_the_screen(world: World, settings: Settings) -> None:
    post = approved_post(world, "Biasa")
    publish(world.session, post, world.store, settings)
    with pytest.raises(PermissionDenied):
        push_emergency(
            world.session,
            world.pembantu,
            world.store,
            settings,
            "bekasi-timur",
            headline="Banjir",
            reason="Banjir",
        )
    override = push_emergency(
        world.session,
        world.utama,
        world.store,
        settings,
        "bekasi-timur",
        headline="Banjir: hindari Jl. Ahmad Yani ⚠️",
        reason="Informasi serta-merta (UU KIP Pasal 10)",
        ends_at=utcnow() + timedelta(hours=2),
        cache=MemoryRenderCache(),
    )
    result = playlist.playlist_at(world.session, world.screen_id)
    assert [i.sha256 for i in result.items] == [override.slide.sha256]
    assert world.store.exists(override.slide.sha256, "jpg")
    playlist.lift_override(world.session, world.utama, override.id)
    result = playlist.playlist_at(world.session, world.screen_id)
    assert not result.override_active and len(result.items) == 1
    assert videotron_target(post).status is TargetStatus.PUBLISHED
    assert WORKER.is_system


def test_render_outside_the_transaction_then_record(world: World, settings: Settings) -> None:
    target = videotron_target(approved_post(world, "Dua langkah"))
    rendered = render_target(target, world.store, settings, cache=MemoryRenderCache())
    assert world.store.exists(rendered.sha256, rendered.extension)
    assert playlist.playlist_at(world.session, world.screen_id).items == ()
    slide = publish_slide(world.session, target, world.store, settings, rendered=rendered)
    assert slide.sha256 == rendered.sha256 and slide.mime == rendered.mime
