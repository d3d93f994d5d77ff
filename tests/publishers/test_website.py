"""The website channel (WordPress REST API with an Application Password) against the simulator
over real HTTP: what a post looks like on the site, every refusal classified once, network
failures, the never-twice rule through the `siaran-<target id>` slug, and the withdrawal."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from content.infra.timeutil import utcnow
from content.models import AccountHealth, Channel
from publishers.social.registry import publisher_for
from publishers.social.result import Outcome, PublishError, Reason
from publishers.social.target import TargetContent
from publishers.social.website import WebsitePublisher, marker_slug
from tests.publishers.conftest import (
    CREDENTIALS,
    WP_PASSWORD,
    MediaHost,
    PublisherFactory,
    Sim,
    account,
    free_port,
    jpeg,
    make_settings,
    target,
)

WEB = Channel.WEBSITE
R, P, U = Outcome.RETRYABLE, Outcome.PERMANENT, Outcome.UNKNOWN
CREATE = {"platform": "wp", "method": "POST", "path": "/wp/v2/posts$"}
UPLOAD = {"platform": "wp", "method": "POST", "path": "/wp/v2/media$"}
TEXT = "Posyandu serentak pekan ini di 12 kelurahan.\nBawa buku KIA.\n\nInfo: https://dinkes.bekasikota.go.id/posyandu"


def web_target(
    text: str = TEXT, photos: tuple[Any, ...] = (), post_id: int = 7, **more: Any
) -> TargetContent:
    fields: dict[str, Any] = {
        "title": "Posyandu serentak <12 kelurahan>",
        "kip": "berkala",
        "opd": "Dinkes",
    }
    return target(WEB, text, photos, post_id=post_id, **(fields | more))


def website_posts(sim: Sim) -> list[dict[str, Any]]:
    return sim.posts()["website"]


def test_a_post_goes_out_with_its_photo_title_html_body_and_terms(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    photo = media_host.photo(jpeg(), "Kader posyandu menimbang balita")
    publisher = make_publisher(WEB)
    content = web_target(photos=(photo,), link="https://bekasikota.go.id/p")

    receipt = publisher.publish(content)

    assert receipt.outcome is Outcome.SUCCESS
    (posted,) = website_posts(sim)
    assert receipt.remote_id == posted["id"] and posted["status"] == "publish"
    assert posted["slug"] == marker_slug(content.target_id)
    assert posted["title"] == "Posyandu serentak <12 kelurahan>"
    # The text escaped, its URLs linked, blank lines as paragraphs, line breaks kept; the
    # post's link appended as on the other channels.
    assert posted["content"] == (
        "<p>Posyandu serentak pekan ini di 12 kelurahan.<br />\nBawa buku KIA.</p>\n"
        '<p>Info: <a href="https://dinkes.bekasikota.go.id/posyandu" rel="noopener">'
        "https://dinkes.bekasikota.go.id/posyandu</a></p>\n"
        '<p><a href="https://bekasikota.go.id/p" rel="noopener">https://bekasikota.go.id/p</a></p>'
    )
    assert [m["alt_text"] for m in posted["media"]] == ["Kader posyandu menimbang balita"]
    assert {(t["taxonomy"], t["slug"], t["name"]) for t in posted["terms"]} == {
        ("category", "kip-berkala", "Berkala"),
        ("post_tag", "dinkes", "Dinkes"),
    }
    # The live link opens the post's public page.
    page = requests.get(str(receipt.url), timeout=10)
    assert page.status_code == 200
    assert "Posyandu serentak &lt;12 kelurahan&gt;" in page.text


def test_markup_in_the_text_reaches_the_site_as_text(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    make_publisher(WEB).publish(web_target('Awas <script>alert("x")</script> & hoaks'))
    (posted,) = website_posts(sim)
    assert "<script>" not in posted["content"]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; hoaks" in posted["content"]


def test_categories_and_tags_are_reused_not_made_again(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    publisher = make_publisher(WEB)
    publisher.publish(web_target(post_id=1))
    publisher.publish(web_target(post_id=2))
    first, second = website_posts(sim)
    assert first["categories"] == second["categories"] and first["tags"] == second["tags"]
    assert sim.calls("wp", "POST", "/wp-json/wp/v2/categories") == 1
    assert sim.calls("wp", "POST", "/wp-json/wp/v2/tags") == 1


def test_a_user_who_may_not_make_terms_still_publishes_without_them(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    sim.fault(platform="wp", method="POST", path="/(categories|tags)$", kind="permission")
    make_publisher(WEB).publish(web_target())
    (posted,) = website_posts(sim)
    assert posted["categories"] == [] and posted["tags"] == []


def test_a_post_without_a_title_is_refused_before_any_call(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    with pytest.raises(PublishError) as raised:
        make_publisher(WEB).publish(web_target(title=" "))
    receipt = raised.value.receipt
    assert (receipt.outcome, receipt.reason) == (P, Reason.INVALID_REQUEST)
    assert "judul belum diisi" in receipt.platform_message
    assert sim.calls("wp") == 0


CASES = [
    pytest.param(
        CREATE, {"kind": "rate_limit", "reset_in": 600}, R, Reason.RATE_LIMIT, 429, id="429"
    ),
    # A 5xx on the create may hide a created post: settled by the slug before any re-send.
    pytest.param(CREATE, {"kind": "server_error"}, U, Reason.SERVER, 500, id="create-500"),
    pytest.param(CREATE, {"kind": "html_error"}, U, Reason.SERVER, 502, id="create-502-html"),
    pytest.param(CREATE, {"kind": "malformed"}, U, Reason.BAD_RESPONSE, 200, id="create-garbled"),
    pytest.param(CREATE, {"kind": "expired_token"}, P, Reason.AUTH, 401, id="bad-password"),
    pytest.param(CREATE, {"kind": "permission"}, P, Reason.PERMISSION, 403, id="capability"),
    pytest.param(
        CREATE,
        {"kind": "wp_error", "status": 400, "type": "rest_invalid_param", "message": "Bad"},
        P,
        Reason.INVALID_REQUEST,
        400,
        id="400",
    ),
    pytest.param(UPLOAD, {"kind": "too_large"}, P, Reason.TOO_LARGE, 413, id="upload-413"),
    pytest.param(UPLOAD, {"kind": "server_error"}, R, Reason.SERVER, 500, id="upload-500"),
    pytest.param(UPLOAD, {"kind": "created_then_error"}, R, Reason.SERVER, 500, id="upload-landed"),
]


@pytest.mark.parametrize(("where", "fault", "outcome", "reason", "status"), CASES)
def test_refusals_are_classified_once(
    sim: Sim,
    make_publisher: PublisherFactory,
    media_host: MediaHost,
    where: dict[str, str],
    fault: dict[str, Any],
    outcome: Outcome,
    reason: Reason,
    status: int,
) -> None:
    sim.fault(**where, **fault)
    photo = media_host.photo(jpeg(), "Petugas membersihkan saluran air")
    with pytest.raises(PublishError) as raised:
        make_publisher(WEB).publish(web_target(photos=(photo,)))
    receipt = raised.value.receipt
    assert (receipt.outcome, receipt.reason, receipt.http_status) == (outcome, reason, status)
    assert receipt.summary()
    assert WP_PASSWORD not in receipt.summary()
    if reason is Reason.RATE_LIMIT:
        assert receipt.retry_after is not None
        wait = receipt.retry_after - utcnow()
        assert timedelta(minutes=8) < wait <= timedelta(minutes=11)
    if reason is Reason.TOO_LARGE:
        assert receipt.error_code == "rest_upload_file_too_big"
    if outcome is not Outcome.UNKNOWN:
        assert website_posts(sim) == []


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("created_then_error", Reason.SERVER), ("created_then_drop", Reason.NETWORK)],
    ids=["then-5xx", "then-dropped"],
)
def test_a_create_that_landed_but_answered_badly_is_unknown_and_found_once(
    sim: Sim, make_publisher: PublisherFactory, kind: str, reason: Reason
) -> None:
    sim.fault(**CREATE, kind=kind, times=1)
    publisher = make_publisher(WEB)
    content = web_target()
    with pytest.raises(PublishError) as raised:
        publisher.publish(content)
    assert (raised.value.receipt.outcome, raised.value.receipt.reason) == (U, reason)

    found = publisher.find_existing(content)

    assert found is not None and found.outcome is Outcome.RECONCILED and found.url
    assert [p["id"] for p in website_posts(sim)] == [found.remote_id]


def test_a_read_timeout_after_sending_is_unknown_and_find_existing_resolves_it(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    sim.fault(**CREATE, kind="slow_after", delay=1.0, times=1)
    publisher = make_publisher(WEB, read_timeout=0.4)
    content = web_target()
    with pytest.raises(PublishError) as raised:
        publisher.publish(content)
    assert (raised.value.receipt.outcome, raised.value.receipt.reason) == (U, Reason.TIMEOUT)
    found = publisher.find_existing(content)
    assert found is not None and [p["id"] for p in website_posts(sim)] == [found.remote_id]


def test_find_existing_finds_nothing_for_a_post_never_made(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    publisher = make_publisher(WEB)
    publisher.publish(web_target(post_id=1))
    assert publisher.find_existing(web_target(post_id=2)) is None


def test_connection_refused_is_retryable_and_says_nothing_was_sent(
    tmp_path: Path, media_host: MediaHost
) -> None:
    closed = make_settings(tmp_path, free_port(), media_host.url)
    publisher = publisher_for(account(WEB), CREDENTIALS[WEB], closed)
    with pytest.raises(PublishError) as raised:
        publisher.publish(web_target())
    assert (raised.value.receipt.outcome, raised.value.receipt.reason) == (R, Reason.NETWORK)


def test_withdrawing_moves_the_post_to_the_trash_and_a_second_withdrawal_finds_it_gone(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    publisher = make_publisher(WEB)
    receipt = publisher.publish(web_target())
    assert receipt.remote_id is not None

    first = publisher.delete(receipt.remote_id)
    second = publisher.delete(receipt.remote_id)

    assert first.outcome is Outcome.SUCCESS and first.reason is Reason.OK
    assert (second.outcome, second.reason, second.http_status) == (
        Outcome.SUCCESS,
        Reason.NOT_FOUND,
        410,
    )
    (posted,) = website_posts(sim)
    assert posted["status"] == "trash"  # kept in the trash, not deleted for good
    assert sim.calls("wp", "DELETE") == 2
    assert requests.get(str(receipt.url), timeout=10).status_code == 404


def test_a_refused_delete_stays_a_failure(sim: Sim, make_publisher: PublisherFactory) -> None:
    publisher = make_publisher(WEB)
    receipt = publisher.publish(web_target())
    sim.fault(platform="wp", method="DELETE", kind="permission")
    refused = publisher.delete(str(receipt.remote_id))
    assert (refused.outcome, refused.reason) == (P, Reason.PERMISSION)


def test_the_connection_check_names_the_user_and_a_bad_password_is_an_error(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    status = make_publisher(WEB).check_connection()
    assert status.health is AccountHealth.OK and status.account_name == "humas-dinkes"
    assert status.token_expires_at is None  # application passwords do not expire

    sim.fault(platform="wp", kind="expired_token")
    refused = make_publisher(WEB).check_connection()
    assert refused.health is AccountHealth.ERROR
    assert refused.failure is not None and refused.failure.reason is Reason.AUTH


def test_the_password_travels_as_basic_auth_and_never_shows(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    publisher = make_publisher(WEB)
    assert isinstance(publisher, WebsitePublisher)
    assert WP_PASSWORD not in repr(publisher)
    publisher.publish(web_target())
    assert len(website_posts(sim)) == 1
    # Without the user and application password the site refuses.
    anonymous = requests.post(f"{sim.url}/wp-json/wp/v2/posts", json={"title": "x"}, timeout=10)
    assert anonymous.status_code == 401
    auth = base64.b64encode(f"humas-dinkes:{WP_PASSWORD}".encode()).decode()
    signed = requests.get(
        f"{sim.url}/wp-json/wp/v2/users/me", headers={"Authorization": f"Basic {auth}"}, timeout=10
    )
    assert signed.json()["name"] == "humas-dinkes"


def test_no_metrics_are_read(sim: Sim, make_publisher: PublisherFactory) -> None:
    publisher = make_publisher(WEB)
    receipt = publisher.publish(web_target())
    assert publisher.fetch_metrics([str(receipt.remote_id)]) == []
    assert publisher.paid_calls() == []
