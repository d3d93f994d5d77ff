"""The videotron feed: playlists, slide images, the player page, proof of play, heartbeats, and
the photos Instagram's servers fetch. No login: it serves only what is published, validates
every name it is asked for, and bounds every body it reads. One short transaction per request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from content import playlist
from content.config import Settings
from content.db import Session as SharedSession
from content.db import bind, make_engine
from content.errors import DomainError, NotFound, ValidationFailed
from content.store import BlobStore, FileBlobStore
from content.timeutil import utcnow
from publishers.feed.payloads import (
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
IMMUTABLE = "public, max-age=31536000, immutable"
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
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@dataclass(frozen=True)
class FeedOptions:
    player: PlayerOptions = field(default_factory=PlayerOptions)
    max_body_bytes: int = 256 * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedOptions:
        section = settings.section("feed")
        return cls(
            PlayerOptions(
                poll_seconds=float(section.get("poll_seconds", 30)),
                heartbeat_seconds=float(section.get("heartbeat_seconds", 60)),
                plays_flush_seconds=float(section.get("plays_flush_seconds", 30)),
            ),
            max_body_bytes=int(section.get("max_body_bytes", 256 * 1024)),
        )


class BodyTooLarge(Exception):
    pass


def _static(name: str) -> bytes:
    return (resources.files("publishers.feed") / "static" / name).read_bytes()


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
    ) -> None:
        self.sessions = sessions
        self.store = store
        self.options = options
        self.assets = {route: (_static(file), mime) for route, (file, mime) in _ASSETS.items()}

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
        return JSONResponse({"status": "ok", "time": iso(utcnow())}, headers=COMMON_HEADERS)

    def playlist(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        if not _SLUG.match(slug):
            return _not_found()
        with self.transaction() as session:
            current = playlist.playlist_at(session, slug)
        body, etag = encode_document(playlist_document(current, self.options.player))
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
            servable = playlist.is_servable_slide(session, sha256, extension)
        if not servable:
            return _not_found()
        return self._blob(request, sha256, extension, IMMUTABLE)

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

    async def plays(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        if not _SLUG.match(slug):
            return _not_found()
        raw = await self._body(request)

        def work() -> dict[str, Any]:
            player_id, sent_at, events, malformed = parse_plays(raw)
            with self.transaction() as session:
                result = playlist.record_plays(session, slug, player_id, events, sent_at=sent_at)
            return {
                "accepted": result.accepted,
                "duplicates": result.duplicates,
                "rejected": result.rejected + malformed,
            }

        return JSONResponse(await run_in_threadpool(work), headers=COMMON_HEADERS)

    async def heartbeat(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        if not _SLUG.match(slug):
            return _not_found()
        raw = await self._body(request)
        user_agent = request.headers.get("user-agent", "")

        def work() -> dict[str, Any]:
            beat = parse_heartbeat(raw, user_agent)
            with self.transaction() as session:
                result = playlist.record_heartbeat(session, slug, beat)
            return {"server_time": iso(result.server_time), "skew_ms": result.skew_ms}

        return JSONResponse(await run_in_threadpool(work), headers=COMMON_HEADERS)


async def _domain_error(_request: Request, exc: Exception) -> Response:
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
) -> Starlette:
    """The feed for `settings`. Tests pass their own engine and store; without an engine the
    module-level content.db.Session is bound to settings.database_url."""
    if engine is not None:
        sessions: Callable[[], Session] = sessionmaker(bind=engine, expire_on_commit=False)
    else:
        bind(make_engine(settings.database_url))
        sessions = SharedSession
    feed = Feed(
        sessions,
        store or FileBlobStore(settings.media_dir),
        options or FeedOptions.from_settings(settings),
    )
    routes = [
        Route("/healthz", feed.healthz, methods=["GET"]),
        Route("/screens/{slug}/playlist.json", feed.playlist, methods=["GET"]),
        Route("/screens/{slug}/plays", feed.plays, methods=["POST"]),
        Route("/screens/{slug}/heartbeat", feed.heartbeat, methods=["POST"]),
        Route("/screens/{slug}/{asset}", feed.asset, methods=["GET"]),
        Route("/slides/{name}", feed.slide, methods=["GET"]),
        Route("/media/{name}", feed.media, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        exception_handlers={
            DomainError: _domain_error,
            BodyTooLarge: _too_large,
            OperationalError: _database_down,
        },
    )
