"""Drawing a slide: photo + headline + OPD and date (+ QR) at the wall's exact pixel size.

`render_slide` returns the encoded image; `compose` returns the picture and its plan (tests read
the plan to check that no text leaves the safe area). Output is deterministic: the same inputs
give the same bytes (fonts travel with the project, no metadata, fixed encoder settings).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime
from typing import Literal

import qrcode
from PIL import Image, ImageDraw

from content.editorial.media import Limits
from content.infra.timeutil import MONTHS
from publishers.videotron.errors import HeadlineDoesNotFit, SlideError
from publishers.videotron.fonts import BOLD, REGULAR
from publishers.videotron.layout import (
    DARK,
    QR_QUIET,
    Plan,
    Theme,
    min_cap_rows,
    plan,
)
from publishers.videotron.photo import PhotoInput, cover, read_photo
from publishers.videotron.text import clean

Format = Literal["auto", "png", "jpeg"]
# Small walls get lossless PNG: every LED pixel shows, and the files stay small anyway.
PNG_MAX_PIXELS = 250_000
JPEG_QUALITY = 90
MAX_SIDE = 8192
MAX_QR_URL = 500
MAX_HEADLINE = 300  # what a post's headline may hold; 6–12 words are read at a glance
MAX_FOOTER_PART = 200


def format_date(value: Date | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def qr_matrix(url: str) -> list[list[bool]]:
    if len(url) > MAX_QR_URL:
        raise SlideError(f"Alamat untuk kode QR terlalu panjang (maksimal {MAX_QR_URL} karakter).")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def _check_size(size: tuple[int, int]) -> None:
    width, height = size
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise SlideError(f"Ukuran slide harus 1–{MAX_SIDE} piksel per sisi.")


@dataclass(frozen=True)
class Composed:
    image: Image.Image
    plan: Plan


def compose(
    photo: PhotoInput | None,
    headline: str,
    *,
    size: tuple[int, int],
    opd: str | None = None,
    date: Date | str | None = None,
    qr_url: str | None = None,
    theme: Theme | None = None,
    focus: tuple[float, float] = (0.5, 0.5),
    viewing_distance_m: float | None = None,
    pixel_pitch_mm: float | None = None,
    limits: Limits | None = None,
) -> Composed:
    theme = theme or DARK
    limits = limits or Limits()
    _check_size(size)
    if len(headline) > MAX_HEADLINE:
        raise HeadlineDoesNotFit(f"Judul slide maksimal {MAX_HEADLINE} karakter.")
    if any(len(part or "") > MAX_FOOTER_PART for part in (opd, format_date(date))):
        raise SlideError(f"Nama OPD dan tanggal masing-masing maksimal {MAX_FOOTER_PART} karakter.")
    text = clean(headline, [BOLD])
    if not text:
        raise HeadlineDoesNotFit("Judul slide kosong (setelah emoji dan spasi dibuang).")
    footer = [clean(part, [REGULAR]) for part in (opd or "", format_date(date))]
    # Reading the photo first: a broken file is reported as such, not as a layout problem.
    data = read_photo(photo, limits) if photo is not None else None
    layout = plan(
        size,
        text,
        has_photo=data is not None,
        footer=[part for part in footer if part],
        qr_matrix=qr_matrix(qr_url) if qr_url else (),
        theme=theme,
        min_cap=min_cap_rows(viewing_distance_m, pixel_pitch_mm),
    )
    canvas = Image.new("RGB", size, theme.background)
    frame = layout.frame
    if data is not None and frame.photo is not None:
        left, top, right, bottom = frame.photo
        picture = cover(
            data,
            (right - left, bottom - top),
            focus=focus,
            background=theme.background,
            limits=limits,
        )
        canvas.paste(picture, (left, top))
    draw = ImageDraw.Draw(canvas)
    if frame.accent is not None:
        draw.rectangle(_inclusive(frame.accent), fill=theme.accent)
    for line in layout.lines:
        draw.text(
            (line.x, line.baseline), line.text, font=line.freetype, fill=line.colour, anchor="ls"
        )
    if layout.qr_box is not None:
        _draw_qr(canvas, layout, theme)
    return Composed(canvas, layout)


def _inclusive(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    return (box[0], box[1], box[2] - 1, box[3] - 1)


def _draw_qr(canvas: Image.Image, layout: Plan, theme: Theme) -> None:
    assert layout.qr_box is not None
    matrix: Sequence[Sequence[bool]] = layout.qr_matrix
    modules = len(matrix)
    tile = Image.new("1", (modules + 2 * QR_QUIET, modules + 2 * QR_QUIET), 1)
    pixels = tile.load()
    assert pixels is not None
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + QR_QUIET, y + QR_QUIET] = 0
    left, top, right, bottom = layout.qr_box
    scaled = tile.resize((right - left, bottom - top), Image.Resampling.NEAREST)
    coloured = Image.new("RGB", scaled.size, theme.qr_dark)
    coloured.paste(Image.new("RGB", scaled.size, theme.qr_light), mask=scaled)
    canvas.paste(coloured, (left, top))


def choose_format(size: tuple[int, int], wanted: Format = "auto") -> Literal["png", "jpeg"]:
    if wanted != "auto":
        return wanted
    return "png" if size[0] * size[1] <= PNG_MAX_PIXELS else "jpeg"


def encode(image: Image.Image, fmt: Literal["png", "jpeg"]) -> bytes:
    out = io.BytesIO()
    if fmt == "png":
        image.save(out, "PNG", compress_level=6)
    else:
        # No chroma subsampling: thin coloured text on an LED wall would bleed otherwise.
        image.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    return out.getvalue()


def place_on_canvas(
    image: Image.Image, canvas: tuple[int, int], offset: tuple[int, int]
) -> Image.Image:
    """The slide inside the controller's whole input (the rest black), for controllers that show
    a region of a bigger picture."""
    _check_size(canvas)
    x, y = offset
    if x < 0 or y < 0 or x + image.width > canvas[0] or y + image.height > canvas[1]:
        raise SlideError(
            f"Slide {image.width}×{image.height} pada posisi {x},{y} keluar dari masukan "
            f"pengendali {canvas[0]}×{canvas[1]}."
        )
    full = Image.new("RGB", canvas, (0, 0, 0))
    full.paste(image, (x, y))
    return full


def render_slide(
    photo: PhotoInput | None,
    headline: str,
    *,
    size: tuple[int, int],
    opd: str | None = None,
    date: Date | str | None = None,
    qr_url: str | None = None,
    theme: Theme | None = None,
    focus: tuple[float, float] = (0.5, 0.5),
    offset: tuple[int, int] = (0, 0),
    canvas: tuple[int, int] | None = None,
    viewing_distance_m: float | None = None,
    pixel_pitch_mm: float | None = None,
    format: Format = "auto",
    limits: Limits | None = None,
) -> bytes:
    """One slide, encoded. `photo` is the image's bytes or a path (None: a text-only slide, as
    for an emergency message); `size` is the wall's (width, height) in pixels. With `canvas`,
    the slide is placed at `offset` inside a black picture of the controller's input size.
    Raises a SlideError (one Indonesian sentence) when the photo cannot be read or the headline
    cannot fit legibly."""
    composed = compose(
        photo,
        headline,
        size=size,
        opd=opd,
        date=date,
        qr_url=qr_url,
        theme=theme,
        focus=focus,
        viewing_distance_m=viewing_distance_m,
        pixel_pitch_mm=pixel_pitch_mm,
        limits=limits,
    )
    image = composed.image
    if canvas is not None:
        image = place_on_canvas(image, canvas, offset)
    return encode(image, choose_format(image.size, format))
