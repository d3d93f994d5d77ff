"""Settings from the environment, with an optional TOML file for what does not fit in a variable.

Order: defaults < settings file (`SIARAN_SETTINGS` or `<data dir>/siaran.toml`) < environment.
Sections of the file that later parts own (prices, monev, publishers) are kept as `extra`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

# Public service numbers are not personal data: emergency (112), police (110), fire (113) and
# the city's call centre 1500-444 (also dialled as 150044). A setting; this is the default.
PUBLIC_SERVICE_NUMBERS = ("112", "110", "113", "1500444", "150044")

_ENV_NAMES = {
    "database_url": "DATABASE_URL",
    "secret_key": "SIARAN_SECRET_KEY",
    "host": "SIARAN_HOST",
    "dashboard_port": "SIARAN_DASHBOARD_PORT",
    "feed_port": "SIARAN_FEED_PORT",
    "simulator_port": "SIARAN_SIMULATOR_PORT",
    "four_eyes": "SIARAN_FOUR_EYES",
    "public_base_url": "SIARAN_PUBLIC_BASE_URL",
}


@dataclass(frozen=True, repr=False)
class Settings:
    data_dir: Path
    database_url: str = ""
    secret_key: str | None = None
    host: str = "127.0.0.1"
    dashboard_port: int = 8501
    feed_port: int = 8600
    simulator_port: int = 8700
    timezone: str = "Asia/Jakarta"
    # Nobody approves their own post; a one-person office may switch this off.
    four_eyes: bool = True
    ppid_utama_unit: str = "Diskominfostandi"
    public_base_url: str = ""
    max_upload_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 12_000
    # Sign-in throttling (content/org/sign_in_throttle.py): free failures, then a delay that doubles
    # up to a cap; short for an account name, long for a client address.
    login_max_failures: int = 5
    login_max_delay_seconds: int = 30
    login_address_max_failures: int = 10
    login_address_max_delay_seconds: int = 900
    # Dashboard sessions (content/org/web_sessions.py): an absolute limit from sign-in, and an
    # idle limit from the last page opened.
    session_minutes: int = 480
    session_idle_minutes: int = 60
    public_phone_numbers: tuple[str, ...] = PUBLIC_SERVICE_NUMBERS
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def key_file(self) -> Path:
        return self.data_dir / "secret.key"

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.extra.get(name, {})
        return value if isinstance(value, Mapping) else {}

    def __repr__(self) -> str:
        """Every field, with the secret key and the database password masked (settings end up
        in logs and tracebacks)."""
        shown = {f.name: getattr(self, f.name) for f in fields(self) if f.repr}
        if self.secret_key:
            shown["secret_key"] = MASK
        shown["database_url"] = mask_url_password(self.database_url)
        return f"Settings({', '.join(f'{k}={v!r}' for k, v in shown.items())})"


MASK = "••••"
_URL_PASSWORD = re.compile(r"^(?P<head>[^:/?#]+://[^:/?#@]*:)(?P<password>[^@/?#]*)@")


def mask_url_password(url: str) -> str:
    """A database URL with its password (if any) replaced by a mask."""
    return _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}@", url, count=1)


def _coerce(current: Any, raw: Any) -> Any:
    if isinstance(current, bool):
        return (
            raw if isinstance(raw, bool) else str(raw).strip().lower() in {"1", "true", "yes", "ya"}
        )
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, tuple):
        items = raw.split(",") if isinstance(raw, str) else raw
        return tuple(str(i).strip() for i in items if str(i).strip())
    return raw


def _apply(settings: Settings, values: Mapping[str, Any]) -> Settings:
    known = {f.name for f in fields(Settings)} - {"extra", "data_dir"}
    changes = {k: _coerce(getattr(settings, k), v) for k, v in values.items() if k in known}
    return replace(settings, **changes)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = Path(env.get("SIARAN_DATA_DIR", "./data")).expanduser().resolve()
    settings = Settings(data_dir=data_dir)
    file = Path(env.get("SIARAN_SETTINGS", str(data_dir / "siaran.toml")))
    if file.is_file():
        parsed = tomllib.loads(file.read_text(encoding="utf-8"))
        top = {k: v for k, v in parsed.items() if not isinstance(v, dict)}
        extra = {k: v for k, v in parsed.items() if isinstance(v, dict)}
        settings = replace(_apply(settings, top), extra=extra)
    from_env = {name: env[var] for name, var in _ENV_NAMES.items() if env.get(var)}
    settings = _apply(settings, from_env)
    if not settings.database_url:
        settings = replace(settings, database_url=f"sqlite:///{data_dir / 'siaran.db'}")
    return settings
