"""The `[videotron]` section of the settings file.

[videotron]
slide_days = 7            # a published slide plays this long unless PPID Utama sets a window
qr = true                 # a QR code to the post's link, where it fits legibly
pixel_pitch_mm = 10       # LED pitch, turns the viewing-distance rule into pixel rows
issuer = "PPID Kota Bekasi"   # shown under emergency messages
player_silent_minutes = 2 # a player silent this long is offline (content.playlist.silent_after)

[videotron.screens.bekasi-timur]
pixel_pitch_mm = 8
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from content.infra.config import Settings
from publishers.videotron.layout import DEFAULT_PITCH_MM


@dataclass(frozen=True)
class VideotronSettings:
    cache_dir: Path
    slide_days: int = 7
    qr: bool = True
    pixel_pitch_mm: float = DEFAULT_PITCH_MM
    issuer: str = "PPID Kota Bekasi"
    screens: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> VideotronSettings:
        section = settings.section("videotron")
        screens = section.get("screens", {})
        return cls(
            cache_dir=settings.data_dir / "render-cache",
            slide_days=max(1, int(section.get("slide_days", 7))),
            qr=bool(section.get("qr", True)),
            pixel_pitch_mm=float(section.get("pixel_pitch_mm", DEFAULT_PITCH_MM)),
            issuer=str(section.get("issuer", "PPID Kota Bekasi")),
            screens=screens if isinstance(screens, Mapping) else {},
        )

    def pitch_for(self, slug: str) -> float:
        own = self.screens.get(slug, {})
        value = own.get("pixel_pitch_mm") if isinstance(own, Mapping) else None
        return float(value) if value else self.pixel_pitch_mm
