"""Secrets at rest: account credentials encrypted with Fernet; the key never leaves this module.

The key comes from SIARAN_SECRET_KEY or from `<data dir>/secret.key` (created by `siaran init`
with mode 0600). A Fernet key is used as it is. A passphrase is stretched with Argon2id (memory
hard) and the random salt in `<data dir>/secret.salt`, which `siaran init` creates; every
machine that shares the database needs the same salt file. Versions before the salt stretched a
passphrase with one SHA-256: that key still opens what it sealed (`siaran init` re-seals it), and
is the only key while no salt file exists yet.

A key is replaced by re-sealing every credential under the new one (`SecretBox.reseal` with the
old box, used by `siaran secrets rotate`), given the old key once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from argon2.profiles import RFC_9106_LOW_MEMORY
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from content.infra.config import Settings
from content.infra.errors import DomainError

MASK = "••••••••"


class SecretKeyMissing(DomainError):
    pass


KDF = RFC_9106_LOW_MEMORY  # Argon2id, 3 passes over 64 MiB: ~0.2 s, once a process
SALT_BYTES = 16


def salt_file(settings: Settings) -> Path:
    return settings.data_dir / "secret.salt"


def is_fernet_key(material: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(material.strip().encode())) == 32
    except ValueError:
        return False


@lru_cache(maxsize=8)
def _stretch(passphrase: bytes, salt: bytes) -> bytes:
    raw = hash_secret_raw(
        passphrase,
        salt,
        time_cost=KDF.time_cost,
        memory_cost=KDF.memory_cost,
        parallelism=KDF.parallelism,
        hash_len=32,
        type=Type.ID,
    )
    return base64.urlsafe_b64encode(raw)


def _legacy_key(passphrase: bytes) -> bytes:
    """The unsalted SHA-256 key of earlier versions: kept only to open what they sealed."""
    return base64.urlsafe_b64encode(hashlib.sha256(passphrase).digest())


def fernet_keys(material: str, salt: bytes | None) -> list[bytes]:
    """The keys for a Fernet key or a passphrase: the sealing key first, then any key that
    still opens older seals."""
    if is_fernet_key(material):
        return [material.strip().encode()]
    passphrase = material.strip().encode()
    if salt is None:
        return [_legacy_key(passphrase)]
    return [_stretch(passphrase, salt), _legacy_key(passphrase)]


def _create_0600(path: Path, data: bytes) -> bool:
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago: theirs is the one
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return True


def ensure_key_file(path: Path) -> bool:
    """Create the key file (0600) when missing. Returns True when it was created."""
    return _create_0600(path, Fernet.generate_key())


def ensure_salt_file(path: Path) -> bool:
    """Create the passphrase salt (0600, hex) when missing. Returns True when it was created."""
    return _create_0600(path, secrets.token_hex(SALT_BYTES).encode())


def read_salt(settings: Settings) -> bytes | None:
    path = salt_file(settings)
    if not path.is_file():
        return None
    try:
        salt = bytes.fromhex(path.read_text().strip())
    except ValueError:
        salt = b""
    if len(salt) < SALT_BYTES:
        raise SecretKeyMissing(
            f"Berkas {path.name} rusak; pulihkan dari cadangan atau salin dari mesin lain."
        )
    return salt


def key_material(settings: Settings) -> str | None:
    """SIARAN_SECRET_KEY, else the key file's content, else None."""
    if settings.secret_key:
        return settings.secret_key
    if settings.key_file.is_file():
        return settings.key_file.read_text()
    return None


class SecretBox:
    def __init__(self, key: bytes, *older: bytes) -> None:
        """Seal with `key`; open with it or with any of the `older` keys."""
        self._key = key
        self._keys = [Fernet(key), *(Fernet(k) for k in older)]
        self._fernet = MultiFernet(self._keys)

    def __repr__(self) -> str:
        return "SecretBox(key=••••)"

    @classmethod
    def from_material(cls, material: str, salt: bytes | None = None) -> SecretBox:
        """A box for a key as SIARAN_SECRET_KEY or a key file holds it: a Fernet key, or a
        passphrase (stretched with `salt`, the install's `secret.salt`)."""
        if not material.strip():
            raise DomainError("Kunci rahasia kosong.")
        return cls(*fernet_keys(material, salt))

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        material = key_material(settings)
        if material is None:
            raise SecretKeyMissing(
                "Kunci rahasia belum ada: jalankan 'siaran init' atau isi SIARAN_SECRET_KEY."
            )
        return cls.from_material(material, read_salt(settings))

    def same_key(self, other: SecretBox) -> bool:
        return hmac.compare_digest(self._key, other._key)

    def needs_reseal(self, token: str) -> bool:
        """Whether this token was sealed with another key than the newest (an older key of this
        box, another box's, or none that opens it)."""
        if not token:
            return False
        try:
            self._keys[0].decrypt(token.encode())
        except InvalidToken:
            return True
        return False

    def reseal(self, token: str, old: SecretBox | None = None) -> str:
        """The same secret sealed with the newest key; it may be sealed under any key of this box
        or of `old` (the key being replaced). Raises DomainError when none opens it; the
        plaintext never leaves Fernet."""
        try:
            keys = [*self._keys, *(old._keys if old else [])]
            return MultiFernet(keys).rotate(token.encode()).decode()
        except InvalidToken as exc:
            which = "kunci lama maupun kunci sekarang" if old else "kunci rahasia yang sekarang"
            raise DomainError(f"Kredensial akun tidak dapat dibuka dengan {which}.") from exc

    def opens(self, token: str) -> bool:
        """Whether this box opens a sealed value (an empty one opens under any key)."""
        try:
            self.open(token)
        except DomainError:
            return False
        return True

    def seal(self, credentials: Mapping[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(dict(credentials)).encode()).decode()

    def open(self, token: str) -> dict[str, Any]:
        if not token:
            return {}
        try:
            value = json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken as exc:
            raise DomainError(
                "Kredensial akun tidak dapat dibuka dengan kunci rahasia yang sekarang."
            ) from exc
        return dict(value)


def mask(value: str | None) -> str:
    """Show that a secret is set without showing any of it."""
    return MASK if value else ""
