"""`siaran feed`: the feed served by uvicorn on settings.host:settings.feed_port."""

from __future__ import annotations

import sys

import uvicorn

from content.infra.config import Settings
from content.infra.db import make_engine
from content.infra.migrate import is_current
from publishers.videotron.feed.app import create_app


def run(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    if not is_current(engine):
        print(
            "siaran: Basis data belum siap atau versinya lama: jalankan 'siaran init'.",
            file=sys.stderr,
        )
        sys.exit(2)
    app = create_app(settings, engine=engine)
    # Players read the Date header; the Server header tells an attacker nothing useful.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.feed_port,
        server_header=False,
        date_header=True,
        proxy_headers=False,
        log_level="info",
        # Access lines would carry players' keys and webhook tokens from query strings.
        access_log=False,
        # Players' event streams stay open; a stop must not wait for them to end.
        timeout_graceful_shutdown=2,
    )
