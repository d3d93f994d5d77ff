"""A private PostgreSQL schema for a benchmark, migrated, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from content.infra.db import make_engine
from content.infra.migrate import upgrade

PG_URL = os.environ.get("SIARAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def pg_schema() -> Iterator[Engine | None]:
    """Yields None (and says why) when PostgreSQL is not reachable."""
    admin = make_engine(PG_URL)
    try:
        with admin.begin() as conn:
            schema = f"siaran_bench_{uuid.uuid4().hex[:8]}"
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:
        print(f"  skipped: PostgreSQL not reachable at {PG_URL} ({type(exc).__name__})")
        yield None
        return
    engine = make_engine(f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
