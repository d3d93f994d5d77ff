"""From the database to the platform: build_target_content on both databases, then publish."""

from __future__ import annotations

from dataclasses import replace

import pytest

from content.editorial.posts import DraftInput, PhotoInput, update_draft
from content.infra.config import Settings
from content.models import Channel, Post, PostStatus, PostTarget
from publishers.social.base import Publisher
from publishers.social.config import PublisherSettings
from publishers.social.registry import publisher_for
from publishers.social.target import build_target_content, fingerprint, normalise
from tests.publishers.conftest import Sim
from tests.world import World


def _targets(
    world: World, status: PostStatus = PostStatus.SCHEDULED
) -> tuple[Post, dict[Channel, PostTarget]]:
    post = world.post_in(status)
    by_channel = {t.channel: t for t in post.targets}
    return post, by_channel


def test_the_target_carries_text_photos_alt_text_and_account_settings(
    world: World, settings: Settings
) -> None:
    post, targets = _targets(world)
    content = build_target_content(
        post, targets[Channel.X], world.store, PublisherSettings.from_settings(settings)
    )

    assert (content.post_id, content.target_id) == (post.id, targets[Channel.X].id)
    assert content.text == post.caption and content.channel is Channel.X
    assert content.account_handle == "@dinkes"
    assert content.account_settings["ig_user_id"] == "2"
    assert content.content_hash == post.content_hash
    assert content.marker == fingerprint(post.caption)
    (photo,) = content.photos
    media = post.photos[0].media
    assert (photo.sha256, photo.mime, photo.width, photo.height) == (
        media.sha256,
        media.mime,
        media.width,
        media.height,
    )
    assert photo.alt_text == "Kader posyandu menimbang balita"
    assert photo.read() == world.store.get(media.sha256, "jpg")
    assert photo.public_url == f"{settings.public_base_url}/media/{media.sha256}.jpg"


def test_a_channel_override_is_the_text_for_that_channel(world: World, settings: Settings) -> None:
    post = world.draft()
    update_draft(
        world.session,
        world.pembantu,
        post.id,
        DraftInput(
            caption=post.caption,
            headline=post.headline,
            account_ids=[t.account_id for t in post.targets if t.account_id],
            texts={Channel.INSTAGRAM: "Versi Instagram #BekasiSehat"},
            photos=[PhotoInput(post.photos[0].media_id, "Kader posyandu")],
        ),
        None,
    )
    targets = {t.channel: t for t in post.targets}
    content = build_target_content(
        post, targets[Channel.INSTAGRAM], world.store, PublisherSettings.from_settings(settings)
    )
    assert content.text == "Versi Instagram #BekasiSehat"


def test_videotron_targets_are_not_for_social_publishers(world: World, settings: Settings) -> None:
    post, targets = _targets(world)
    with pytest.raises(ValueError, match="videotron"):
        build_target_content(
            post, targets[Channel.VIDEOTRON], world.store, PublisherSettings.from_settings(settings)
        )


def test_a_post_from_the_database_reaches_the_simulator_with_its_alt_text(
    world: World, settings: Settings, sim: Sim
) -> None:
    post, targets = _targets(world)
    target = targets[Channel.X]
    assert target.account is not None and target.account.is_simulator
    content = build_target_content(
        post, target, world.store, PublisherSettings.from_settings(settings)
    )
    publisher: Publisher = publisher_for(
        target.account, world.box.open(target.account.credentials_encrypted), settings
    )
    try:
        receipt = publisher.publish(content)
        assert publisher.find_existing(content) == replace(
            receipt, outcome=receipt.outcome.RECONCILED, http_status=None
        )
    finally:
        publisher.close()
    (posted,) = sim.posts()["x"]
    assert posted["raw_text"] == post.caption
    assert posted["media"][0]["alt_text"] == "Kader posyandu menimbang balita"


def test_the_marker_survives_the_platforms_rewriting() -> None:
    sent = "Info banjir:  https://bekasikota.go.id/banjir &  call center 112"
    shown = "Info banjir: https://t.co/abc123DEF0 &amp; call center 112 https://t.co/photo12345"
    assert normalise(shown) == "Info banjir: & call center 112"
    assert fingerprint(sent) == fingerprint(shown)
    assert fingerprint(sent) != fingerprint("Info banjir: call center 113")
