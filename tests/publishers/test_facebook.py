"""Facebook Pages through facebook-sdk's GraphAPI against the simulator over real HTTP."""

from __future__ import annotations

import pytest

from content.models import AccountHealth, Channel
from publishers.social.facebook import FacebookPublisher
from publishers.social.result import Outcome, PublishError, Reason
from tests.publishers.conftest import (
    FB_TOKEN,
    PAGE_ID,
    MediaHost,
    PublisherFactory,
    Sim,
    jpeg,
    target,
)

FB = Channel.FACEBOOK


def test_a_photo_post_goes_out_with_alt_text(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    photo = media_host.photo(jpeg(), "Kader posyandu menimbang balita")
    receipt = make_publisher(FB).publish(
        target(FB, "Posyandu serentak pekan ini.", (photo,), link="https://bekasikota.go.id/p")
    )
    assert receipt.outcome is Outcome.SUCCESS
    (posted,) = sim.posts()["facebook"]
    assert receipt.remote_id == posted["id"] and posted["page_id"] == PAGE_ID
    assert receipt.url == f"https://www.facebook.com/{posted['id']}"
    # A photo post cannot carry a link field: the link is in the text.
    assert posted["message"] == "Posyandu serentak pekan ini.\n\nhttps://bekasikota.go.id/p"
    assert [p["alt_text"] for p in posted["photos"]] == ["Kader posyandu menimbang balita"]


def test_a_text_post_sends_its_link_as_a_link(sim: Sim, make_publisher: PublisherFactory) -> None:
    make_publisher(FB).publish(target(FB, "Baca selengkapnya.", link="https://bekasikota.go.id/a"))
    (posted,) = sim.posts()["facebook"]
    assert (posted["message"], posted["link"]) == (
        "Baca selengkapnya.",
        "https://bekasikota.go.id/a",
    )


def test_several_photos_become_one_post(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    photos = tuple(media_host.photo(jpeg(colour=c), f"Foto {c}") for c in ("red", "green", "blue"))
    receipt = make_publisher(FB).publish(target(FB, "Tiga foto kegiatan.", photos))
    (posted,) = sim.posts()["facebook"]  # the unpublished uploads are not posts of their own
    assert posted["id"] == receipt.remote_id
    assert [p["alt_text"] for p in posted["photos"]] == ["Foto red", "Foto green", "Foto blue"]


def test_the_same_text_twice_is_refused_as_duplicate(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    publisher = make_publisher(FB)
    publisher.publish(target(FB, "Jam layanan selama libur nasional."))
    with pytest.raises(PublishError) as raised:
        publisher.publish(target(FB, "Jam layanan selama libur nasional."))
    receipt = raised.value.receipt
    assert (receipt.outcome, receipt.reason, receipt.platform_code) == (
        Outcome.PERMANENT,
        Reason.DUPLICATE,
        "506",
    )


def test_metrics_come_from_post_fields_and_views_insights(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    ids = sim.seed("facebook", 2, owner=PAGE_ID, age_hours=30)
    metrics = make_publisher(FB).fetch_metrics(ids)
    assert [m.remote_id for m in metrics] == ids
    for reading in metrics:
        assert reading.views and reading.reach and reading.views > reading.reach
        assert reading.likes is not None and reading.comments is not None
        assert reading.shares is not None
        assert reading.impressions is None  # retired by Meta in November 2025


def test_metrics_of_a_deleted_post_are_left_out(sim: Sim, make_publisher: PublisherFactory) -> None:
    ids = sim.seed("facebook", 1, owner=PAGE_ID, age_hours=2)
    metrics = make_publisher(FB).fetch_metrics([*ids, f"{PAGE_ID}_122000000000999999"])
    assert [m.remote_id for m in metrics] == ids


def test_a_token_that_expires_soon_is_reported(sim: Sim, make_publisher: PublisherFactory) -> None:
    sim.configure(token_expires_in=3 * 86400)
    status = make_publisher(FB).check_connection()
    assert status.health is AccountHealth.EXPIRING and status.ok
    assert status.token_expires_at is not None
    assert "berlaku sampai" in status.message


def test_a_page_token_that_never_expires_is_healthy(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    status = make_publisher(FB).check_connection()
    assert status.health is AccountHealth.OK and status.token_expires_at is None
    assert status.account_name == "Pemkotbekasi"


def test_a_token_without_publishing_permission_is_an_error(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    sim.configure(token_scopes=["pages_read_engagement"])
    status = make_publisher(FB).check_connection()
    assert status.health is AccountHealth.ERROR
    assert status.failure is not None and status.failure.reason is Reason.PERMISSION
    assert "pages_manage_posts" in status.message


def test_the_token_never_shows_in_repr(make_publisher: PublisherFactory) -> None:
    publisher = make_publisher(FB)
    assert isinstance(publisher, FacebookPublisher)
    assert FB_TOKEN not in repr(publisher) and FB_TOKEN not in str(publisher)
