"""Decoding a photo straight to the size a slide needs: bounded, JPEG draft mode, cover crop.

A 12-megapixel JPEG is decoded at 1/2, 1/4 or 1/8 scale by libjpeg itself when the slide needs
less (`Image.draft`): most of the render time of a slide is this decode.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from pathlib import Path

from PIL import Image, ImageOps

from content.editorial.media import ACCEPTED, Limits, sniff
from publishers.videotron.errors import PhotoUnreadable

PhotoInput = bytes | str | os.PathLike[str]
_SWAPS_SIDES = {5, 6, 7, 8}  # EXIF orientations that turn the photo a quarter
_ORIENTATION = 0x0112


def read_photo(photo: PhotoInput, limits: Limits) -> bytes:
    if isinstance(photo, bytes):
        data = photo
    else:
        path = Path(photo)
        try:
            if path.stat().st_size > limits.max_bytes:
                raise PhotoUnreadable(_too_big(limits))
            data = path.read_bytes()
        except OSError as exc:
            raise PhotoUnreadable(f"Berkas foto '{path.name}' tidak dapat dibuka.") from exc
    if len(data) > limits.max_bytes:
        raise PhotoUnreadable(_too_big(limits))
    return data


def _too_big(limits: Limits) -> str:
    return f"Foto melebihi {limits.max_bytes // (1024 * 1024)} MB; perkecil dulu."


def _open(data: bytes, limits: Limits) -> Image.Image:
    # Only the photo intake's formats reach a decoder (not EPS, DDS, TGA… that Pillow would try).
    kind = sniff(data)
    if kind not in ACCEPTED:
        raise PhotoUnreadable("Foto tidak dapat dibaca: bukan gambar JPEG, PNG, WebP atau HEIC.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[ACCEPTED[kind]])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoUnreadable("Foto terlalu besar (terlalu banyak piksel).") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise PhotoUnreadable(
                "Foto tidak dapat dibaca: berkas rusak atau bukan gambar JPEG/PNG/WebP."
            ) from exc
    width, height = image.size
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise PhotoUnreadable(
            f"Foto {width}×{height} terlalu besar: paling banyak "
            f"{limits.max_pixels // 1_000_000} megapiksel."
        )
    return image


def _flatten(image: Image.Image, background: tuple[int, int, int]) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in {"I;16", "I;16B", "I;16L", "I"}:
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in {"LA", "PA", "La", "RGBa"}:
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        # Transparent parts take the slide's dark background, never white.
        base = Image.new("RGB", image.size, background)
        base.paste(image, mask=image.getchannel("A"))
        return base
    return image.convert("RGB")


def cover(
    data: bytes,
    box: tuple[int, int],
    *,
    focus: tuple[float, float] = (0.5, 0.5),
    background: tuple[int, int, int] = (0, 0, 0),
    limits: Limits | None = None,
) -> Image.Image:
    """The photo filling `box` exactly: scaled to cover, cropped around `focus` (fractions of the
    width and height), never stretched."""
    limits = limits or Limits()
    image = _open(data, limits)
    try:
        orientation = image.getexif().get(_ORIENTATION, 1) if image.format == "JPEG" else 1
        width, height = image.size
        upright = (height, width) if orientation in _SWAPS_SIDES else (width, height)
        scale = max(box[0] / upright[0], box[1] / upright[1])
        if image.format == "JPEG":
            image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
        image.load()
        if orientation != 1:
            image = ImageOps.exif_transpose(image)
        image = _flatten(image, background)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoUnreadable(
            "Foto rusak atau terpotong dan tidak dapat dibaca; unggah ulang fotonya."
        ) from exc
    src_w, src_h = image.size
    fit = max(box[0] / src_w, box[1] / src_h)
    crop_w, crop_h = min(box[0] / fit, src_w), min(box[1] / fit, src_h)
    fx = min(max(focus[0], 0.0), 1.0)
    fy = min(max(focus[1], 0.0), 1.0)
    left = max(min(fx * src_w - crop_w / 2, src_w - crop_w), 0.0)
    top = max(min(fy * src_h - crop_h / 2, src_h - crop_h), 0.0)
    return image.resize(box, Image.Resampling.LANCZOS, box=(left, top, left + crop_w, top + crop_h))
