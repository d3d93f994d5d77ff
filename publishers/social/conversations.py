"""Reading and answering what people say to an account (Kotak masuk), for the channels that can:

- Facebook: `GET /{post-id}/comments` with `filter=stream` (every comment and reply, each with
  its `parent`) and `order=reverse_chronological`, 100 a page, the first page of every post in
  Graph batches of 50 and the further pages of a busy post through its cursors (bounded);
  replies `POST /{comment-id}/comments`; hiding `POST /{comment-id}` `is_hidden=true`.
- Instagram: replies `POST /{ig-comment-id}/replies`; hiding `POST /{ig-comment-id}` `hide=true`.

A reply may be created and still answer 5xx or time out (outcome UNKNOWN): `find_reply` reads
the comment's replies for the account's own answer with the same text, so it is settled rather
than sent twice. Checked 2026-11-30 against Meta's Comments and IG Comment references.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from content.inbox import Incoming
from content.models import Channel, InboxKind
from publishers.social.graph import GraphClient
from publishers.social.result import Outcome, PublishError, Reason, Receipt

log = logging.getLogger(__name__)
PAGE_SIZE = 100
MAX_PAGES = 20  # 2,000 comments on one post in one read: a later read continues from newest

FB_COMMENT_FIELDS = "id,message,from,created_time,parent{id},is_hidden"
_IG = "id,text,username,from,timestamp,hidden"
IG_COMMENT_FIELDS = f"{_IG},replies{{{_IG}}}"
QUERIES = {
    Channel.FACEBOOK: {
        "filter": "stream",
        "order": "reverse_chronological",
        "limit": PAGE_SIZE,
        "fields": FB_COMMENT_FIELDS,
    },
    Channel.INSTAGRAM: {"limit": PAGE_SIZE, "fields": IG_COMMENT_FIELDS},
}


@runtime_checkable
class Conversations(Protocol):
    """What a publisher offers Kotak masuk (Facebook and Instagram in this version)."""

    def fetch_comments(self, post_ids: Sequence[str]) -> CommentRead: ...
    def reply_comment(self, comment_id: str, text: str) -> Receipt: ...
    def hide_comment(self, comment_id: str) -> Receipt: ...
    def find_reply(self, comment_id: str, text: str) -> Receipt | None: ...


@dataclass(frozen=True)
class CommentRead:
    items: list[Incoming]
    complete: list[str]  # the posts whose comments were read to the last page


@dataclass(frozen=True)
class MentionRead:
    items: list[Incoming]
    cursor: str | None  # the newest id read, once every page was read
    user_id: str  # the account's X user id (kept, so it is not looked up — and paid — again)


@runtime_checkable
class Mentions(Protocol):
    """X: the account's mentions since the last one read (owned reads), and replies to them."""

    def fetch_mentions(self, since_id: str | None, user_id: str | None = None) -> MentionRead: ...
    def reply_comment(self, comment_id: str, text: str) -> Receipt: ...
    def hide_comment(self, comment_id: str) -> Receipt: ...
    def find_reply(self, comment_id: str, text: str) -> Receipt | None: ...


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _time(value: Any) -> datetime:
    """Graph's "2026-11-24T02:00:00+0000" or X's "2026-11-24T02:00:00.000Z"."""
    text = str(value).replace("Z", "+00:00")
    for pattern in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"):
        try:
            return datetime.strptime(text, pattern).astimezone(UTC)
        except ValueError:
            continue
    return datetime.now(UTC)


def x_mentions(body: Any) -> list[Incoming]:
    """One page of `GET /2/users/:id/mentions` (with the author expansion) as inbox items."""
    data = body.get("data") if isinstance(body, Mapping) else None
    includes = _mapping(body.get("includes") if isinstance(body, Mapping) else None)
    users = {str(u.get("id")): u for u in includes.get("users") or [] if isinstance(u, Mapping)}
    found = []
    for row in data or []:
        if not isinstance(row, Mapping) or not row.get("id"):
            continue
        author = _mapping(users.get(str(row.get("author_id") or "")))
        replied = [
            str(r.get("id"))
            for r in row.get("referenced_tweets") or []
            if isinstance(r, Mapping) and r.get("type") == "replied_to"
        ]
        found.append(
            Incoming(
                remote_id=str(row["id"]),
                kind=InboxKind.MENTION,
                text=str(row.get("text") or ""),
                received_at=_time(row.get("created_at")),
                author_handle=str(author.get("username") or ""),
                author_name=str(author.get("name") or ""),
                author_remote_id=str(row.get("author_id") or ""),
                post_remote_id=replied[0] if replied else None,
            )
        )
    return found


def _fb_incoming(row: Mapping[str, Any], post_id: str, page_id: str) -> Incoming | None:
    """A comment row as an inbox item; None for the Page's own comments (our replies)."""
    author = _mapping(row.get("from"))
    author_id = str(author.get("id") or "")
    if author_id == page_id or not row.get("id"):
        return None
    parent = row.get("parent") if isinstance(row.get("parent"), Mapping) else None
    return Incoming(
        remote_id=str(row["id"]),
        kind=InboxKind.REPLY if parent else InboxKind.COMMENT,
        text=str(row.get("message") or ""),
        received_at=_time(row.get("created_time")),
        author_name=str(author.get("name") or ""),
        author_remote_id=author_id,
        parent_remote_id=str(parent["id"]) if parent and parent.get("id") else None,
        post_remote_id=post_id,
        hidden=bool(row.get("is_hidden")),
    )


def _ig_incoming(row: Mapping[str, Any], media_id: str, owner: str) -> list[Incoming]:
    """An Instagram comment and its replies (nested under `replies`); the account's own left out."""
    found = []
    for node, parent in [
        (row, None),
        *((r, str(row.get("id"))) for r in _mapping(row.get("replies")).get("data") or []),
    ]:
        if not isinstance(node, Mapping) or not node.get("id"):
            continue
        author = _mapping(node.get("from"))
        if str(author.get("id") or "") == owner:
            continue
        found.append(
            Incoming(
                remote_id=str(node["id"]),
                kind=InboxKind.REPLY if parent else InboxKind.COMMENT,
                text=str(node.get("text") or ""),
                received_at=_time(node.get("timestamp")),
                author_handle=str(node.get("username") or author.get("username") or ""),
                author_remote_id=str(author.get("id") or ""),
                parent_remote_id=parent,
                post_remote_id=media_id,
                hidden=bool(node.get("hidden")),
            )
        )
    return found


def graph_comments(
    graph: GraphClient, channel: Channel, owner: str, post_ids: Sequence[str]
) -> CommentRead:
    """Every comment and reply on these posts (Page posts or IG media): first pages in Graph
    batches of 50, further pages of a busy post by cursor."""
    params = QUERIES[channel]
    query = "comments?" + "&".join(f"{k}={v}" for k, v in params.items())
    ids = list(dict.fromkeys(post_ids))
    answers = graph.batch([{"method": "GET", "relative_url": f"{i}/{query}"} for i in ids])
    found: list[Incoming] = []
    complete: list[str] = []
    failures = []
    for post_id, answer in zip(ids, answers, strict=True):
        if not answer.ok:
            failures.append(answer.failure(channel))
            continue
        body = answer.body
        rows = [r for r in body.get("data") or [] if isinstance(r, Mapping)]
        paging = body.get("paging") if isinstance(body.get("paging"), Mapping) else {}
        after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
        whole = True
        if after:
            following = {**params, "after": after}
            try:
                for more in graph.pages(f"{post_id}/comments", following, MAX_PAGES):
                    rows += more
            except PublishError as exc:  # the rest of this post's comments next time
                log.warning("comments of a post read in part: %s", exc.receipt.summary())
                whole = False
        if whole:
            complete.append(post_id)
        for row in rows:
            if channel is Channel.INSTAGRAM:
                found += _ig_incoming(row, post_id, owner)
            elif comment := _fb_incoming(row, post_id, owner):
                found.append(comment)
    if failures and not found and len(failures) == len(ids):
        raise PublishError(failures[0])  # every post refused: the account's trouble
    return CommentRead(found, complete)


def reply(graph: GraphClient, channel: Channel, comment_id: str, text: str) -> Receipt:
    """Answer a comment as the account; never raises for a platform answer."""
    edge = "replies" if channel is Channel.INSTAGRAM else "comments"
    try:
        body = graph.call(f"{comment_id}/{edge}", data={"message": text}, creating=True)
    except PublishError as exc:
        return exc.receipt
    reply_id = body.get("id") if isinstance(body, Mapping) else None
    if not reply_id:
        return Receipt(
            channel,
            Outcome.UNKNOWN,
            Reason.BAD_RESPONSE,
            http_status=graph.status(),
            platform_message="reply answered without an id",
        )
    return Receipt(channel, Outcome.SUCCESS, remote_id=str(reply_id), http_status=graph.status())


def hide(graph: GraphClient, channel: Channel, comment_id: str) -> Receipt:
    """Hide a comment from the public (it stays visible to its author and the account)."""
    flag = "hide" if channel is Channel.INSTAGRAM else "is_hidden"
    try:
        body = graph.call(comment_id, data={flag: "true"})
    except PublishError as exc:
        return exc.receipt
    if not (isinstance(body, Mapping) and body.get("success") is True):
        return Receipt(
            channel,
            Outcome.RETRYABLE,
            Reason.BAD_RESPONSE,
            http_status=graph.status(),
            platform_message="hide answered without success=true",
        )
    return Receipt(channel, Outcome.SUCCESS, remote_id=comment_id, http_status=graph.status())


def find_reply(
    graph: GraphClient, channel: Channel, account_id: str, comment_id: str, text: str
) -> Receipt | None:
    """The account's own reply with this text under the comment (outcome RECONCILED), or None
    when it is certainly not there."""
    edge = "replies" if channel is Channel.INSTAGRAM else "comments"
    fields = "id,text,from" if channel is Channel.INSTAGRAM else "id,message,from"
    params = {"fields": fields, "limit": PAGE_SIZE}
    for rows in graph.pages(f"{comment_id}/{edge}", params, MAX_PAGES):
        for row in rows:
            author = _mapping(row.get("from"))
            said = str(row.get("message") or row.get("text") or "")
            if str(author.get("id") or "") == account_id and said.strip() == text.strip():
                return Receipt(channel, Outcome.RECONCILED, remote_id=str(row["id"]))
    return None


def describe(incoming: Sequence[Incoming]) -> str:
    """For logs: how many of each kind (never their text: people's words stay in the app)."""
    kinds: dict[str, int] = {}
    for item in incoming:
        kinds[item.kind.value] = kinds.get(item.kind.value, 0) + 1
    return json.dumps(kinds, sort_keys=True)
