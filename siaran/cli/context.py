"""What every command needs: settings, a database session per action, output as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from content.editorial.workflow import Policy
from content.infra.config import Settings, load_settings
from content.infra.db import Session as SessionFactory
from content.infra.db import bind, make_engine
from content.infra.errors import DomainError
from content.infra.migrate import is_current
from content.infra.secrets import SecretBox
from content.infra.store import BlobStore
from content.org.actors import Actor
from content.org.users import actor_for
from publishers.storage import open_store


@dataclass
class App:
    settings: Settings = field(default_factory=load_settings)

    @cached_property
    def engine(self) -> Engine:
        return bind(make_engine(self.settings.database_url))

    def require_schema(self) -> None:
        if not is_current(self.engine):
            raise DomainError("Basis data belum siap atau versinya lama: jalankan 'siaran init'.")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One short transaction per command: everything it does lands, or nothing does."""
        self.require_schema()
        with SessionFactory.begin() as session:
            yield session

    def actor(self, session: Session, username: str) -> Actor:
        return actor_for(session, username)

    @cached_property
    def box(self) -> SecretBox:
        return SecretBox.from_settings(self.settings)

    @cached_property
    def store(self) -> BlobStore:
        return open_store(self.settings)

    @property
    def policy(self) -> Policy:
        return Policy(
            four_eyes=self.settings.four_eyes, public_numbers=self.settings.public_phone_numbers
        )


pass_app = click.make_pass_decorator(App, ensure=True)


def emit(data: Any, as_json: bool, text: str | None = None) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    elif text is not None:
        click.echo(text)


json_option = click.option("--json", "as_json", is_flag=True, help="Print data as JSON.")
as_option = click.option(
    "--as", "username", required=True, metavar="USER", help="The user on whose behalf to act."
)
