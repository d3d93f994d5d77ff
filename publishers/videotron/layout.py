"""Where everything goes on a slide, decided before a single pixel is drawn.

Geometry: a safe area inset from every edge (LED cabinets are seldom aligned to the last pixel);
the photo fills the left part of a wide wall or the top part of a tall one; the text panel is the
rest, on a dark background. The headline takes the largest size that fits the panel, between the
legible minimum and a maximum, wrapped on words; if it does not fit at the legible minimum the
slide is refused (a headline shrunk until nobody can read it is worse than none).

Legibility, defined precisely: the character height is the number of pixel rows the capital H
covers above the baseline at a given font size (FreeType's glyph box, see fonts.Font.cap_height).
It is at least 7 rows (a 5×7 dot-matrix capital), and at least viewing distance ÷ 45 in physical
height where the viewing distance is known, converted to rows with the wall's pixel pitch
(10 mm, the usual outdoor videotron, unless the screen's pitch is configured).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import ImageFont

from publishers.videotron.errors import HeadlineDoesNotFit, QrDoesNotFit
from publishers.videotron.fonts import BOLD, REGULAR, Font
from publishers.videotron.text import wrap

Box = tuple[int, int, int, int]  # left, top, right, bottom (right and bottom exclusive)
RGB = tuple[int, int, int]

MIN_CAP_ROWS = 7
DISTANCE_RATIO = 45
DEFAULT_PITCH_MM = 10.0
MIN_QR_MODULE = 2
QR_QUIET = 2  # modules of light margin; the light square is all the glare a QR code adds


@dataclass(frozen=True)
class Theme:
    """Colours and proportions. Dark by default: white burns power and glares at night."""

    name: str = "gelap"
    background: RGB = (10, 16, 28)
    headline: RGB = (246, 247, 249)
    footer: RGB = (176, 188, 204)
    accent: RGB = (0, 150, 80)
    kicker: str = ""
    kicker_colour: RGB = (255, 204, 0)
    qr_light: RGB = (235, 235, 235)
    qr_dark: RGB = (0, 0, 0)
    max_cap_ratio: float = 0.1  # largest capital height, of the shorter side of the slide
    footer_ratio: float = 0.45  # footer size, of the headline size
    line_spacing: float = 1.16  # baseline to baseline, of the font size
    margin_ratio: float = 0.04  # safe-area inset, of the shorter side
    accent_ratio: float = 0.012  # accent stripe between photo and panel, of the shorter side


DARK = Theme()
EMERGENCY = Theme(
    name="darurat",
    background=(72, 8, 8),
    accent=(255, 204, 0),
    footer=(240, 210, 210),
    kicker="INFORMASI SERTA-MERTA",
    max_cap_ratio=0.16,  # an emergency may shout
)


def min_cap_rows(
    viewing_distance_m: float | None = None, pixel_pitch_mm: float | None = None
) -> int:
    """The legible minimum character height in pixel rows for this wall."""
    rows = MIN_CAP_ROWS
    if viewing_distance_m and viewing_distance_m > 0:
        pitch = pixel_pitch_mm if pixel_pitch_mm and pixel_pitch_mm > 0 else DEFAULT_PITCH_MM
        rows = max(rows, math.ceil(viewing_distance_m * 1000 / DISTANCE_RATIO / pitch - 1e-9))
    return rows


def size_for_cap(font: Font, rows: int) -> int:
    """The smallest font size whose capitals cover at least `rows` pixel rows."""
    size = max(1, int(rows / 0.75))
    while font.cap_height(size) >= rows and size > 1:
        size -= 1
    while font.cap_height(size) < rows:
        size += 1
    return size


def largest_size_within_cap(font: Font, rows: int) -> int:
    size = size_for_cap(font, rows)
    while font.cap_height(size + 1) <= rows:
        size += 1
    return size


@dataclass(frozen=True)
class Line:
    text: str
    font: Font
    size: int
    colour: RGB
    x: int  # pen position, at the baseline
    baseline: int
    bbox: Box  # where its ink falls

    @property
    def freetype(self) -> ImageFont.FreeTypeFont:
        return self.font.at(self.size)


@dataclass(frozen=True)
class Frame:
    size: tuple[int, int]
    safe: Box
    photo: Box | None
    panel: Box
    text: Box
    accent: Box | None


@dataclass(frozen=True)
class Plan:
    frame: Frame
    lines: tuple[Line, ...]
    headline_size: int
    cap_rows: int
    min_cap_rows: int
    qr_box: Box | None = None
    qr_module: int = 0
    qr_matrix: tuple[tuple[bool, ...], ...] = field(default=(), repr=False)


def frame_for(size: tuple[int, int], has_photo: bool, theme: Theme) -> Frame:
    width, height = size
    short = min(width, height)
    margin = max(1, round(short * theme.margin_ratio))
    safe = (margin, margin, width - margin, height - margin)
    if not has_photo:
        return Frame(size, safe, None, (0, 0, width, height), safe, None)
    stripe = max(1, round(short * theme.accent_ratio))
    if width >= height * 1.25:
        photo_w = min(max(round(height * 4 / 3), round(width * 0.4)), round(width * 0.6))
        accent = (photo_w, 0, min(width, photo_w + stripe), height)
        text = (photo_w + stripe + margin, margin, width - margin, height - margin)
        return Frame(size, safe, (0, 0, photo_w, height), (photo_w, 0, width, height), text, accent)
    photo_h = min(max(round(width * 3 / 4), round(height * 0.4)), round(height * 0.6))
    accent = (0, photo_h, width, min(height, photo_h + stripe))
    text = (margin, photo_h + stripe + margin, width - margin, height - margin)
    return Frame(size, safe, (0, 0, width, photo_h), (0, photo_h, width, height), text, accent)


@dataclass(frozen=True)
class _Block:
    """Lines of one font and size, positioned relative to the first baseline at y = 0."""

    texts: tuple[str, ...]
    font: Font
    size: int
    boxes: tuple[Box, ...]  # ink boxes, relative to (0, first baseline)
    pitch: int

    @property
    def top(self) -> int:
        return min(box[1] for box in self.boxes)

    @property
    def bottom(self) -> int:
        return max(box[3] for box in self.boxes)

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def shift(self) -> int:
        # A glyph with ink left of its pen position (negative bearing) moves the pen right.
        return max(0, -min(box[0] for box in self.boxes))


def _ink(font: Font, size: int, text: str, exact: bool) -> Box:
    if exact:
        left, top, right, bottom = font.at(size).getbbox(text, anchor="ls")
        return (int(left), int(top), int(right), int(bottom))
    return font.metrics(size).ink(text)


def _block(
    words_per_line: Sequence[str],
    font: Font,
    size: int,
    width: int,
    theme: Theme,
    *,
    exact: bool = False,
) -> _Block | None:
    """Lines measured by glyph sums while searching (`exact` False), by FreeType for the final
    layout."""
    pitch = round(size * theme.line_spacing)
    boxes: list[Box] = []
    for index, text in enumerate(words_per_line):
        left, top, right, bottom = _ink(font, size, text, exact)
        boxes.append((left, top + index * pitch, right, bottom + index * pitch))
    block = _Block(tuple(words_per_line), font, size, tuple(boxes), pitch)
    if any(box[2] + block.shift > width for box in boxes):
        return None
    return block


def _wrapped(
    text: str, font: Font, size: int, width: int, theme: Theme, *, exact: bool
) -> _Block | None:
    lines = wrap(text.split(" "), font.metrics(size).length, width)
    return None if lines is None else _block(lines, font, size, width, theme, exact=exact)


def _footer(
    parts: Sequence[str], size: int, smallest: int, width: int, theme: Theme, *, exact: bool
) -> _Block | None:
    """OPD and date on one line, else each on its own line, shrinking a little; only then are
    names broken over lines, shrinking on towards the legible minimum."""
    if not parts:
        return _Block((), REGULAR, size, (), 0)
    step = max(1, size // 10)
    modest = max(smallest, round(size * 0.6))
    for candidate in [*range(size, modest, -step), modest]:
        for lines in ([" · ".join(parts)], list(parts)):
            block = _block(lines, REGULAR, candidate, width, theme, exact=exact)
            if block is not None:
                return block
    for candidate in [*range(modest, smallest, -step), smallest]:
        wrapped: list[str] = []
        for part in parts:
            lines_of_part = wrap(part.split(" "), REGULAR.metrics(candidate).length, width)
            if lines_of_part is None:
                break
            wrapped += lines_of_part
        else:
            block = _block(wrapped, REGULAR, candidate, width, theme, exact=exact)
            if block is not None:
                return block
    return None


def _height(block: _Block) -> int:
    return block.height if block.texts else 0


@dataclass(frozen=True)
class _Try:
    headline: _Block
    kicker: _Block
    footer: _Block


def _qr_size(text: Box, modules: int) -> int:
    width, height = text[2] - text[0], text[3] - text[1]
    return math.floor(min(height * 0.3, width * 0.4) / (modules + 2 * QR_QUIET))


def plan(
    size: tuple[int, int],
    headline: str,
    *,
    has_photo: bool,
    footer: Sequence[str] = (),
    qr_matrix: Sequence[Sequence[bool]] = (),
    theme: Theme = DARK,
    min_cap: int = MIN_CAP_ROWS,
) -> Plan:
    frame = frame_for(size, has_photo, theme)
    left, top, right, bottom = frame.text
    width, height = right - left, bottom - top
    label = f"{size[0]}×{size[1]}"
    if width <= 0 or height <= 0:
        raise HeadlineDoesNotFit(f"Layar {label} terlalu kecil untuk teks slide.")
    qr_px = module = 0
    if qr_matrix:
        modules = len(qr_matrix)
        module = _qr_size(frame.text, modules)
        if module < MIN_QR_MODULE:
            raise QrDoesNotFit(
                f"Kode QR tidak muat terbaca di layar {label}; kirim slide tanpa QR."
            )
        qr_px = module * (modules + 2 * QR_QUIET)
    gap_of = max(1, round(height * 0.04))
    small = size_for_cap(REGULAR, min_cap)
    low = size_for_cap(BOLD, min_cap)
    high = max(low, largest_size_within_cap(BOLD, round(min(size) * theme.max_cap_ratio)))

    def attempt(headline_size: int, exact: bool = False) -> _Try | None:
        note = min(max(small, round(headline_size * theme.footer_ratio)), max(small, headline_size))
        kicker = (
            _wrapped(theme.kicker, BOLD, note, width, theme, exact=exact)
            if theme.kicker
            else _Block((), BOLD, note, (), 0)
        )
        foot = _footer(
            footer, note, small, width - (qr_px + gap_of if qr_px else 0), theme, exact=exact
        )
        head = _wrapped(headline, BOLD, headline_size, width, theme, exact=exact)
        if kicker is None or foot is None or head is None:
            return None
        bottom_h = max(_height(foot), qr_px)
        used = _height(kicker) + _height(head) + bottom_h
        used += gap_of * (bool(kicker.texts) + bool(bottom_h))
        return _Try(head, kicker, foot) if used <= height else None

    if attempt(low) is None:
        raise _refusal(
            headline,
            footer=footer,
            label=label,
            size=low,
            small=small,
            width=width,
            min_cap=min_cap,
        )
    best, lo, hi = low, low + 1, high
    while lo <= hi:  # the largest size that fits; fitting is monotone in practice
        mid = (lo + hi) // 2
        if attempt(mid) is None:
            hi = mid - 1
        else:
            best, lo = mid, mid + 1
    # FreeType's measure of the chosen lines has the last word (it may differ by a pixel).
    found = attempt(best, exact=True)
    while found is None and best > low:
        best -= 1
        found = attempt(best, exact=True)
    if found is None:
        raise _refusal(
            headline,
            footer=footer,
            label=label,
            size=low,
            small=small,
            width=width,
            min_cap=min_cap,
        )
    return _place(
        frame,
        found,
        theme=theme,
        headline_size=best,
        min_cap=min_cap,
        qr_px=qr_px,
        module=module,
        qr_matrix=qr_matrix,
        gap=gap_of,
    )


def _refusal(
    headline: str,
    *,
    footer: Sequence[str],
    label: str,
    size: int,
    small: int,
    width: int,
    min_cap: int,
) -> HeadlineDoesNotFit:
    rule = f"tinggi huruf kapital {min_cap} piksel"
    for word in headline.split(" "):
        if BOLD.metrics(size).length(word) > width:
            return HeadlineDoesNotFit(
                f"Kata '{word}' terlalu panjang untuk lebar teks layar {label} pada ukuran "
                f"terkecil yang masih terbaca ({rule}); persingkat atau ganti kata itu."
            )
    for part in footer:
        if wrap(part.split(" "), REGULAR.metrics(small).length, width) is None:
            return HeadlineDoesNotFit(
                f"Nama OPD atau tanggal '{part}' tidak muat di layar {label}; pakai nama singkat."
            )
    return HeadlineDoesNotFit(
        f"Judul terlalu panjang untuk layar {label}: pada ukuran terkecil yang masih terbaca "
        f"({rule}) judul tidak muat. Persingkat judulnya."
    )


def _place(
    frame: Frame,
    found: _Try,
    *,
    theme: Theme,
    headline_size: int,
    min_cap: int,
    qr_px: int,
    module: int,
    qr_matrix: Sequence[Sequence[bool]],
    gap: int,
) -> Plan:
    left, top, right, bottom = frame.text
    lines: list[Line] = []

    def put(block: _Block, first_baseline: int, colour: RGB) -> None:
        x = left + block.shift
        for index, text in enumerate(block.texts):
            l0, t0, r0, b0 = block.boxes[index]
            lines.append(
                Line(
                    text,
                    block.font,
                    block.size,
                    colour,
                    x,
                    first_baseline + index * block.pitch,
                    (x + l0, first_baseline + t0, x + r0, first_baseline + b0),
                )
            )

    cursor = top
    if found.kicker.texts:
        put(found.kicker, cursor - found.kicker.top, theme.kicker_colour)
        cursor += found.kicker.height + gap
    bottom_h = max(_height(found.footer), qr_px)
    free_bottom = bottom - (bottom_h + gap if bottom_h else 0)
    spare = max(0, free_bottom - cursor - found.headline.height)
    put(found.headline, cursor + spare // 2 - found.headline.top, theme.headline)
    if found.footer.texts:
        put(found.footer, bottom - found.footer.bottom, theme.footer)
    qr_box = (right - qr_px, bottom - qr_px, right, bottom) if qr_px else None
    return Plan(
        frame=frame,
        lines=tuple(lines),
        headline_size=headline_size,
        cap_rows=BOLD.cap_height(headline_size),
        min_cap_rows=min_cap,
        qr_box=qr_box,
        qr_module=module,
        qr_matrix=tuple(tuple(row) for row in qr_matrix),
    )
