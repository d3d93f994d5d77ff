"""Security headers on every HTTP answer of the dashboard's server.

The dashboard must never be framed by another site (clickjacking: a page that frames it could
trick a signed-in PPID Utama into pressing "Tayangkan sekarang"), must not have its answers
sniffed into another type, and tells other sites nothing of its addresses. Streamlit 1.x serves
through Starlette; `install()` adds one small ASGI middleware in front of Streamlit's own stack
(dashboard/serve.py calls it before the server starts). The reverse proxy sends the same headers
(deploy/); sending them here too keeps a dashboard reached directly on the LAN just as safe.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]


class SecurityHeaders:
    """ASGI middleware: add SECURITY_HEADERS to each HTTP response that does not set them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":  # the websocket has no headers to protect
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message.get("type") == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS:
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install() -> None:
    """Put SecurityHeaders first in Streamlit's middleware stack (before its server starts).

    Streamlit builds its Starlette app from `create_streamlit_middleware()`; wrapping that one
    function is the narrowest hook it has. If a Streamlit upgrade renames it, this fails at
    start-up instead of silently serving without the headers."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    original = starlette_app.create_streamlit_middleware

    def with_headers() -> list[Middleware]:
        return [Middleware(SecurityHeaders), *original()]

    starlette_app.create_streamlit_middleware = with_headers
