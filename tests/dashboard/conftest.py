"""AppTest fixtures: the real app against the test database of each backend.

The app reads its database, data directory and secret key from the environment, as it does when
an operator starts it; `app_world` sets those variables and fills the database through the same
services the app uses (committed, because the app opens its own transactions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from content.infra.config import Settings, load_settings
from content.infra.secrets import SecretBox
from content.org import accounts
from content.org.actors import SYSTEM, Actor
from tests.conftest import Database
from tests.world import PASSWORD, World, build_world

APP = Path(__file__).parents[2] / "dashboard" / "app.py"
SECRET = "kunci-rahasia-uji-dasbor"
TIMEOUT = 60  # the first run imports a lot; a wall-clock limit, not an assertion


@dataclass
class AppWorld:
    database: Database
    settings: Settings
    world: World

    def session(self) -> Session:
        return Session(bind=self.database.engine, expire_on_commit=False)

    def run(self, change: Callable[[World], object]) -> object:
        """Change the database outside the app (another person, the worker), committed."""
        with self.session() as session, session.begin():
            self.world.session = session
            return change(self.world)


@pytest.fixture
def app_world(
    committed: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppWorld]:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DATABASE_URL", committed.url)
    monkeypatch.setenv("SIARAN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SIARAN_SECRET_KEY", SECRET)
    monkeypatch.delenv("SIARAN_SETTINGS", raising=False)
    settings = load_settings()
    box = SecretBox.from_settings(settings)
    with Session(bind=committed.engine, expire_on_commit=False) as session, session.begin():
        world = build_world(session, settings.media_dir)
        # Seal the accounts with the app's key, so the admin page can name their keys.
        for account in accounts.list_accounts(session):
            opened = world.box.open(account.credentials_encrypted)
            accounts.replace_credentials(session, SYSTEM, box, account.id, opened)
        world.box = box
    yield AppWorld(committed, settings, world)


def new_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def signed_in(actor: Actor | str, password: str = PASSWORD) -> AppTest:
    """The app after signing in through its own form."""
    username = actor if isinstance(actor, str) else actor.username
    at = new_app().run()
    at.text_input(key="si_username").input(username)
    at.text_input(key="si_password").input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def sign_in(app_world: AppWorld) -> Callable[[Actor | str], AppTest]:
    return signed_in


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[MediaFileManager]]:
    """Every run's media file manager, so a test can fetch what a download button offers."""
    made: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    yield made
