"""The Graph API through facebook-sdk 3.1.0's `GraphAPI`, shared by Facebook and Instagram.

facebook-sdk's version list stops at 3.1 and its constructor rejects anything newer, so the
version (a setting, default v25.0) is set on the object after construction and every path is
passed to `request()` with that version in front. The SDK raises `GraphAPIError` only when the
body carries "error" and never exposes the HTTP status, so the transport records the last
response for classification. Batches go to `POST /{version}/` with at most 50 requests each.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import facebook
import requests

from content.editorial.channels import RULES
from content.infra.timeutil import format_wib
from content.models import Channel
from publishers.social.base import Secret, chunks, failed_connection, token_health
from publishers.social.classify import classify_graph, from_exception, window_not_covered
from publishers.social.config import PublisherSettings
from publishers.social.result import ConnectionStatus, Outcome, PublishError, Reason, Receipt
from publishers.social.transport import (
    GRAPH_ORIGINS,
    install_log_redaction,
    mount_base_urls,
    redact,
)

BATCH_LIMIT = 50


@dataclass(frozen=True)
class BatchAnswer:
    status: int | None
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            self.status is not None
            and 200 <= self.status < 300
            and isinstance(self.body, Mapping)
            and "error" not in self.body
        )

    def failure(self, channel: Channel) -> Receipt:
        if self.status is None:  # Meta answers null for a request that timed out in the batch
            return Receipt(channel, Outcome.RETRYABLE, Reason.TIMEOUT)
        error = self.body.get("error") if isinstance(self.body, Mapping) else self.body
        return classify_graph(channel, error, http_status=self.status, headers=self.headers)


class GraphClient:
    def __init__(self, channel: Channel, token: Secret, config: PublisherSettings) -> None:
        install_log_redaction()
        self.channel = channel
        self.version = config.graph_version
        self.base_url = config.graph_base_url
        self._token = token
        self.session = requests.Session()
        routes = dict.fromkeys(GRAPH_ORIGINS, config.graph_base_url)
        self.recorder = mount_base_urls(self.session, routes, config.timeouts)
        self.api = facebook.GraphAPI(
            access_token=token.reveal(), timeout=config.timeouts.as_tuple(), session=self.session
        )
        self.api.version = self.version

    def __repr__(self) -> str:
        return f"GraphClient({self.channel.value}, {self.base_url}, {self.version})"

    def close(self) -> None:
        self.session.close()

    def status(self) -> int | None:
        response = self.recorder.response
        return None if response is None else response.status_code

    def call(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        creating: bool = False,
        method: str | None = None,
    ) -> Any:
        """One Graph request; `creating` marks the call whose success makes a post public.
        `method` only for what is neither GET nor POST (DELETE)."""
        full = f"{self.version}/{path.lstrip('/')}"
        try:
            return self.api.request(
                full,
                args=dict(params or {}),
                post_args=None if data is None else dict(data),
                files=None if files is None else dict(files),
                method=method,
            )
        except facebook.GraphAPIError as exc:
            response = self.recorder.response
            result = exc.result
            error: Any = result.get("error") if isinstance(result, Mapping) else result
            if not isinstance(error, Mapping):
                error = str(getattr(exc, "message", "") or error)
            receipt = classify_graph(
                self.channel,
                error,
                http_status=None if response is None else response.status_code,
                headers=dict(response.headers) if response is not None else {},
                creating=creating,
            )
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            receipt = from_exception(
                self.channel, exc, creating=creating, http_status=self.status()
            )
        raise PublishError(receipt) from None  # the original may quote a URL with the token

    def pages(self, path: str, params: Mapping[str, Any], max_pages: int) -> Iterator[list[Any]]:
        """The rows of a cursor-paged edge, page by page (`paging.cursors.after` while
        `paging.next` says there is more), at most `max_pages` pages; raises `PublishError`
        (`window_not_covered`) when there would be more."""
        query = dict(params)
        for _ in range(max_pages):
            result = self.call(path, params=query)
            rows = result.get("data") if isinstance(result, Mapping) else None
            yield [row for row in rows or [] if isinstance(row, Mapping)]
            paging = result.get("paging") if isinstance(result, Mapping) else None
            cursors = paging.get("cursors") if isinstance(paging, Mapping) else None
            after = cursors.get("after") if isinstance(cursors, Mapping) else None
            if not (isinstance(paging, Mapping) and paging.get("next") and after):
                return
            query["after"] = after
        limit = int(params.get("limit", 25))
        raise PublishError(window_not_covered(self.channel, max_pages * limit))

    def batch(self, requests_: Sequence[Mapping[str, Any]]) -> list[BatchAnswer]:
        """Many GETs in as few calls as Meta allows (50 a call), answers in request order."""
        answers: list[BatchAnswer] = []
        for chunk in chunks(requests_, BATCH_LIMIT):
            result = self.call(
                "", data={"batch": json.dumps(list(chunk)), "include_headers": "false"}
            )
            if not isinstance(result, list) or len(result) != len(chunk):
                raise PublishError(
                    Receipt(
                        self.channel,
                        Outcome.RETRYABLE,
                        Reason.BAD_RESPONSE,
                        http_status=self.status(),
                        platform_message="batch answer does not match the request",
                    )
                )
            answers += [_answer(item) for item in result]
        return answers

    def token_info(self) -> Mapping[str, Any]:
        """`debug_token` on our own token (a token may inspect itself): validity and expiry."""
        data = self.call("debug_token", params={"input_token": self._token.reveal()})
        info = data.get("data") if isinstance(data, Mapping) else None
        return info if isinstance(info, Mapping) else {}


def _answer(item: Any) -> BatchAnswer:
    if not isinstance(item, Mapping):
        return BatchAnswer(None, None)
    raw = item.get("body")
    try:
        body = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        body = redact(str(raw))[:200]
    headers = {
        str(h.get("name")): str(h.get("value"))
        for h in item.get("headers") or []
        if isinstance(h, Mapping)
    }
    code = item.get("code")
    return BatchAnswer(code if isinstance(code, int) else None, body, headers)


def expiry(info: Mapping[str, Any]) -> datetime | None:
    """`expires_at` of debug_token: 0 means the token does not expire."""
    value = info.get("expires_at")
    if isinstance(value, int) and value > 0:
        return datetime.fromtimestamp(value, UTC)
    return None


def insight_values(insights: Any) -> dict[str, int]:
    """{"data": [{"name": ..., "values": [{"value": n}]}]} (or "total_value") -> {name: n}."""
    found: dict[str, int] = {}
    rows = insights.get("data") if isinstance(insights, Mapping) else None
    for row in rows or []:
        if not isinstance(row, Mapping) or "name" not in row:
            continue
        value: Any = None
        values = row.get("values")
        if isinstance(values, list) and values and isinstance(values[-1], Mapping):
            value = values[-1].get("value")
        total = row.get("total_value")
        if value is None and isinstance(total, Mapping):
            value = total.get("value")
        if isinstance(value, int | float):
            found[str(row["name"])] = int(value)
    return found


def token_status(
    channel: Channel,
    name: str,
    info: Mapping[str, Any],
    scopes: Sequence[str],
    config: PublisherSettings,
) -> ConnectionStatus:
    """Health from debug_token: invalid, missing permissions, expiring soon, or fine."""
    label = RULES[channel].label
    if info.get("is_valid") is False:
        receipt = Receipt(
            channel, Outcome.PERMANENT, Reason.AUTH, platform_message="debug_token: is_valid=false"
        )
        return failed_connection(receipt)
    granted = info.get("scopes")
    missing = [s for s in scopes if isinstance(granted, list) and s not in granted]
    if missing:
        receipt = Receipt(
            channel,
            Outcome.PERMANENT,
            Reason.PERMISSION,
            platform_message=f"izin belum diberikan: {', '.join(missing)}",
        )
        return failed_connection(receipt)
    expires_at = expiry(info)
    until = f" Token berlaku sampai {format_wib(expires_at)}." if expires_at else ""
    return ConnectionStatus(
        token_health(expires_at, config.expiring_days),
        f"{label}: terhubung ke {name}.{until}",
        account_name=name,
        token_expires_at=expires_at,
    )
