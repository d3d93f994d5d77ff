"""Every error class, for every channel, through the real SDKs over real HTTP: the simulator
answers in each platform's own error shape and the publisher classifies it once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from content.models import Channel
from content.timeutil import utcnow
from publishers.registry import publisher_for
from publishers.result import Outcome, PublishError, Reason
from tests.publishers.conftest import (
    CREDENTIALS,
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
    ({"kind": "server_error"}, R, Reason.SERVER, 503, "Service Unavailable"),
    ({"kind": "html_error"}, R, Reason.SERVER, 502, ""),
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
    ({"kind": "server_error"}, R, Reason.SERVER, 500, "temporarily unavailable"),
    ({"kind": "html_error"}, R, Reason.SERVER, 502, ""),
    ({"kind": "graph_error", "code": 1, "status": 500}, R, Reason.SERVER, 500, ""),
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
