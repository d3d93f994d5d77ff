"""X (Twitter): tweepy 4.17's Client v2 with OAuth 1.0a user context.

- Posts: `POST /2/tweets` (Client.create_tweet).
- Photos: `POST /2/media/upload` (multipart, media_category=tweet_image) and alt text through
  `POST /2/media/metadata`. The v1.1 upload endpoint was retired in 2025 and tweepy's Client
  has no v2 upload, so these two go through tweepy's OAuth1 handler on the Client's own session.
- Metrics: `GET /2/tweets?ids=` (100 ids a call) with `tweet.fields=public_metrics`.
- Reconciliation: `GET /2/users/:id/tweets` from the given moment (start_time), 100 a page,
  following `meta.next_token` until the window is covered (bounded), matched by fingerprint.
- Connection: `GET /2/users/me`. OAuth 1.0a user tokens do not expire.
- Takedown: `DELETE /2/tweets/:id` (Client.delete_tweet) -> {"data": {"deleted": true}}; charged
  as "Interaction: Delete" on the pay-per-use rate card; a 404 means it is already gone.

Checked in November 2026 against docs.x.com (Upload media / Create Media metadata, X API v2
OpenAPI 2.166) and the recorded responses in tests/publishers/fixtures/x-api; the duplicate text
as X sends it in 2026 (akrherz/iembot#163, 2026-02-13). Pay-per-use: every call is named by the
`Operation` X charges it as (its price is in content/data/prices.toml).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import requests
import tweepy

from content.costs.operations import Operation, post_operation
from content.inbox import Incoming
from content.infra.timeutil import utcnow
from content.models import Account, AccountHealth, Channel
from content.org.accounts import REQUIRED_CREDENTIALS
from publishers.social.base import (
    Capabilities,
    Secret,
    chunks,
    common_problems,
    failed_connection,
    invalid_target,
    secrets_from,
)
from publishers.social.classify import classify_x, for_delete, from_exception, window_not_covered
from publishers.social.config import PublisherSettings
from publishers.social.conversations import MentionRead, x_mentions
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
from publishers.social.transport import (
    X_ORIGINS,
    CallRecord,
    install_log_redaction,
    mount_base_urls,
)

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(
    channel=Channel.X,
    metrics_per_call=100,
)
UPLOAD_PATH = "/2/media/upload"
METADATA_PATH = "/2/media/metadata"
LOOKBACK = timedelta(days=2)
PAGE_SIZE = 100
MAX_PAGES = 10  # 1,000 of the account's own posts: far more than a city posts in the window


class XPublisher:
    kind = Channel.X
    capabilities = CAPABILITIES

    def __init__(
        self,
        *,
        credentials: Mapping[str, Secret],
        config: PublisherSettings,
        handle: str = "",
        user_id: str | None = None,
        owned_reads: bool = True,
    ) -> None:
        install_log_redaction()
        self.owned_reads = owned_reads  # False: read metrics by id lookup only (the bench)
        self.config = config
        self.handle = handle.lstrip("@")
        self._user_id = user_id
        self._credentials = dict(credentials)
        keys = {name: secret.reveal() for name, secret in credentials.items()}
        self.client = tweepy.Client(**keys, return_type=dict)
        routes = dict.fromkeys(X_ORIGINS, config.x_base_url)
        self.recorder = mount_base_urls(self.client.session, routes, config.timeouts)
        self._auth = tweepy.OAuth1UserHandler(
            keys["consumer_key"],
            keys["consumer_secret"],
            keys["access_token"],
            keys["access_token_secret"],
        ).apply_auth()

    def __repr__(self) -> str:
        base, creds = self.config.x_base_url, self._credentials
        return f"XPublisher(@{self.handle}, {base}, credentials={creds})"

    def close(self) -> None:
        self.client.session.close()

    def paid_calls(self) -> list[CallRecord]:
        return self.recorder.take_calls()

    # --- plumbing -------------------------------------------------------------------------

    def _status(self) -> int | None:
        response = self.recorder.response
        return None if response is None else response.status_code

    def _tweepy(
        self, call: Callable[[], Any], *, operation: Operation, creating: bool = False
    ) -> Any:
        """A tweepy call, named for the ledger; its errors as a `PublishError`."""
        try:
            with self.recorder.named(operation):
                return call()
        except tweepy.HTTPException as exc:
            response = exc.response
            receipt = classify_x(
                response.status_code, response.headers, _json(response), creating=creating
            )
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            receipt = from_exception(Channel.X, exc, creating=creating, http_status=self._status())
        raise PublishError(receipt) from None

    def _request(self, method: str, path: str, *, operation: Operation, **kwargs: Any) -> Any:
        """A v2 call tweepy has no method for, signed by tweepy's OAuth1 handler."""
        headers = {"User-Agent": self.client.user_agent}
        try:
            with self.recorder.named(operation):
                response = self.client.session.request(
                    method, X_ORIGINS[0] + path, auth=self._auth, headers=headers, **kwargs
                )
        except requests.RequestException as exc:
            raise PublishError(from_exception(Channel.X, exc, creating=False)) from None
        if not 200 <= response.status_code < 300:
            raise PublishError(
                classify_x(response.status_code, response.headers, _json(response), media=True)
            )
        try:
            return response.json()
        except ValueError as exc:
            raise PublishError(
                from_exception(Channel.X, exc, creating=False, http_status=response.status_code)
            ) from None

    def _url(self, tweet_id: str) -> str:
        if self.handle:
            return f"https://x.com/{self.handle}/status/{tweet_id}"
        return f"https://x.com/i/web/status/{tweet_id}"

    # --- the interface --------------------------------------------------------------------

    def validate(self, target: TargetContent) -> list[Problem]:
        return common_problems(CAPABILITIES, target)

    def upload(self, photo: Photo) -> str:
        """The media id of an uploaded photo, with its alt text attached."""
        body = self._request(
            "POST",
            UPLOAD_PATH,
            operation=Operation.MEDIA_UPLOAD,
            files={"media": (photo.filename, photo.read(), photo.mime)},
            data={"media_category": "tweet_image", "media_type": photo.mime},
        )
        data = body.get("data") if isinstance(body, Mapping) else None
        # v2 answers {"data": {"id": ...}}; a proxy still speaking v1.1 gives media_id_string.
        media_id = (data or {}).get("id") or (body or {}).get("media_id_string")
        if not media_id:
            raise PublishError(
                Receipt(
                    Channel.X,
                    Outcome.RETRYABLE,
                    Reason.BAD_RESPONSE,
                    http_status=self._status(),
                    platform_message="media upload answered without a media id",
                )
            )
        if photo.alt_text.strip():
            self._request(
                "POST",
                METADATA_PATH,
                operation=Operation.MEDIA_METADATA,
                json={
                    "id": str(media_id),
                    "metadata": {"alt_text": {"text": photo.alt_text[: CAPABILITIES.max_alt_text]}},
                },
            )
        return str(media_id)

    def publish(self, target: TargetContent) -> Receipt:
        problems = self.validate(target)
        if problems:
            raise PublishError(invalid_target(Channel.X, problems))
        text, _ = CAPABILITIES.compose(target.text, target.link, bool(target.photos))
        media_ids = [self.upload(photo) for photo in target.photos]
        body = self._tweepy(
            lambda: self.client.create_tweet(
                text=text, media_ids=media_ids or None, user_auth=True
            ),
            operation=post_operation(text),
            creating=True,
        )
        tweet_id = _data(body).get("id")
        if not tweet_id:
            # A 2xx without an id: the post was probably created. Reconcile, do not repost.
            raise PublishError(
                Receipt(
                    Channel.X,
                    Outcome.UNKNOWN,
                    Reason.BAD_RESPONSE,
                    http_status=self._status(),
                    platform_message="create answered without an id",
                )
            )
        return Receipt(
            Channel.X,
            Outcome.SUCCESS,
            remote_id=str(tweet_id),
            url=self._url(str(tweet_id)),
            http_status=self._status(),
        )

    def me(self) -> Mapping[str, Any]:
        body = self._tweepy(
            lambda: self.client.get_me(user_auth=True), operation=Operation.READ_USER
        )
        me = _data(body)
        if me.get("id"):
            self._user_id = str(me["id"])
        return me

    def fetch_followers(self) -> int | None:
        """The account's followers (`public_metrics.followers_count` of `GET /2/users/me`),
        charged as one User: Read."""
        body = self._tweepy(
            lambda: self.client.get_me(user_fields=["public_metrics"], user_auth=True),
            operation=Operation.READ_USER,
        )
        me = _data(body)
        if me.get("id"):
            self._user_id = str(me["id"])
        counts = me.get("public_metrics")
        value = counts.get("followers_count") if isinstance(counts, Mapping) else None
        return int(value) if isinstance(value, int) else None

    def find_existing(self, target: TargetContent, since: datetime | None = None) -> Receipt | None:
        user_id = self._user_id or str(self.me().get("id") or "")
        if not user_id:
            return None
        start = since or utcnow() - LOOKBACK
        token: str | None = None
        for _ in range(MAX_PAGES):
            body = self._tweepy(
                partial(self._timeline, user_id, start, token),
                operation=Operation.READ_OWNED,  # the account's own timeline: an owned read
            )
            for tweet in _rows(body):
                if fingerprint(str(tweet.get("text", ""))) == target.marker and tweet.get("id"):
                    tweet_id = str(tweet["id"])
                    return Receipt(
                        Channel.X, Outcome.RECONCILED, remote_id=tweet_id, url=self._url(tweet_id)
                    )
            meta = body.get("meta") if isinstance(body, Mapping) else None
            token = str(meta.get("next_token") or "") if isinstance(meta, Mapping) else ""
            if not token:
                return None  # the whole window was read: the post is not there
        raise PublishError(window_not_covered(Channel.X, MAX_PAGES * PAGE_SIZE))

    def _timeline(self, user_id: str, start: datetime, token: str | None) -> Any:
        """One page of the account's own posts since `start`, newest first."""
        return self.client.get_users_tweets(
            user_id,
            start_time=start,
            max_results=PAGE_SIZE,
            pagination_token=token or None,
            tweet_fields=["created_at"],
            user_auth=True,
        )

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[Metrics]:
        """Engagement of these posts. Through the account's own timeline (an owned read, $0.001
        a post since 2026-04-20) windowed around each post with since_id/until_id, so only the
        posts due are returned and charged; by id lookup ($0.005) only for what the timeline
        cannot reach (beyond its newest 3,200 posts, or no user id known for the account)."""
        unique = list(dict.fromkeys(str(i) for i in remote_ids))
        found: list[Metrics] = []
        missing = unique
        if self.owned_reads and self._user_id:
            found, missing = self._owned_metrics(unique)
        try:
            found += self._lookup_metrics(missing)
        except PublishError:
            if not found:
                raise
        return found

    def read_operation(self) -> Operation:
        """What a metric read of this account is charged as: an owned read through its own
        timeline when its user id is known, else a lookup by id (the budget check's price)."""
        return Operation.READ_OWNED if self.owned_reads and self._user_id else Operation.READ_POST

    def _owned_metrics(self, ids: list[str]) -> tuple[list[Metrics], list[str]]:
        """(metrics read from the own timeline, ids it did not return)."""
        found: dict[str, Metrics] = {}
        for remote_id in ids:
            if not remote_id.isdigit():
                continue
            try:
                body = self._tweepy(
                    partial(self._window, int(remote_id)), operation=Operation.READ_OWNED
                )
            except PublishError as exc:
                if not found:
                    raise
                log.warning("X metrics stopped after %d posts: %s", len(found), exc)
                return list(found.values()), []
            for tweet in _rows(body):
                if str(tweet.get("id")) == remote_id:
                    found[remote_id] = _metrics(tweet)
        return list(found.values()), [i for i in ids if i not in found]

    def _window(self, remote_id: int) -> Any:
        """The own timeline between the ids just below and above this post (both exclusive):
        at most this post comes back."""
        return self.client.get_users_tweets(
            self._user_id,
            since_id=str(remote_id - 1),
            until_id=str(remote_id + 1),
            max_results=5,
            tweet_fields=["public_metrics"],
            user_auth=True,
        )

    def _lookup_metrics(self, ids: list[str]) -> list[Metrics]:
        found: list[Metrics] = []
        for chunk in chunks(ids, CAPABILITIES.metrics_per_call):
            try:
                body = self._tweepy(
                    partial(self._lookup, list(chunk)), operation=Operation.READ_POST
                )
            except PublishError as exc:
                if not found:
                    raise
                log.warning("X metrics stopped after %d posts: %s", len(found), exc)
                break
            found += [_metrics(tweet) for tweet in _rows(body) if tweet.get("id")]
        return found

    def _lookup(self, ids: list[str]) -> Any:
        return self.client.get_tweets(ids=ids, tweet_fields=["public_metrics"], user_auth=True)

    def delete(self, remote_id: str) -> Receipt:
        try:
            body = self._tweepy(
                lambda: self.client.delete_tweet(remote_id, user_auth=True),
                operation=Operation.DELETE_POST,
            )
        except PublishError as exc:
            return for_delete(exc.receipt)
        if _data(body).get("deleted") is not True:
            # A 2xx that does not say "deleted": ask again (a second delete changes nothing).
            return Receipt(
                Channel.X,
                Outcome.RETRYABLE,
                Reason.BAD_RESPONSE,
                http_status=self._status(),
                platform_message="delete answered without deleted=true",
            )
        return Receipt(Channel.X, Outcome.SUCCESS, remote_id=remote_id, http_status=self._status())

    # --- Kotak masuk (publishers.social.conversations.Mentions) -----------------------------

    def fetch_mentions(self, since_id: str | None, user_id: str | None = None) -> MentionRead:
        """Mentions newer than `since_id`, newest first, 100 a page (owned reads, $0.001 each);
        the new cursor is returned only when every page was read, so a cut-short read is
        continued from the same place rather than skipping what it did not reach. `user_id`
        saves the paid `users/me` look-up."""
        user_id = user_id or self._user_id or str(self.me().get("id") or "")
        found: list[Incoming] = []
        newest: str | None = None
        token: str | None = None
        for _ in range(MAX_PAGES):
            body = self._tweepy(
                partial(self._mentions, user_id, since_id, token), operation=Operation.READ_OWNED
            )
            found += x_mentions(body)
            meta = body.get("meta") if isinstance(body, Mapping) else None
            meta = meta if isinstance(meta, Mapping) else {}
            newest = newest or (str(meta["newest_id"]) if meta.get("newest_id") else None)
            token = str(meta.get("next_token") or "")
            if not token:
                return MentionRead(found, newest or since_id, user_id)
        return MentionRead(found, since_id, user_id)

    def _mentions(self, user_id: str, since_id: str | None, token: str | None) -> Any:
        return self.client.get_users_mentions(
            user_id,
            since_id=since_id or None,
            max_results=PAGE_SIZE,
            pagination_token=token or None,
            expansions=["author_id"],
            tweet_fields=["created_at", "author_id", "referenced_tweets"],
            user_fields=["username", "name"],
            user_auth=True,
        )

    def reply_comment(self, comment_id: str, text: str) -> Receipt:
        """`POST /2/tweets` with `reply.in_reply_to_tweet_id`; never raises for an answer."""
        try:
            body = self._tweepy(
                lambda: self.client.create_tweet(
                    text=text, in_reply_to_tweet_id=comment_id, user_auth=True
                ),
                operation=post_operation(text),
                creating=True,
            )
        except PublishError as exc:
            return exc.receipt
        tweet_id = _data(body).get("id")
        if not tweet_id:
            return Receipt(
                Channel.X, Outcome.UNKNOWN, Reason.BAD_RESPONSE, http_status=self._status()
            )
        return Receipt(
            Channel.X, Outcome.SUCCESS, remote_id=str(tweet_id), url=self._url(str(tweet_id))
        )

    def hide_comment(self, comment_id: str) -> Receipt:
        return Receipt(
            Channel.X,
            Outcome.PERMANENT,
            Reason.UNSUPPORTED,
            platform_message="X tidak menyediakan penyembunyian balasan lewat API ini.",
        )

    def find_reply(self, comment_id: str, text: str) -> Receipt | None:
        """Our reply among the account's own recent posts (the same look-up as a post's)."""
        user_id = self._user_id or str(self.me().get("id") or "")
        body = self._tweepy(
            partial(self._timeline, user_id, utcnow() - LOOKBACK, None),
            operation=Operation.READ_POST,
        )
        for tweet in _rows(body):
            if str(tweet.get("text", "")).strip() == text.strip() and tweet.get("id"):
                return Receipt(Channel.X, Outcome.RECONCILED, remote_id=str(tweet["id"]))
        return None

    def check_connection(self) -> ConnectionStatus:
        try:
            me = self.me()
        except PublishError as exc:
            return failed_connection(exc.receipt)
        username = str(me.get("username") or self.handle)
        return ConnectionStatus(
            AccountHealth.OK,
            f"X: terhubung sebagai @{username}.",
            account_name=username,
            details={"user_id": str(me.get("id", ""))},
        )


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _data(body: Any) -> Mapping[str, Any]:
    data = body.get("data") if isinstance(body, Mapping) else None
    return data if isinstance(data, Mapping) else {}


def _rows(body: Any) -> list[Mapping[str, Any]]:
    data = body.get("data") if isinstance(body, Mapping) else None
    return [row for row in data or [] if isinstance(row, Mapping)]


def _metrics(tweet: Mapping[str, Any]) -> Metrics:
    counts = tweet.get("public_metrics") or {}

    def get(name: str) -> int | None:
        value = counts.get(name)
        return int(value) if isinstance(value, int) else None

    retweets, quotes = get("retweet_count"), get("quote_count")
    shares = None if retweets is None and quotes is None else (retweets or 0) + (quotes or 0)
    extra = {k: v for k, v in (("retweets", retweets), ("quotes", quotes)) if v is not None}
    return Metrics(
        remote_id=str(tweet["id"]),
        impressions=get("impression_count"),
        views=get("impression_count"),  # what X shows people as "views"
        likes=get("like_count"),
        comments=get("reply_count"),
        shares=shares,
        saves=get("bookmark_count"),
        extra=extra,
    )


def build(
    account: Account, credentials: Mapping[str, Any], config: PublisherSettings
) -> XPublisher:
    settings = account.settings or {}
    return XPublisher(
        credentials=secrets_from(credentials, REQUIRED_CREDENTIALS[Channel.X]),
        config=config,
        handle=account.handle,
        user_id=str(settings["user_id"]) if settings.get("user_id") else None,
    )
