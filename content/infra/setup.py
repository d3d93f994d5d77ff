"""Bringing an installation to life: data directory, secret key, schema at the newest revision."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from content.infra.config import Settings
from content.infra.db import make_engine
from content.infra.errors import DomainError
from content.infra.filemodes import PRIVATE_DIR, tighten
from content.infra.migrate import current_revisions, describe, is_current, upgrade
from content.infra.secrets import (
    SecretBox,
    ensure_key_file,
    ensure_salt_file,
    is_fernet_key,
    key_material,
    salt_file,
)
from content.models import Account


@dataclass(frozen=True)
class InitResult:
    database_created: bool
    key_created: bool
    revision_before: str | None
    revision: str | None
    resealed: int = 0  # accounts whose credentials moved to the newest secret key
    tightened: int = 0  # files and folders of the data directory made the owner's alone


def _reseal_credentials(engine: Engine, settings: Settings) -> int:
    """Seal again, with the newest key, every account credential an older key sealed (a
    passphrase stretched by an earlier version); one transaction, so all or none move."""
    box = SecretBox.from_settings(settings)
    count = 0
    with Session(engine) as session, session.begin():
        for account in session.scalars(select(Account)):
            if not box.needs_reseal(account.credentials_encrypted):
                continue
            try:
                account.credentials_encrypted = box.reseal(account.credentials_encrypted)
            except DomainError:  # no key opens it: left as it is, reported when it is used
                continue
            count += 1
    return count


def init(settings: Settings, engine: Engine | None = None) -> InitResult:
    """Create or upgrade in place; running it twice changes nothing the second time."""
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    settings.media_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    key_created = False if settings.secret_key else ensure_key_file(settings.key_file)
    material = key_material(settings)
    if material is not None and not is_fernet_key(material):
        ensure_salt_file(salt_file(settings))  # a passphrase is stretched with this salt
    engine = engine or make_engine(settings.database_url)
    before = current_revisions(engine)
    if not is_current(engine):
        upgrade(engine)
    resealed = _reseal_credentials(engine, settings)
    return InitResult(
        not before,
        key_created,
        describe(before),
        describe(current_revisions(engine)),
        resealed,
        tighten(settings),
    )
