"""Secrets at rest: account credentials encrypted with Fernet; the key never leaves this module.

The key comes from SIARAN_SECRET_KEY (a Fernet key, or any passphrase, which is stretched with
SHA-256) or from `<data dir>/secret.key`, created by `siaran init` with mode 0600.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

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
        self._fernet = Fernet(key)

    def __repr__(self) -> str:
        return "SecretBox(key=••••)"

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        if settings.secret_key:
            return cls(_as_fernet_key(settings.secret_key))
        if settings.key_file.is_file():
            return cls(_as_fernet_key(settings.key_file.read_text()))
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


def mask(value: str | None) -> str:
    """Show that a secret is set without showing any of it."""
    return MASK if value else ""
