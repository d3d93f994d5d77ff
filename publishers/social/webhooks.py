"""Meta webhooks for Kotak masuk: the optional faster path next to the worker's collection
(never the only one: a missed delivery is picked up by the next read, and the upsert by
(account, remote id) makes a delivery and a read of the same comment one item).

- `GET /webhooks/meta`: the subscription check (`hub.mode=subscribe`, `hub.verify_token`,
  answered with `hub.challenge`).
- `POST /webhooks/meta`: deliveries; the body's `X-Hub-Signature-256` (`sha256=` HMAC-SHA256 of
  the raw body with the app secret) is checked before anything is read. Page `feed` changes with
  `item=comment` (verbs add, edited, remove, hide) and Instagram `comments` changes are stored.

Settings (`[inbox]`): `meta_app_secret`, `meta_verify_token` (or the environment variables
SIARAN_META_APP_SECRET and SIARAN_META_VERIFY_TOKEN). Without a secret the routes are not served.
Checked 2026-11-30 against Meta's Webhooks "Getting started" and Page/Instagram field references.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from content import inbox
from content.infra.config import Settings
from content.models import Account, Channel, InboxItem, InboxKind
from publishers.social.base import Secret

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000


def signature_ok(secret: Secret, body: bytes, header: str) -> bool:
    expected = hmac.new(secret.reveal().encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"sha256={expected}", header.strip())


def _when(value: Any) -> datetime:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        return datetime.fromisoformat(str(value).replace("+0000", "+00:00"))
    except ValueError:
        return datetime.now(UTC)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def page_change(value: Mapping[str, Any]) -> tuple[inbox.Incoming | None, str | None]:
    """(the comment, or None) and the id of a comment that was removed, from a `feed` change."""
    if value.get("item") != "comment" or not value.get("comment_id"):
        return None, None
    comment_id, post_id = str(value["comment_id"]), str(value.get("post_id") or "")
    if value.get("verb") == "remove":
        return None, comment_id
    parent = str(value.get("parent_id") or "")
    author = _mapping(value.get("from"))
    return (
        inbox.Incoming(
            remote_id=comment_id,
            kind=InboxKind.REPLY if parent and parent != post_id else InboxKind.COMMENT,
            text=str(value.get("message") or ""),
            received_at=_when(value.get("created_time")),
            author_name=str(author.get("name") or ""),
            author_remote_id=str(author.get("id") or ""),
            parent_remote_id=parent if parent and parent != post_id else None,
            post_remote_id=post_id or None,
            hidden=value.get("verb") == "hide",
        ),
        None,
    )


def instagram_change(value: Mapping[str, Any]) -> inbox.Incoming | None:
    if not value.get("id"):
        return None
    author = _mapping(value.get("from"))
    parent = str(value.get("parent_id") or "") or None
    return inbox.Incoming(
        remote_id=str(value["id"]),
        kind=InboxKind.REPLY if parent else InboxKind.COMMENT,
        text=str(value.get("text") or ""),
        received_at=datetime.now(UTC),
        author_handle=str(author.get("username") or ""),
        author_remote_id=str(author.get("id") or ""),
        parent_remote_id=parent,
        post_remote_id=str(_mapping(value.get("media")).get("id") or "") or None,
    )


class MetaWebhook:
    def __init__(
        self,
        sessions: Callable[[], Session],
        app_secret: Secret,
        verify_token: Secret,
        levels: inbox.ServiceLevels,
    ) -> None:
        self.sessions, self.secret, self.token, self.levels = (
            sessions, app_secret, verify_token, levels,
        )  # fmt: skip

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    def verify(self, request: Request) -> Response:
        query = request.query_params
        token = query.get("hub.verify_token", "")
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(token, self.token.reveal()):
            return PlainTextResponse(query.get("hub.challenge", ""))
        return PlainTextResponse("Forbidden", status_code=403)

    async def receive(self, request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "too large"}, status_code=413)
        if not signature_ok(self.secret, body, request.headers.get("x-hub-signature-256", "")):
            log.warning("a Meta webhook with a wrong signature was refused")
            return JSONResponse({"error": "bad signature"}, status_code=403)
        try:
            payload = json.loads(body)
        except ValueError:
            return JSONResponse({"error": "not JSON"}, status_code=400)
        stored = self.store(_mapping(payload))
        return JSONResponse({"stored": stored})

    def _accounts(self, session: Session, kind: Channel) -> dict[str, Account]:
        key = "page_id" if kind is Channel.FACEBOOK else "ig_user_id"
        found = session.scalars(select(Account).where(Account.active, Account.kind == kind))
        return {str((a.settings or {}).get(key)): a for a in found if (a.settings or {}).get(key)}

    def store(self, payload: Mapping[str, Any]) -> int:
        kind = Channel.INSTAGRAM if payload.get("object") == "instagram" else Channel.FACEBOOK
        stored = 0
        with self.transaction() as session:
            accounts = self._accounts(session, kind)
            for entry in payload.get("entry") or []:
                account = accounts.get(str(_mapping(entry).get("id")))
                if account is None:
                    continue
                items, removed = [], []
                for change in _mapping(entry).get("changes") or []:
                    value = _mapping(_mapping(change).get("value"))
                    if kind is Channel.INSTAGRAM:
                        item = instagram_change(value)
                    else:
                        item, gone = page_change(value)
                        removed += [gone] if gone else []
                    if item is not None and item.author_remote_id != _own_id(account):
                        items.append(item)
                result = inbox.upsert(session, account, items, levels=self.levels)
                stored += result.new + result.updated
                for gone_id in removed:
                    row = session.scalars(
                        select(InboxItem).where(
                            InboxItem.account_id == account.id, InboxItem.remote_id == gone_id
                        )
                    ).first()
                    if row is not None:
                        row.deleted_on_platform = True
                        stored += 1
        return stored


def _own_id(account: Account) -> str:
    settings = account.settings or {}
    return str(settings.get("page_id") or settings.get("ig_user_id") or "")


def routes(settings: Settings, sessions: Callable[[], Session]) -> list[Route]:
    """The webhook routes when an app secret is configured; none otherwise."""
    section = settings.section("inbox")
    secret = str(section.get("meta_app_secret") or os.environ.get("SIARAN_META_APP_SECRET", ""))
    token = str(section.get("meta_verify_token") or os.environ.get("SIARAN_META_VERIFY_TOKEN", ""))
    if not secret or not token:
        return []
    hook = MetaWebhook(
        sessions, Secret(secret), Secret(token), inbox.ServiceLevels.from_settings(section)
    )
    return [
        Route("/webhooks/meta", hook.verify, methods=["GET"]),
        Route("/webhooks/meta", hook.receive, methods=["POST"]),
    ]
