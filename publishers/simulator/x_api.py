"""The X API v2 subset: posts, lookups with public_metrics, the user timeline, users/me, and the
v2 media upload with alt text. Shapes follow the recorded responses in shared/fixtures/x-api."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Callable, Mapping
from typing import Any

from PIL import Image, UnidentifiedImageError
from twitter_text import extract_urls, parse_tweet

from content.costs.operations import Operation, post_operation
from publishers.simulator.calls import Answer, Call, page_of, parse_time, x_time
from publishers.simulator.engagement import curve
from publishers.simulator.faults import X_DUPLICATE, x_problem
from publishers.simulator.state import DAY, SimState, XMedia, XPost

TWEET_ID_BASE = 1_990_000_000_000_000_000
MEDIA_ID_BASE = 1_980_000_000_000_000_000
_TOKEN = re.compile(r'oauth_token="([^"]+)"')
INVALID = "https://api.twitter.com/2/problems/invalid-request"
NOT_FOUND = "https://api.twitter.com/2/problems/resource-not-found"


def _invalid(message: str, parameter: str) -> Answer:
    body = {
        "errors": [{"parameters": {parameter: []}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": INVALID,
    }
    return 400, body, {}


def user_of(call: Call) -> str | None:
    """The user an OAuth 1.0a header speaks for (any well-formed header is accepted)."""
    header = call.headers.get("authorization", "")
    if not header.startswith("OAuth ") or "oauth_signature=" not in header:
        return None
    found = _TOKEN.search(header)
    if not found:
        return None
    return str(int(hashlib.sha256(found.group(1).encode()).hexdigest()[:15], 16))


def _tco(url: str, salt: str) -> str:
    return "https://t.co/" + hashlib.sha256(f"{salt}{url}".encode()).hexdigest()[:10]


def public_metrics(post: XPost, now: float) -> dict[str, int]:
    counts = curve(post.id, now - post.created_at)
    return {
        "retweet_count": counts["shares"],
        "reply_count": counts["comments"],
        "like_count": counts["likes"],
        "quote_count": counts["quotes"],
        "bookmark_count": counts["saves"],
        "impression_count": counts["views"],
    }


def _tweet(post: XPost, fields: set[str], now: float) -> dict[str, Any]:
    body: dict[str, Any] = {"edit_history_tweet_ids": [post.id], "id": post.id, "text": post.text}
    if "public_metrics" in fields:
        body["public_metrics"] = public_metrics(post, now)
    if "created_at" in fields:
        body["created_at"] = x_time(post.created_at)
    if "author_id" in fields:
        body["author_id"] = post.author_id
    if post.in_reply_to and "referenced_tweets" in fields:
        body["referenced_tweets"] = [{"type": "replied_to", "id": post.in_reply_to}]
    return body


def _fields(call: Call) -> set[str]:
    return {f.strip() for f in call.params.get("tweet.fields", "").split(",") if f.strip()}


def create_post(state: SimState, call: Call, user: str) -> Answer:
    body = call.json if isinstance(call.json, Mapping) else {}
    text = str(body.get("text") or "")
    media = body.get("media") or {}
    media_ids = [str(m) for m in (media.get("media_ids") or [])] if isinstance(media, dict) else []
    if not text and not media_ids:
        return _invalid("Post text or media is required.", "text")
    if parse_tweet(text).weightedLength > 280:
        return _invalid("Post text is longer than 280 weighted characters.", "text")
    reply = body.get("reply")
    replied_to = str(reply.get("in_reply_to_tweet_id") or "") if isinstance(reply, Mapping) else ""
    with state.lock:
        now = state.now()
        if replied_to:
            refusal = _reply_refusal(state, user, replied_to)
            if refusal is not None:
                return refusal
        for media_id in media_ids:
            if media_id not in state.x_media or state.x_media[media_id].owner != user:
                return _invalid(f"Your media IDs are invalid: {media_id}", "media.media_ids")
        recent = (
            p for p in state.x_posts.values() if p.author_id == user and now - p.created_at < DAY
        )
        if text and any(p.raw_text == text for p in recent):
            return 403, x_problem(403, "Forbidden", X_DUPLICATE), {}
        post_id = state.next_id(TWEET_ID_BASE)
        urls = extract_urls(text)
        shown = text
        for url in sorted(set(urls), key=len, reverse=True):
            shown = shown.replace(url, _tco(url, post_id))
        for media_id in media_ids:
            shown = f"{shown} {_tco(media_id, post_id)}".strip()
        post = XPost(
            post_id,
            shown,
            text,
            user,
            now,
            media_ids,
            has_url=bool(urls),
            in_reply_to=replied_to or None,
        )
        state.x_posts[post_id] = post
        state.meter.charge(post_operation(text))
    state.save()
    headers = {"location": f"{call.base_url}/2/tweets/{post_id}"}
    return 201, {"data": {"id": post_id, "text": shown}}, headers


X_REPLY_NOT_ALLOWED = (
    "Reply to this conversation is not allowed because you have not been mentioned or "
    "otherwise engaged by the author of the post you are replying to."
)


def _reply_refusal(state: SimState, user: str, replied_to: str) -> Answer | None:
    """X's rule since 2026-02-24: a programmatic reply only where the author mentioned (or
    quoted) the replying account, or to one's own posts."""
    target = state.x_posts.get(replied_to)
    if target is None:
        return _invalid(f"The post {replied_to} could not be found.", "reply.in_reply_to_tweet_id")
    if target.author_id == user or user in target.mentions:
        return None
    return 403, x_problem(403, "Forbidden", X_REPLY_NOT_ALLOWED), {}


def _max_results(call: Call) -> int | None:
    """`max_results` when X would accept it (5 to 100, default 10), else None."""
    try:
        limit = int(call.params.get("max_results", "10"))
    except ValueError:
        return None
    return limit if 5 <= limit <= 100 else None


def _owned_page(
    state: SimState, call: Call, every: list[XPost], limit: int
) -> tuple[list[XPost], dict[str, Any]]:
    """One page of the account's own posts or mentions, charged as owned reads, and its meta.
    Called with the state's lock held."""
    posts, next_token = page_of(every, call.params.get("pagination_token"), limit)
    state.meter.per_post(Operation.READ_OWNED, [p.id for p in posts], state.now_dt())
    meta: dict[str, Any] = {"result_count": len(posts)}
    if posts:
        meta |= {"newest_id": posts[0].id, "oldest_id": posts[-1].id}
    if next_token:
        meta["next_token"] = next_token
    return posts, meta


def mentions(state: SimState, call: Call, user: str, user_id: str) -> Answer:
    """`GET /2/users/:id/mentions`: newest first, `since_id`, `expansions=author_id` (the authors
    under includes.users), paged; charged as owned reads per post returned."""
    limit = _max_results(call)
    if limit is None:
        return _invalid("max_results must be between 5 and 100", "max_results")
    since = int(call.params.get("since_id") or 0)
    fields = _fields(call)
    with state.lock:
        now = state.now()
        every = sorted(
            (p for p in state.x_posts.values() if user_id in p.mentions and int(p.id) > since),
            key=lambda p: int(p.id),
            reverse=True,
        )
        posts, meta = _owned_page(state, call, every, limit)
    if not posts:
        return 200, {"meta": meta}, {}
    body: dict[str, Any] = {"data": [_tweet(p, fields, now) for p in posts], "meta": meta}
    if "author_id" in call.params.get("expansions", ""):
        users = {p.author_id: p.author_username or p.author_id for p in posts}
        body["includes"] = {
            "users": [{"id": i, "username": u, "name": u.title()} for i, u in users.items()]
        }
    return 200, body, {}


def lookup(state: SimState, call: Call, ids: list[str]) -> Answer:
    if not ids or len(ids) > 100:
        message = (
            f"The number of values in the `ids` query parameter list [{len(ids)}] "
            "is not between 1 and 100"
        )
        return _invalid(message, "ids")
    fields = _fields(call)
    with state.lock:
        now = state.now()
        found = [state.x_posts[i] for i in ids if i in state.x_posts]
        state.meter.per_post(Operation.READ_POST, [p.id for p in found], state.now_dt())
    body: dict[str, Any] = {}
    if found:
        body["data"] = [_tweet(p, fields, now) for p in found]
    missing = [i for i in ids if i not in state.x_posts]
    if missing:
        body["errors"] = [
            {
                "value": i,
                "detail": f"Could not find tweet with ids: [{i}].",
                "title": "Not Found Error",
                "resource_type": "tweet",
                "parameter": "ids",
                "resource_id": i,
                "type": NOT_FOUND,
            }
            for i in missing
        ]
    return 200, body, {}


TIMELINE_REACH = 3200  # X: a user's timeline reaches their 3,200 most recent posts


def _id_bound(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def timeline(state: SimState, call: Call, user_id: str) -> Answer:
    """GET /2/users/:id/tweets: the account's own posts, newest first, windowed by
    start_time/end_time and since_id/until_id (both exclusive), within the newest 3,200. An
    owned read: metered per post returned at the owned-read price."""
    limit = _max_results(call)
    if limit is None:
        return _invalid("max_results must be between 5 and 100", "max_results")
    start = parse_time(call.params.get("start_time"))
    end = parse_time(call.params.get("end_time"))
    since, until = _id_bound(call.params.get("since_id")), _id_bound(call.params.get("until_id"))
    fields = _fields(call)
    with state.lock:
        now = state.now()
        reachable = sorted(
            (p for p in state.x_posts.values() if p.author_id == user_id),
            key=lambda p: (p.created_at, int(p.id)),
            reverse=True,
        )[:TIMELINE_REACH]
        every = [
            p
            for p in reachable
            if (start is None or p.created_at >= start)
            and (end is None or p.created_at < end)
            and (since is None or int(p.id) > since)
            and (until is None or int(p.id) < until)
        ]
        posts, meta = _owned_page(state, call, every, limit)
    if not posts:
        return 200, {"meta": meta}, {}
    return 200, {"data": [_tweet(p, fields, now) for p in posts], "meta": meta}, {}


def upload(state: SimState, call: Call, user: str) -> Answer:
    if "media" in call.files:
        data, mime = call.files["media"].data, call.files["media"].content_type
    elif isinstance(call.json, Mapping) and call.json.get("media"):
        data = base64.b64decode(str(call.json["media"]))
        mime = str(call.json.get("media_type") or "")
    else:
        return _invalid("media is required", "media")
    category = call.params.get("media_category") or (
        call.json.get("media_category") if isinstance(call.json, Mapping) else None
    )
    if category not in {None, "tweet_image", "dm_image"}:
        return _invalid(f"media_category {category} is not supported here", "media_category")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            kind = (image.format or "").lower()
    except (UnidentifiedImageError, OSError):
        return _invalid("The media type is unrecognized.", "media")
    mime = mime if mime.startswith("image/") else f"image/{kind}"
    with state.lock:
        media_id = state.next_id(MEDIA_ID_BASE)
        state.x_media[media_id] = XMedia(
            media_id, f"3_{media_id}", user, len(data), mime, width, height
        )
    body = {
        "id": media_id,
        "media_key": f"3_{media_id}",
        "size": len(data),
        "expires_after_secs": 86400,
        "image": {"image_type": mime, "w": width, "h": height},
    }
    return 200, {"data": body}, {}


def metadata(state: SimState, call: Call, user: str) -> Answer:
    body = call.json if isinstance(call.json, Mapping) else {}
    media_id = str(body.get("id") or "")
    meta = body.get("metadata") or {}
    alt = meta.get("alt_text", {}).get("text") if isinstance(meta, Mapping) else None
    with state.lock:
        media = state.x_media.get(media_id)
        if media is None or media.owner != user:
            return _invalid(f"media id {media_id} was not found", "id")
        if not isinstance(alt, str) or len(alt) > 1000:
            return _invalid("alt_text.text must be at most 1000 characters", "metadata.alt_text")
        media.alt_text = alt
        state.meter.charge(Operation.MEDIA_METADATA)
    return 200, {"data": {"id": media_id, "associated_metadata": {"alt_text": {"text": alt}}}}, {}


def get_one(state: SimState, call: Call, user: str, post_id: str) -> Answer:
    _, body, headers = lookup(state, call, [post_id])
    data = body.get("data")
    if not data:
        detail = f"Could not find tweet with id: [{post_id}]."
        return 404, x_problem(404, "Not Found Error", detail, NOT_FOUND), {}
    return 200, {"data": data[0]}, headers


def delete(state: SimState, call: Call, user: str, post_id: str) -> Answer:
    """`DELETE /2/tweets/:id`: the author's own post only; a post that is not there is a 404."""
    with state.lock:
        post = state.x_posts.get(post_id)
        if post is None:
            detail = f"Could not find tweet with id: [{post_id}]."
            return 404, x_problem(404, "Not Found Error", detail, NOT_FOUND), {}
        if post.author_id != user:
            detail = "You are not allowed to delete a Tweet you did not create."
            return 403, x_problem(403, "Forbidden", detail), {}
        del state.x_posts[post_id]
        state.meter.charge(Operation.DELETE_POST)
    state.save()
    return 200, {"data": {"deleted": True}}, {}


def me(state: SimState, call: Call, user: str) -> Answer:
    body: dict[str, Any] = {"id": user, "name": "Akun Simulasi", "username": f"sim{user[-6:]}"}
    with state.lock:
        state.meter.charge(Operation.READ_USER)
        if "public_metrics" in call.params.get("user.fields", "").split(","):
            state.meter.followers_read("x")
            body["public_metrics"] = {"followers_count": state.followers_of(user)}
    return 200, {"data": body}, {}


def lookup_many(state: SimState, call: Call, user: str) -> Answer:
    return lookup(state, call, [i for i in call.params.get("ids", "").split(",") if i])


def user_timeline(state: SimState, call: Call, user: str, user_id: str) -> Answer:
    return timeline(state, call, user_id)


Handler = Callable[..., Answer]
ROUTES: tuple[tuple[str, re.Pattern[str], Handler], ...] = (
    ("POST", re.compile(r"^/2/tweets$"), create_post),
    ("GET", re.compile(r"^/2/tweets$"), lookup_many),
    ("GET", re.compile(r"^/2/tweets/(\d+)$"), get_one),
    ("DELETE", re.compile(r"^/2/tweets/(\d+)$"), delete),
    ("GET", re.compile(r"^/2/users/me$"), me),
    ("GET", re.compile(r"^/2/users/(\d+)/tweets$"), user_timeline),
    ("GET", re.compile(r"^/2/users/(\d+)/mentions$"), mentions),
    ("POST", re.compile(r"^/2/media/upload$"), upload),
    ("POST", re.compile(r"^/2/media/metadata$"), metadata),
)


def handle(state: SimState, call: Call) -> Answer:
    user = user_of(call)
    if user is None:
        return 401, x_problem(401, "Unauthorized", "Unauthorized"), {}
    path = call.path.rstrip("/")
    for method, pattern, handler in ROUTES:
        found = pattern.match(path)
        if found and method == call.method:
            return handler(state, call, user, *found.groups())
    detail = "The requested resource could not be found."
    return 404, x_problem(404, "Not Found Error", detail, NOT_FOUND), {}
