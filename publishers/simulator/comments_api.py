"""Comments on Facebook Page posts and Instagram media, as the Graph API serves them:

- `GET /{post-id}/comments` (top-level; `filter=stream` for every comment and reply, each with
  its `parent`), `GET /{comment-id}/comments` (a comment's replies), `order=reverse_chronological`,
  cursor paging, at most 100 a page; hidden comments are shown to the Page with `is_hidden`.
- `GET /{ig-media-id}/comments` and `GET /{ig-comment-id}/replies` (Instagram's shapes: text,
  username, timestamp, hidden).
- `POST /{comment-id}/comments` (Facebook reply, from the Page) and `POST /{ig-comment-id}/replies`.
- `POST /{comment-id}` with `is_hidden=true` (Facebook) or `hide=true` (Instagram, top-level only).

People's comments are made through `/_sim/comments` (admin.py), never through these routes.
"""

from __future__ import annotations

from typing import Any

from publishers.simulator.calls import Answer, Call, graph_time, page_of
from publishers.simulator.graph_common import (
    PHOTO_ID_BASE,
    error,
    missing,
    paging,
    split_fields,
)
from publishers.simulator.state import FbComment, SimState

MAX_LIMIT = 100


def _fb_node(state: SimState, comment: FbComment, fields: list[str]) -> dict[str, Any]:
    node: dict[str, Any] = {"id": comment.id}
    for name in fields:
        base = name.split("{")[0]
        if base == "message":
            node["message"] = comment.message
        elif base == "from":
            node["from"] = {"id": comment.from_id, "name": comment.from_name}
        elif base == "created_time":
            node["created_time"] = graph_time(comment.created_at)
        elif base == "parent" and comment.parent_id:
            node["parent"] = {"id": comment.parent_id}
        elif base == "is_hidden":
            node["is_hidden"] = comment.is_hidden
    return node


def _ig_node(state: SimState, comment: FbComment, fields: list[str]) -> dict[str, Any]:
    node: dict[str, Any] = {"id": comment.id}
    for name in fields:
        base = name.split("{")[0]
        if base == "replies" and comment.parent_id is None:
            inner = split_fields(name[len(base) + 1 : -1]) if "{" in name else ["id"]
            replies = sorted(
                (c for c in state.comments.values() if c.parent_id == comment.id),
                key=lambda c: (c.created_at, c.id),
            )
            node["replies"] = {"data": [_ig_node(state, r, inner) for r in replies]}
        if base == "text":
            node["text"] = comment.message
        elif base == "username":
            node["username"] = comment.from_name
        elif base == "from":
            node["from"] = {"id": comment.from_id, "username": comment.from_name}
        elif base == "timestamp":
            node["timestamp"] = graph_time(comment.created_at)
        elif base == "parent_id" and comment.parent_id:
            node["parent_id"] = comment.parent_id
        elif base == "hidden":
            node["hidden"] = comment.is_hidden
    return node


def _listing(state: SimState, call: Call, rows: list[FbComment], instagram: bool) -> Answer:
    newest_first = call.params.get("order") == "reverse_chronological"
    rows = sorted(rows, key=lambda c: (c.created_at, c.id), reverse=newest_first)
    limit = min(int(call.params.get("limit", "25") or 25), MAX_LIMIT)
    page, after = page_of(rows, call.params.get("after"), limit)
    default = "id,text,timestamp,username" if instagram else "id,message,from,created_time"
    fields = split_fields(call.params.get("fields", default))
    node = _ig_node if instagram else _fb_node
    data = [node(state, c, fields) for c in page]
    return 200, {"data": data, "paging": paging(call, after)}, {}


def list_comments(state: SimState, call: Call, object_id: str) -> Answer:
    with state.lock:
        if object_id in state.fb_posts:
            stream = call.params.get("filter") == "stream"
            rows = [
                c
                for c in state.comments.values()
                if c.object_id == object_id and (stream or c.parent_id is None)
            ]
            return _listing(state, call, rows, instagram=False)
        if object_id in state.ig_media:
            rows = [
                c
                for c in state.comments.values()
                if c.object_id == object_id and c.parent_id is None
            ]
            return _listing(state, call, rows, instagram=True)
        if object_id in state.comments:
            return list_replies(state, call, object_id)
    return missing(object_id)


def list_replies(state: SimState, call: Call, comment_id: str) -> Answer:
    with state.lock:
        parent = state.comments.get(comment_id)
        if parent is None:
            return missing(comment_id)
        rows = [c for c in state.comments.values() if c.parent_id == comment_id]
        return _listing(state, call, rows, instagram=parent.platform == "instagram")


def _owner(state: SimState, comment: FbComment) -> str:
    post = state.fb_posts.get(comment.object_id)
    if post is not None:
        return post.page_id
    media = state.ig_media.get(comment.object_id)
    return media.ig_user_id if media is not None else ""


def reply(state: SimState, call: Call, comment_id: str) -> Answer:
    """The account answers a comment (Facebook `comments` edge, Instagram `replies` edge)."""
    message = call.params.get("message", "").strip()
    if not message:
        return error(100, "(#100) Missing message")
    with state.lock:
        parent = state.comments.get(comment_id)
        if parent is None:
            return missing(comment_id)
        if parent.platform == "instagram" and parent.parent_id is not None:
            return error(100, "(#100) Replies can only be made to top-level comments")
        owner = _owner(state, parent)
        top = parent.parent_id or parent.id
        made = add_comment(
            state, parent.object_id, message, owner, owner, parent_id=top,
            platform=parent.platform,
        )  # fmt: skip
    state.save()
    return 200, {"id": made.id}, {}


def update(state: SimState, call: Call, comment_id: str) -> Answer:
    """`POST /{comment-id}` with is_hidden (Facebook) or hide (Instagram)."""
    with state.lock:
        comment = state.comments.get(comment_id)
        if comment is None:
            return error(100, "(#100) Unsupported post request.", subcode=33)
        flag = call.params.get("is_hidden", call.params.get("hide"))
        if flag is None:
            return error(100, "(#100) Nothing to update")
        if comment.platform == "instagram" and comment.parent_id is not None:
            return error(100, "(#100) Only top-level comments can be hidden")
        comment.is_hidden = flag.lower() == "true"
    state.save()
    return 200, {"success": True}, {}


def add_comment(
    state: SimState,
    object_id: str,
    message: str,
    from_id: str,
    from_name: str,
    *,
    parent_id: str | None = None,
    platform: str = "facebook",
    age_seconds: float = 0.0,
) -> FbComment:
    """A comment as if a person (or the account) wrote it; the caller holds the lock."""
    if platform == "instagram":
        comment_id = state.next_id(PHOTO_ID_BASE)
    else:
        comment_id = f"{object_id.rsplit('_', maxsplit=1)[-1]}_{state.next_id(PHOTO_ID_BASE)}"
    comment = FbComment(
        comment_id,
        object_id,
        message,
        from_id,
        from_name,
        state.now() - age_seconds,
        parent_id=parent_id,
        platform=platform,
    )
    state.comments[comment_id] = comment
    return comment
