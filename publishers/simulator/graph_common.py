"""Pieces of the Graph API simulation shared by the Pages and Instagram handlers: error
bodies, field expansion, insights (rejecting the metrics Meta retired), id ranges."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from publishers.simulator.calls import Answer, Call, graph_time
from publishers.simulator.engagement import curve
from publishers.simulator.faults import graph_error
from publishers.simulator.state import IgMedia, SimState

PHOTO_ID_BASE = 122_000_000_000_000_000
IG_ID_BASE = 17_900_000_000_000_000
FB_METRICS = {
    "post_media_view": ("views", "Media views"),
    "post_total_media_view_unique": ("reach", "Media viewers"),
    "post_clicks": ("comments", "Post clicks"),
}
IG_METRICS = {
    "views": "views",
    "reach": "reach",
    "likes": "likes",
    "comments": "comments",
    "saved": "saves",
    "shares": "shares",
    "total_interactions": "",
}
RETIRED = re.compile(r"^(post_impressions.*|impressions|page_fans.*|plays|video_views)$")


def error(code: int, message: str, subcode: int | None = None, status: int = 400) -> Answer:
    return status, graph_error(code, message, subcode=subcode), {}


def missing(object_id: str) -> Answer:
    message = (
        f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation."
    )
    return error(100, message, subcode=33)


def split_fields(spec: str) -> list[str]:
    """Top-level comma split that leaves `insights.metric(a,b)` whole."""
    items, depth, current = [], 0, ""
    for char in spec:
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        if char == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        items.append(current.strip())
    return items


def parse_field(item: str) -> tuple[str, dict[str, str]]:
    """`reactions.summary(total_count).limit(0)` -> ("reactions", {"summary": ..., ...})."""
    name, _, rest = item.partition(".")
    modifiers = dict(re.findall(r"(\w+)\(([^)]*)\)", rest))
    return name.split("{")[0], modifiers


def insights_body(
    object_id: str, metrics: list[str], values: Mapping[str, int]
) -> Answer | dict[str, Any]:
    """The insights edge body, or an error answer for an unknown or retired metric."""
    known = FB_METRICS if any(m.startswith("post_") for m in metrics) else IG_METRICS
    rows = []
    for metric in metrics:
        if RETIRED.match(metric) or metric not in known:
            return error(100, f"(#100) The value must be a valid insights metric: {metric}")
        source = known[metric]
        key = source[0] if isinstance(source, tuple) else source
        if metric == "total_interactions":
            value = sum(values[k] for k in ("likes", "comments", "saves", "shares"))
        else:
            value = values[key]
        title = source[1] if isinstance(source, tuple) else metric.replace("_", " ").title()
        rows.append(
            {
                "name": metric,
                "period": "lifetime",
                "values": [{"value": value}],
                "title": title,
                "description": f"Lifetime: {title}",
                "id": f"{object_id}/insights/{metric}/lifetime",
            }
        )
    return {"data": rows}


def paging(call: Call, after: str | None) -> dict[str, Any]:
    """Graph's cursor paging block: `next` (a full URL) only while there is another page."""
    block: dict[str, Any] = {"cursors": {"before": "MA", "after": after or "MA"}}
    if after:
        query = {k: v for k, v in call.params.items() if k != "access_token"} | {"after": after}
        block["next"] = f"{call.base_url}{call.path}?{urlencode(query)}"
    return block


def metric_list(raw: str) -> list[str]:
    return [m.strip() for m in raw.split(",") if m.strip()]


def ig_node(state: SimState, media: IgMedia, fields: str) -> Answer:
    values = curve(media.id, state.now() - media.created_at)
    available = {
        "id": media.id,
        "caption": media.caption,
        "timestamp": graph_time(media.created_at),
        "permalink": media.permalink,
        "media_type": media.media_type,
        "shortcode": media.shortcode,
        "like_count": values["likes"],
        "comments_count": values["comments"],
    }
    wanted = split_fields(fields or "id")
    return 200, {k: available[k] for k in wanted if k in available}, {}
