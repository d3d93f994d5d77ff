"""The simulator and a media host on free loopback ports (real HTTP, real uvicorn), publishers
built the way the worker builds them, and small helpers to drive the simulator's admin API."""

from __future__ import annotations

import hashlib
import io
import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from content.infra.config import Settings
from content.models import Account, Channel
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimState
from publishers.social.base import Publisher
from publishers.social.registry import publisher_for
from publishers.social.target import Photo, TargetContent, fingerprint

X_CREDENTIALS = {
    "consumer_key": "sim-ck",
    "consumer_secret": "sim-cs-SECRET",
    "access_token": "sim-at",
    "access_token_secret": "sim-ats-SECRET",
}
FB_TOKEN = "sim-page-token-SECRET"
IG_TOKEN = "sim-ig-token-SECRET"
WP_PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"  # an Application Password as WordPress shows it
SITE_URL = "https://dinkes.bekasikota.go.id"
CREDENTIALS = {
    Channel.X: X_CREDENTIALS,
    Channel.FACEBOOK: {"page_access_token": FB_TOKEN},
    Channel.INSTAGRAM: {"access_token": IG_TOKEN},
    Channel.WEBSITE: {"username": "humas-dinkes", "application_password": WP_PASSWORD},
}
PAGE_ID, IG_USER_ID = "sim-pemkotbekasi", "sim-pemkotbekasi-ig"


def jpeg(size: tuple[int, int] = (1080, 1080), colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def png(size: tuple[int, int] = (800, 800)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG")
    return out.getvalue()


class Sim:
    """The simulator's admin API, as a test uses it."""

    def __init__(self, url: str, state: SimState) -> None:
        self.url = url
        self.state = state

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(method, f"{self.url}{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self._json("POST", "/_sim/reset")

    def call_json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._json(method, path, **kwargs)

    def fault(self, **spec: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._json("POST", "/_sim/faults", json=spec)
        return result

    def posts(self) -> dict[str, list[dict[str, Any]]]:
        result: dict[str, list[dict[str, Any]]] = self._json("GET", "/_sim/posts")
        return result

    def meter(self) -> dict[str, Any]:
        result: dict[str, Any] = self._json("GET", "/_sim/meter")
        return result

    def calls(self, platform: str | None = None, method: str | None = None, path: str = "") -> int:
        params = {
            k: v for k, v in {"platform": platform, "method": method, "path": path}.items() if v
        }
        return int(self._json("GET", "/_sim/requests", params=params)["count"])

    def clear_calls(self) -> None:
        self._json("DELETE", "/_sim/requests")

    def advance(self, seconds: float) -> None:
        self._json("POST", "/_sim/clock", json={"advance": seconds})

    def configure(self, **values: Any) -> None:
        self._json("POST", "/_sim/config", json=values)

    def seed(
        self, platform: str, count: int, owner: str = "seed", age_hours: float = 0
    ) -> list[str]:
        body = {"platform": platform, "count": count, "owner": owner, "age_hours": age_hours}
        ids: list[str] = self._json("POST", "/_sim/seed", json=body)["ids"]
        return ids


class MediaHost:
    """Stands in for the feed app's `/media/{sha256}.{ext}` (and /healthz)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.url = ""

        async def media(request: Request) -> Response:
            data = self.files.get(request.path_params["name"])
            if data is None:
                return Response(b"not found", 404)
            kind = "image/png" if request.path_params["name"].endswith(".png") else "image/jpeg"
            return Response(data, media_type=kind)

        async def healthz(request: Request) -> Response:
            return Response(b"ok")

        self.app = Starlette(routes=[Route("/media/{name}", media), Route("/healthz", healthz)])

    def photo(self, data: bytes, alt: str = "Foto kegiatan", *, serve: bool = True) -> Photo:
        with Image.open(io.BytesIO(data)) as image:
            width, height, kind = image.width, image.height, image.format
        mime = "image/png" if kind == "PNG" else "image/jpeg"
        sha = hashlib.sha256(data).hexdigest()
        photo = Photo(sha, mime, width, height, alt, len(data), data=data)
        if serve:
            self.files[photo.filename] = data
        return replace(photo, public_url=f"{self.url}/media/{photo.filename}")


@pytest.fixture(scope="session")
def sim_server() -> Iterator[tuple[BackgroundServer, SimState]]:
    state = SimState()
    with BackgroundServer(create_app(state)) as server:
        yield server, state


@pytest.fixture(scope="session")
def media_host() -> Iterator[MediaHost]:
    host = MediaHost()
    with BackgroundServer(host.app) as server:
        host.url = server.url
        yield host


@pytest.fixture
def sim(sim_server: tuple[BackgroundServer, SimState]) -> Sim:
    server, state = sim_server
    helper = Sim(server.url, state)
    helper.reset()
    return helper


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def settings(
    tmp_path: Path, sim_server: tuple[BackgroundServer, SimState], media_host: MediaHost
) -> Settings:
    return make_settings(tmp_path, sim_server[0].port, media_host.url)


def make_settings(tmp_path: Path, port: int, media_url: str, **publishers: Any) -> Settings:
    section = {"ig_poll_interval": 0.02, "ig_poll_timeout": 5, "read_timeout": 10}
    return Settings(
        data_dir=tmp_path,
        host="127.0.0.1",
        simulator_port=port,
        public_base_url=media_url,
        extra={"publishers": section | publishers},
    )


def account(channel: Channel, *, simulator: bool = True) -> Account:
    return Account(
        kind=channel,
        handle="@humaskotabekasi" if channel is Channel.X else "pemkotbekasi",
        display_name="Pemkot Bekasi",
        settings={"page_id": PAGE_ID, "ig_user_id": IG_USER_ID, "site_url": SITE_URL},
        is_simulator=simulator,
    )


PublisherFactory = Callable[..., Publisher]


@pytest.fixture
def make_publisher(settings: Settings) -> Iterator[PublisherFactory]:
    """A publisher for a simulator account; keyword arguments override [publishers] settings."""
    made: list[Publisher] = []

    def make(channel: Channel, **overrides: Any) -> Publisher:
        chosen = settings
        if overrides:
            section = dict(settings.section("publishers")) | overrides
            chosen = replace(settings, extra={"publishers": section})
        publisher = publisher_for(account(channel), CREDENTIALS[channel], chosen)
        made.append(publisher)
        return publisher

    yield make
    for publisher in made:
        publisher.close()


def target(
    channel: Channel,
    text: str,
    photos: tuple[Photo, ...] = (),
    link: str = "",
    post_id: int = 1,
    **more: Any,
) -> TargetContent:
    return TargetContent(
        post_id=post_id,
        target_id=post_id * 10,
        channel=channel,
        text=text,
        link=link,
        photos=photos,
        marker=fingerprint(text),
        account_handle="@humaskotabekasi",
        **more,
    )
