"""Every error class, for every channel, through the real SDKs over real HTTP: the simulator
answers in each platform's own error shape and the publisher classifies it once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from content.infra.timeutil import utcnow
from content.models import Channel
from publishers.social.classify import duplicate_not_found, for_attempt
from publishers.social.registry import publisher_for
from publishers.social.result import Outcome, PublishError, Reason
from scheduler.logs import JsonFormatter
from tests.publishers.conftest import (
    CREDENTIALS,
    FB_TOKEN,
    IG_USER_ID,
    PAGE_ID,
    MediaHost,
    PublisherFactory,
    Sim,
    account,
    free_port,
    jpeg,
    make_settings,
    target,
)

X, FB, IG = Channel.X, Channel.FACEBOOK, Channel.INSTAGRAM
R, P, U = Outcome.RETRYABLE, Outcome.PERMANENT, Outcome.UNKNOWN
PAGE_OWNER, IG_OWNER = PAGE_ID, IG_USER_ID
# The one call per channel whose success makes a post public.
CREATE = {
    X: {"platform": "x", "method": "POST", "path": "^/2/tweets$"},
    FB: {"platform": "graph", "method": "POST", "path": "/photos$"},
    IG: {"platform": "graph", "method": "POST", "path": "/media_publish$"},
}

X_CASES = [
    ({"kind": "rate_limit", "reset_in": 600}, R, Reason.RATE_LIMIT, 429, "Too Many Requests"),
    ({"kind": "rate_limit", "scope": "user24h", "reset_in": 7200}, R, Reason.RATE_LIMIT, 429, ""),
    # A 5xx on the create may hide a created post (X does that): settled before any re-send.
    ({"kind": "server_error"}, U, Reason.SERVER, 503, "Service Unavailable"),
    ({"kind": "html_error"}, U, Reason.SERVER, 502, ""),
    ({"kind": "duplicate"}, P, Reason.DUPLICATE, 403, "duplicate content"),
    ({"kind": "expired_token"}, P, Reason.AUTH, 401, "Unauthorized"),
    ({"kind": "permission"}, P, Reason.PERMISSION, 403, "not permitted"),
    (
        {
            "kind": "x_error",
            "status": 429,
            "title": "UsageCapExceeded",
            "message": "Usage cap exceeded: Monthly product cap",
            "type": "https://api.twitter.com/2/problems/usage-capped",
        },
        R,
        Reason.QUOTA,
        429,
        "Monthly product cap",
    ),
    ({"kind": "malformed"}, U, Reason.BAD_RESPONSE, 200, ""),
]
GRAPH_CASES = [
    ({"kind": "rate_limit", "code": 4, "reset_in": 600}, R, Reason.RATE_LIMIT, 400, "(#4)"),
    ({"kind": "rate_limit", "code": 17, "reset_in": 600}, R, Reason.RATE_LIMIT, 400, "(#17)"),
    ({"kind": "rate_limit", "code": 32, "reset_in": 600}, R, Reason.RATE_LIMIT, 400, "(#32)"),
    ({"kind": "rate_limit", "code": 613, "reset_in": 600}, R, Reason.RATE_LIMIT, 400, "(#613)"),
    ({"kind": "temporary_block"}, R, Reason.TEMPORARY_BLOCK, 400, "misusing"),
    ({"kind": "server_error"}, U, Reason.SERVER, 500, "temporarily unavailable"),
    ({"kind": "html_error"}, U, Reason.SERVER, 502, ""),
    ({"kind": "graph_error", "code": 1, "status": 500}, U, Reason.SERVER, 500, ""),
    ({"kind": "graph_error", "code": 2, "status": 400}, U, Reason.SERVER, 400, ""),
    ({"kind": "expired_token"}, P, Reason.AUTH, 400, "Session has expired"),
    ({"kind": "duplicate"}, P, Reason.DUPLICATE, 400, "Duplicate status message"),
    ({"kind": "permission"}, P, Reason.PERMISSION, 403, "(#200)"),
    (
        {"kind": "graph_error", "code": 10, "message": "(#10) No permission"},
        P,
        Reason.PERMISSION,
        400,
        "",
    ),
    (
        {"kind": "graph_error", "code": 324, "message": "(#324) Bad image"},
        P,
        Reason.INVALID_MEDIA,
        400,
        "",
    ),
    (
        {"kind": "graph_error", "code": 9, "subcode": 2207042, "message": "Limit reached"},
        R,
        Reason.QUOTA,
        400,
        "Limit reached",
    ),
    ({"kind": "malformed"}, U, Reason.BAD_RESPONSE, 200, ""),
]


def sim_now(sim: Sim) -> datetime:
    """The simulator's clock (advanced by tests), as a platform would date its posts."""
    return datetime.fromisoformat(sim.call_json("GET", "/_sim/clock")["now"])


def _detail(fault: dict[str, Any]) -> str:
    return str(fault.get("code") or fault.get("scope") or fault.get("status") or "")


CASES = [
    pytest.param(
        channel,
        *case,
        id=f"{channel.value}-{case[0]['kind']}-{_detail(case[0])}",
    )
    for channel, cases in ((X, X_CASES), (FB, GRAPH_CASES), (IG, GRAPH_CASES))
    for case in cases
]


@pytest.mark.parametrize(("channel", "fault", "outcome", "reason", "status", "words"), CASES)
def test_publish_errors_are_classified_with_the_platforms_own_words(
    sim: Sim,
    make_publisher: PublisherFactory,
    media_host: MediaHost,
    channel: Channel,
    fault: dict[str, Any],
    outcome: Outcome,
    reason: Reason,
    status: int,
    words: str,
) -> None:
    sim.fault(**CREATE[channel], **fault)
    publisher = make_publisher(channel)
    photo = media_host.photo(jpeg(), "Petugas membersihkan saluran air")
    with pytest.raises(PublishError) as raised:
        publisher.publish(target(channel, "Kerja bakti Sabtu pagi di Bekasi Timur.", (photo,)))
    receipt = raised.value.receipt
    assert (receipt.outcome, receipt.reason, receipt.http_status) == (outcome, reason, status)
    assert words in receipt.platform_message
    assert receipt.summary()  # one sentence for the people who fix it
    if reason is Reason.RATE_LIMIT:
        # The platform's reset time (headers), not a guess.
        assert receipt.retry_after is not None
        wait = receipt.retry_after - utcnow()
        expected = timedelta(seconds=fault["reset_in"])
        assert expected - timedelta(minutes=2) < wait <= expected + timedelta(minutes=1)
    if outcome is not Outcome.UNKNOWN:
        # A refused call leaves nothing behind on the platform.
        posts = sim.posts()
        assert posts["x"] == posts["facebook"] == posts["instagram"] == []


@pytest.mark.parametrize("channel", [X, FB, IG])
def test_a_read_timeout_after_sending_is_an_unknown_outcome_that_find_existing_resolves(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost, channel: Channel
) -> None:
    sim.fault(**CREATE[channel], kind="slow_after", delay=1.0, times=1)
    publisher = make_publisher(channel, read_timeout=0.4)
    photo = media_host.photo(jpeg(), "Lansia antre cek kesehatan")
    content = target(channel, "Cek kesehatan gratis lansia setiap Kamis. #BekasiSehat", (photo,))
    with pytest.raises(PublishError) as raised:
        publisher.publish(content)
    assert raised.value.receipt.outcome is Outcome.UNKNOWN
    assert raised.value.receipt.reason is Reason.TIMEOUT
    assert "mungkin sudah terbit" in raised.value.receipt.summary()

    found = publisher.find_existing(content)

    assert found is not None and found.outcome is Outcome.RECONCILED
    key = {X: "x", FB: "facebook", IG: "instagram"}[channel]
    posted = sim.posts()[key]
    assert [p["id"] for p in posted] == [found.remote_id]  # posted once, found, not reposted
    assert found.url


@pytest.mark.parametrize("channel", [X, FB, IG])
def test_find_existing_finds_nothing_for_a_post_that_was_never_made(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost, channel: Channel
) -> None:
    publisher = make_publisher(channel)
    photo = media_host.photo(jpeg())
    publisher.publish(target(channel, "Pengumuman pertama.", (photo,)))
    assert publisher.find_existing(target(channel, "Pengumuman kedua.", (photo,))) is None


@pytest.mark.parametrize("channel", [X, FB, IG])
def test_connection_refused_is_retryable_and_says_nothing_was_sent(
    tmp_path: Path, media_host: MediaHost, channel: Channel
) -> None:
    closed = make_settings(tmp_path, free_port(), media_host.url)
    publisher = publisher_for(account(channel), CREDENTIALS[channel], closed)
    photo = media_host.photo(jpeg())
    with pytest.raises(PublishError) as raised:
        publisher.publish(target(channel, "Teks apa saja.", (photo,)))
    receipt = raised.value.receipt
    assert (receipt.outcome, receipt.reason) == (Outcome.RETRYABLE, Reason.NETWORK)
    assert "mungkin sudah terbit" not in receipt.summary()


@pytest.mark.parametrize("channel", [X, FB, IG])
@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ({"kind": "slow", "delay": 1.0}, Reason.TIMEOUT),
        ({"kind": "malformed"}, Reason.BAD_RESPONSE),
        ({"kind": "server_error"}, Reason.SERVER),
        ({"kind": "html_error"}, Reason.SERVER),
    ],
    ids=["timeout", "malformed-json", "5xx", "5xx-html"],
)
def test_failed_metric_reads_are_retryable(
    sim: Sim,
    make_publisher: PublisherFactory,
    channel: Channel,
    fault: dict[str, Any],
    reason: Reason,
) -> None:
    platform = "x" if channel is X else "graph"
    owner = IG_OWNER if channel is IG else PAGE_OWNER
    ids = sim.seed({X: "x", FB: "facebook", IG: "instagram"}[channel], 3, owner=owner)
    sim.fault(platform=platform, **fault)
    publisher = make_publisher(channel, read_timeout=0.4)
    with pytest.raises(PublishError) as raised:
        publisher.fetch_metrics(ids)
    assert (raised.value.receipt.outcome, raised.value.receipt.reason) == (
        Outcome.RETRYABLE,
        reason,
    )


@pytest.mark.parametrize("channel", [X, FB, IG])
def test_an_expired_token_shows_as_account_health_error(
    sim: Sim, make_publisher: PublisherFactory, channel: Channel
) -> None:
    sim.fault(platform="x" if channel is X else "graph", kind="expired_token")
    status = make_publisher(channel).check_connection()
    assert not status.ok
    assert status.health.value == "error"
    assert status.failure is not None and status.failure.reason is Reason.AUTH
    assert "token" in status.message.lower()


# --- unknown outcomes: only the create can leave a post behind ---------------------------------

KEY = {X: "x", FB: "facebook", IG: "instagram"}
# Calls that cannot make anything public by themselves: a 5xx there is simply retried.
NOT_CREATING = [
    pytest.param(
        X, {"platform": "x", "method": "POST", "path": "^/2/media/upload$"}, 1, id="x-upload"
    ),
    pytest.param(
        FB,
        {"platform": "graph", "method": "POST", "path": "/photos$"},
        2,
        id="fb-unpublished-photo",
    ),
    pytest.param(
        IG, {"platform": "graph", "method": "POST", "path": "/media$"}, 1, id="ig-container"
    ),
    pytest.param(
        IG, {"platform": "graph", "method": "POST", "path": "/media$"}, 2, id="ig-carousel-item"
    ),
]


@pytest.mark.parametrize(("channel", "where", "photos"), NOT_CREATING)
@pytest.mark.parametrize("kind", ["server_error", "created_then_error", "html_error"])
def test_a_5xx_on_an_upload_stays_retryable(
    sim: Sim,
    make_publisher: PublisherFactory,
    media_host: MediaHost,
    channel: Channel,
    where: dict[str, str],
    photos: int,
    kind: str,
) -> None:
    sim.fault(**where, kind=kind, times=1)
    shots = tuple(media_host.photo(jpeg(colour=c)) for c in ("red", "green")[:photos])
    with pytest.raises(PublishError) as raised:
        make_publisher(channel).publish(target(channel, "Unggahan foto saja.", shots))
    assert (raised.value.receipt.outcome, raised.value.receipt.reason) == (R, Reason.SERVER)
    assert sim.posts()[KEY[channel]] == []


# (channel, photos, the create call): text-only Facebook posts go to /feed, one photo to a
# published /photos, several photos to /feed with attached_media; Instagram to media_publish.
CREATES = [
    pytest.param(X, 0, CREATE[X], id="x-text"),
    pytest.param(X, 2, CREATE[X], id="x-photos"),
    pytest.param(FB, 0, {"platform": "graph", "method": "POST", "path": "/feed$"}, id="fb-text"),
    pytest.param(FB, 1, CREATE[FB], id="fb-photo"),
    pytest.param(FB, 2, {"platform": "graph", "method": "POST", "path": "/feed$"}, id="fb-photos"),
    pytest.param(IG, 1, CREATE[IG], id="ig-photo"),
    pytest.param(IG, 2, CREATE[IG], id="ig-carousel"),
]


@pytest.mark.parametrize(("channel", "photos", "create"), CREATES)
@pytest.mark.parametrize(
    ("kind", "reason"),
    [("created_then_error", Reason.SERVER), ("created_then_drop", Reason.NETWORK)],
    ids=["then-5xx", "then-dropped"],
)
def test_a_create_that_landed_but_answered_badly_is_unknown_and_found_once(
    sim: Sim,
    make_publisher: PublisherFactory,
    media_host: MediaHost,
    channel: Channel,
    photos: int,
    create: dict[str, str],
    kind: str,
    reason: Reason,
) -> None:
    sim.fault(**create, kind=kind, times=1)
    publisher = make_publisher(channel)
    shots = tuple(media_host.photo(jpeg(colour=c)) for c in ("red", "green")[:photos])
    content = target(channel, "Jalan Ahmad Yani ditutup Minggu pagi untuk car free day.", shots)
    with pytest.raises(PublishError) as raised:
        publisher.publish(content)
    receipt = raised.value.receipt
    assert (receipt.outcome, receipt.reason) == (U, reason)
    assert "mungkin sudah terbit" in receipt.summary()

    found = publisher.find_existing(content, utcnow() - timedelta(minutes=5))

    assert found is not None and found.outcome is Outcome.RECONCILED and found.url
    assert [p["id"] for p in sim.posts()[KEY[channel]]] == [found.remote_id]


@pytest.mark.parametrize("channel", [X, FB])
def test_a_duplicate_refusal_is_unknown_only_after_an_earlier_attempt(
    sim: Sim, make_publisher: PublisherFactory, channel: Channel
) -> None:
    publisher = make_publisher(channel)
    content = target(channel, "Pendaftaran sekolah dibuka 1 Juni.")
    sim.fault(
        **{**CREATE[channel], "path": "^/2/tweets$" if channel is X else "/feed$"},
        kind="created_then_error",
        times=1,
    )
    with pytest.raises(PublishError):
        publisher.publish(content)  # landed, answered 5xx: the worker would reconcile first
    with pytest.raises(PublishError) as raised:
        publisher.publish(content)  # ...but had it re-sent, the platform refuses the repeat
    refusal = raised.value.receipt
    assert (refusal.outcome, refusal.reason) == (P, Reason.DUPLICATE)

    assert for_attempt(refusal, 1).outcome is P  # a first attempt: someone else's post
    assert for_attempt(refusal, 2).outcome is U  # after an earlier one: maybe our own
    found = publisher.find_existing(content, utcnow() - timedelta(minutes=5))
    assert found is not None and [p["id"] for p in sim.posts()[KEY[channel]]] == [found.remote_id]


def test_a_duplicate_of_nothing_of_ours_fails_in_the_platforms_words() -> None:
    receipt = duplicate_not_found(
        X, "403", 403, "You are not allowed to create a Tweet with duplicate content."
    )
    assert (receipt.outcome, receipt.reason, receipt.error_code) == (P, Reason.DUPLICATE, "403")
    assert "duplicate content" in receipt.summary()
    graph = duplicate_not_found(FB, "506/1455006", 400, "Duplicate status message")
    assert (graph.platform_code, graph.platform_subcode) == ("506", "1455006")


# --- find_existing: exactly the approved text, the whole window, page by page --------------------


def _owner(channel: Channel, publisher: Any) -> str:
    return {X: lambda: str(publisher.me()["id"]), FB: lambda: PAGE_ID, IG: lambda: IG_USER_ID}[
        channel
    ]()


@pytest.mark.parametrize("channel", [X, FB, IG])
def test_find_existing_pages_back_through_many_newer_posts(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost, channel: Channel
) -> None:
    publisher = make_publisher(channel)
    photo = media_host.photo(jpeg())
    content = target(channel, "Pengumuman penting dari Diskominfo.", (photo,))
    since = utcnow() - timedelta(minutes=5)
    posted = publisher.publish(content)
    sim.seed(KEY[channel], 230, owner=_owner(channel, publisher))  # newer: listed first
    sim.clear_calls()

    found = publisher.find_existing(content, since)

    assert found is not None and found.remote_id == posted.remote_id
    listing = {X: "/2/users/:id/tweets", FB: "/v25.0/{id}/posts", IG: "/v25.0/{id}/media"}
    assert sim.calls(method="GET", path=listing[channel]) >= 3  # several pages were read


@pytest.mark.parametrize("channel", [X, FB, IG])
def test_find_existing_ignores_the_same_text_before_the_window_and_similar_texts(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost, channel: Channel
) -> None:
    publisher = make_publisher(channel)
    photo = media_host.photo(jpeg())
    text = "Vaksinasi gratis di Puskesmas Bekasi Jaya."
    publisher.publish(target(channel, text, (photo,)))
    sim.advance(3 * 3600)  # that post is from a previous run, three hours ago
    publisher.publish(target(channel, f"{text} Gelombang kedua.", (photo,)))
    window = sim_now(sim) - timedelta(minutes=10)
    assert publisher.find_existing(target(channel, text, (photo,)), window) is None


def test_find_existing_that_cannot_cover_the_window_says_so(
    sim: Sim, make_publisher: PublisherFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publishers.social import x as x_module

    monkeypatch.setattr(x_module, "MAX_PAGES", 2)
    publisher = make_publisher(X)
    sim.seed("x", 230, owner=_owner(X, publisher))
    with pytest.raises(PublishError) as raised:
        publisher.find_existing(target(X, "Tidak ada."), utcnow() - timedelta(hours=1))
    assert raised.value.receipt.outcome is R  # in doubt still: never "not there"


# --- a platform quoting the token back --------------------------------------------------------


def test_a_token_quoted_back_by_the_platform_is_masked_wherever_it_goes(
    sim: Sim, make_publisher: PublisherFactory, caplog: pytest.LogCaptureFixture
) -> None:
    # Meta's words as they come: the whole token, then a piece of it in another message.
    sim.fault(
        platform="graph",
        kind="graph_error",
        code=190,
        message=f"Malformed access token {FB_TOKEN}",
        times=1,
    )
    with pytest.raises(PublishError) as refused:
        make_publisher(FB).publish(target(FB, "Kabar kota hari ini."))
    receipt = refused.value.receipt
    stored = " ".join([receipt.platform_message, receipt.summary(), receipt.to_failure().message])
    assert FB_TOKEN not in stored and FB_TOKEN[:12] not in stored and "••••" in stored
    sim.fault(
        platform="graph", kind="graph_error", code=190, message=f"token {FB_TOKEN[:14]}… expired"
    )
    status = make_publisher(FB).check_connection()
    assert FB_TOKEN[:12] not in status.message and "••••" in status.message
    # The same for the publishers' log lines, and for every line of the worker's log.
    logging.getLogger("publishers.social.graph").warning("answer: %s", FB_TOKEN)
    assert FB_TOKEN not in caplog.text
    line = JsonFormatter().format(
        logging.LogRecord("siaran.worker", logging.INFO, __file__, 1, "x %s", (FB_TOKEN,), None)
    )
    assert FB_TOKEN not in line and "••••" in line
