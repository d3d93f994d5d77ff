"""Settings, the registry, secrets kept out of sight, and the classification tables."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from content.delivery.publishing import Failure
from content.infra.config import Settings
from content.models import AttemptOutcome, Channel
from publishers.social.base import Publisher, Secret, secrets_from
from publishers.social.classify import classify_graph, x_retry_after
from publishers.social.config import PublisherSettings, local_base_url, simulator_base_url
from publishers.social.registry import publisher_for
from publishers.social.result import Outcome, Reason, Receipt
from publishers.social.transport import redact
from tests.publishers.conftest import (
    CREDENTIALS,
    FB_TOKEN,
    X_CREDENTIALS,
    MediaHost,
    PublisherFactory,
    Sim,
    account,
    jpeg,
    target,
)


def test_simulator_accounts_talk_to_the_simulator_whatever_the_settings_say(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        host="0.0.0.0",
        simulator_port=8700,
        extra={"publishers": {"x_base_url": "https://proxy.bekasikota.go.id/x"}},
    )
    simulated = publisher_for(account(Channel.X), X_CREDENTIALS, settings)
    real = publisher_for(account(Channel.X, simulator=False), X_CREDENTIALS, settings)
    assert "http://127.0.0.1:8700" in repr(simulated)
    assert "https://proxy.bekasikota.go.id/x" in repr(real)
    facebook = publisher_for(
        account(Channel.FACEBOOK, simulator=False), CREDENTIALS[Channel.FACEBOOK], settings
    )
    assert "https://graph.facebook.com, v25.0" in repr(facebook)


def test_the_graph_version_is_a_setting(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, extra={"publishers": {"graph_version": "26.0"}})
    assert PublisherSettings.from_settings(settings).graph_version == "v26.0"
    with pytest.raises(ValueError, match=r"v25\.0"):
        PublisherSettings.from_settings(
            Settings(data_dir=tmp_path, extra={"publishers": {"graph_version": "latest"}})
        )


def test_media_base_url_falls_back_to_public_base_url(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, public_base_url="https://siaran.bekasikota.go.id/")
    assert (
        PublisherSettings.from_settings(settings).media_base_url
        == "https://siaran.bekasikota.go.id"
    )
    ipv6 = Settings(data_dir=tmp_path, host="::1", feed_port=9)
    assert local_base_url(ipv6, ipv6.feed_port) == "http://[::1]:9"


def test_the_simulator_is_reached_on_loopback_whatever_siaran_host_says(tmp_path: Path) -> None:
    lan = Settings(data_dir=tmp_path, host="0.0.0.0", simulator_port=8700, feed_port=8600)
    config = PublisherSettings.from_settings(lan).for_simulator(lan)
    assert simulator_base_url(lan) == "http://127.0.0.1:8700"
    assert config.graph_base_url == config.x_base_url == "http://127.0.0.1:8700"
    assert config.media_base_url == "http://127.0.0.1:8600"


def test_the_worker_can_store_a_receipt_as_a_failure() -> None:
    moment = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    receipt = Receipt(
        Channel.FACEBOOK,
        Outcome.RETRYABLE,
        Reason.RATE_LIMIT,
        http_status=400,
        platform_code="32",
        platform_message="(#32) Page request limit reached",
        retry_after=moment,
    )
    failure = receipt.to_failure()
    assert isinstance(failure, Failure)
    assert (failure.outcome, failure.code, failure.http_status, failure.retry_at) == (
        AttemptOutcome.RETRYABLE,
        "32",
        400,
        moment,
    )
    assert "(#32) Page request limit reached" in failure.message
    assert "09:00 WIB" in failure.message  # people read times in WIB


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-rate-limit-remaining": "0", "x-rate-limit-reset": "2000000000"}, 2_000_000_000),
        (
            {
                "x-rate-limit-remaining": "12",
                "x-rate-limit-reset": "2000000000",
                "x-user-limit-24hour-remaining": "0",
                "x-user-limit-24hour-reset": "2000050000",
            },
            2_000_050_000,
        ),
        ({"X-Rate-Limit-Reset": "2000000000"}, 2_000_000_000),
        ({}, None),
    ],
    ids=["window", "daily-cap-wins", "any-case", "none"],
)
def test_x_reset_time_comes_from_the_headers_that_ran_out(
    headers: dict[str, str], expected: int | None
) -> None:
    found = x_retry_after(headers)
    assert (found.timestamp() if found else None) == expected


@pytest.mark.parametrize(
    ("error", "status", "outcome", "reason"),
    [
        ({"code": 190, "error_subcode": 463}, 400, Outcome.PERMANENT, Reason.AUTH),
        ({"code": 4}, 400, Outcome.RETRYABLE, Reason.RATE_LIMIT),
        ({"code": 80001}, 400, Outcome.RETRYABLE, Reason.RATE_LIMIT),
        ({"code": 368}, 400, Outcome.RETRYABLE, Reason.TEMPORARY_BLOCK),
        ({"code": 506}, 400, Outcome.PERMANENT, Reason.DUPLICATE),
        ({"code": 10}, 403, Outcome.PERMANENT, Reason.PERMISSION),
        ({"code": 299}, 403, Outcome.PERMANENT, Reason.PERMISSION),
        ({"code": 100, "error_subcode": 2207052}, 400, Outcome.PERMANENT, Reason.INVALID_MEDIA),
        ({"code": 100, "error_subcode": 33}, 400, Outcome.PERMANENT, Reason.NOT_FOUND),
        ({"code": 100}, 400, Outcome.PERMANENT, Reason.INVALID_REQUEST),
        ({"code": 999, "is_transient": True}, 400, Outcome.RETRYABLE, Reason.SERVER),
        ("<html>Bad Gateway</html>", 502, Outcome.RETRYABLE, Reason.SERVER),
    ],
)
def test_graph_error_table(error: object, status: int, outcome: Outcome, reason: Reason) -> None:
    receipt = classify_graph(Channel.FACEBOOK, error, http_status=status)
    assert (receipt.outcome, receipt.reason) == (outcome, reason)


def test_graph_rate_limits_wait_as_long_as_meta_says() -> None:
    usage = '{"123": [{"type": "pages", "estimated_time_to_regain_access": 42}]}'
    headers = {"X-Business-Use-Case-Usage": usage}
    receipt = classify_graph(Channel.FACEBOOK, {"code": 32}, http_status=400, headers=headers)
    assert receipt.retry_after is not None
    wait = receipt.retry_after - datetime.now(UTC)
    assert timedelta(minutes=41) < wait <= timedelta(minutes=42)


def test_secrets_are_masked_everywhere_they_could_be_printed() -> None:
    secrets = secrets_from(X_CREDENTIALS, list(X_CREDENTIALS))
    shown = f"{secrets} {secrets!r} {Secret('abc')}"
    assert "SECRET" not in shown and "abc" not in shown
    assert secrets["consumer_secret"].reveal() == "sim-cs-SECRET"
    with pytest.raises(ValueError, match="access_token_secret") as raised:
        secrets_from({"consumer_key": "k"}, list(X_CREDENTIALS))
    assert "k'" not in str(raised.value)  # names the missing keys, never a value
    assert redact("GET /v25.0/me?fields=id&access_token=EAAB123&x=1") == (
        "GET /v25.0/me?fields=id&access_token=••••&x=1"
    )
    assert "abc" not in redact('Authorization: OAuth oauth_token="abc", oauth_signature="def"')


def test_tokens_stay_out_of_debug_logs(
    sim: Sim,
    make_publisher: PublisherFactory,
    media_host: MediaHost,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        publisher = make_publisher(Channel.FACEBOOK)
        publisher.publish(target(Channel.FACEBOOK, "Cek log.", (media_host.photo(jpeg()),)))
        publisher.check_connection()
        make_publisher(Channel.X).publish(target(Channel.X, "Cek log X."))
    # Siaran's own log lines; the in-process stand-in platform's server logs are not Siaran's.
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("uvicorn"))
    assert "/v25.0/" in text  # urllib3 did log the requests...
    assert FB_TOKEN not in text  # ...but not the token in their query strings
    assert X_CREDENTIALS["consumer_secret"] not in text
    assert X_CREDENTIALS["access_token_secret"] not in text


@pytest.mark.parametrize("channel", [Channel.X, Channel.FACEBOOK, Channel.INSTAGRAM])
def test_every_channel_implements_the_one_interface(
    make_publisher: PublisherFactory, channel: Channel
) -> None:
    publisher = make_publisher(channel)
    assert isinstance(publisher, Publisher)
    assert publisher.kind is channel is publisher.capabilities.channel


def test_videotron_is_not_a_social_publisher(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="videotron"):
        publisher_for(account(Channel.VIDEOTRON), {}, Settings(data_dir=tmp_path))
