"""The simulator on its own, over plain HTTP: fault injection, error shapes, the cost meter,
the request log, persistence, batch limits."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests
from requests_oauthlib import OAuth1
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from content.infra.config import Settings
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer, build_state
from publishers.simulator.state import SimState
from tests.publishers.conftest import IG_TOKEN, IG_USER_ID, Sim, jpeg

AUTH = OAuth1("ck", "cs", "user-token", "ts")
TOKEN = {"access_token": "page-token"}


def post(sim: Sim, text: str, timeout: float | tuple[float, float] = 10) -> requests.Response:
    return requests.post(f"{sim.url}/2/tweets", json={"text": text}, auth=AUTH, timeout=timeout)


def graph(sim: Sim, path: str, method: str = "GET", **params: str) -> requests.Response:
    if method == "GET":
        return requests.get(f"{sim.url}/v25.0/{path}", params=TOKEN | params, timeout=10)
    return requests.post(f"{sim.url}/v25.0/{path}", data=TOKEN | params, timeout=10)


def test_rate_limit_after_n_calls_carries_the_reset_headers(sim: Sim) -> None:
    sim.fault(
        platform="x", method="POST", path="^/2/tweets$", kind="rate_limit", after=2, reset_in=600
    )
    assert [post(sim, f"Pos {n}").status_code for n in range(2)] == [201, 201]
    limited = post(sim, "Pos 3")
    assert limited.status_code == 429
    assert limited.json() == {
        "title": "Too Many Requests",
        "detail": "Too Many Requests",
        "type": "about:blank",
        "status": 429,
    }
    assert limited.headers["x-rate-limit-remaining"] == "0"
    assert 0 < int(limited.headers["x-rate-limit-reset"]) - time.time() <= 600
    assert len(sim.posts()["x"]) == 2


def test_the_daily_user_cap_has_its_own_headers(sim: Sim) -> None:
    sim.fault(platform="x", kind="rate_limit", scope="user24h", reset_in=3600)
    limited = post(sim, "Pos")
    assert limited.headers["x-user-limit-24hour-remaining"] == "0"
    assert int(limited.headers["x-user-limit-24hour-reset"]) > int(
        limited.headers["x-rate-limit-reset"]
    )


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_graph_rate_limits_say_when_access_comes_back(sim: Sim, code: int) -> None:
    sim.fault(platform="graph", kind="rate_limit", code=code, reset_in=900)
    limited = graph(sim, "sim-page/feed", "POST", message="Halo")
    assert limited.status_code == 400
    assert limited.json()["error"]["code"] == code
    usage = json.loads(limited.headers["x-business-use-case-usage"])
    assert usage["sim-business"][0]["estimated_time_to_regain_access"] == 15


def test_server_errors_in_each_platforms_shape(sim: Sim) -> None:
    sim.fault(platform="x", kind="server_error", times=1)
    sim.fault(platform="graph", kind="server_error", times=1)
    x_answer = post(sim, "Pos")
    assert (x_answer.status_code, x_answer.json()["title"]) == (503, "Service Unavailable")
    graph_answer = graph(sim, "sim-page", fields="id,name")
    assert graph_answer.status_code == 500
    assert graph_answer.json()["error"]["code"] == 2
    assert graph_answer.json()["error"]["is_transient"] is True
    assert post(sim, "Pos").status_code == 201  # `times` ran out


def test_slow_after_creates_the_post_before_the_client_gives_up(sim: Sim) -> None:
    sim.fault(platform="x", kind="slow_after", delay=1.0)
    with pytest.raises(requests.ReadTimeout):
        post(sim, "Lambat", timeout=(2, 0.3))
    assert [p["raw_text"] for p in sim.posts()["x"]] == ["Lambat"]


def test_a_caller_that_hangs_up_during_slow_cancels_the_call(sim: Sim) -> None:
    sim.fault(platform="x", kind="slow", delay=0.6)
    with pytest.raises(requests.ReadTimeout):
        post(sim, "Batal", timeout=(2, 0.2))
    deadline = time.monotonic() + 15
    while True:  # wait for the platform to get round to the abandoned request
        (entry,) = requests.get(f"{sim.url}/_sim/requests", timeout=10).json()["requests"]
        if entry["status"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert entry["status"] == 499
    assert sim.posts()["x"] == []


def test_slow_makes_a_read_time_out(sim: Sim) -> None:
    sim.fault(platform="graph", kind="slow", delay=1.0)
    with pytest.raises(requests.ReadTimeout):
        requests.get(f"{sim.url}/v25.0/sim-page", params=TOKEN, timeout=(2, 0.3))


def test_duplicate_content_is_refused_in_xs_words(sim: Sim) -> None:
    assert post(sim, "Sama persis").status_code == 201
    again = post(sim, "Sama persis")
    assert again.status_code == 403
    assert again.json()["detail"] == "You are not allowed to create a Tweet with duplicate content."
    sim.fault(platform="graph", kind="duplicate")
    refused = graph(sim, "sim-page/feed", "POST", message="Apa saja")
    assert refused.json()["error"]["code"] == 506


def test_expired_tokens_in_each_platforms_shape(sim: Sim) -> None:
    sim.fault(kind="expired_token")
    assert post(sim, "Pos").json() == {
        "title": "Unauthorized",
        "detail": "Unauthorized",
        "type": "about:blank",
        "status": 401,
    }
    error = graph(sim, "me").json()["error"]
    assert (error["code"], error["error_subcode"], error["type"]) == (190, 463, "OAuthException")


def test_calls_without_credentials_are_refused(sim: Sim) -> None:
    unsigned = requests.post(f"{sim.url}/2/tweets", json={"text": "x"}, timeout=10)
    assert unsigned.status_code == 401
    anonymous = requests.get(f"{sim.url}/v25.0/sim-page", timeout=10)
    assert anonymous.json()["error"]["code"] == 104


def test_faults_are_listed_validated_and_cleared(sim: Sim) -> None:
    sim.fault(kind="server_error", platform="x")
    listed = requests.get(f"{sim.url}/_sim/faults", timeout=10).json()["faults"]
    assert [f["kind"] for f in listed] == ["server_error"]
    bad = requests.post(f"{sim.url}/_sim/faults", json={"kind": "meteor"}, timeout=10)
    assert bad.status_code == 400 and "kind must be one of" in bad.json()["error"]
    requests.delete(f"{sim.url}/_sim/faults", timeout=10)
    assert post(sim, "Pos").status_code == 201


def test_the_meter_bills_urls_and_first_reads_of_each_utc_day(sim: Sim) -> None:
    plain = post(sim, "Tanpa tautan").json()["data"]["id"]
    linked = post(sim, "Dengan tautan bekasikota.go.id").json()["data"]["id"]
    ids = f"{plain},{linked}"
    for _ in range(3):
        requests.get(f"{sim.url}/2/tweets", params={"ids": ids}, auth=AUTH, timeout=10)
    meter = sim.meter()
    assert meter["items"]["post"]["count"] == 1
    assert meter["items"]["post_with_url"]["count"] == 1
    assert meter["items"]["read_post"]["count"] == 2
    assert meter["free_repeat_reads"] == 4
    assert meter["total_usd"] == "0.225"  # 0.015 + 0.20 + 2 x 0.005

    sim.advance(86_400)  # the next UTC day: reading again is billed again
    requests.get(f"{sim.url}/2/tweets", params={"ids": ids}, auth=AUTH, timeout=10)
    assert sim.meter()["items"]["read_post"]["count"] == 4


def test_the_request_log_counts_calls_by_endpoint(sim: Sim) -> None:
    post(sim, "Satu")
    post(sim, "Dua")
    graph(sim, "sim-page", fields="id")
    log = requests.get(f"{sim.url}/_sim/requests", timeout=10).json()
    assert log["by_route"] == {"POST /2/tweets": 2, "GET /v25.0/{id}": 1}
    assert sim.calls("x", "POST", "/2/tweets") == 2
    assert "page-token" not in json.dumps(log)  # tokens never land in the log


def test_batches_hold_at_most_50_requests(sim: Sim) -> None:
    ops = [{"method": "GET", "relative_url": "sim-page?fields=id"}] * 51
    refused = graph(sim, "", "POST", batch=json.dumps(ops))
    assert refused.json()["error"]["code"] == 1
    answered = graph(sim, "", "POST", batch=json.dumps(ops[:50]), include_headers="false")
    assert [item["code"] for item in answered.json()] == [200] * 50


def test_retired_insight_metrics_are_refused_like_meta_does(sim: Sim) -> None:
    (post_id,) = sim.seed("facebook", 1, owner="sim-page")
    old = graph(sim, f"{post_id}/insights", metric="post_impressions_unique")
    assert old.json()["error"]["code"] == 100
    new = graph(sim, f"{post_id}/insights", metric="post_media_view")
    assert new.json()["data"][0]["name"] == "post_media_view"


def test_posts_survive_a_restart_with_a_state_file(tmp_path: Path) -> None:
    state_file = tmp_path / "simulator.json"
    with BackgroundServer(create_app(SimState(state_file))) as first:
        created = requests.post(
            f"{first.url}/2/tweets", json={"text": "Tetap ada"}, auth=AUTH, timeout=10
        ).json()["data"]["id"]
    with BackgroundServer(create_app(SimState(state_file))) as second:
        posts = requests.get(f"{second.url}/_sim/posts", timeout=10).json()["x"]
        assert [p["id"] for p in posts] == [created]
        again = requests.post(
            f"{second.url}/2/tweets", json={"text": "Baru"}, auth=AUTH, timeout=10
        ).json()["data"]["id"]
        assert again != created


def test_every_nth_call_fires_and_faults_on_one_path_keep_their_own_count(sim: Sim) -> None:
    sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="server_error", every=3)
    sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="rate_limit", every=4)
    statuses = [post(sim, f"Pos {n}").status_code for n in range(1, 13)]
    # 3rd, 6th, 9th, 12th: 5xx (the first fault wins on the 12th); 4th and 8th: 429.
    assert statuses == [201, 201, 503, 429, 201, 503, 201, 429, 503, 201, 201, 503]
    listed = {f["kind"]: f for f in sim.call_json("GET", "/_sim/faults")["faults"]}
    assert (listed["server_error"]["seen"], listed["server_error"]["fired"]) == (12, 4)
    assert (listed["rate_limit"]["seen"], listed["rate_limit"]["fired"]) == (12, 2)


def test_every_must_be_a_positive_whole_number(sim: Sim) -> None:
    for bad in (0, -2, 1.5, "3"):
        answer = requests.post(
            f"{sim.url}/_sim/faults", json={"kind": "server_error", "every": bad}, timeout=10
        )
        assert answer.status_code == 400 and "every" in answer.json()["error"]


def test_created_then_error_creates_the_post_and_answers_5xx_in_each_platforms_shape(
    sim: Sim,
) -> None:
    sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="created_then_error", times=1)
    sim.fault(platform="graph", method="POST", path="/feed$", kind="created_then_error", times=1)
    x_answer = post(sim, "Pos yang tetap terbit")
    assert (x_answer.status_code, x_answer.json()["title"]) == (503, "Service Unavailable")
    fb_answer = graph(sim, "sim-page/feed", "POST", message="Kabar yang tetap terbit")
    assert fb_answer.status_code == 500
    assert (fb_answer.json()["error"]["code"], fb_answer.json()["error"]["is_transient"]) == (
        2,
        True,
    )
    posts = sim.posts()
    assert [p["text"] for p in posts["x"]] == ["Pos yang tetap terbit"]
    assert [p["message"] for p in posts["facebook"]] == ["Kabar yang tetap terbit"]


def test_created_then_drop_creates_the_post_and_breaks_the_connection(sim: Sim) -> None:
    sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="created_then_drop", times=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        post(sim, "Pos yang terputus")
    assert [p["text"] for p in sim.posts()["x"]] == ["Pos yang terputus"]
    assert post(sim, "Pos berikutnya").status_code == 201  # the server itself is fine


def test_graph_refuses_a_repeated_message_unless_told_to_accept_duplicates(sim: Sim) -> None:
    assert graph(sim, "sim-page/feed", "POST", message="Sama").status_code == 200
    refused = graph(sim, "sim-page/feed", "POST", message="Sama")
    assert refused.json()["error"]["code"] == 506
    sim.configure(graph_accepts_duplicates=True)
    assert graph(sim, "sim-page/feed", "POST", message="Sama").status_code == 200
    assert [p["message"] for p in sim.posts()["facebook"]] == ["Sama", "Sama"]


def test_own_posts_are_listed_page_by_page_with_cursors(sim: Sim) -> None:
    x_user = requests.get(f"{sim.url}/2/users/me", auth=AUTH, timeout=10).json()["data"]["id"]
    sim.seed("x", 12, owner=x_user)
    sim.seed("facebook", 12, owner="sim-page")
    sim.seed("instagram", 12, owner="sim-ig")

    def x_pages() -> list[int]:
        sizes, token = [], None
        while True:
            params = {"max_results": "5"} | ({"pagination_token": token} if token else {})
            body = requests.get(
                f"{sim.url}/2/users/{x_user}/tweets", params=params, auth=AUTH, timeout=10
            ).json()
            sizes.append(len(body["data"]))
            token = body["meta"].get("next_token")
            if not token:
                return sizes

    def graph_pages(path: str) -> list[int]:
        sizes, after = [], None
        while True:
            body = graph(sim, path, limit="5", **({"after": after} if after else {})).json()
            sizes.append(len(body["data"]))
            if "next" not in body["paging"]:
                return sizes
            assert "access_token" not in body["paging"]["next"]
            after = body["paging"]["cursors"]["after"]

    assert x_pages() == [5, 5, 2]
    assert graph_pages("sim-page/posts") == [5, 5, 2]
    assert graph_pages("sim-ig/media") == [5, 5, 2]


def test_unless_leaves_calls_with_those_parameters_alone(sim: Sim) -> None:
    sim.fault(
        platform="graph",
        method="POST",
        path="/(feed|photos)$",
        kind="server_error",
        unless={"published": "false"},
    )
    assert graph(sim, "sim-page/feed", "POST", message="Kabar").status_code == 500
    assert graph(sim, "sim-page/feed", "POST", message="Kabar", published="false").status_code == (
        200
    )


class _CountingHost:
    """A web server that serves one JPEG at any path and counts the requests it got."""

    def __init__(self) -> None:
        self.hits = 0

        async def anything(request: Request) -> Response:
            self.hits += 1
            return Response(jpeg(), media_type="image/jpeg")

        self.app = Starlette(routes=[Route("/{path:path}", anything)])


def _container_status(url: str, image_url: str) -> str:
    params = {"image_url": image_url, "access_token": IG_TOKEN}
    created = requests.post(f"{url}/v25.0/{IG_USER_ID}/media", data=params, timeout=10)
    container = created.json()["id"]
    deadline = time.monotonic() + 30
    while True:
        status = requests.get(
            f"{url}/v25.0/{container}",
            params={"fields": "status_code", "access_token": IG_TOKEN},
            timeout=10,
        ).json()["status_code"]
        if status != "IN_PROGRESS":
            return str(status)
        assert time.monotonic() < deadline, "the container never finished"
        time.sleep(0.05)


def test_instagram_fetches_photos_only_from_the_configured_media_origin(tmp_path: Path) -> None:
    feed, elsewhere = _CountingHost(), _CountingHost()
    with BackgroundServer(feed.app) as feed_server, BackgroundServer(elsewhere.app) as other:
        settings = Settings(data_dir=tmp_path, feed_port=feed_server.port)
        with BackgroundServer(create_app(build_state(settings))) as sim:
            assert _container_status(sim.url, f"{feed_server.url}/media/a.jpg") == "FINISHED"
            # Another port on the same machine: a probe, never fetched.
            assert _container_status(sim.url, f"{other.url}/media/a.jpg") == "ERROR"
            assert _container_status(sim.url, "http://10.0.0.1:22/") == "ERROR"
    assert (feed.hits, elsewhere.hits) == (1, 0)
