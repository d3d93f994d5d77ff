"""Bringing an installation to life: data directory, secret key, schema at the newest revision."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from content.config import Settings
from content.db import make_engine
from content.migrate import current_revisions, describe, is_current, upgrade
from content.secrets import ensure_key_file


@dataclass(frozen=True)
class InitResult:
    database_created: bool
    key_created: bool
    revision_before: str | None
    revision: str | None


def init(settings: Settings, engine: Engine | None = None) -> InitResult:
    """Create or upgrade in place; running it twice changes nothing the second time."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    key_created = False if settings.secret_key else ensure_key_file(settings.key_file)
    engine = engine or make_engine(settings.database_url)
    before = current_revisions(engine)
    if not is_current(engine):
        upgrade(engine)
    return InitResult(
        not before, key_created, describe(before), describe(current_revisions(engine))
    )
