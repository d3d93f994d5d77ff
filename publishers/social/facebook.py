"""Facebook Pages through the Graph API (facebook-sdk's GraphAPI, version from settings).

- Text or link: `POST /{page-id}/feed` (message, link).
- One photo: `POST /{page-id}/photos` (source, message, alt_text_custom) -> {"id", "post_id"}.
- Several photos: each `POST /{page-id}/photos` with published=false, then `POST /{page-id}/feed`
  with attached_media[n]={"media_fbid": ...}. Only the last call makes anything public.
- Metrics: one batch request per 50 posts; each asks the post for reactions/comments with
  `.summary(total_count)`, shares, and `insights.metric(post_media_view,
  post_total_media_view_unique)` (the "views" Meta reports since November 2025).
- Reconciliation: `GET /{page-id}/posts` since the given moment, 100 a page through the
  `after` cursors until the window is covered (bounded), matched by text fingerprint.
- Connection: the page's name, then `debug_token` for validity, scopes and expiry.
- Takedown: `DELETE /{post-id}` -> {"success": true}; "does not exist" (100/33) means gone.

Checked in November 2026: Graph API Batch Requests (50 per batch), Photo reference
(alt_text_custom, "less than 10 MB"), Page Insights updates (blog 2025-08-15: impressions
replaced by views on 2025-11-15; deprecated-metrics page updated 2026-03-02).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from content.infra.timeutil import utcnow
from content.models import Account, Channel
from publishers.social import conversations
from publishers.social.base import (
    Capabilities,
    Secret,
    common_problems,
    failed_connection,
    invalid_target,
)
from publishers.social.classify import for_delete
from publishers.social.config import PublisherSettings
from publishers.social.graph import GraphClient, insight_values, token_status
from publishers.social.result import (
    ConnectionStatus,
    Metrics,
    Outcome,
    Problem,
    PublishError,
    Reason,
    Receipt,
)
from publishers.social.target import Photo, TargetContent, fingerprint
from publishers.social.transport import CallRecord

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(
    channel=Channel.FACEBOOK,
    metrics_per_call=50,
)
VIEW_METRICS = ("post_media_view", "post_total_media_view_unique")
METRIC_FIELDS = (
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares,"
    f"insights.metric({','.join(VIEW_METRICS)})"
)
SCOPES = ("pages_manage_posts", "pages_read_engagement")
LOOKBACK = timedelta(days=2)
PAGE_SIZE = 100
MAX_PAGES = 10


class FacebookPublisher:
    kind = Channel.FACEBOOK
    capabilities = CAPABILITIES

    def __init__(
        self, *, page_id: str, token: Secret, config: PublisherSettings, handle: str = ""
    ) -> None:
        self.page_id = page_id
        self.handle = handle
        self.config = config
        self.graph = GraphClient(Channel.FACEBOOK, token, config)

    def __repr__(self) -> str:
        return f"FacebookPublisher(page={self.page_id}, {self.graph!r}, token=Secret(••••))"

    def close(self) -> None:
        self.graph.close()

    def paid_calls(self) -> list[CallRecord]:
        return []  # Meta charges nothing per call (it rate-limits instead)

    def validate(self, target: TargetContent) -> list[Problem]:
        return common_problems(CAPABILITIES, target)

    def _photo(self, photo: Photo, data: Mapping[str, str], *, creating: bool) -> Any:
        fields = dict(data)
        if photo.alt_text.strip():
            fields["alt_text_custom"] = photo.alt_text[: CAPABILITIES.max_alt_text]
        return self.graph.call(
            f"{self.page_id}/photos",
            data=fields,
            files={"source": (photo.filename, photo.read(), photo.mime)},
            creating=creating,
        )

    def publish(self, target: TargetContent) -> Receipt:
        problems = self.validate(target)
        if problems:
            raise PublishError(invalid_target(Channel.FACEBOOK, problems))
        text, link = CAPABILITIES.compose(target.text, target.link, bool(target.photos))
        if len(target.photos) == 1:
            result = self._photo(
                target.photos[0], {"message": text, "published": "true"}, creating=True
            )
            post_id = _field(result, "post_id") or _field(result, "id")
        else:
            data: dict[str, str] = {"message": text}
            if link:
                data["link"] = link
            for index, photo in enumerate(target.photos):
                uploaded = self._photo(photo, {"published": "false"}, creating=False)
                media_id = _field(uploaded, "id")
                if not media_id:
                    raise PublishError(_bad("photo upload without an id", Outcome.RETRYABLE))
                data[f"attached_media[{index}]"] = json.dumps({"media_fbid": media_id})
            created = self.graph.call(f"{self.page_id}/feed", data=data, creating=True)
            post_id = _field(created, "id")
        if not post_id:
            raise PublishError(_bad("publish answered without an id", Outcome.UNKNOWN))
        return Receipt(
            Channel.FACEBOOK,
            Outcome.SUCCESS,
            remote_id=post_id,
            url=f"https://www.facebook.com/{post_id}",
            http_status=self.graph.status(),
        )

    def find_existing(self, target: TargetContent, since: datetime | None = None) -> Receipt | None:
        start = since or utcnow() - LOOKBACK
        params = {
            "fields": "id,message,created_time,permalink_url",
            "since": int(start.timestamp()),
            "limit": PAGE_SIZE,
        }
        for rows in self.graph.pages(f"{self.page_id}/posts", params, MAX_PAGES):
            for post in rows:
                if not post.get("id"):
                    continue
                if fingerprint(str(post.get("message") or "")) == target.marker:
                    post_id = str(post["id"])
                    url = str(post.get("permalink_url") or f"https://www.facebook.com/{post_id}")
                    return Receipt(Channel.FACEBOOK, Outcome.RECONCILED, remote_id=post_id, url=url)
        return None

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[Metrics]:
        ids = list(dict.fromkeys(str(i) for i in remote_ids))
        answers = self.graph.batch(
            [{"method": "GET", "relative_url": f"{i}?fields={METRIC_FIELDS}"} for i in ids]
        )
        found: list[Metrics] = []
        failures: list[Receipt] = []
        for remote_id, answer in zip(ids, answers, strict=True):
            if answer.ok:
                found.append(_metrics(remote_id, answer.body))
            else:
                failures.append(answer.failure(Channel.FACEBOOK))
        if failures and not found:
            raise PublishError(failures[0])
        if failures:
            log.warning("Facebook metrics missing for %d posts: %s", len(failures), failures[0])
        return found

    def delete(self, remote_id: str) -> Receipt:
        try:
            result = self.graph.call(remote_id, method="DELETE")
        except PublishError as exc:
            return for_delete(exc.receipt)
        if not (isinstance(result, Mapping) and result.get("success") is True):
            return _bad("delete answered without success=true", Outcome.RETRYABLE)
        return Receipt(
            Channel.FACEBOOK, Outcome.SUCCESS, remote_id=remote_id, http_status=self.graph.status()
        )

    # --- Kotak masuk (publishers.social.conversations) ---------------------------------------

    def fetch_comments(self, post_ids: Sequence[str]) -> conversations.CommentRead:
        return conversations.graph_comments(self.graph, Channel.FACEBOOK, self.page_id, post_ids)

    def reply_comment(self, comment_id: str, text: str) -> Receipt:
        return conversations.reply(self.graph, Channel.FACEBOOK, comment_id, text)

    def hide_comment(self, comment_id: str) -> Receipt:
        return conversations.hide(self.graph, Channel.FACEBOOK, comment_id)

    def find_reply(self, comment_id: str, text: str) -> Receipt | None:
        return conversations.find_reply(
            self.graph, Channel.FACEBOOK, self.page_id, comment_id, text
        )

    def fetch_followers(self) -> int | None:
        """The account's `followers_count` (free; Meta rate-limits instead)."""
        node = self.graph.call(self.page_id, params={"fields": "followers_count"})
        value = node.get("followers_count") if isinstance(node, Mapping) else None
        return int(value) if isinstance(value, int) else None

    def check_connection(self) -> ConnectionStatus:
        try:
            page = self.graph.call(self.page_id, params={"fields": "id,name"})
            info = self.graph.token_info()
        except PublishError as exc:
            return failed_connection(exc.receipt)
        name = _field(page, "name") or self.page_id
        return token_status(Channel.FACEBOOK, name, info, SCOPES, self.config)


def _field(result: Any, name: str) -> str | None:
    value = result.get(name) if isinstance(result, Mapping) else None
    return str(value) if value else None


def _bad(message: str, outcome: Outcome) -> Receipt:
    return Receipt(Channel.FACEBOOK, outcome, Reason.BAD_RESPONSE, platform_message=message)


def _count(node: Any, *path: str) -> int | None:
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return int(node) if isinstance(node, int) else None


def _metrics(remote_id: str, body: Mapping[str, Any]) -> Metrics:
    views = insight_values(body.get("insights"))
    return Metrics(
        remote_id=remote_id,
        views=views.get("post_media_view"),
        reach=views.get("post_total_media_view_unique"),
        likes=_count(body, "reactions", "summary", "total_count"),
        comments=_count(body, "comments", "summary", "total_count"),
        # Meta leaves "shares" out entirely while a post has none.
        shares=_count(body, "shares", "count") or 0,
    )


def build(
    account: Account, credentials: Mapping[str, Any], config: PublisherSettings
) -> FacebookPublisher:
    settings = account.settings or {}
    token = str(credentials.get("page_access_token") or "")
    if not token or not settings.get("page_id"):
        raise ValueError("a Facebook account needs page_access_token and the page_id setting")
    return FacebookPublisher(
        page_id=str(settings["page_id"]), token=Secret(token), config=config, handle=account.handle
    )
