"""The tab icon, drawn here and served by the app itself: a Material icon as `page_icon` is
fetched by the browser from Google's font host, which a closed intranet does not reach."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw

SIZE = 64
GREEN = (0, 122, 77)  # the city's green


@cache
def favicon() -> bytes:
    """A PNG: a green rounded square with a white megaphone ("Siaran": broadcast)."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=14, fill=GREEN)
    white = (255, 255, 255, 255)
    draw.polygon([(14, 26), (40, 12), (40, 52), (14, 38)], fill=white)  # the horn
    draw.rectangle((10, 26, 16, 38), fill=white)  # the mouthpiece
    draw.rectangle((20, 38, 26, 50), fill=white)  # the handle
    draw.arc((40, 20, 56, 44), start=-60, end=60, fill=white, width=3)  # the sound
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
