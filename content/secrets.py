"""Secrets at rest: account credentials encrypted with Fernet; the key never leaves this module.

The key comes from SIARAN_SECRET_KEY (a Fernet key, or any passphrase, which is stretched with
SHA-256) or from `<data dir>/secret.key`, created by `siaran init` with mode 0600. A key is
replaced by re-sealing every credential under the new one (`SecretBox.reseal`, used by
`siaran secrets rotate`), given the old key once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from content.config import Settings
from content.errors import DomainError

MASK = "••••••••"


class SecretKeyMissing(DomainError):
    pass


def _as_fernet_key(material: str) -> bytes:
    raw = material.strip().encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return raw
    except ValueError:
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest())


def ensure_key_file(path: Path) -> bool:
    """Create the key file (0600) when missing. Returns True when it was created."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(Fernet.generate_key())
    return True


class SecretBox:
    def __init__(self, key: bytes) -> None:
        self._key = key
        self._fernet = Fernet(key)

    def __repr__(self) -> str:
        return "SecretBox(key=••••)"

    @classmethod
    def from_material(cls, material: str) -> SecretBox:
        """A box for a key written as SIARAN_SECRET_KEY or a key file is: a Fernet key or a
        passphrase."""
        if not material.strip():
            raise DomainError("Kunci rahasia kosong.")
        return cls(_as_fernet_key(material))

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        if settings.secret_key:
            return cls.from_material(settings.secret_key)
        if settings.key_file.is_file():
            return cls.from_material(settings.key_file.read_text())
        raise SecretKeyMissing(
            "Kunci rahasia belum ada: jalankan 'siaran init' atau isi SIARAN_SECRET_KEY."
        )

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

    def opens(self, token: str) -> bool:
        """Whether this key opens a sealed value (an empty one opens under any key)."""
        try:
            self.open(token)
        except DomainError:
            return False
        return True

    def same_key(self, other: SecretBox) -> bool:
        return hmac.compare_digest(self._key, other._key)

    def reseal(self, token: str, old: SecretBox) -> str:
        """`token`, sealed under `old` (or already under this key), sealed again under this key.
        Raises DomainError when neither key opens it; the plaintext never leaves Fernet."""
        try:
            return MultiFernet([self._fernet, old._fernet]).rotate(token.encode()).decode()
        except InvalidToken as exc:
            raise DomainError(
                "Kredensial akun tidak dapat dibuka dengan kunci lama maupun kunci sekarang."
            ) from exc


def mask(value: str | None) -> str:
    """Show that a secret is set without showing any of it."""
    return MASK if value else ""
