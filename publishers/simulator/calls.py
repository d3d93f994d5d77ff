"""A platform call as the handlers see it, independent of HTTP (Graph batches reuse it)."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# (status, JSON body, extra headers)
Answer = tuple[int, Any, dict[str, str]]

GRAPH_WORDS = frozenset(
    {
        "feed",
        "photos",
        "posts",
        "published_posts",
        "insights",
        "media",
        "media_publish",
        "content_publishing_limit",
        "debug_token",
        "comments",
        "replies",
    }
)
X_WORDS = frozenset({"2", "tweets", "users", "me", "media", "upload", "metadata", "mentions"})
_VERSION = re.compile(r"^v\d+\.\d+$")


@dataclass
class Upload:
    filename: str
    data: bytes
    content_type: str


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)  # query and form fields together
    files: dict[str, Upload] = field(default_factory=dict)
    json: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    base_url: str = ""

    def segments(self) -> list[str]:
        return [s for s in self.path.split("/") if s]


def route_key(platform: str, path: str) -> str:
    """The path with ids replaced, for counting calls by endpoint."""
    parts = []
    for segment in (s for s in path.split("/") if s):
        if platform == "x":
            parts.append(segment if segment in X_WORDS else ":id")
        elif platform == "wp":  # /wp-json/wp/v2/posts/5012 -> /wp-json/wp/v2/posts/{id}
            parts.append("{id}" if segment.isdigit() else segment)
        elif _VERSION.match(segment) or segment in GRAPH_WORDS:
            parts.append(segment)
        else:
            parts.append("{id}")
    return "/" + "/".join(parts)


def graph_time(epoch: float) -> str:
    """Graph's timestamp format: 2026-11-24T02:00:00+0000."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def x_time(epoch: float) -> str:
    """X's: 2026-11-24T02:00:00.000Z."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_time(value: str | None) -> float | None:
    """Unix seconds or ISO 8601 (X start_time, Graph since/until)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def page_of(rows: list[Any], cursor: str | None, limit: int) -> tuple[list[Any], str | None]:
    """One page of `rows` (newest first) from an opaque cursor, and the next page's cursor (None
    on the last page). The cursor is the offset in base64, as opaque as the platforms' own."""
    try:
        start = int(base64.urlsafe_b64decode(cursor.encode()).decode()) if cursor else 0
    except ValueError:
        start = 0
    end = start + max(1, limit)
    following = base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(rows) else None
    return rows[start:end], following
