"""Deleting a published post (a takedown) through the real SDKs against the simulator over HTTP:
gone from the platform, "not found" counted as gone, failures classified like publishing, and
Instagram's missing delete API answered with the manual step and no call at all."""

from __future__ import annotations

import pytest

from content.models import Channel
from publishers.social.result import Outcome, Reason
from tests.publishers.conftest import PublisherFactory, Sim, target

X, FB, IG = Channel.X, Channel.FACEBOOK, Channel.INSTAGRAM


@pytest.mark.parametrize("channel", [X, FB])
def test_a_post_is_deleted_then_a_second_delete_finds_it_gone(
    sim: Sim, make_publisher: PublisherFactory, channel: Channel
) -> None:
    publisher = make_publisher(channel)
    made = publisher.publish(target(channel, "Pengumuman yang akan ditarik."))
    key = "x" if channel is X else "facebook"
    assert len(sim.posts()[key]) == 1

    deleted = publisher.delete(made.remote_id or "")
    assert deleted.outcome is Outcome.SUCCESS and deleted.reason is Reason.OK
    assert deleted.http_status == 200 and sim.posts()[key] == []

    again = publisher.delete(made.remote_id or "")
    assert again.outcome is Outcome.SUCCESS and again.reason is Reason.NOT_FOUND


def test_x_charges_the_delete(sim: Sim, make_publisher: PublisherFactory) -> None:
    publisher = make_publisher(X)
    made = publisher.publish(target(X, "Satu posting."))
    publisher.delete(made.remote_id or "")
    publisher.delete(made.remote_id or "")  # the 404 is not a delete X charges
    assert sim.meter()["items"]["delete_post"] == {
        "count": 1,
        "unit_usd": "0.01",
        "cost_usd": "0.01",
    }


@pytest.mark.parametrize(
    ("channel", "kind", "outcome", "reason"),
    [
        (X, "server_error", Outcome.RETRYABLE, Reason.SERVER),
        (X, "malformed", Outcome.RETRYABLE, Reason.BAD_RESPONSE),  # may have landed: send again
        (X, "rate_limit", Outcome.RETRYABLE, Reason.RATE_LIMIT),
        (X, "expired_token", Outcome.PERMANENT, Reason.AUTH),
        (FB, "server_error", Outcome.RETRYABLE, Reason.SERVER),
        (FB, "expired_token", Outcome.PERMANENT, Reason.AUTH),
        (FB, "permission", Outcome.PERMANENT, Reason.PERMISSION),
    ],
)
def test_delete_failures_are_classified_like_publishing(
    sim: Sim,
    make_publisher: PublisherFactory,
    channel: Channel,
    kind: str,
    outcome: Outcome,
    reason: Reason,
) -> None:
    publisher = make_publisher(channel)
    made = publisher.publish(target(channel, f"Posting untuk uji {kind}."))
    sim.fault(platform="x" if channel is X else "graph", method="DELETE", kind=kind, times=1)
    receipt = publisher.delete(made.remote_id or "")
    assert (receipt.outcome, receipt.reason) == (outcome, reason)
    assert receipt.summary()  # one sentence for the people who fix it


def test_x_refuses_to_delete_someone_elses_post(sim: Sim, make_publisher: PublisherFactory) -> None:
    (foreign,) = sim.seed("x", 1, owner="someone-else")
    receipt = make_publisher(X).delete(foreign)
    assert (receipt.outcome, receipt.reason) == (Outcome.PERMANENT, Reason.PERMISSION)


def test_instagram_has_no_delete_api_and_says_what_to_do(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    sim.clear_calls()
    receipt = make_publisher(IG).delete("17900000000000001")
    assert (receipt.outcome, receipt.reason) == (Outcome.PERMANENT, Reason.UNSUPPORTED)
    assert "hapus manual: buka Instagram sebagai @pemkotbekasi" in receipt.summary()
    assert "Hapus" in receipt.summary()
    assert sim.calls() == 0
