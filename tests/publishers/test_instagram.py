"""Instagram through the Graph API against the simulator, which fetches each photo from its
public URL over HTTP as Meta does."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from content.editorial.media import pad_to_aspect
from content.models import AccountHealth, Channel
from publishers.social.registry import publisher_for
from publishers.social.result import Outcome, PublishError, Reason
from publishers.social.target import Photo, TargetContent
from tests.publishers.conftest import (
    CREDENTIALS,
    IG_USER_ID,
    MediaHost,
    PublisherFactory,
    Sim,
    account,
    free_port,
    jpeg,
    make_settings,
    png,
    target,
)

IG = Channel.INSTAGRAM


def test_a_photo_is_fetched_from_its_public_url_and_published_with_alt_text(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    photo = media_host.photo(jpeg((1080, 1350)), "Petugas Dinkes memeriksa lansia")
    receipt = make_publisher(IG).publish(target(IG, "Cek kesehatan gratis. #BekasiSehat", (photo,)))
    assert receipt.outcome is Outcome.SUCCESS
    (posted,) = sim.posts()["instagram"]
    assert posted["id"] == receipt.remote_id and posted["ig_user_id"] == IG_USER_ID
    assert posted["caption"] == "Cek kesehatan gratis. #BekasiSehat"
    assert posted["alt_texts"] == ["Petugas Dinkes memeriksa lansia"]
    assert receipt.url == posted["permalink"]
    (container,) = sim.posts()["ig_containers"]
    assert container["image_url"] == f"{media_host.url}/media/{photo.sha256}.jpg"


def test_several_photos_become_a_carousel(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    photos = tuple(media_host.photo(jpeg(colour=c), f"Foto {c}") for c in ("red", "green", "blue"))
    make_publisher(IG).publish(target(IG, "Tiga foto.", photos))
    (posted,) = sim.posts()["instagram"]
    assert posted["media_type"] == "CAROUSEL_ALBUM"
    assert posted["alt_texts"] == ["Foto red", "Foto green", "Foto blue"]


def test_a_photo_meta_cannot_fetch_fails_permanently_and_posts_nothing(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    photo = media_host.photo(jpeg(colour="olive"), serve=False)  # 404 at its public URL
    with pytest.raises(PublishError) as raised:
        make_publisher(IG).publish(target(IG, "Foto hilang.", (photo,)))
    receipt = raised.value.receipt
    assert (receipt.outcome, receipt.reason, receipt.platform_code) == (
        Outcome.PERMANENT,
        Reason.INVALID_MEDIA,
        "ERROR",
    )
    assert "download" in receipt.platform_message
    assert sim.posts()["instagram"] == []


def test_a_png_or_a_tall_photo_is_offered_a_padded_jpeg_instead_of_a_refusal(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    publisher = make_publisher(IG)
    tall = media_host.photo(jpeg((600, 1800)), "Spanduk vertikal")
    problems = publisher.validate(target(IG, "Spanduk.", (tall, media_host.photo(png()))))
    assert {(p.code, p.photo_index, p.fix) for p in problems} == {
        ("aspect_ratio", 0, "pad"),
        ("photo_type", 1, "pad"),
    }
    with pytest.raises(PublishError):
        publisher.publish(target(IG, "Spanduk.", (tall,)))
    assert sim.calls() == 0  # refused before asking the platform

    padded = pad_to_aspect(tall.read())
    with Image.open(io.BytesIO(padded)) as image:
        assert image.format == "JPEG" and image.size == (1440, 1800)  # exactly 4:5
    fixed = media_host.photo(padded, "Spanduk vertikal")
    assert publisher.validate(target(IG, "Spanduk.", (fixed,))) == []
    assert publisher.publish(target(IG, "Spanduk.", (fixed,))).ok


def test_pad_to_aspect_widens_very_wide_photos_to_1_91() -> None:
    padded = pad_to_aspect(jpeg((3000, 1000)), background="#101820")
    with Image.open(io.BytesIO(padded)) as image:
        width, height = image.size
    assert width == 3000 and 1.90 <= width / height <= 1.91


def test_caption_rules_are_checked(make_publisher: PublisherFactory, media_host: MediaHost) -> None:
    photo = media_host.photo(jpeg())
    tags = " ".join(f"#tag{n}" for n in range(31))
    problems = make_publisher(IG).validate(target(IG, tags, (photo,)))
    assert any("30 tagar" in p.message for p in problems)
    problems = make_publisher(IG).validate(target(IG, "Tanpa foto."))
    assert any("wajib ada foto" in p.message for p in problems)


def test_the_daily_publishing_quota_is_read_from_the_platform(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    sim.configure(ig_quota_total=1)
    publisher = make_publisher(IG)
    publisher.publish(target(IG, "Pertama.", (media_host.photo(jpeg()),)))
    with pytest.raises(PublishError) as raised:
        publisher.publish(target(IG, "Kedua.", (media_host.photo(jpeg(colour="red")),)))
    receipt = raised.value.receipt
    assert (receipt.outcome, receipt.reason) == (Outcome.RETRYABLE, Reason.QUOTA)
    assert sim.calls(method="POST", path="/v25.0/{id}/media") == 1  # no second container


def test_metrics_are_read_from_insights(sim: Sim, make_publisher: PublisherFactory) -> None:
    ids = sim.seed("instagram", 2, owner=IG_USER_ID, age_hours=20)
    metrics = make_publisher(IG).fetch_metrics(ids)
    assert [m.remote_id for m in metrics] == ids
    for reading in metrics:
        assert reading.views and reading.reach and reading.likes is not None
        assert reading.saves is not None and reading.shares is not None
        assert reading.extra["total_interactions"] >= reading.likes


def test_check_connection_reports_the_account_and_its_token(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    status = make_publisher(IG).check_connection()
    assert status.health is AccountHealth.OK
    assert status.account_name == IG_USER_ID.removeprefix("sim-")


def test_check_connection_fails_when_the_public_media_host_is_down(
    sim: Sim, tmp_path: Path, media_host: MediaHost
) -> None:
    settings = make_settings(
        tmp_path, int(sim.url.rsplit(":", 1)[1]), f"http://127.0.0.1:{free_port()}"
    )
    status = publisher_for(account(IG), CREDENTIALS[IG], settings).check_connection()
    assert status.health is AccountHealth.ERROR
    assert "tidak dapat dihubungi" in status.message


def test_without_a_public_base_url_nothing_can_be_published(
    sim: Sim, tmp_path: Path, media_host: MediaHost
) -> None:
    port = int(sim.url.rsplit(":", 1)[1])
    settings = replace(
        make_settings(tmp_path, port, "", graph_base_url=sim.url), public_base_url=""
    )
    publisher = publisher_for(account(IG, simulator=False), CREDENTIALS[IG], settings)
    assert [p.code for p in publisher.validate(target(IG, "x", (media_host.photo(jpeg()),)))] == [
        "media_url"
    ]
    status = publisher.check_connection()
    assert status.health is AccountHealth.ERROR and "public_base_url" in status.message


def test_a_real_account_refuses_a_media_url_meta_cannot_reach(
    tmp_path: Path, media_host: MediaHost
) -> None:
    settings = make_settings(tmp_path, free_port(), media_host.url)  # a loopback address
    publisher = publisher_for(account(IG, simulator=False), CREDENTIALS[IG], settings)
    problems = publisher.validate(target(IG, "x", (media_host.photo(jpeg()),)))
    assert [p.code for p in problems] == ["media_url"]
    assert "bukan alamat publik" in problems[0].message


def test_a_training_account_fetches_photos_from_the_local_feed(tmp_path: Path) -> None:
    """Training mode needs no public host: the simulator takes photos from the feed on this
    machine, as Meta would from the public one."""
    settings = replace(make_settings(tmp_path, free_port(), ""), public_base_url="", feed_port=8600)
    publisher = publisher_for(account(IG), CREDENTIALS[IG], settings)
    photo = Photo("a" * 64, "image/jpeg", 1080, 1080, "Foto", 10)
    assert publisher.image_url(photo) == f"http://127.0.0.1:8600/media/{'a' * 64}.jpg"  # type: ignore[attr-defined]
    publisher.close()


def _kept(photos: tuple[Photo, ...], text: str) -> tuple[list[str], TargetContent]:
    """A target whose new containers are collected, as the worker commits them."""
    kept: list[str] = []
    return kept, replace(target(IG, text, photos), save_container=kept.append)


@pytest.mark.parametrize("count", [1, 3], ids=["single", "carousel"])
def test_a_container_left_by_a_lost_publish_is_published_not_made_again(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost, count: int
) -> None:
    photos = tuple(media_host.photo(jpeg(colour=c)) for c in ("red", "green", "blue")[:count])
    kept, first = _kept(photos, "Pengumuman jadwal posyandu.")
    sim.fault(platform="graph", method="POST", path="/media_publish$", kind="server_error", times=1)
    publisher = make_publisher(IG)
    with pytest.raises(PublishError) as raised:
        publisher.publish(first)
    assert raised.value.receipt.outcome is Outcome.UNKNOWN  # the create may have landed
    assert len(kept) == 1  # handed over before media_publish
    assert publisher.find_existing(first) is None
    containers_before = len(sim.posts()["ig_containers"])

    again = replace(first, container_id=kept[0], save_container=kept.append)
    receipt = publisher.publish(again)

    assert receipt.outcome is Outcome.SUCCESS
    assert len(sim.posts()["ig_containers"]) == containers_before  # nothing created again
    assert len(kept) == 1
    (posted,) = sim.posts()["instagram"]
    assert posted["id"] == receipt.remote_id


def test_a_container_that_failed_is_replaced_by_a_new_one(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    data = jpeg(colour="olive")
    unreachable = media_host.photo(data, serve=False)
    kept, first = _kept((unreachable,), "Foto yang baru bisa diambil kemudian.")
    publisher = make_publisher(IG)
    with pytest.raises(PublishError):
        publisher.publish(first)
    (failed,) = sim.posts()["ig_containers"]
    assert failed["status_code"] == "ERROR" and kept == [failed["id"]]

    media_host.files[unreachable.filename] = data  # the photo is reachable now
    receipt = publisher.publish(replace(first, container_id=kept[0]))

    assert receipt.outcome is Outcome.SUCCESS
    assert len(sim.posts()["ig_containers"]) == 2 and len(kept) == 2
    assert len(sim.posts()["instagram"]) == 1


def test_a_container_already_published_is_not_published_again(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    kept, first = _kept((media_host.photo(jpeg(colour="teal")),), "Sekali saja.")
    publisher = make_publisher(IG)
    publisher.publish(first)
    with pytest.raises(PublishError) as raised:
        publisher.publish(replace(first, container_id=kept[0]))
    assert raised.value.receipt.outcome is Outcome.UNKNOWN  # for reconciliation to settle
    assert len(sim.posts()["instagram"]) == 1
