"""Metric collection is batched: counted at the simulator, in HTTP requests."""

from __future__ import annotations

from content.models import Channel
from tests.publishers.conftest import IG_USER_ID, PAGE_ID, PublisherFactory, Sim


def test_250_x_posts_and_120_facebook_posts_take_3_calls_each(
    sim: Sim, make_publisher: PublisherFactory
) -> None:
    x_ids = sim.seed("x", 250, age_hours=5)
    fb_ids = sim.seed("facebook", 120, owner=PAGE_ID, age_hours=5)
    x, facebook = make_publisher(Channel.X), make_publisher(Channel.FACEBOOK)
    sim.clear_calls()

    x_metrics = x.fetch_metrics(x_ids)
    fb_metrics = facebook.fetch_metrics(fb_ids)

    assert {m.remote_id for m in x_metrics} == set(x_ids)
    assert {m.remote_id for m in fb_metrics} == set(fb_ids)
    assert sim.calls("x") == sim.calls("x", "GET", "/2/tweets") == 3  # 100 ids a call
    assert sim.calls("graph") == sim.calls("graph", "POST", "/v25.0/") == 3  # 50 per batch


def test_120_instagram_posts_take_3_batches(sim: Sim, make_publisher: PublisherFactory) -> None:
    ids = sim.seed("instagram", 120, owner=IG_USER_ID, age_hours=5)
    publisher = make_publisher(Channel.INSTAGRAM)
    sim.clear_calls()
    assert len(publisher.fetch_metrics(ids)) == 120
    assert sim.calls("graph") == 3
