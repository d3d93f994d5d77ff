"""The screen's default slide: what a videotron shows when nothing else is valid (and outside
hours if the screen is set so), instead of black.

Drawn by the same renderer as every slide (`compose`): the city's emblem where a photo goes, the
city's name as the headline and the screen's own line under it. The lower band is left free:
the player draws the live date and clock there (a rendered clock would be wrong a minute later,
and the player must keep it right while the feed is down). The emblem is the operator's file
(`[videotron] logo = "/path/logo.png"`) or, without one, a plain drawn shield.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from content.infra.store import sha256_hex
from content.playlist import ScreenInfo
from publishers.videotron.layout import DARK, frame_for
from publishers.videotron.render import choose_format, compose, encode

CITY = "Pemerintah Kota Bekasi"
# Share of the slide's height kept free at the bottom for the player's date and clock.
CLOCK_BAND = 0.3
_MIMES = {"png": "image/png", "jpeg": "image/jpeg"}


@dataclass(frozen=True)
class DefaultSlide:
    data: bytes
    sha256: str
    mime: str
    extension: str  # "png" or "jpg", as the feed names slide files
    clock_band: float = CLOCK_BAND


def _emblem(size: tuple[int, int], logo: Path | None) -> bytes:
    """The emblem at exactly the photo box's size (so the cover crop cuts nothing off)."""
    width, height = size
    canvas = Image.new("RGB", size, DARK.background)
    side = max(1, int(min(width, height) * 0.8))
    left, top = (width - side) // 2, (height - side) // 2
    if logo is not None and logo.is_file():
        with Image.open(logo) as picture:
            mark = picture.convert("RGBA")
            mark.thumbnail((side, side))
            canvas.paste(mark, ((width - mark.width) // 2, (height - mark.height) // 2), mark)
    else:
        draw = ImageDraw.Draw(canvas)
        right, bottom = left + side, top + side
        middle = left + side // 2
        shield = [
            (left, top),
            (right, top),
            (right, top + side * 0.55),
            (middle, bottom),
            (left, top + side * 0.55),
        ]
        draw.polygon(
            shield, fill=(0, 120, 64), outline=DARK.kicker_colour, width=max(1, side // 24)
        )
        inner = side // 4
        draw.ellipse(
            (middle - inner, top + side // 5, middle + inner, top + side // 5 + 2 * inner),
            fill=DARK.kicker_colour,
        )
    out = io.BytesIO()
    canvas.save(out, "PNG")
    return out.getvalue()


def render_default(screen: ScreenInfo, *, logo: Path | None = None) -> DefaultSlide:
    """The default slide at the screen's exact size (same bytes for the same screen)."""
    size = (screen.width, screen.height)
    band = max(1, round(screen.height * CLOCK_BAND))
    upper = (screen.width, max(1, screen.height - band))
    frame = frame_for(upper, True, DARK)
    photo_box = frame.photo or (0, 0, 1, 1)
    emblem = _emblem((photo_box[2] - photo_box[0], photo_box[3] - photo_box[1]), logo)
    line = (screen.default_text or screen.name).strip() or screen.slug
    composed = compose(
        emblem, CITY, size=upper, opd=line, viewing_distance_m=screen.viewing_distance_m
    )
    full = Image.new("RGB", size, DARK.background)
    full.paste(composed.image, (0, 0))
    fmt = choose_format(size)
    data = encode(full, fmt)
    extension = "png" if fmt == "png" else "jpg"
    return DefaultSlide(data, sha256_hex(data), _MIMES[fmt], extension)
