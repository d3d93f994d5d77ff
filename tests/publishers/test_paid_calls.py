"""Every paid X call is named, at its call site, by the operation X charges it as; the ledger
prices those names and the simulator's meter prices them from the same table (settings too)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import requests
from requests_oauthlib import OAuth1

from content.costs import Operation, load_prices
from content.infra.config import Settings
from content.models import Channel
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer, build_state
from publishers.social.base import Publisher
from tests.publishers.conftest import MediaHost, PublisherFactory, Sim, jpeg, target

X = Channel.X
AUTH = OAuth1("ck", "cs", "user-token", "ts")


def _named(publisher: Publisher) -> list[tuple[str, int]]:
    return [(call.operation, call.status) for call in publisher.paid_calls()]


def test_the_x_publisher_names_each_call_it_makes(
    sim: Sim, make_publisher: PublisherFactory, media_host: MediaHost
) -> None:
    publisher = make_publisher(X)
    photo = media_host.photo(jpeg(), "Petugas Posyandu menimbang balita")
    assert publisher.paid_calls() == []  # nothing before the first call
    receipt = publisher.publish(
        target(X, "Posyandu serentak.", (photo,), link="https://bekasikota.go.id/posyandu")
    )
    assert _named(publisher) == [
        (Operation.MEDIA_UPLOAD, 200),
        (Operation.MEDIA_METADATA, 200),
        (Operation.POST_WITH_URL, 201),
    ]
    publisher.publish(target(X, "Tanpa tautan hari ini.", post_id=2))
    assert _named(publisher) == [(Operation.POST, 201)]
    publisher.fetch_metrics([str(receipt.remote_id)])
    publisher.check_connection()
    assert _named(publisher) == [(Operation.READ_POST, 200), (Operation.READ_USER, 200)]
    # Each publisher reports only its own calls: another one on this thread saw none of these.
    assert make_publisher(X).paid_calls() == []


def test_the_simulators_meter_prices_from_the_settings_price_table(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, extra={"prices": {"x": {"post": 0.5}}})
    with BackgroundServer(create_app(build_state(settings))) as server:
        requests.post(f"{server.url}/2/tweets", json={"text": "Satu"}, auth=AUTH, timeout=10)
        meter = requests.get(f"{server.url}/_sim/meter", timeout=10).json()
    assert meter["items"]["post"] == {"count": 1, "unit_usd": "0.5", "cost_usd": "0.5"}
    # The same table the worker's ledger reads with these settings, operation for operation.
    ledger_prices = load_prices(settings).operations(X)
    assert {k: Decimal(v["unit_usd"]) for k, v in meter["items"].items()} == ledger_prices
