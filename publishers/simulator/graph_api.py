"""The Graph API dispatcher and its Pages part: feed and photo posts, the post list, nodes
with field expansion (reactions/comments/shares/insights), insights, debug_token and batch
requests (at most 50). Instagram's edges live in ig_api."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from PIL import Image, UnidentifiedImageError

from publishers.simulator import comments_api, ig_api
from publishers.simulator.calls import Answer, Call, graph_time, page_of, parse_time
from publishers.simulator.engagement import curve
from publishers.simulator.faults import graph_error
from publishers.simulator.graph_common import (
    IG_ID_BASE,
    PHOTO_ID_BASE,
    error,
    ig_node,
    insights_body,
    metric_list,
    missing,
    paging,
    parse_field,
    split_fields,
)
from publishers.simulator.state import DAY, FbPhoto, FbPost, IgMedia, SimState

BATCH_LIMIT = 50
_VERSION = re.compile(r"^v\d+\.\d+$")


def _post_node(state: SimState, post: FbPost, fields: str) -> Answer:
    values = curve(post.id, state.now() - post.created_at)
    node: dict[str, Any] = {}
    for item in split_fields(fields or "id,message,created_time"):
        name, modifiers = parse_field(item)
        if name == "id":
            node["id"] = post.id
        elif name == "message" and post.message:
            node["message"] = post.message
        elif name == "created_time":
            node["created_time"] = graph_time(post.created_at)
        elif name == "permalink_url":
            node["permalink_url"] = f"https://www.facebook.com/{post.id}"
        elif name in {"reactions", "likes", "comments"}:
            total = values["comments" if name == "comments" else "likes"]
            edge: dict[str, Any] = {"data": []}
            if "summary" in modifiers:
                edge["summary"] = {"total_count": total}
                if name == "comments":
                    edge["summary"] |= {"order": "ranked", "can_comment": True}
            node[name] = edge
        elif name == "shares" and values["shares"]:
            node["shares"] = {"count": values["shares"]}  # absent while there are none
        elif name == "insights":
            body = insights_body(post.id, metric_list(modifiers.get("metric", "")), values)
            if isinstance(body, tuple):
                return body
            node["insights"] = body
    node.setdefault("id", post.id)
    return 200, node, {}


def _account_node(state: SimState, object_id: str, fields: str) -> Answer:
    """A Page or an Instagram account; a `followers_count` answered is counted in the meter
    (free on Meta, counted all the same)."""
    name = object_id.removeprefix("sim-").replace("-", " ").title() or object_id
    available: dict[str, Any] = {
        "id": object_id,
        "name": name,
        "username": object_id.removeprefix("sim-"),
    }
    wanted = split_fields(fields or "id,name")
    if "followers_count" in wanted:
        state.meter.followers_read("graph")  # a Page and an IG account answer alike
        available["followers_count"] = state.followers_of(object_id)
    return 200, {k: available[k] for k in wanted if k in available}, {}


def get_node(state: SimState, call: Call, object_id: str) -> Answer:
    fields = call.params.get("fields", "")
    with state.lock:
        if object_id in state.fb_posts:
            return _post_node(state, state.fb_posts[object_id], fields)
        if object_id in state.fb_photos:
            photo = state.fb_photos[object_id]
            node = {"id": photo.id, "created_time": graph_time(photo.created_at)}
            if photo.post_id:
                node["page_story_id"] = photo.post_id
            return 200, node | {"alt_text_custom": photo.alt_text}, {}
        if object_id in state.ig_media:
            return ig_node(state, state.ig_media[object_id], fields)
        if object_id in state.ig_containers:
            container = state.ig_containers[object_id]
            node = {"status_code": container.status_code, "status": container.status}
            return 200, node | {"id": container.id}, {}
    if _generated(object_id):
        return missing(object_id)  # an id of ours that was deleted or never made
    with state.lock:
        return _account_node(state, object_id, fields)


def delete_node(state: SimState, call: Call, object_id: str) -> Answer:
    """`DELETE /{post-id}`: a Page post (and the photos it showed) goes; anything else is
    answered as Meta answers what it cannot delete (Instagram media among them)."""
    with state.lock:
        post = state.fb_posts.pop(object_id, None)
        if post is not None:
            for photo_id in post.photo_ids:
                state.fb_photos.pop(photo_id, None)
    if post is None:
        message = (
            f"Unsupported delete request. Object with ID '{object_id}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation."
        )
        return error(100, message, subcode=33)
    state.save()
    return 200, {"success": True}, {}


def _generated(object_id: str) -> bool:
    """Ids this simulator hands out; anything else is taken for a page or an IG user."""
    if "_" in object_id:
        return True
    for base in (PHOTO_ID_BASE, IG_ID_BASE):
        prefix = str(base)[:3]
        if (
            object_id.isdigit()
            and len(object_id) == len(str(base))
            and object_id.startswith(prefix)
        ):
            return True
    return False


def list_posts(state: SimState, call: Call, page_id: str) -> Answer:
    since, until = parse_time(call.params.get("since")), parse_time(call.params.get("until"))
    limit = min(int(call.params.get("limit", "25") or 25), 100)
    fields = call.params.get("fields", "id,message,created_time")
    with state.lock:
        every = sorted(
            (
                p
                for p in state.fb_posts.values()
                if p.page_id == page_id
                and (since is None or p.created_at >= since)
                and (until is None or p.created_at <= until)
            ),
            key=lambda p: (p.created_at, p.id),
            reverse=True,
        )
        posts, after = page_of(every, call.params.get("after"), limit)
        rows = [_post_node(state, p, fields)[1] for p in posts]
    return 200, {"data": rows, "paging": paging(call, after)}, {}


def create_feed_post(state: SimState, call: Call, page_id: str) -> Answer:
    message = call.params.get("message", "")
    link = call.params.get("link", "")
    attached = []
    for key, value in sorted(call.params.items()):
        if key.startswith("attached_media["):
            try:
                attached.append(str(json.loads(value)["media_fbid"]))
            except (ValueError, KeyError, TypeError):
                return error(100, f"(#100) param {key} must be a JSON object with media_fbid")
    if not (message or link or attached):
        return error(100, "(#100) Missing message or attachment")
    with state.lock:
        for photo_id in attached:
            photo = state.fb_photos.get(photo_id)
            if photo is None or photo.page_id != page_id or photo.post_id:
                return error(100, f"(#100) Invalid media_fbid {photo_id}")
        mine = [p for p in state.fb_posts.values() if p.page_id == page_id]
        last = max(mine, key=lambda p: p.created_at, default=None)
        refuse = message and not state.config.graph_accepts_duplicates
        if refuse and last and last.message == message and state.now() - last.created_at < DAY:
            return (
                400,
                graph_error(
                    506,
                    "Duplicate status message",
                    subcode=1455006,
                    user_title="Duplicate Status Update",
                    user_msg="This status update is identical to the last one you posted.",
                ),
                {},
            )
        post_id = f"{page_id}_{state.next_id(PHOTO_ID_BASE)}"
        state.fb_posts[post_id] = FbPost(post_id, page_id, message, state.now(), link, attached)
        for photo_id in attached:
            state.fb_photos[photo_id].post_id = post_id
    state.save()
    return 200, {"id": post_id}, {}


def create_photo(state: SimState, call: Call, page_id: str) -> Answer:
    upload = call.files.get("source")
    if upload is None:
        return error(324, "(#324) Requires upload file")
    try:
        with Image.open(io.BytesIO(upload.data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError):
        return error(324, "(#324) Missing or invalid image file")
    published = call.params.get("published", "true").lower() != "false"
    message = call.params.get("message") or call.params.get("caption") or ""
    with state.lock:
        photo_id = state.next_id(PHOTO_ID_BASE)
        photo = FbPhoto(
            photo_id,
            page_id,
            published,
            state.now(),
            message,
            call.params.get("alt_text_custom", ""),
            size=len(upload.data),
        )
        state.fb_photos[photo_id] = photo
        body: dict[str, Any] = {"id": photo_id}
        if published:
            post_id = f"{page_id}_{state.next_id(PHOTO_ID_BASE)}"
            state.fb_posts[post_id] = FbPost(post_id, page_id, message, state.now(), "", [photo_id])
            photo.post_id = post_id
            body["post_id"] = post_id
    state.save()
    return 200, body, {}


def insights(state: SimState, call: Call, object_id: str) -> Answer:
    metrics = metric_list(call.params.get("metric", ""))
    if not metrics:
        return error(100, "(#100) The parameter metric is required")
    with state.lock:
        node: FbPost | IgMedia | None = state.fb_posts.get(object_id) or state.ig_media.get(
            object_id
        )
        if node is None:
            return missing(object_id)
        values = curve(node.id, state.now() - node.created_at)
    body = insights_body(object_id, metrics, values)
    return body if isinstance(body, tuple) else (200, body, {})


def debug_token(state: SimState, call: Call) -> Answer:
    now = int(state.now())
    expires_in = state.config.token_expires_in
    data = {
        "app_id": "100000000000001",
        "type": "PAGE",
        "application": "Siaran (simulator)",
        "data_access_expires_at": now + 90 * 86400,
        "expires_at": now + expires_in if expires_in else 0,
        "is_valid": True,
        "issued_at": now - 3600,
        "scopes": list(state.config.token_scopes),
        "user_id": "100000000000002",
    }
    if not call.params.get("input_token"):
        return error(100, "(#100) The parameter input_token is required")
    return 200, {"data": data}, {}


# --- dispatch -----------------------------------------------------------------------------------


def token_of(call: Call) -> str | None:
    header = call.headers.get("authorization", "")
    if header.lower().startswith(("bearer ", "oauth ")):
        return header.split(" ", 1)[1].strip() or None
    return call.params.get("access_token") or None


EDGES: dict[tuple[str, str], Callable[[SimState, Call, str], Answer]] = {
    ("POST", "feed"): create_feed_post,
    ("POST", "photos"): create_photo,
    ("POST", "media"): ig_api.create_container,
    ("POST", "media_publish"): ig_api.publish_container,
    ("GET", "posts"): list_posts,
    ("GET", "feed"): list_posts,
    ("GET", "published_posts"): list_posts,
    ("GET", "media"): ig_api.list_media,
    ("GET", "insights"): insights,
    ("GET", "content_publishing_limit"): ig_api.publishing_limit,
    ("GET", "comments"): comments_api.list_comments,
    ("GET", "replies"): comments_api.list_replies,
    ("POST", "comments"): comments_api.reply,
    ("POST", "replies"): comments_api.reply,
}


def dispatch(state: SimState, call: Call) -> Answer:
    parts = call.segments()
    if parts and _VERSION.match(parts[0]):
        parts = parts[1:]
    if not parts and call.method == "POST" and "batch" in call.params:
        return batch(state, call)
    if token_of(call) is None:
        return error(104, "An access token is required to request this resource.")
    return _route(state, call, parts)


def _route(state: SimState, call: Call, parts: list[str]) -> Answer:
    if parts == ["debug_token"] and call.method == "GET":
        return debug_token(state, call)
    if len(parts) == 1 and call.method == "GET":
        return get_node(state, call, parts[0])
    if len(parts) == 1 and call.method == "DELETE":
        return delete_node(state, call, parts[0])
    if len(parts) == 1 and call.method == "POST":
        return comments_api.update(state, call, parts[0])
    edge = EDGES.get((call.method, parts[1])) if len(parts) == 2 else None
    if edge is not None:
        return edge(state, call, parts[0])
    return error(2500, f"Unknown path components: /{'/'.join(parts)}")


def batch(state: SimState, call: Call) -> Answer:
    try:
        requests_ = json.loads(call.params["batch"])
    except ValueError:
        return error(100, "(#100) The parameter batch must be a JSON array")
    if not isinstance(requests_, list):
        return error(100, "(#100) The parameter batch must be a JSON array")
    if len(requests_) > BATCH_LIMIT:
        return error(1, f"Batch requests are limited to {BATCH_LIMIT} requests per batch")
    include_headers = call.params.get("include_headers", "true").lower() != "false"
    answers: list[dict[str, Any] | None] = []
    for item in requests_:
        if not isinstance(item, Mapping) or "relative_url" not in item:
            answers.append(None)
            continue
        split = urlsplit(str(item["relative_url"]))
        params = dict(parse_qsl(split.query)) | dict(parse_qsl(str(item.get("body", ""))))
        if "access_token" not in params and call.params.get("access_token"):
            params["access_token"] = call.params["access_token"]
        sub = Call(
            method=str(item.get("method", "GET")).upper(),
            path="/" + split.path.lstrip("/"),
            params=params,
            headers=call.headers,
            base_url=call.base_url,
        )
        status, body, headers = dispatch(state, sub)
        answer: dict[str, Any] = {"code": status, "body": json.dumps(body)}
        if include_headers:
            answer["headers"] = [{"name": k, "value": v} for k, v in headers.items()] + [
                {"name": "Content-Type", "value": "application/json; charset=UTF-8"}
            ]
        answers.append(answer)
    return 200, answers, {}
