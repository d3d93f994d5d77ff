"""Instagram professional accounts through the Graph API (Instagram API with Facebook Login).

Meta fetches the photo itself, so it must be at a public URL:
`{media_base_url}/media/{sha256}.jpg`, served by the videotron feed app.

- Quota: `GET /{ig-user-id}/content_publishing_limit` (fields quota_usage,config) before posting.
- Container: `POST /{ig-user-id}/media` (image_url, caption, alt_text); several photos become
  carousel items (is_carousel_item) under a CAROUSEL container (children).
- Wait: `GET /{container-id}?fields=status_code,status` until FINISHED (ERROR, EXPIRED stop).
- Publish: `POST /{ig-user-id}/media_publish` (creation_id): the only call that makes it public.
- Takedown: the IG Media reference lists no delete for published media, so `delete` makes no
  call and answers UNSUPPORTED with the manual step for a person.
  The container id is handed to `target.save_container` (the worker commits it) before this
  call; the next attempt of the same target reuses it while its `status_code` is FINISHED (or
  still IN_PROGRESS) and makes a new one only when it is EXPIRED, ERROR or gone.
- Reconciliation: `GET /{ig-user-id}/media`, 50 a page through the `after` cursors until the
  media are older than the window (bounded), matched by caption fingerprint.
- Metrics: batched `/{media-id}/insights?metric=views,reach,likes,comments,saved,shares,
  total_interactions` (organic only; Meta may be up to 48 h late).

Checked in November 2026: IG Container and IG User content_publishing_limit references
(updated 2024-07-23; status codes EXPIRED, ERROR, FINISHED, IN_PROGRESS, PUBLISHED), the
Content Publishing guide (alt_text for image posts since 2025-03-24).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import requests

from content.infra.timeutil import utcnow
from content.models import Account, AccountHealth, Channel
from publishers.social import conversations
from publishers.social.base import (
    Capabilities,
    Secret,
    common_problems,
    failed_connection,
    invalid_target,
)
from publishers.social.classify import from_exception
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
from publishers.social.target import Photo, TargetContent, fingerprint, media_url
from publishers.social.transport import CallRecord, is_public_url, new_session

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(
    channel=Channel.INSTAGRAM,
    metrics_per_call=50,
    needs_public_media_url=True,
)
INSIGHTS = ("views", "reach", "likes", "comments", "saved", "shares", "total_interactions")
SCOPES = ("instagram_basic", "instagram_content_publish")
LOOKBACK = timedelta(days=2)
PAGE_SIZE = 50
MAX_PAGES = 20


class InstagramPublisher:
    kind = Channel.INSTAGRAM
    capabilities = CAPABILITIES

    def __init__(
        self,
        *,
        ig_user_id: str,
        token: Secret,
        config: PublisherSettings,
        handle: str = "",
        allow_private_media: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.ig_user_id = ig_user_id
        self.handle = handle
        self.config = config
        # The simulator fetches from this machine; Meta cannot.
        self.allow_private_media = allow_private_media
        self.graph = GraphClient(Channel.INSTAGRAM, token, config)
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"InstagramPublisher(ig_user={self.ig_user_id}, {self.graph!r}, token=Secret(••••))"

    def close(self) -> None:
        self.graph.close()

    def paid_calls(self) -> list[CallRecord]:
        return []  # Meta charges nothing per call (it rate-limits instead)

    # --- checks ---------------------------------------------------------------------------

    def _media_base_problem(self) -> Problem | None:
        base = self.config.media_base_url
        if not base:
            return Problem(
                "media_url",
                "Instagram: alamat publik foto belum diatur (public_base_url atau "
                "[publishers] media_base_url); Instagram mengambil foto dari alamat itu.",
            )
        if not self.allow_private_media and not is_public_url(base):
            return Problem(
                "media_url",
                f"Instagram: {base} bukan alamat publik; server Meta tidak dapat mengambil foto.",
            )
        return None

    def validate(self, target: TargetContent) -> list[Problem]:
        found = common_problems(CAPABILITIES, target)
        base_problem = self._media_base_problem()
        return [*found, base_problem] if base_problem else found

    def image_url(self, photo: Photo) -> str:
        return media_url(self.config.media_base_url, photo.sha256, photo.extension)

    # --- publishing -----------------------------------------------------------------------

    def _check_quota(self) -> None:
        result = self.graph.call(
            f"{self.ig_user_id}/content_publishing_limit", params={"fields": "quota_usage,config"}
        )
        rows = result.get("data") if isinstance(result, Mapping) else None
        row = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], Mapping) else {}
        usage, config = row.get("quota_usage"), row.get("config") or {}
        total = config.get("quota_total") if isinstance(config, Mapping) else None
        if isinstance(usage, int) and isinstance(total, int) and usage >= total:
            raise PublishError(
                Receipt(
                    Channel.INSTAGRAM,
                    Outcome.RETRYABLE,
                    Reason.QUOTA,
                    platform_code="content_publishing_limit",
                    platform_message=f"{usage} dari {total} unggahan dalam 24 jam terakhir",
                )
            )

    def _container(self, fields: Mapping[str, str]) -> str:
        result = self.graph.call(f"{self.ig_user_id}/media", data=fields)
        container = result.get("id") if isinstance(result, Mapping) else None
        if not container:
            raise PublishError(_bad("container answered without an id", Outcome.RETRYABLE))
        return str(container)

    def _status(self, container: str) -> tuple[str, str]:
        state = self.graph.call(container, params={"fields": "status_code,status"})
        code = str(state.get("status_code", "")) if isinstance(state, Mapping) else ""
        detail = str(state.get("status") or code) if isinstance(state, Mapping) else ""
        return code, detail

    def _reusable(self, container: str | None) -> str | None:
        """The container an earlier attempt left, if it can still be published: FINISHED, or
        IN_PROGRESS and finishing. EXPIRED, ERROR or gone: None (a new one is made). Already
        PUBLISHED: the earlier `media_publish` landed after all; that is for reconciliation."""
        if not container:
            return None
        try:
            code, _ = self._status(container)
        except PublishError as exc:
            if exc.receipt.reason is Reason.NOT_FOUND:
                return None
            raise
        if code == "PUBLISHED":
            raise PublishError(
                Receipt(
                    Channel.INSTAGRAM,
                    Outcome.UNKNOWN,
                    Reason.UNKNOWN,
                    platform_code="PUBLISHED",
                    platform_message=f"container {container} was already published",
                )
            )
        if code not in {"FINISHED", "IN_PROGRESS"}:
            return None
        try:
            self._wait(container)
        except PublishError as exc:
            if exc.receipt.platform_code in {"ERROR", "EXPIRED"}:
                return None
            raise
        return container

    def _wait(self, container: str) -> None:
        """Poll until Meta has fetched and processed the photo."""
        deadline = time.monotonic() + self.config.ig_poll_timeout
        while True:
            code, detail = self._status(container)
            if code in {"FINISHED", "PUBLISHED"}:
                return
            if code == "ERROR":
                raise PublishError(
                    Receipt(
                        Channel.INSTAGRAM,
                        Outcome.PERMANENT,
                        Reason.INVALID_MEDIA,
                        platform_code="ERROR",
                        platform_message=detail,
                    )
                )
            if code == "EXPIRED":
                raise PublishError(
                    Receipt(
                        Channel.INSTAGRAM,
                        Outcome.RETRYABLE,
                        Reason.TIMEOUT,
                        platform_code="EXPIRED",
                        platform_message="container expired before it was published",
                    )
                )
            if time.monotonic() >= deadline:
                raise PublishError(
                    Receipt(
                        Channel.INSTAGRAM,
                        Outcome.RETRYABLE,
                        Reason.TIMEOUT,
                        platform_code=code or "IN_PROGRESS",
                        platform_message="Meta is still processing the photo; nothing was posted",
                    )
                )
            self._sleep(self.config.ig_poll_interval)

    def _photo_fields(self, photo: Photo) -> dict[str, str]:
        fields = {"image_url": self.image_url(photo)}
        if photo.alt_text.strip():
            fields["alt_text"] = photo.alt_text[: CAPABILITIES.max_alt_text]
        return fields

    def publish(self, target: TargetContent) -> Receipt:
        problems = self.validate(target)
        if problems:
            raise PublishError(invalid_target(Channel.INSTAGRAM, problems))
        self._check_quota()
        container = self._reusable(target.container_id) or self._new_container(target)
        result = self.graph.call(
            f"{self.ig_user_id}/media_publish", data={"creation_id": container}, creating=True
        )
        media_id = result.get("id") if isinstance(result, Mapping) else None
        if not media_id:
            raise PublishError(_bad("media_publish answered without an id", Outcome.UNKNOWN))
        status = self.graph.status()
        return Receipt(
            Channel.INSTAGRAM,
            Outcome.SUCCESS,
            remote_id=str(media_id),
            url=self._permalink(str(media_id)),
            http_status=status,
        )

    def _new_container(self, target: TargetContent) -> str:
        """A new (single or carousel) container, kept by the worker before it is waited on and
        published; children of a carousel are never published alone, so repeating them is
        harmless."""
        caption, _ = CAPABILITIES.compose(target.text, target.link, True)
        if len(target.photos) == 1:
            fields = {**self._photo_fields(target.photos[0]), "caption": caption}
            container = self._container(fields)
        else:
            children = []
            for photo in target.photos:
                child = self._container({**self._photo_fields(photo), "is_carousel_item": "true"})
                self._wait(child)
                children.append(child)
            container = self._container(
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption}
            )
        if target.save_container is not None:
            target.save_container(container)
        self._wait(container)
        return container

    def _permalink(self, media_id: str) -> str | None:
        """Best effort: the post is out whatever this lookup says."""
        try:
            result = self.graph.call(media_id, params={"fields": "permalink"})
        except PublishError as exc:
            log.warning("Instagram permalink of %s unavailable: %s", media_id, exc)
            return None
        link = result.get("permalink") if isinstance(result, Mapping) else None
        return str(link) if link else None

    # --- reading --------------------------------------------------------------------------

    def find_existing(self, target: TargetContent, since: datetime | None = None) -> Receipt | None:
        start = since or utcnow() - LOOKBACK
        params = {"fields": "id,caption,timestamp,permalink", "limit": PAGE_SIZE}
        for rows in self.graph.pages(f"{self.ig_user_id}/media", params, MAX_PAGES):
            older = False
            for media in rows:
                stamp = _timestamp(media.get("timestamp"))
                if stamp is not None and stamp < start:
                    older = True  # newest first: the rest of the list is outside the window
                    continue
                if (
                    media.get("id")
                    and fingerprint(str(media.get("caption") or "")) == target.marker
                ):
                    link = media.get("permalink")
                    return Receipt(
                        Channel.INSTAGRAM,
                        Outcome.RECONCILED,
                        remote_id=str(media["id"]),
                        url=str(link) if link else None,
                    )
            if older:
                return None
        return None

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[Metrics]:
        ids = list(dict.fromkeys(str(i) for i in remote_ids))
        metric = ",".join(INSIGHTS)
        answers = self.graph.batch(
            [{"method": "GET", "relative_url": f"{i}/insights?metric={metric}"} for i in ids]
        )
        found: list[Metrics] = []
        failures: list[Receipt] = []
        for remote_id, answer in zip(ids, answers, strict=True):
            if not answer.ok:
                failures.append(answer.failure(Channel.INSTAGRAM))
                continue
            values = insight_values(answer.body)
            found.append(
                Metrics(
                    remote_id=remote_id,
                    views=values.get("views"),
                    reach=values.get("reach"),
                    likes=values.get("likes"),
                    comments=values.get("comments"),
                    shares=values.get("shares"),
                    saves=values.get("saved"),
                    extra={k: v for k, v in values.items() if k == "total_interactions"},
                )
            )
        if failures and not found:
            raise PublishError(failures[0])
        if failures:
            log.warning("Instagram metrics missing for %d posts: %s", len(failures), failures[0])
        return found

    def _media_reachable(self) -> Receipt | None:
        """GET {media_base_url}/healthz: any HTTP answer below 500 means the host serves."""
        session, _ = new_session({}, self.config.timeouts)
        url = f"{self.config.media_base_url}/healthz"
        try:
            with session:
                response = session.get(url)
        except requests.RequestException as exc:
            return from_exception(Channel.INSTAGRAM, exc, creating=False)
        if response.status_code >= 500:
            return Receipt(
                Channel.INSTAGRAM,
                Outcome.RETRYABLE,
                Reason.SERVER,
                http_status=response.status_code,
                platform_message=f"{url} answered {response.status_code}",
            )
        return None

    def delete(self, remote_id: str) -> Receipt:
        account = f"@{self.handle.lstrip('@')}" if self.handle else "akun Instagram ini"
        return Receipt(
            Channel.INSTAGRAM,
            Outcome.PERMANENT,
            Reason.UNSUPPORTED,
            remote_id=remote_id,
            platform_message=(
                f"hapus manual: buka Instagram sebagai {account} → buka postingan ini → "
                "ketuk ⋯ (Lainnya) → Hapus"
            ),
        )

    # --- Kotak masuk (publishers.social.conversations) ---------------------------------------

    def fetch_comments(self, post_ids: Sequence[str]) -> conversations.CommentRead:
        return conversations.graph_comments(
            self.graph, Channel.INSTAGRAM, self.ig_user_id, post_ids
        )

    def reply_comment(self, comment_id: str, text: str) -> Receipt:
        return conversations.reply(self.graph, Channel.INSTAGRAM, comment_id, text)

    def hide_comment(self, comment_id: str) -> Receipt:
        return conversations.hide(self.graph, Channel.INSTAGRAM, comment_id)

    def find_reply(self, comment_id: str, text: str) -> Receipt | None:
        return conversations.find_reply(
            self.graph, Channel.INSTAGRAM, self.ig_user_id, comment_id, text
        )

    def fetch_followers(self) -> int | None:
        """The account's `followers_count` (free; Meta rate-limits instead)."""
        node = self.graph.call(self.ig_user_id, params={"fields": "followers_count"})
        value = node.get("followers_count") if isinstance(node, Mapping) else None
        return int(value) if isinstance(value, int) else None

    def check_connection(self) -> ConnectionStatus:
        base_problem = self._media_base_problem()
        if base_problem:
            receipt = Receipt(
                Channel.INSTAGRAM,
                Outcome.PERMANENT,
                Reason.INVALID_REQUEST,
                platform_code="media_url",
                platform_message=base_problem.message,
            )
            return failed_connection(receipt)
        try:
            user = self.graph.call(self.ig_user_id, params={"fields": "id,username"})
            info = self.graph.token_info()
        except PublishError as exc:
            return failed_connection(exc.receipt)
        unreachable = self._media_reachable()
        if unreachable:
            return ConnectionStatus(
                AccountHealth.ERROR,
                "Instagram: alamat foto publik tidak dapat dihubungi "
                f"({self.config.media_base_url}); {unreachable.summary()}",
                failure=unreachable,
            )
        name = str(user.get("username") if isinstance(user, Mapping) else "") or self.handle
        return token_status(Channel.INSTAGRAM, name, info, SCOPES, self.config)


def _bad(message: str, outcome: Outcome) -> Receipt:
    return Receipt(Channel.INSTAGRAM, outcome, Reason.BAD_RESPONSE, platform_message=message)


def _timestamp(value: Any) -> datetime | None:
    """Graph timestamps look like 2026-11-24T02:00:00+0000."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def build(
    account: Account, credentials: Mapping[str, Any], config: PublisherSettings
) -> InstagramPublisher:
    settings = account.settings or {}
    token = str(credentials.get("access_token") or "")
    if not token or not settings.get("ig_user_id"):
        raise ValueError("an Instagram account needs access_token and the ig_user_id setting")
    return InstagramPublisher(
        ig_user_id=str(settings["ig_user_id"]),
        token=Secret(token),
        config=config,
        handle=account.handle,
        allow_private_media=bool(account.is_simulator),
    )
