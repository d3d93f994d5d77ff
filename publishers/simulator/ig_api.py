"""The Instagram part of the Graph API: containers whose image is fetched over HTTP like Meta
does (ERROR when unreachable, not JPEG or outside 4:5-1.91:1), media_publish with the daily
quota, the media list and content_publishing_limit."""

from __future__ import annotations

import asyncio
import io
import re
import secrets

import requests
from PIL import Image, UnidentifiedImageError

from publishers.simulator.calls import Answer, Call, page_of
from publishers.simulator.graph_common import IG_ID_BASE, error, ig_node, missing, paging
from publishers.simulator.state import DAY, IgContainer, IgMedia, SimState
from publishers.social.transport import is_loopback_url, origin_of

IG_RATIO = (4 / 5, 1.91)


def _check_image(data: bytes) -> str | None:
    """Why Meta would refuse these bytes, or None."""
    if not data.startswith(b"\xff\xd8\xff"):
        return "Error: Only JPEG images are supported. (2207026)"
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError):
        return "Error: The image could not be read. (2207026)"
    ratio = width / height
    if not IG_RATIO[0] <= ratio <= IG_RATIO[1]:
        return (
            f"Error: The submitted image with aspect ratio ('{width}/{height}') cannot be "
            "published. Please submit an image with a valid aspect ratio. (2207009)"
        )
    return None


def may_fetch(url: str, origins: frozenset[str] | None) -> bool:
    """Whether the simulator may fetch `url`: only from the configured feed/media origin (or,
    without one, from loopback), so it cannot be made to probe other hosts and ports."""
    if origins is None:
        return is_loopback_url(url)
    return origin_of(url) in origins


def fetch_image(url: str, timeout: float, origins: frozenset[str] | None = None) -> str | None:
    """Fetch `image_url` as Meta's crawler does; None when it would be accepted."""
    if not may_fetch(url, origins):
        return "Error: Media download has failed. The image URL is not allowed. (2207052)"
    with requests.Session() as session:
        session.trust_env = not is_loopback_url(url)
        try:
            # A redirect could lead anywhere: it is a failed download, not a second fetch.
            response = session.get(url, timeout=(5, timeout), allow_redirects=False)
        except requests.RequestException as exc:
            return f"Error: Media download has failed. {type(exc).__name__} (2207052)"
    if response.status_code != 200:
        return f"Error: Media download has failed. HTTP {response.status_code} (2207052)"
    return _check_image(response.content)


async def _process(state: SimState, container_id: str) -> None:
    await asyncio.sleep(state.config.ig_processing_seconds)
    with state.lock:
        container = state.ig_containers[container_id]
        url, timeout = container.image_url, state.config.ig_fetch_timeout
    problem = await asyncio.to_thread(fetch_image, url, timeout, state.image_origins)
    with state.lock:
        container.status_code = "ERROR" if problem else "FINISHED"
        container.status = problem or "Finished: Media has been uploaded and it is ready."


_TASKS: set[asyncio.Task[None]] = set()


def _start_processing(state: SimState, container_id: str) -> None:
    task = asyncio.get_running_loop().create_task(_process(state, container_id))
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


def create_container(state: SimState, call: Call, ig_user_id: str) -> Answer:
    params = call.params
    caption = params.get("caption", "")
    if len(caption) > 2200:
        return error(100, "(#100) The caption must be at most 2,200 characters.", 2207028)
    if len(re.findall(r"(?<!\w)#\w+", caption)) > 30:
        return error(100, "(#100) The caption must have at most 30 hashtags.", 2207028)
    media_type = params.get("media_type", "IMAGE").upper()
    with state.lock:
        container_id = state.next_id(IG_ID_BASE)
        container = IgContainer(
            container_id,
            ig_user_id,
            state.now(),
            media_type="CAROUSEL" if media_type == "CAROUSEL" else "IMAGE",
            image_url=params.get("image_url", ""),
            caption=caption,
            alt_text=params.get("alt_text", ""),
            is_carousel_item=params.get("is_carousel_item", "").lower() == "true",
        )
        if container.media_type == "CAROUSEL":
            children = [c for c in params.get("children", "").split(",") if c]
            if not 2 <= len(children) <= 10:
                return error(100, "(#100) A carousel needs 2 to 10 children.")
            states = [state.ig_containers.get(c) for c in children]
            if any(c is None or c.ig_user_id != ig_user_id for c in states):
                return error(100, "(#100) Invalid children.", 2207006)
            container.children = children
            ready = all(c is not None and c.status_code == "FINISHED" for c in states)
            container.status_code = "FINISHED" if ready else "ERROR"
            container.status = "Finished" if ready else "Error: children not ready (2207006)"
        elif not container.image_url:
            return error(100, "(#100) The parameter image_url is required.")
        state.ig_containers[container_id] = container
    if container.media_type == "IMAGE":
        _start_processing(state, container_id)
    return 200, {"id": container_id}, {}


def _published_last_day(state: SimState, ig_user_id: str) -> int:
    now = state.now()
    return sum(
        1
        for m in state.ig_media.values()
        if m.ig_user_id == ig_user_id and now - m.created_at < DAY
    )


def publish_container(state: SimState, call: Call, ig_user_id: str) -> Answer:
    creation_id = call.params.get("creation_id", "")
    with state.lock:
        container = state.ig_containers.get(creation_id)
        if container is None or container.ig_user_id != ig_user_id or container.is_carousel_item:
            return missing(creation_id)
        if container.status_code == "PUBLISHED":
            return error(9007, "The media has already been published.", 2207001)
        if container.status_code != "FINISHED":
            return error(9007, "Media ID is not available", 2207027)
        if _published_last_day(state, ig_user_id) >= state.config.ig_quota_total:
            return error(9, "You reached maximum number of posts allowed.", 2207042)
        media_id = state.next_id(IG_ID_BASE)
        children = [state.ig_containers[c] for c in container.children]
        state.ig_media[media_id] = IgMedia(
            media_id,
            ig_user_id,
            container.caption,
            state.now(),
            "CAROUSEL_ALBUM" if children else "IMAGE",
            secrets.token_urlsafe(8),
            container.children,
            [c.alt_text for c in children] or [container.alt_text],
        )
        container.status_code, container.status = "PUBLISHED", "Published"
    state.save()
    return 200, {"id": media_id}, {}


def list_media(state: SimState, call: Call, ig_user_id: str) -> Answer:
    limit = min(int(call.params.get("limit", "25") or 25), 100)
    fields = call.params.get("fields", "id")
    with state.lock:
        every = sorted(
            (m for m in state.ig_media.values() if m.ig_user_id == ig_user_id),
            key=lambda m: (m.created_at, m.id),
            reverse=True,
        )
        media, after = page_of(every, call.params.get("after"), limit)
        rows = [ig_node(state, m, fields)[1] for m in media]
    return 200, {"data": rows, "paging": paging(call, after)}, {}


def publishing_limit(state: SimState, call: Call, ig_user_id: str) -> Answer:
    with state.lock:
        usage = _published_last_day(state, ig_user_id)
        total = state.config.ig_quota_total
    row = {"quota_usage": usage, "config": {"quota_total": total, "quota_duration": 86400}}
    return 200, {"data": [row]}, {}
