"""An unchanged slide is never rendered twice.

The key is the sha256 of everything that decides the pixels (photo hash, text, size, options,
theme, font files, renderer and Pillow versions); it points to the output's own sha256, and the
output lives in the content-addressed blob store. A key whose blob has gone missing renders again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any, Protocol

import PIL

from content.editorial.media import Limits
from content.infra.store import BlobStore, is_sha256, sha256_hex
from publishers.videotron import render as _render
from publishers.videotron.fonts import FONTS_DIGEST
from publishers.videotron.layout import DARK, Theme
from publishers.videotron.photo import PhotoInput, read_photo

# Bump when a change to the drawing code changes pixels for the same inputs.
RENDERER_VERSION = 1
_EXTENSIONS = {"png": "image/png", "jpg": "image/jpeg"}


@dataclass(frozen=True)
class Rendered:
    sha256: str
    extension: str  # "png" or "jpg", as the store and the feed name it
    width: int
    height: int
    from_cache: bool = False

    @property
    def mime(self) -> str:
        return _EXTENSIONS[self.extension]


class RenderCache(Protocol):
    def lookup(self, key: str) -> tuple[str, str] | None: ...
    def remember(self, key: str, sha256: str, extension: str) -> None: ...


class MemoryRenderCache:
    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, str]] = {}

    def lookup(self, key: str) -> tuple[str, str] | None:
        return self.entries.get(key)

    def remember(self, key: str, sha256: str, extension: str) -> None:
        self.entries[key] = (sha256, extension)


class DirectoryRenderCache:
    """One small file per key under `root` (e.g. <data dir>/render-cache)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not is_sha256(key):
            raise ValueError("not a render key")
        return self.root / key[:2] / key

    def lookup(self, key: str) -> tuple[str, str] | None:
        try:
            sha256, _, extension = (
                self._path(key).read_text(encoding="ascii").strip().partition(".")
            )
        except (OSError, UnicodeDecodeError):
            return None
        return (sha256, extension) if is_sha256(sha256) and extension in _EXTENSIONS else None

    def remember(self, key: str, sha256: str, extension: str) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(f"{sha256}.{extension}\n")
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, Date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def render_key(photo_sha256: str | None, headline: str, options: dict[str, Any]) -> str:
    body = {
        "renderer": RENDERER_VERSION,
        "pillow": PIL.__version__,
        "fonts": FONTS_DIGEST,
        "photo": photo_sha256,
        "headline": headline,
        "options": {name: _plain(value) for name, value in sorted(options.items())},
    }
    encoded = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def render_cached(
    store: BlobStore,
    cache: RenderCache,
    photo: PhotoInput | None,
    headline: str,
    *,
    size: tuple[int, int],
    photo_sha256: str | None = None,
    opd: str | None = None,
    date: Date | str | None = None,
    qr_url: str | None = None,
    theme: Theme | None = None,
    focus: tuple[float, float] = (0.5, 0.5),
    viewing_distance_m: float | None = None,
    pixel_pitch_mm: float | None = None,
    format: _render.Format = "auto",
    limits: Limits | None = None,
) -> Rendered:
    """Render through the cache; `photo_sha256` saves hashing a photo whose address is known."""
    limits = limits or Limits()
    data = read_photo(photo, limits) if photo is not None else None
    if data is not None and photo_sha256 is None:
        photo_sha256 = sha256_hex(data)
    fmt = _render.choose_format(size, format)
    options: dict[str, Any] = {
        "size": size,
        "opd": opd,
        "date": _render.format_date(date),
        "qr_url": qr_url,
        "theme": theme or DARK,
        "focus": focus,
        "viewing_distance_m": viewing_distance_m,
        "pixel_pitch_mm": pixel_pitch_mm,
        "format": fmt,
    }
    key = render_key(photo_sha256, headline, options)
    extension = "png" if fmt == "png" else "jpg"
    hit = cache.lookup(key)
    if hit is not None and store.exists(*hit):
        return Rendered(hit[0], hit[1], size[0], size[1], from_cache=True)
    output = _render.render_slide(
        data,
        headline,
        size=size,
        opd=opd,
        date=date,
        qr_url=qr_url,
        theme=theme,
        focus=focus,
        viewing_distance_m=viewing_distance_m,
        pixel_pitch_mm=pixel_pitch_mm,
        format=fmt,
        limits=limits,
    )
    digest = store.put(output, extension)
    cache.remember(key, digest, extension)
    return Rendered(digest, extension, size[0], size[1])
