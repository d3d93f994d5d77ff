"""Fixtures of the videotron tests (the database fixtures come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from content.infra.config import Settings
from tests.conftest import Database
from tests.videotron.helpers import photo_jpeg, settings_for
from tests.world import World, build_world


@pytest.fixture(scope="session")
def photo() -> bytes:
    return photo_jpeg()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


@dataclass
class LiveWorld:
    """A world committed to a real database, for tests where another thread reads it."""

    database: Database
    session: Session
    world: World


@pytest.fixture
def live(committed: Database, tmp_path: Path) -> Iterator[LiveWorld]:
    session = Session(bind=committed.engine, expire_on_commit=False)
    try:
        world = build_world(session, tmp_path / "media")
        session.commit()
        yield LiveWorld(committed, session, world)
    finally:
        session.rollback()
        session.close()
