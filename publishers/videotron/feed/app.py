"""The videotron feed: playlists, slide images, the player page, proof of play, heartbeats, and
the photos Instagram's servers fetch. No login: it serves only what is published, validates
every name it is asked for, and bounds every body it reads. One short transaction per request.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from content import playlist
from content.infra.config import Settings
from content.infra.db import Session as SharedSession
from content.infra.db import bind, make_engine
from content.infra.errors import AuthenticationFailed, DomainError, NotFound, ValidationFailed
from content.infra.store import BlobStore, FileBlobStore
from content.infra.timeutil import utcnow
from content.playlist import ScreenInfo
from publishers.social.webhooks import routes as webhook_routes
from publishers.storage import open_store
from publishers.videotron.default import DefaultSlide, render_default
from publishers.videotron.feed.guard import RateLimiter, Refused, presented_key
from publishers.videotron.feed.payloads import (
    BadRequest,
    PlayerOptions,
    encode_document,
    etag_matches,
    iso,
    parse_heartbeat,
    parse_plays,
    playlist_document,
)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}\Z")
_SLIDE_NAME = re.compile(r"^([0-9a-f]{64})\.(png|jpg)\Z")
_MIMES = {"png": "image/png", "jpg": "image/jpeg"}
# A slide's bytes never change under its name, but a slide may be ended or withdrawn at any
# time: caches must ask again (a cheap 304) so a withdrawn slide stops being served at once.
SLIDE_CACHE = "no-cache"
DEFAULT_CACHE = "public, max-age=86400"
# Instagram fetches a photo once; a short cache lets a withdrawn post stop being served soon.
MEDIA_CACHE = "public, max-age=300"
PLAYER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_ASSETS = {
    "player": ("player.html", "text/html; charset=utf-8"),
    "player.js": ("player.js", "text/javascript; charset=utf-8"),
    "player.css": ("player.css", "text/css; charset=utf-8"),
    "sw.js": ("sw.js", "text/javascript; charset=utf-8"),
}
KEEPALIVE_SECONDS = 15.0
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@dataclass(frozen=True)
class FeedOptions:
    player: PlayerOptions = field(default_factory=PlayerOptions)
    max_body_bytes: int = 256 * 1024
    horizon_days: int = playlist.DEFAULT_HORIZON_DAYS
    # Reports per player key: a burst, then this many a second on average.
    reports_per_second: float = 2.0
    reports_burst: int = 20
    logo: str = ""  # the city's emblem for the default slide (a PNG path); empty: a drawn one
    # Server-sent events: how often a screen's playlist is looked at for connected players,
    # how long one stream lasts, and how many may be open at once.
    push_check_seconds: float = 0.5
    push_stream_seconds: float = 300.0
    push_max_streams: int = 200

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedOptions:
        section = settings.section("feed")
        videotron = settings.section("videotron")
        return cls(
            PlayerOptions(
                poll_seconds=float(section.get("poll_seconds", 30)),
                heartbeat_seconds=float(section.get("heartbeat_seconds", 60)),
                plays_flush_seconds=float(section.get("plays_flush_seconds", 30)),
            ),
            max_body_bytes=int(section.get("max_body_bytes", 256 * 1024)),
            horizon_days=int(section.get("horizon_days", playlist.DEFAULT_HORIZON_DAYS)),
            reports_per_second=float(section.get("reports_per_second", 2.0)),
            reports_burst=int(section.get("reports_burst", 20)),
            logo=str(videotron.get("logo", "")),
            push_check_seconds=float(section.get("push_check_seconds", 0.5)),
            push_stream_seconds=float(section.get("push_stream_seconds", 300)),
            push_max_streams=int(section.get("push_max_streams", 200)),
        )


class BodyTooLarge(Exception):
    pass


class Changes:
    """What connected players are told: each screen's playlist ETag, looked at once per
    `push_check_seconds` however many players of that screen are connected."""

    def __init__(self, feed: Feed, options: FeedOptions) -> None:
        self.feed = feed
        self.options = options
        self.open = 0
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[float, str | None]] = {}

    def admit(self) -> bool:
        with self._lock:
            return self.open < self.options.push_max_streams

    def _etag(self, slug: str) -> str | None:
        now = time.monotonic()
        with self._lock:
            seen = self._seen.get(slug)
        if seen is not None and now - seen[0] < self.options.push_check_seconds * 0.8:
            return seen[1]
        try:
            etag: str | None = self.feed.document(slug)[1]
        except (SQLAlchemyError, DomainError):
            etag = None  # the player keeps what it has and polls as before
        with self._lock:
            self._seen[slug] = (now, etag)
        return etag

    async def stream(self, slug: str) -> AsyncIterator[str]:
        with self._lock:
            self.open += 1
        try:
            yield "retry: 1000\n\n"
            last: str | None = None
            quiet = 0.0
            ends = time.monotonic() + self.options.push_stream_seconds
            while time.monotonic() < ends:
                etag = await run_in_threadpool(self._etag, slug)
                if etag is not None and etag != last:
                    last, quiet = etag, 0.0
                    yield f"event: playlist\ndata: {json.dumps({'etag': etag})}\n\n"
                elif quiet >= KEEPALIVE_SECONDS:
                    quiet = 0.0
                    yield ": tetap tersambung\n\n"
                await asyncio.sleep(self.options.push_check_seconds)
                quiet += self.options.push_check_seconds
        finally:
            with self._lock:
                self.open -= 1


def _static(name: str) -> bytes:
    return (resources.files("publishers.videotron.feed") / "static" / name).read_bytes()


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=COMMON_HEADERS)


def _not_found() -> JSONResponse:
    return _error(404, "Tidak ditemukan.")


class Feed:
    def __init__(
        self,
        sessions: Callable[[], Session],
        store: BlobStore,
        options: FeedOptions,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.store = store
        self.options = options
        self.clock = clock
        self.assets = {route: (_static(file), mime) for route, (file, mime) in _ASSETS.items()}
        self.limiter = RateLimiter(options.reports_per_second, options.reports_burst)
        self.changes = Changes(self, options)
        self._defaults: dict[tuple[Any, ...], DefaultSlide] = {}
        self._defaults_lock = threading.Lock()

    def default_slide(self, screen: ScreenInfo) -> DefaultSlide:
        """The screen's default slide, rendered once per screen look (size, texts)."""
        look = (
            screen.slug,
            screen.width,
            screen.height,
            screen.name,
            screen.default_text,
            screen.viewing_distance_m,
        )
        with self._defaults_lock:
            found = self._defaults.get(look)
        if found is None:
            logo = Path(self.options.logo) if self.options.logo else None
            found = render_default(screen, logo=logo)
            with self._defaults_lock:
                if len(self._defaults) > 64:
                    self._defaults.clear()
                self._defaults[look] = found
        return found

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    # -- reading -----------------------------------------------------------------------------

    def healthz(self, _request: Request) -> Response:
        try:
            with self.transaction() as session:
                session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return _error(503, "Basis data tidak dapat dihubungi.")
        return JSONResponse({"status": "ok", "time": iso(self.clock())}, headers=COMMON_HEADERS)

    def document(self, slug: str) -> tuple[bytes, str]:
        """The screen's playlist document and its ETag, as of the feed's clock."""
        with self.transaction() as session:
            schedule = playlist.schedule_ahead(
                session, slug, self.clock(), self.options.horizon_days
            )
        default = self.default_slide(schedule.screen)
        url = f"/screens/{slug}/default/{default.sha256}.{default.extension}"
        return encode_document(playlist_document(schedule, default, url, self.options.player))

    def playlist(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        if not _SLUG.match(slug):
            return _not_found()
        body, etag = self.document(slug)
        headers = {**COMMON_HEADERS, "ETag": etag, "Cache-Control": "no-cache"}
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/json", headers=headers)

    def _blob(self, request: Request, sha256: str, extension: str, cache: str) -> Response:
        etag = f'"{sha256}"'
        headers = {**COMMON_HEADERS, "ETag": etag, "Cache-Control": cache}
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        mime = _MIMES[extension]
        if isinstance(self.store, FileBlobStore):
            path = self.store.path(sha256, extension)
            if not path.is_file():
                return _not_found()
            return FileResponse(path, media_type=mime, headers=headers)
        if not self.store.exists(sha256, extension):
            return _not_found()
        return Response(self.store.get(sha256, extension), media_type=mime, headers=headers)

    def slide(self, request: Request) -> Response:
        match = _SLIDE_NAME.match(request.path_params["name"])
        if match is None:
            return _not_found()
        sha256, extension = match.groups()
        with self.transaction() as session:
            servable = playlist.is_servable_slide(session, sha256, extension, self.clock())
        if not servable:
            return _not_found()
        return self._blob(request, sha256, extension, SLIDE_CACHE)

    def default(self, request: Request) -> Response:
        slug, name = request.path_params["slug"], request.path_params["name"]
        if not _SLUG.match(slug):
            return _not_found()
        with self.transaction() as session:
            screen = playlist.ScreenInfo.of(playlist.find_screen(session, slug))
        slide = self.default_slide(screen)
        if name != f"{slide.sha256}.{slide.extension}":
            return _not_found()  # an older look of the default slide: the player asks again
        etag = f'"{slide.sha256}"'
        headers = {**COMMON_HEADERS, "ETag": etag, "Cache-Control": DEFAULT_CACHE}
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        return Response(slide.data, media_type=slide.mime, headers=headers)

    def media(self, request: Request) -> Response:
        match = _SLIDE_NAME.match(request.path_params["name"])
        if match is None:
            return _not_found()
        sha256, extension = match.groups()
        with self.transaction() as session:
            public = playlist.is_public_photo(session, sha256, extension)
        if not public:
            return _not_found()
        return self._blob(request, sha256, extension, MEDIA_CACHE)

    def asset(self, request: Request) -> Response:
        slug, name = request.path_params["slug"], request.path_params["asset"]
        if not _SLUG.match(slug) or name not in self.assets:
            return _not_found()
        if name == "player":
            with self.transaction() as session:
                playlist.find_screen(session, slug)
        body, mime = self.assets[name]
        headers = {
            **COMMON_HEADERS,
            "Cache-Control": "no-cache",
            "Content-Security-Policy": PLAYER_CSP,
        }
        return Response(body, media_type=mime, headers=headers)

    def events(self, request: Request) -> Response:
        """Server-sent events: `playlist` with the current ETag at once and whenever it changes,
        so a connected player fetches a change within about a second instead of at its next
        poll (which stays as the fallback). Bounded: a stream ends after a few minutes (the
        browser reconnects by itself) and only so many are open at once."""
        slug = request.path_params["slug"]
        if not _SLUG.match(slug):
            return _not_found()
        with self.transaction() as session:
            playlist.find_screen(session, slug)
        if not self.changes.admit():
            return _error(503, "Terlalu banyak pemutar tersambung; pemutar tetap bertanya berkala.")
        headers = {**COMMON_HEADERS, "Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(
            self.changes.stream(slug), media_type="text/event-stream", headers=headers
        )

    # -- writing (from players) -----------------------------------------------------------------

    async def _body(self, request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if (
            declared is not None
            and declared.isdigit()
            and int(declared) > self.options.max_body_bytes
        ):
            raise BodyTooLarge
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.options.max_body_bytes:
                raise BodyTooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    def _reporter(self, request: Request) -> str:
        """The player key of a report (refusals without a database query first)."""
        key = presented_key(request)
        self.limiter.take(key)
        return key

    async def plays(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        if not _SLUG.match(slug):
            return _not_found()
        key = self._reporter(request)
        raw = await self._body(request)

        def work() -> dict[str, Any]:
            player_id, sent_at, events, malformed = parse_plays(raw)
            with self.transaction() as session:
                playlist.require_player_key(session, slug, key)
                result = playlist.record_plays(
                    session, slug, player_id, events, sent_at=sent_at, received_at=self.clock()
                )
            reasons = dict(result.reasons)
            if malformed:
                reasons["malformed"] = reasons.get("malformed", 0) + malformed
            return {
                "accepted": result.accepted,
                "duplicates": result.duplicates,
                "rejected": result.rejected + malformed,
                "reasons": {
                    code: {"count": count, "text": playlist.PLAY_REFUSALS[code]}
                    for code, count in sorted(reasons.items())
                },
            }

        return JSONResponse(await run_in_threadpool(work), headers=COMMON_HEADERS)

    async def heartbeat(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        if not _SLUG.match(slug):
            return _not_found()
        key = self._reporter(request)
        raw = await self._body(request)
        user_agent = request.headers.get("user-agent", "")

        def work() -> dict[str, Any]:
            beat = parse_heartbeat(raw, user_agent)
            with self.transaction() as session:
                playlist.require_player_key(session, slug, key)
                result = playlist.record_heartbeat(session, slug, beat, received_at=self.clock())
            return {"server_time": iso(result.server_time), "skew_ms": result.skew_ms}

        return JSONResponse(await run_in_threadpool(work), headers=COMMON_HEADERS)


async def _domain_error(  # noqa: PLR0911 - one answer per kind of error
    _request: Request, exc: Exception
) -> Response:
    if isinstance(exc, Refused):
        response = _error(exc.status, exc.message)
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        return response
    if isinstance(exc, AuthenticationFailed):
        return _error(401, exc.message)
    if isinstance(exc, BadRequest):
        return _error(400, exc.message)
    if isinstance(exc, NotFound):
        return _error(404, exc.message)
    if isinstance(exc, ValidationFailed):
        return _error(422, exc.message)
    if isinstance(exc, DomainError):
        return _error(400, exc.message)
    return _error(500, "Kesalahan server.")


async def _too_large(_request: Request, _exc: Exception) -> Response:
    return _error(413, "Kiriman terlalu besar.")


async def _database_down(_request: Request, _exc: Exception) -> Response:
    return _error(503, "Basis data tidak dapat dihubungi; coba lagi sebentar lagi.")


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    store: BlobStore | None = None,
    options: FeedOptions | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Starlette:
    """The feed for `settings`. Tests pass their own engine, store and clock; without an engine
    the module-level content.infra.db.Session is bound to settings.database_url."""
    if engine is not None:
        sessions: Callable[[], Session] = sessionmaker(bind=engine, expire_on_commit=False)
    else:
        bind(make_engine(settings.database_url))
        sessions = SharedSession
    feed = Feed(
        sessions,
        store or open_store(settings),
        options or FeedOptions.from_settings(settings),
        clock,
    )
    routes = [
        Route("/healthz", feed.healthz, methods=["GET"]),
        Route("/screens/{slug}/playlist.json", feed.playlist, methods=["GET"]),
        Route("/screens/{slug}/plays", feed.plays, methods=["POST"]),
        Route("/screens/{slug}/heartbeat", feed.heartbeat, methods=["POST"]),
        Route("/screens/{slug}/default/{name}", feed.default, methods=["GET"]),
        Route("/screens/{slug}/events", feed.events, methods=["GET"]),
        Route("/screens/{slug}/{asset}", feed.asset, methods=["GET"]),
        Route("/slides/{name}", feed.slide, methods=["GET"]),
        Route("/media/{name}", feed.media, methods=["GET"]),
        *webhook_routes(settings, sessions),  # Kotak masuk: Meta webhooks, when configured
    ]
    return Starlette(
        routes=routes,
        exception_handlers={
            DomainError: _domain_error,
            BodyTooLarge: _too_large,
            OperationalError: _database_down,
        },
    )
