"""Faults on demand (`POST /_sim/faults`), answered in each platform's own error shape.

A fault matches calls by platform ("x", "graph", "wp" for WordPress, or "any"), HTTP method and
a regular expression on the path, except calls carrying the parameter values in `unless` (e.g.
{"published": "false"} leaves Facebook's unpublished photo uploads alone and hits the published
ones); it lets the first `after` matching calls through and then fires `times` times
(unlimited when null); with `every: N` it fires only on every Nth matching call after those
(the Nth, 2Nth, ...). Every matching fault counts each call; the first one that fires answers it.
Kinds:

  rate_limit      X 429 with x-rate-limit-* (or x-user-limit-24hour-* with scope "user24h");
                  Graph code 4, 17, 32 or 613 with usage headers (estimated_time_to_regain_access)
  server_error    X 503 / Graph 500 code 2 (status settable)
  html_error      a 502 HTML page, as from a gateway in front of the platform
  slow            wait `delay` seconds, then handle the call (a caller that hung up
                  meanwhile cancels it: nothing is created)
  slow_after      handle the call (the post is created), then wait `delay` seconds to answer
  created_then_error  handle the call (the post is created), then answer X 503 / Graph 500
                  code 2 anyway (status settable), as both platforms do in production
  created_then_drop   handle the call (the post is created), then drop the connection
                  half-way through the answer (the caller sees a broken connection)
  duplicate       X 403 "duplicate content" / Graph 506
  expired_token   X 401 / Graph 190 (subcode 463)
  temporary_block Graph 368
  permission      X 403 / Graph 200
  malformed       200 with a body that is not JSON
  graph_error     any Graph error: code, subcode, message, status
  x_error         any X error: status, title, detail, type
  too_large       WordPress 413 (an upload above the site's limit)
  wp_error        any WordPress error: status, type (its code), message

WordPress ("wp") answers in its own shape ({"code", "message", "data": {"status"}}): 401
incorrect_password for expired_token, 403 rest_cannot_create for permission, 500 for
server_error and created_then_error, 429 with Retry-After for rate_limit.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = frozenset(
    {
        "rate_limit",
        "server_error",
        "html_error",
        "slow",
        "slow_after",
        "created_then_error",
        "created_then_drop",
        "duplicate",
        "expired_token",
        "temporary_block",
        "permission",
        "malformed",
        "graph_error",
        "x_error",
        "too_large",
        "wp_error",
    }
)
PLATFORMS = frozenset({"x", "graph", "wp", "any"})
GRAPH_RATE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
}
X_DUPLICATE = "You are not allowed to create a Tweet with duplicate content."


class FaultError(ValueError):
    pass


@dataclass
class Fault:
    kind: str
    platform: str = "any"
    method: str | None = None
    path: str | None = None
    after: int = 0
    times: int | None = None
    every: int | None = None
    unless: dict[str, str] | None = None
    delay: float = 0.0
    status: int | None = None
    code: int | None = None
    subcode: int | None = None
    message: str | None = None
    reset_in: int = 900
    scope: str = "window"  # X rate limits: "window" (15 min) or "user24h"
    title: str | None = None
    type: str | None = None
    id: int = 0
    seen: int = 0
    fired: int = 0
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, raw: Mapping[str, Any], fault_id: int) -> Fault:
        known = {f for f in cls.__dataclass_fields__ if not f.startswith("_")}
        unknown = set(raw) - known
        if unknown:
            raise FaultError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        fault = cls(**{k: v for k, v in raw.items() if k not in {"id", "seen", "fired"}})
        fault.id = fault_id
        if fault.kind not in KINDS:
            raise FaultError(f"kind must be one of {', '.join(sorted(KINDS))}")
        if fault.platform not in PLATFORMS:
            raise FaultError("platform must be x, graph, wp or any")
        if fault.every is not None and (not isinstance(fault.every, int) or fault.every < 1):
            raise FaultError("every must be a whole number from 1")
        if fault.unless is not None and not isinstance(fault.unless, dict):
            raise FaultError("unless must be an object of parameter values")
        if fault.method:
            fault.method = fault.method.upper()
        try:
            fault._pattern = re.compile(fault.path) if fault.path else None
        except re.error as exc:
            raise FaultError(f"path is not a regular expression: {exc}") from None
        return fault

    def matches(
        self, platform: str, method: str, path: str, params: Mapping[str, str] | None = None
    ) -> bool:
        if self.platform not in {"any", platform}:
            return False
        if self.method and self.method != method:
            return False
        if self.unless and params is not None and self._excluded(params):
            return False
        return self._pattern is None or bool(self._pattern.search(path))

    def _excluded(self, params: Mapping[str, str]) -> bool:
        wanted = (self.unless or {}).items()
        return any(str(params.get(k, "")).lower() == str(v).lower() for k, v in wanted)

    def due(self) -> bool:
        """Whether this (already counted) call is one the fault fires on."""
        if self.seen <= self.after:
            return False
        if self.times is not None and self.fired >= self.times:
            return False
        return self.every is None or (self.seen - self.after) % self.every == 0

    def public(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}


class FaultBook:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, raw: Mapping[str, Any]) -> Fault:
        with self._lock:
            fault = Fault.parse(raw, next(self._ids))
            self._faults.append(fault)
            return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.public() for f in self._faults]

    def take(
        self, platform: str, method: str, path: str, params: Mapping[str, str] | None = None
    ) -> Fault | None:
        """The fault that fires for this call, if any. Every matching fault counts the call, so
        "every 3rd" and "every 7th" on one path keep their own rhythm; the first that fires wins."""
        chosen: Fault | None = None
        with self._lock:
            for fault in self._faults:
                if not fault.matches(platform, method, path, params):
                    continue
                fault.seen += 1
                if chosen is None and fault.due():
                    fault.fired += 1
                    chosen = fault
        return chosen


# --- error bodies -------------------------------------------------------------------------------

Answer = tuple[int, Any, dict[str, str]]


def x_problem(status: int, title: str, detail: str, problem: str = "about:blank") -> Any:
    return {"title": title, "detail": detail, "type": problem, "status": status}


def graph_error(
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    transient: bool = False,
    user_title: str | None = None,
    user_msg: str | None = None,
) -> Any:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "is_transient": transient,
        "fbtrace_id": f"Sim{int(time.time() * 1000) % 10**9:09d}",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    if user_title:
        error["error_user_title"] = user_title
    if user_msg:
        error["error_user_msg"] = user_msg
    return {"error": error}


def _x_rate_limit(fault: Fault, now: float) -> Answer:
    reset = str(int(now) + fault.reset_in)
    headers = {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0"}
    headers["x-rate-limit-reset"] = reset
    if fault.scope == "user24h":  # the daily cap ran out while the 15-minute window has room
        headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "42",
            "x-rate-limit-reset": str(int(now) + 60),
            "x-user-limit-24hour-limit": "100",
            "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": reset,
        }
    return 429, x_problem(429, "Too Many Requests", "Too Many Requests"), headers


def _x_simple(status: int, title: str, detail: str) -> Callable[[Fault, float], Answer]:
    def build(fault: Fault, now: float) -> Answer:
        code = fault.status or status
        return code, x_problem(code, title, detail), {}

    return build


def _x_custom(fault: Fault, now: float) -> Answer:
    status = fault.status or 400
    body = x_problem(
        status,
        fault.title or "Invalid Request",
        fault.message or "One or more parameters to your request was invalid.",
        fault.type or "about:blank",
    )
    return status, body, {}


X_ANSWERS: dict[str, Callable[[Fault, float], Answer]] = {
    "rate_limit": _x_rate_limit,
    "server_error": _x_simple(503, "Service Unavailable", "Service Unavailable"),
    "created_then_error": _x_simple(503, "Service Unavailable", "Service Unavailable"),
    "duplicate": _x_simple(403, "Forbidden", X_DUPLICATE),
    "expired_token": _x_simple(401, "Unauthorized", "Unauthorized"),
    "permission": _x_simple(403, "Forbidden", "You are not permitted to perform this action."),
    "x_error": _x_custom,
}


def _graph_rate_limit(fault: Fault, now: float) -> Answer:
    code = fault.code or 4
    minutes = max(1, math.ceil(fault.reset_in / 60))
    usage = {
        "type": "pages",
        "call_count": 100,
        "total_cputime": 40,
        "total_time": 60,
        "estimated_time_to_regain_access": minutes,
    }
    headers = {"x-app-usage": json.dumps({"call_count": 100, "total_cputime": 40})}
    headers["x-business-use-case-usage"] = json.dumps({"sim-business": [usage]})
    message = GRAPH_RATE_MESSAGES.get(code, f"(#{code}) Rate limit reached")
    return 400, graph_error(code, message, transient=True), headers


def _graph_simple(
    status: int, code: int, message: str, subcode: int | None = None, **extra: Any
) -> Callable[[Fault, float], Answer]:
    def build(fault: Fault, now: float) -> Answer:
        return fault.status or status, graph_error(code, message, subcode=subcode, **extra), {}

    return build


def _graph_custom(fault: Fault, now: float) -> Answer:
    code = fault.code if fault.code is not None else 100
    body = graph_error(code, fault.message or "Simulated error", subcode=fault.subcode)
    return fault.status or 400, body, {}


GRAPH_ANSWERS: dict[str, Callable[[Fault, float], Answer]] = {
    "rate_limit": _graph_rate_limit,
    "server_error": _graph_simple(500, 2, "Service temporarily unavailable", transient=True),
    "created_then_error": _graph_simple(
        500, 2, "An unexpected error has occurred. Please retry your request later.", transient=True
    ),
    "duplicate": _graph_simple(
        400,
        506,
        "Duplicate status message",
        1455006,
        user_title="Duplicate Status Update",
        user_msg="This status update is identical to the last one you posted.",
    ),
    "expired_token": _graph_simple(
        400, 190, "Error validating access token: Session has expired.", 463
    ),
    "temporary_block": _graph_simple(
        400, 368, "It looks like you were misusing this feature by going too fast.", 1390008
    ),
    "permission": _graph_simple(
        403, 200, "(#200) The user hasn't authorized the application to perform this action"
    ),
    "graph_error": _graph_custom,
}


def wp_error(status: int, code: str, message: str) -> Any:
    return {"code": code, "message": message, "data": {"status": status}}


def _wp_simple(status: int, code: str, message: str) -> Callable[[Fault, float], Answer]:
    def build(fault: Fault, now: float) -> Answer:
        return fault.status or status, wp_error(fault.status or status, code, message), {}

    return build


def _wp_rate_limit(fault: Fault, now: float) -> Answer:
    body = wp_error(429, "too_many_requests", "Too many requests.")
    return 429, body, {"Retry-After": str(fault.reset_in)}


def _wp_custom(fault: Fault, now: float) -> Answer:
    status = fault.status or 400
    message = fault.message or "Invalid parameter."
    body = wp_error(status, fault.type or "rest_invalid_param", message)
    return status, body, {}


WP_ANSWERS: dict[str, Callable[[Fault, float], Answer]] = {
    "rate_limit": _wp_rate_limit,
    "server_error": _wp_simple(
        500, "internal_server_error", "There has been a critical error on this website."
    ),
    "created_then_error": _wp_simple(
        500, "internal_server_error", "There has been a critical error on this website."
    ),
    "expired_token": _wp_simple(
        401, "incorrect_password", "The provided password is an invalid application password."
    ),
    "permission": _wp_simple(
        403, "rest_cannot_create", "Sorry, you are not allowed to create posts as this user."
    ),
    "too_large": _wp_simple(
        413, "rest_upload_file_too_big", "The uploaded file exceeds the upload_max_filesize."
    ),
    "wp_error": _wp_custom,
}


def answer(fault: Fault, platform: str, now: float) -> Answer:
    """(status, JSON body or None for an HTML page, headers) for a firing fault. Graph-only
    kinds aimed at X (and the reverse) answer in the other platform's shape on purpose."""
    tables = {"x": X_ANSWERS, "wp": WP_ANSWERS}
    table = tables.get(platform, GRAPH_ANSWERS)
    build = table.get(fault.kind) or {**WP_ANSWERS, **GRAPH_ANSWERS, **X_ANSWERS}.get(fault.kind)
    if build is None:  # html_error
        return fault.status or 502, None, {}
    return build(fault, now)
