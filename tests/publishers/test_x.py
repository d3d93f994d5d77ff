"""X through tweepy against the simulator over real HTTP."""

from __future__ import annotations

import pytest

from content.models import Channel
from publishers.social.result import Outcome, PublishError, Reason
from tests.publishers.conftest import MediaHost, PublisherFactory, Sim, jpeg, png, target

X = Channel.X


def test_a_post_with_a_photo_goes_out_with_its_alt_text_and_link(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    publisher = make_publisher(X)
    photo = media_host.photo(jpeg((1200, 800)), "Wali Kota meninjau tanggul di Bekasi Timur")
    content = target(
        X, "Tanggul Kali Bekasi diperkuat.", (photo,), link="https://bekasikota.go.id/tanggul"
    )

    receipt = publisher.publish(content)

    assert receipt.outcome is Outcome.SUCCESS and receipt.http_status == 201
    assert receipt.url == f"https://x.com/humaskotabekasi/status/{receipt.remote_id}"
    (posted,) = sim.posts()["x"]
    assert posted["id"] == receipt.remote_id
    assert (
        posted["raw_text"] == "Tanggul Kali Bekasi diperkuat.\n\nhttps://bekasikota.go.id/tanggul"
    )
    assert [m["alt_text"] for m in posted["media"]] == [photo.alt_text]
    # A post with a URL is the expensive kind on pay-per-use X.
    assert sim.meter()["items"]["post_with_url"]["count"] == 1


def test_several_photos_each_keep_their_alt_text(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    photos = tuple(
        media_host.photo(jpeg(colour=c), f"Foto {n}") for n, c in enumerate(["red", "blue"], 1)
    )
    make_publisher(X).publish(target(X, "Dua foto kegiatan.", photos))
    (posted,) = sim.posts()["x"]
    assert [m["alt_text"] for m in posted["media"]] == ["Foto 1", "Foto 2"]
    assert sim.meter()["items"]["post"]["count"] == 1


def test_png_photos_are_accepted(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    receipt = make_publisher(X).publish(target(X, "Infografis.", (media_host.photo(png()),)))
    assert receipt.ok


def test_text_over_the_weighted_limit_is_refused_before_any_call(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    publisher = make_publisher(X)
    content = target(X, "🙂" * 141)  # emoji weigh 2: 282 > 280
    problems = publisher.validate(content)
    assert [p.code for p in problems] == ["text_length"]
    assert "282" in problems[0].message
    with pytest.raises(PublishError) as raised:
        publisher.publish(content)
    assert raised.value.receipt.outcome is Outcome.PERMANENT
    assert sim.calls() == 0


def test_more_than_four_photos_is_a_problem(
    make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    photos = tuple(
        media_host.photo(jpeg(colour=c)) for c in ["red", "blue", "green", "gray", "navy"]
    )
    problems = make_publisher(X).validate(target(X, "Lima foto.", photos))
    assert any("paling banyak 4 foto" in p.message for p in problems)


def test_a_refused_upload_posts_nothing(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    sim.fault(platform="x", path="/2/media/upload", kind="x_error", status=400, message="Bad media")
    with pytest.raises(PublishError) as raised:
        make_publisher(X).publish(target(X, "Foto rusak.", (media_host.photo(jpeg()),)))
    assert raised.value.receipt.reason is Reason.INVALID_MEDIA
    assert sim.posts()["x"] == []


def test_metrics_grow_as_time_passes(sim: Sim, make_publisher: PublisherFactory) -> None:
    publisher = make_publisher(X)
    receipt = publisher.publish(target(X, "Vaksinasi HPV gratis untuk siswi kelas 5 dan 6 SD."))
    assert receipt.remote_id is not None
    (first,) = publisher.fetch_metrics([receipt.remote_id])
    sim.advance(8 * 3600)
    (later,) = publisher.fetch_metrics([receipt.remote_id])
    assert later.impressions is not None and first.impressions is not None
    assert later.impressions > first.impressions
    assert later.likes is not None and later.likes >= (first.likes or 0)
    assert later.views == later.impressions


def test_posts_the_platform_no_longer_has_are_left_out(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    ids = sim.seed("x", 2, age_hours=3)
    metrics = make_publisher(X).fetch_metrics([*ids, "1990000000000999999"])
    assert [m.remote_id for m in metrics] == ids


def test_reading_the_same_post_twice_in_a_utc_day_is_billed_once(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    ids = sim.seed("x", 3)
    publisher = make_publisher(X)
    publisher.fetch_metrics(ids)
    publisher.fetch_metrics(ids)
    meter = sim.meter()
    assert meter["items"]["read_post"]["count"] == 3
    assert meter["free_repeat_reads"] == 3
    assert meter["total_usd"] == "0.015"


def test_check_connection_names_the_account(sim: Sim, make_publisher: PublisherFactory) -> None:
    status = make_publisher(X).check_connection()
    assert status.ok and status.health.value == "ok"
    assert status.account_name and status.account_name.startswith("sim")
    assert status.token_expires_at is None  # OAuth 1.0a user tokens do not expire
