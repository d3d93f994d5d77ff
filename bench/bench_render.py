"""Rendering one 1920×1080 slide from a 12-megapixel JPEG, against the floor measured in the same
run: Pillow decoding at the reduced size JPEG draft mode allows, resizing and encoding the output,
no text. Goal: slide ÷ floor ≤ 1.3."""

from __future__ import annotations

import io
import math
import statistics
import time
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

from publishers.videotron import render_slide

SIZE = (1920, 1080)
SOURCE = (4000, 3000)
REPEATS = 9


def twelve_megapixel_jpeg() -> bytes:
    """Something with a photo's texture (gradients, shapes, fine noise), so the JPEG decodes at
    a realistic cost."""
    width, height = SOURCE
    image = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize(SOURCE),
            Image.radial_gradient("L").resize(SOURCE),
            Image.linear_gradient("L").rotate(90).resize(SOURCE),
        ],
    )
    draw = ImageDraw.Draw(image)
    for index in range(40):
        x, y = (index * 997) % width, (index * 613) % height
        draw.ellipse((x, y, x + 300, y + 200), fill=((index * 50) % 255, 120, 200 - index * 4))
    noise = Image.effect_noise(SOURCE, 24).filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")
    image = Image.blend(image, noise, 0.25)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def floor(photo: bytes) -> bytes:
    image = Image.open(io.BytesIO(photo))
    scale = max(SIZE[0] / image.width, SIZE[1] / image.height)
    image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    fit = max(SIZE[0] / image.width, SIZE[1] / image.height)
    crop_w, crop_h = SIZE[0] / fit, SIZE[1] / fit
    left, top = (image.width - crop_w) / 2, (image.height - crop_h) / 2
    resized = image.resize(
        SIZE, Image.Resampling.LANCZOS, box=(left, top, left + crop_w, top + crop_h)
    )
    out = io.BytesIO()
    resized.save(out, "JPEG", quality=90, subsampling=0)
    return out.getvalue()


def slide(photo: bytes) -> bytes:
    return render_slide(
        photo,
        "Posyandu serentak pekan ini di seluruh kelurahan Kota Bekasi",
        size=SIZE,
        opd="Dinas Kesehatan",
        date="24 November 2026",
    )


def _time(work: Callable[[bytes], bytes], photo: bytes) -> float:
    start = time.perf_counter()
    work(photo)
    return time.perf_counter() - start


def main() -> None:
    photo = twelve_megapixel_jpeg()
    print(f"source: {SOURCE[0]}×{SOURCE[1]} JPEG, {len(photo) / 1e6:.1f} MB; output {SIZE}")
    slide(photo)  # load fonts and warm caches once, as a running worker has
    floors: list[float] = []
    slides: list[float] = []
    for _ in range(REPEATS):  # interleaved, so both see the same machine load
        floors.append(_time(floor, photo))
        slides.append(_time(slide, photo))
    for name, runs in (("floor", floors), ("slide", slides)):
        print(
            f"{name:>6}: min {min(runs) * 1000:7.1f} ms   median "
            f"{statistics.median(runs) * 1000:7.1f} ms"
        )
    print(
        f"ratio slide/floor: min {min(slides) / min(floors):.2f}   median "
        f"{statistics.median(slides) / statistics.median(floors):.2f}   (goal ≤ 1.30)"
    )


if __name__ == "__main__":
    main()
