"""What every page shares: settings from the environment (as the CLI reads them), one engine per
database URL for the whole server, the blob store, the secret box, the workflow policy, and one
short transaction per user action.

Tests point the app at their database the same way an operator does: `DATABASE_URL`,
`SIARAN_DATA_DIR` and `SIARAN_SECRET_KEY` in the environment (see tests/dashboard/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from content.editorial.media import Limits
from content.editorial.workflow import Policy
from content.infra.config import Settings, load_settings
from content.infra.db import Session as SessionFactory
from content.infra.db import make_engine
from content.infra.errors import DomainError
from content.infra.media_settings import MediaStoreSettings
from content.infra.migrate import is_current
from content.infra.secrets import SecretBox
from content.infra.store import BlobStore
from dashboard import launch
from publishers.storage import open_store


def settings() -> Settings:
    # Read on every run: cheap, and a changed environment or settings file takes effect.
    return load_settings()


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """One pool per database for every browser session (keyed by URL, so tests on two backends
    in one process each get theirs). Refused, and so not cached, until the schema is current."""
    engine = make_engine(url)
    if not is_current(engine):
        engine.dispose()
        raise DomainError("Basis data belum siap atau versinya lama: jalankan 'siaran init'.")
    return engine


def engine() -> Engine:
    return _engine(settings().database_url)


@contextmanager
def transaction() -> Iterator[Session]:
    """One short transaction: everything inside lands together, or nothing does."""
    with SessionFactory(bind=engine()) as session, session.begin():
        yield session


def store() -> BlobStore:
    current = settings()
    return _store(str(current.data_dir), MediaStoreSettings.from_settings(current))


@st.cache_resource(show_spinner=False)
def _store(data_dir: str, media: MediaStoreSettings) -> BlobStore:
    """One store (and, for S3, one client with its connection pool) per configuration."""
    return open_store(settings())


def box() -> SecretBox:
    return SecretBox.from_settings(settings())


def policy() -> Policy:
    current = settings()
    return Policy(four_eyes=current.four_eyes, public_numbers=current.public_phone_numbers)


def limits() -> Limits:
    return Limits.from_settings(settings())


def upload_megabytes() -> int:
    """Streamlit's own upload cap (whole megabytes), at or just above the intake limit."""
    return launch.upload_megabytes(settings())
