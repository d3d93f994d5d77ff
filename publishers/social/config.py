"""The `[publishers]` section of the settings file, with defaults that reach the real platforms.

    [publishers]
    x_base_url = "https://api.x.com"          # or a company proxy
    graph_base_url = "https://graph.facebook.com"
    graph_version = "v25.0"
    media_base_url = "https://siaran.bekasikota.go.id"   # default: public_base_url
    connect_timeout = 5
    read_timeout = 30
    ig_poll_interval = 2
    ig_poll_timeout = 120
    expiring_days = 7

Accounts marked `is_simulator` ignore the base URLs and talk to the bundled simulator. A website
account's base URL is its own `site_url` setting (`website_base_url` is set for the simulator).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from content.infra.config import Settings
from publishers.social.transport import Timeouts

X_DEFAULT = "https://api.x.com"
GRAPH_DEFAULT = "https://graph.facebook.com"
GRAPH_VERSION = "v25.0"
_VERSION = re.compile(r"^v\d+\.\d+$")


@dataclass(frozen=True)
class PublisherSettings:
    x_base_url: str = X_DEFAULT
    graph_base_url: str = GRAPH_DEFAULT
    graph_version: str = GRAPH_VERSION
    media_base_url: str = ""
    website_base_url: str = ""  # "" = each website account's own site_url
    timeouts: Timeouts = field(default_factory=Timeouts)
    ig_poll_interval: float = 2.0
    ig_poll_timeout: float = 120.0
    expiring_days: int = 7

    @classmethod
    def from_settings(cls, settings: Settings) -> PublisherSettings:
        section: dict[str, Any] = dict(settings.section("publishers"))
        version = str(section.get("graph_version", GRAPH_VERSION)).strip()
        if not version.startswith("v"):
            version = f"v{version}"
        if not _VERSION.match(version):
            raise ValueError(f"[publishers] graph_version '{version}' is not like v25.0")
        return cls(
            x_base_url=str(section.get("x_base_url", X_DEFAULT)).rstrip("/"),
            graph_base_url=str(section.get("graph_base_url", GRAPH_DEFAULT)).rstrip("/"),
            graph_version=version,
            media_base_url=str(
                section.get("media_base_url") or settings.public_base_url or ""
            ).rstrip("/"),
            timeouts=Timeouts(
                connect=float(section.get("connect_timeout", 5.0)),
                read=float(section.get("read_timeout", 30.0)),
            ),
            ig_poll_interval=float(section.get("ig_poll_interval", 2.0)),
            ig_poll_timeout=float(section.get("ig_poll_timeout", 120.0)),
            expiring_days=int(section.get("expiring_days", 7)),
        )

    def for_simulator(self, settings: Settings) -> PublisherSettings:
        """Every platform answered by the simulator at http://127.0.0.1:{simulator_port}."""
        base = simulator_base_url(settings)
        # Training mode needs no public host: the simulator fetches photos from the local feed.
        media = self.media_base_url or local_base_url(settings, settings.feed_port)
        return replace(
            self, x_base_url=base, graph_base_url=base, website_base_url=base, media_base_url=media
        )


# The simulator is a training tool with an unauthenticated admin API: it listens on loopback
# only, whatever SIARAN_HOST opens to the network for the feed.
SIMULATOR_HOST = "127.0.0.1"


def simulator_base_url(settings: Settings) -> str:
    return f"http://{SIMULATOR_HOST}:{settings.simulator_port}"


def local_base_url(settings: Settings, port: int) -> str:
    """How this machine reaches a part of Siaran that listens on SIARAN_HOST at `port`."""
    host = settings.host
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - a bind-all address is reached on loopback
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"
