"""Photo preparation that a platform's rules call for, offered instead of a refusal.

Instagram takes JPEG between 4:5 (portrait) and 1.91:1 (landscape). `pad_to_aspect` puts a photo
on a background of the nearest allowed ratio without cropping anything out of it; the result is a
new photo (new sha256), so the post goes back through approval like any other edit.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageFilter, ImageOps

INSTAGRAM_RATIOS = (4 / 5, 1.91)
JPEG_QUALITY = 90


def target_size(width: int, height: int, low: float, high: float) -> tuple[int, int]:
    """The smallest canvas holding width x height whose ratio lies in [low, high]."""
    ratio = width / height
    if ratio < low:
        return math.ceil(height * low), height
    if ratio > high:
        return width, math.ceil(width / high)
    return width, height


def pad_to_aspect(
    data: bytes,
    ratios: tuple[float, float] = INSTAGRAM_RATIOS,
    background: str = "blur",
) -> bytes:
    """JPEG bytes of the photo centred on a canvas of the nearest allowed ratio.

    `background` is "blur" (the photo itself, enlarged and blurred, like the apps do) or a
    colour Pillow understands ("#101820", "black"). A photo already in range is only converted.
    """
    with Image.open(io.BytesIO(data)) as opened:
        photo = ImageOps.exif_transpose(opened).convert("RGB")
    size = target_size(photo.width, photo.height, *ratios)
    if size == photo.size:
        canvas = photo
    elif background == "blur":
        canvas = ImageOps.fit(photo, size).filter(ImageFilter.GaussianBlur(max(size) // 30 or 1))
        canvas.paste(photo, ((size[0] - photo.width) // 2, (size[1] - photo.height) // 2))
    else:
        canvas = Image.new("RGB", size, background)
        canvas.paste(photo, ((size[0] - photo.width) // 2, (size[1] - photo.height) // 2))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)  # no EXIF carried over
    return out.getvalue()
