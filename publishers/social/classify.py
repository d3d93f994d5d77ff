"""Errors classified once, for every channel: retryable, permanent, or unknown outcome.

- Retryable: 5xx, timeouts before the request was sent, connection errors, rate limits (with the
  platform's reset time when it tells us), Graph 1/2/4/17/32/613/80000-range and 368 — on every
  call that cannot make a post public by itself (uploads, containers, reads).
- WordPress: 401 (bad application password) needs new credentials, 403 (a capability the user
  lacks) and 413 (upload too large, reason TOO_LARGE) are permanent, 429 retryable, 5xx on the
  post create unknown; a trashed or unknown post (410, 404) is NOT_FOUND.
- Permanent: expired or invalid tokens (X 401, Graph 190), duplicate content (X 403 "duplicate
  content", Graph 506) on a target's first attempt, invalid media, permissions (Graph 10 and
  200-299), other 4xx.
- Unknown: the request that creates the post (X `create_tweet`, Graph `/feed`, a published
  `/photos`, Instagram `media_publish`) was sent and the answer does not say what happened: a
  5xx (X 503, Graph code 1/2 — platforms do create the post and then answer so), a read timeout,
  a connection dropped after sending, a garbage body. Also a duplicate refusal of a target that
  was tried before (`for_attempt`): the duplicate may be our own earlier post. The post may
  exist: reconcile with `find_existing` before anything is sent again.

Deletes (`for_delete`): "not found" means the post is already gone, which is what was wanted;
an unknown outcome is simply sent again, because deleting twice changes nothing.

The platform's own status, code, subcode and message are kept, after secret redaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from content.infra.timeutil import utcnow
from content.models import AttemptOutcome, Channel
from publishers.social.result import Reason, Receipt
from publishers.social.transport import redact

RETRYABLE, PERMANENT, UNKNOWN = (
    AttemptOutcome.RETRYABLE,
    AttemptOutcome.PERMANENT,
    AttemptOutcome.UNKNOWN,
)

# --- network level -----------------------------------------------------------------------------


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack += [current.__cause__, current.__context__]
        stack += [a for a in current.args if isinstance(a, BaseException)]
        if isinstance(current, MaxRetryError) and isinstance(current.reason, BaseException):
            stack.append(current.reason)


def never_sent(exc: BaseException) -> bool:
    """True when the connection itself failed, so the platform never saw the request."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    return any(isinstance(e, NewConnectionError | ConnectTimeoutError) for e in _chain(exc))


def from_exception(
    channel: Channel,
    exc: BaseException,
    *,
    creating: bool,
    http_status: int | None = None,
) -> Receipt:
    """A receipt for a call that raised instead of answering with an error body."""
    message = redact(f"{type(exc).__name__}: {exc}")[:500]
    if never_sent(exc):
        reason = Reason.TIMEOUT if isinstance(exc, requests.ConnectTimeout) else Reason.NETWORK
        return Receipt(channel, RETRYABLE, reason, platform_message=message)
    if isinstance(exc, ValueError | KeyError | TypeError):  # incl. requests' JSONDecodeError
        # An answer we cannot read: on a create, whatever its status, it may hide a new post.
        server = http_status is not None and http_status >= 500
        reason = Reason.SERVER if server else Reason.BAD_RESPONSE
        outcome = UNKNOWN if creating else RETRYABLE
    else:
        reason = Reason.TIMEOUT if isinstance(exc, requests.Timeout) else Reason.NETWORK
        outcome = UNKNOWN if creating else RETRYABLE
    return Receipt(channel, outcome, reason, http_status=http_status, platform_message=message)


# --- X ------------------------------------------------------------------------------------------

DUPLICATE_TEXT = "duplicate content"


def _epoch(value: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value).strip()), UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


def x_retry_after(headers: Mapping[str, str], now: datetime | None = None) -> datetime | None:
    """When X says we may call again: the per-15-minute window, or the 24-hour user/app caps
    when those are what ran out (the later one wins)."""
    now = now or utcnow()
    lowered = {k.lower(): v for k, v in headers.items()}
    moments: list[datetime] = []
    for prefix in ("x-user-limit-24hour", "x-app-limit-24hour"):
        if lowered.get(f"{prefix}-remaining") == "0":
            moment = _epoch(lowered.get(f"{prefix}-reset"))
            if moment:
                moments.append(moment)
    if not moments or lowered.get("x-rate-limit-remaining") == "0":
        moment = _epoch(lowered.get("x-rate-limit-reset"))
        if moment:
            moments.append(moment)
    retry_after = lowered.get("retry-after", "")
    if retry_after.isdigit():
        moments.append(now + timedelta(seconds=int(retry_after)))
    return max(moments) if moments else None


def x_message(body: Any) -> tuple[str, str]:
    """(code, message) from an X v2 error body: problem `type` and `detail`, or v1.1 errors."""
    if not isinstance(body, Mapping):
        return "", ""
    problem = str(body.get("type") or "")
    code = "" if problem in {"", "about:blank"} else problem.rstrip("/").rsplit("/", 1)[-1]
    message = str(body.get("detail") or "")
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
        first = errors[0]
        message = message or str(first.get("message") or first.get("detail") or "")
        if not code and first.get("code") is not None:
            code = str(first["code"])
    return code, message or str(body.get("title") or "")


def _server(creating: bool) -> AttemptOutcome:
    """A 5xx: the platform may have done the work before failing to say so (X 503 and Graph
    code 2 after the post was created happen in production). Only a create can leave a post."""
    return UNKNOWN if creating else RETRYABLE


def _x_rule(status: int, code: str, message: str, creating: bool) -> tuple[AttemptOutcome, Reason]:
    duplicate = DUPLICATE_TEXT in message.lower()
    rules: tuple[tuple[bool, AttemptOutcome, Reason], ...] = (
        (status == 429 and code == "usage-capped", RETRYABLE, Reason.QUOTA),
        (status == 429, RETRYABLE, Reason.RATE_LIMIT),
        (status >= 500, _server(creating), Reason.SERVER),
        (status == 401, PERMANENT, Reason.AUTH),
        (status == 403 and duplicate, PERMANENT, Reason.DUPLICATE),
        (status == 403, PERMANENT, Reason.PERMISSION),
        (status == 402, PERMANENT, Reason.QUOTA),  # pay-per-use credits exhausted
        (status == 404, PERMANENT, Reason.NOT_FOUND),
    )
    return next(((o, r) for hit, o, r in rules if hit), (PERMANENT, Reason.INVALID_REQUEST))


def classify_x(
    status: int,
    headers: Mapping[str, str],
    body: Any,
    *,
    media: bool = False,
    creating: bool = False,
) -> Receipt:
    """An X HTTP error response (non-2xx); `creating` marks `POST /2/tweets`."""
    code, message = x_message(body)
    outcome, reason = _x_rule(status, code, message, creating)
    if media and reason is Reason.INVALID_REQUEST:
        reason = Reason.INVALID_MEDIA
    return Receipt(
        Channel.X,
        outcome,
        reason,
        http_status=status,
        platform_code=code or str(status),
        platform_message=redact(message)[:500],
        retry_after=x_retry_after(headers) if status == 429 else None,
    )


# --- Graph API (Facebook, Instagram) ----------------------------------------------------------

GRAPH_RATE_LIMIT = frozenset({4, 17, 32, 613}) | frozenset(range(80000, 80015))
GRAPH_AUTH = frozenset({102, 190})
GRAPH_PERMISSION = frozenset({10}) | frozenset(range(200, 300))
GRAPH_TRANSIENT = frozenset({1, 2})
# Instagram's "could not fetch / unsupported media" family and Facebook's image errors.
GRAPH_MEDIA_CODES = frozenset({324, 352, 36000, 36001, 36003, 36004, 9004})
GRAPH_MEDIA_SUBCODES = frozenset({2207052, 2207026, 2207004, 2207005, 2207009, 2207027})
IG_PUBLISH_LIMIT_SUBCODE = 2207042


def _minutes_to_regain(headers: Mapping[str, str]) -> int | None:
    """Meta's `estimated_time_to_regain_access` (minutes) from the usage headers."""
    found: list[int] = []
    for name, value in headers.items():
        if name.lower() not in {"x-business-use-case-usage", "x-app-usage", "x-ad-account-usage"}:
            continue
        try:
            parsed = json.loads(value)
        except ValueError:
            continue
        entries: list[Any] = []
        if isinstance(parsed, Mapping):
            entries.append(parsed)
            for item in parsed.values():
                entries += item if isinstance(item, list) else []
        for entry in entries:
            if isinstance(entry, Mapping):
                minutes = entry.get("estimated_time_to_regain_access")
                if isinstance(minutes, int | float) and minutes > 0:
                    found.append(int(minutes))
    return max(found) if found else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def classify_graph(
    channel: Channel,
    error: Any,
    *,
    http_status: int | None,
    headers: Mapping[str, str] | None = None,
    creating: bool = False,
) -> Receipt:
    """A Graph API error: `error` is the body's "error" object (or whatever the SDK raised with)."""
    headers = headers or {}
    if not isinstance(error, Mapping):
        # Not a Graph error body: an HTML 502 from a proxy, an empty answer...
        message = redact(str(error or ""))[:500]
        if http_status is not None and http_status >= 500:
            return Receipt(
                channel,
                _server(creating),
                Reason.SERVER,
                http_status=http_status,
                platform_message=message,
            )
        outcome = UNKNOWN if creating else RETRYABLE
        return Receipt(
            channel, outcome, Reason.BAD_RESPONSE, http_status=http_status, platform_message=message
        )
    code = _int(error.get("code"))
    subcode = _int(error.get("error_subcode"))
    message = str(error.get("message") or "")
    user_message = str(error.get("error_user_msg") or "")
    if user_message and user_message not in message:
        message = f"{message} ({user_message})" if message else user_message
    outcome, reason = _graph_rule(
        code, subcode, error.get("is_transient") is True, http_status, creating
    )
    retry_after = None
    if reason is Reason.RATE_LIMIT:
        minutes = _minutes_to_regain(headers)
        retry_after = utcnow() + timedelta(minutes=minutes) if minutes else None
    return Receipt(
        channel,
        outcome,
        reason,
        http_status=http_status,
        platform_code="" if code is None else str(code),
        platform_subcode="" if subcode is None else str(subcode),
        platform_message=redact(message)[:500],
        retry_after=retry_after,
    )


def _graph_rule(
    code: int | None, subcode: int | None, transient: bool, status: int | None, creating: bool
) -> tuple[AttemptOutcome, Reason]:
    """First matching rule wins; the order matters (a rate limit is never "permission")."""
    rules: tuple[tuple[bool, AttemptOutcome, Reason], ...] = (
        (code in GRAPH_RATE_LIMIT, RETRYABLE, Reason.RATE_LIMIT),
        (subcode == IG_PUBLISH_LIMIT_SUBCODE, RETRYABLE, Reason.QUOTA),
        (code == 368, RETRYABLE, Reason.TEMPORARY_BLOCK),
        (code in GRAPH_AUTH, PERMANENT, Reason.AUTH),
        (code == 506, PERMANENT, Reason.DUPLICATE),
        (code in GRAPH_PERMISSION, PERMANENT, Reason.PERMISSION),
        (
            code in GRAPH_MEDIA_CODES or subcode in GRAPH_MEDIA_SUBCODES,
            PERMANENT,
            Reason.INVALID_MEDIA,
        ),
        (code in GRAPH_TRANSIENT or transient, _server(creating), Reason.SERVER),
        (status is not None and status >= 500, _server(creating), Reason.SERVER),
        (code == 100 and subcode == 33, PERMANENT, Reason.NOT_FOUND),
    )
    return next(((o, r) for hit, o, r in rules if hit), (PERMANENT, Reason.INVALID_REQUEST))


# --- WordPress (an OPD website) -------------------------------------------------------------

WP_GONE = frozenset({404, 410})  # rest_post_invalid_id; rest_already_trashed


def wp_message(body: Any) -> tuple[str, str]:
    """(code, message) from a WordPress REST error body {"code", "message", "data"}."""
    if not isinstance(body, Mapping):
        return "", ""
    return str(body.get("code") or ""), str(body.get("message") or "")


def _wp_rule(status: int, creating: bool) -> tuple[AttemptOutcome, Reason]:
    rules: tuple[tuple[bool, AttemptOutcome, Reason], ...] = (
        (status == 429, RETRYABLE, Reason.RATE_LIMIT),
        (status >= 500, _server(creating), Reason.SERVER),
        (status == 401, PERMANENT, Reason.AUTH),  # a revoked or mistyped application password
        (status == 403, PERMANENT, Reason.PERMISSION),  # the user lacks a capability
        (status == 413, PERMANENT, Reason.TOO_LARGE),  # above upload_max_filesize / nginx's limit
        (status in WP_GONE, PERMANENT, Reason.NOT_FOUND),
    )
    return next(((o, r) for hit, o, r in rules if hit), (PERMANENT, Reason.INVALID_REQUEST))


def classify_wp(
    status: int, headers: Mapping[str, str], body: Any, *, creating: bool = False
) -> Receipt:
    """A WordPress REST error response (non-2xx); `creating` marks `POST /wp/v2/posts`. The body
    may be HTML (a 413 or 502 from the web server in front): the status decides alone."""
    code, message = wp_message(body)
    outcome, reason = _wp_rule(status, creating)
    retry_after = None
    if status == 429:
        wait = {k.lower(): v for k, v in headers.items()}.get("retry-after", "")
        retry_after = utcnow() + timedelta(seconds=int(wait)) if wait.isdigit() else None
    return Receipt(
        Channel.WEBSITE,
        outcome,
        reason,
        http_status=status,
        platform_code=code or str(status),
        platform_message=redact(message)[:500],
        retry_after=retry_after,
    )


# --- deletes ------------------------------------------------------------------------------------


def for_delete(receipt: Receipt) -> Receipt:
    """A failed delete's receipt, read for a delete: the post already gone (X 404, Graph 100/33,
    WordPress 404/410) is a success; an unknown outcome is retryable (a delete is idempotent)."""
    if receipt.reason is Reason.NOT_FOUND:
        return replace(receipt, outcome=AttemptOutcome.SUCCESS)
    if receipt.outcome is UNKNOWN:
        return replace(receipt, outcome=RETRYABLE)
    return receipt


# --- what earlier attempts of the same target change ----------------------------------------


def for_attempt(receipt: Receipt, attempt_number: int) -> Receipt:
    """The receipt as it stands for a target's `attempt_number`-th attempt (1 = first). A
    duplicate refusal after an earlier attempt may be the platform recognising *our own* earlier
    post (created, then answered 5xx or lost): unknown, to be settled by `find_existing`. On the
    first attempt it is a real duplicate of something else, and stays permanent."""
    if receipt.reason is Reason.DUPLICATE and attempt_number > 1:
        return replace(receipt, outcome=UNKNOWN)
    return receipt


def duplicate_not_found(
    channel: Channel, code: str, http_status: int | None, platform_message: str
) -> Receipt:
    """A duplicate refusal whose earlier post reconciliation did not find: the platform refuses
    the text for another reason (a post nobody here made). Permanent; sending again would loop."""
    platform_code, _, subcode = code.partition("/")
    return Receipt(
        channel,
        PERMANENT,
        Reason.DUPLICATE,
        http_status=http_status,
        platform_code=platform_code,
        platform_subcode=subcode,
        platform_message=platform_message,
    )


def window_not_covered(channel: Channel, read: int) -> Receipt:
    """Reconciliation read its bound of the account's own posts (`read`) without reaching the
    start of the window: it cannot say "not there", so the outcome stays in doubt."""
    return Receipt(
        channel,
        RETRYABLE,
        Reason.UNKNOWN,
        platform_message=f"more than {read} posts since the first attempt; not settled",
    )
