"""The simulator's ASGI app: platform traffic (X on /2/..., WordPress on /wp-json/..., Graph on
everything else) with faults applied and every call logged; admin endpoints under /_sim (see
admin.py); the WordPress posts' public pages under /situs/."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from publishers.simulator import admin, graph_api, wp_api, x_api
from publishers.simulator.calls import Answer, Call, Upload, route_key
from publishers.simulator.faults import answer
from publishers.simulator.state import LogEntry, SimState

X_JSON = "application/json; charset=utf-8"
GRAPH_JSON = "application/json; charset=UTF-8"
GARBLED = b'{"data": {"id": "'  # a body cut short: valid start, never valid JSON
HANDLED_FIRST = frozenset(
    {"slow", "slow_after", "malformed", "created_then_error", "created_then_drop"}
)
HUNG_UP = 499  # nginx's "client closed request": logged, never seen by anyone
BAD_GATEWAY = b"<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"


async def _call(request: Request) -> Call:
    params = {k: v for k, v in request.query_params.items()}
    files: dict[str, Upload] = {}
    body: Any = None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        async with request.form(max_part_size=16 * 1024 * 1024) as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    data = await value.read()
                    kind = value.content_type or "application/octet-stream"
                    files[key] = Upload(value.filename or key, data, kind)
                else:
                    params[key] = value
    else:
        raw = await request.body()
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
    return Call(
        method=request.method,
        path=request.url.path,
        params=params,
        files=files,
        json=body,
        headers={k.lower(): v for k, v in request.headers.items()},
        base_url=str(request.base_url).rstrip("/"),
    )


def _render(platform: str, result: Answer) -> Response:
    status, body, headers = result
    if body is None:
        return Response(BAD_GATEWAY, status, headers, media_type="text/html")
    content = json.dumps(body, ensure_ascii=False).encode()
    media_type = X_JSON if platform == "x" else GRAPH_JSON  # WordPress sends charset=UTF-8 too
    return Response(content, status, headers, media_type=media_type)


def platform_of(path: str) -> str:
    if path.startswith("/2/"):
        return "x"
    return "wp" if path.startswith("/wp-json/") else "graph"


class DroppedResponse(Response):
    """Announces the whole answer, sends a few bytes of it, and stops: the server closes the
    connection mid-answer, as a crashing front end or a reset does."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(self.body) + 64).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": bytes(self.body[:8]), "more_body": True})
        # Returning with the answer incomplete makes the server close the connection.


class RateWindow:
    """x-rate-limit-* headers on every X answer, counted per endpoint per 15 minutes."""

    LIMIT = 300

    def __init__(self) -> None:
        self.windows: dict[str, tuple[int, int]] = {}

    def headers(self, route: str, now: float) -> dict[str, str]:
        start = int(now) - int(now) % 900
        window, used = self.windows.get(route, (start, 0))
        if window != start:
            window, used = start, 0
        used += 1
        self.windows[route] = (window, used)
        return {
            "x-rate-limit-limit": str(self.LIMIT),
            "x-rate-limit-remaining": str(max(0, self.LIMIT - used)),
            "x-rate-limit-reset": str(window + 900),
        }


def create_app(state: SimState | None = None) -> Starlette:
    state = state or SimState()
    windows = RateWindow()

    async def platform(request: Request) -> Response:
        path = request.url.path
        kind = platform_of(path)
        method = request.method
        route = route_key(kind, path)
        entry = state.record(kind, method, path, route)
        try:
            call = await _call(request)
        except ClientDisconnect:
            entry.status = HUNG_UP
            return Response(status_code=HUNG_UP)
        fault = state.faults.take(kind, method, path, call.params)
        entry.fault = fault.kind if fault else None
        if fault and fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            if await request.is_disconnected():
                # The caller hung up before the platform got to its request: nothing happens.
                entry.status = HUNG_UP
                return Response(status_code=HUNG_UP)
        if fault and fault.kind not in HANDLED_FIRST:
            response = _render(kind, answer(fault, kind, state.now()))
        else:
            response = handle(call, kind, route, entry)
            if fault and fault.kind == "malformed":
                # The call was handled (a post may now exist) but the answer arrives garbled.
                response = Response(GARBLED, 200, media_type=X_JSON if kind == "x" else GRAPH_JSON)
            elif fault and fault.kind == "created_then_error":
                # Done, then answered as a failure: the platforms' most misleading answer.
                response = _render(kind, answer(fault, kind, state.now()))
            elif fault and fault.kind == "created_then_drop":
                response = DroppedResponse(response.body, response.status_code)
        if fault and fault.kind == "slow_after":
            await asyncio.sleep(fault.delay)
        entry.status = response.status_code
        return response

    def handle(call: Call, kind: str, route: str, entry: LogEntry) -> Response:
        handlers = {"x": x_api.handle, "wp": wp_api.handle, "graph": graph_api.dispatch}
        result = handlers[kind](state, call)
        if kind == "x":
            result[2].update(windows.headers(f"{call.method} {route}", state.now()))
        if kind == "graph" and "batch" in call.params and isinstance(result[1], list):
            entry.batch_size = len(result[1])
        return _render(kind, result)

    async def website_page(request: Request) -> Response:
        status, body = wp_api.page(state, request.path_params["slug"])
        return HTMLResponse(body, status)

    routes = [
        *admin.ROUTES,
        Route("/situs/{slug}/", website_page, methods=["GET"]),
        Route("/{path:path}", platform, methods=["GET", "POST", "DELETE"]),
    ]
    app = Starlette(routes=routes)
    app.state.sim = state
    return app
