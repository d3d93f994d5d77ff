"""A passphrase becomes the credentials key through Argon2id and a stored salt; an install sealed
with the old unsalted SHA-256 key keeps opening its credentials and `siaran init` re-seals them;
Settings never print the secret key or the database password (issue #19, point 4)."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from content.infra.config import Settings, load_settings
from content.infra.secrets import SecretBox, SecretKeyMissing, fernet_keys, read_salt, salt_file
from content.infra.setup import init
from content.models import Account
from content.org import accounts
from content.org.actors import SYSTEM
from tests.conftest import Database

PASSPHRASE = "kalimat rahasia kota bekasi"
CREDENTIALS = {"page_access_token": "EAAB-rahasia"}


def _settings(data: Path, database: Database | None = None) -> Settings:
    env = {"SIARAN_DATA_DIR": str(data), "SIARAN_SECRET_KEY": PASSPHRASE}
    if database is not None:
        env["DATABASE_URL"] = database.url
    return load_settings(env)


def _sha256_fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(PASSPHRASE.encode()).digest()))


def test_a_passphrase_is_stretched_with_argon2id_and_a_salt_kept_beside_the_key(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path / "a")
    init(settings)
    salt = salt_file(settings)
    assert stat.S_IMODE(os.stat(salt).st_mode) == 0o600
    assert len(read_salt(settings) or b"") == 16
    token = SecretBox.from_settings(settings).seal(CREDENTIALS)
    with pytest.raises(InvalidToken):  # not the old one-round SHA-256 key
        _sha256_fernet().decrypt(token.encode())
    # The same passphrase with another install's salt is another key.
    other = _settings(tmp_path / "b")
    init(other)
    assert read_salt(other) != read_salt(settings)
    with pytest.raises(InvalidToken):
        Fernet(fernet_keys(PASSPHRASE, read_salt(other))[0]).decrypt(token.encode())


def test_a_damaged_salt_file_is_one_sentence_not_a_traceback(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    init(settings)
    salt_file(settings).write_text("bukan-heksa", encoding="utf-8")
    with pytest.raises(SecretKeyMissing, match=r"secret\.salt rusak"):
        SecretBox.from_settings(settings)


def test_credentials_sealed_with_the_old_key_open_and_init_reseals_them(
    committed: Database, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, committed)
    old_box = SecretBox.from_settings(settings)  # no salt yet: an install from before
    with Session(committed.engine) as session, session.begin():
        account = accounts.add_account(
            session,
            SYSTEM,
            old_box,
            kind="facebook",
            handle="@pemkot",
            display_name="Pemkot Bekasi",
            credentials=CREDENTIALS,
            settings={"page_id": "123"},
        )
        account_id = account.id
    with Session(committed.engine) as session:
        token = session.scalars(select(Account.credentials_encrypted)).one()
    assert _sha256_fernet().decrypt(token.encode())  # sealed the old way

    first = init(settings, committed.engine)
    second = init(settings, committed.engine)
    assert (first.resealed, second.resealed) == (1, 0)

    new_key = fernet_keys(PASSPHRASE, read_salt(settings))[0]
    with Session(committed.engine) as session:
        account = session.get(Account, account_id)
        assert account is not None
        # Only the Argon2id key is needed now, and the service opens it as before.
        assert SecretBox(new_key).open(account.credentials_encrypted) == CREDENTIALS
        assert accounts.credentials(SecretBox.from_settings(settings), account) == CREDENTIALS


def test_settings_repr_masks_the_secret_key_and_the_database_password(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "SIARAN_DATA_DIR": str(tmp_path),
            "SIARAN_SECRET_KEY": PASSPHRASE,
            "DATABASE_URL": "postgresql://siaran:s3cr3t-pw@db.bekasikota.go.id:5432/siaran",
        }
    )
    shown = repr(settings) + str(settings) + f"{settings}"
    assert PASSPHRASE not in shown and "s3cr3t-pw" not in shown
    assert "postgresql://siaran:••••@db.bekasikota.go.id:5432/siaran" in shown
    assert "secret_key='••••'" in shown
    assert settings.secret_key == PASSPHRASE  # only the picture is masked
