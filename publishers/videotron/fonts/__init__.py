"""The fonts shipped for slides (Noto Sans, SIL Open Font License 1.1; see OFL.txt).

Fonts travel with the project instead of being looked up on the machine, so a slide renders to the
same bytes on every worker and never falls back to a font without Indonesian letters. Which
characters a font really has is read from its `cmap` table: Pillow draws a missing character as a
box ("tofu") without telling anyone.
"""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).parent


def _table(data: bytes, tag: bytes) -> int:
    (count,) = struct.unpack_from(">H", data, 4)
    for index in range(count):
        name, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if name == tag:
            return int(offset)
    raise ValueError(f"font has no {tag.decode()} table")


def _format4(data: bytes, start: int) -> set[int]:
    (seg_x2,) = struct.unpack_from(">H", data, start + 6)
    segments = seg_x2 // 2
    ends = start + 14
    starts = ends + seg_x2 + 2
    deltas = starts + seg_x2
    range_offsets = deltas + seg_x2
    found: set[int] = set()
    for seg in range(segments):
        (end,) = struct.unpack_from(">H", data, ends + 2 * seg)
        (first,) = struct.unpack_from(">H", data, starts + 2 * seg)
        (delta,) = struct.unpack_from(">h", data, deltas + 2 * seg)
        offset_at = range_offsets + 2 * seg
        (range_offset,) = struct.unpack_from(">H", data, offset_at)
        for char in range(first, end + 1):
            if char == 0xFFFF:
                continue
            if range_offset == 0:
                glyph = (char + delta) & 0xFFFF
            else:
                (glyph,) = struct.unpack_from(
                    ">H", data, offset_at + range_offset + 2 * (char - first)
                )
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                found.add(char)
    return found


def _format12(data: bytes, start: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", data, start + 12)
    found: set[int] = set()
    for index in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * index)
        found.update(c for c in range(first, last + 1) if glyph + (c - first) != 0)
    return found


def codepoints(data: bytes) -> frozenset[int]:
    """Every character the font maps to a real glyph (not .notdef)."""
    cmap = _table(data, b"cmap")
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    found: set[int] = set()
    for index in range(count):
        _platform, _encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * index)
        start = cmap + offset
        (fmt,) = struct.unpack_from(">H", data, start)
        if fmt == 4:
            found |= _format4(data, start)
        elif fmt == 12:
            found |= _format12(data, start)
    return frozenset(found)


@dataclass(frozen=True)
class Font:
    filename: str
    data: bytes = field(repr=False)

    @classmethod
    def load(cls, filename: str) -> Font:
        return cls(filename, (FONT_DIR / filename).read_bytes())

    @cached_property
    def codepoints(self) -> frozenset[int]:
        return codepoints(self.data)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def has(self, char: str) -> bool:
        return ord(char) in self.codepoints

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        return _sized(self, size)

    def metrics(self, size: int) -> GlyphMetrics:
        return _metrics(self, size)

    def cap_height(self, size: int) -> int:
        """Pixel rows of a capital H above the baseline at this size (FreeType's glyph box): the
        "character height" the legibility rules count."""
        return _cap_height(self, size)

    def __hash__(self) -> int:
        return hash(self.filename)


@lru_cache(maxsize=512)
def _sized(font: Font, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: the same pixels whether or not libraqm is installed on this machine, and
    # Indonesian needs no complex shaping.
    return ImageFont.truetype(io.BytesIO(font.data), size, layout_engine=ImageFont.Layout.BASIC)


class GlyphMetrics:
    """Advance and ink box of each character at one size, asked of FreeType once.

    Fitting a headline tries many sizes and line breaks; measuring every candidate line with
    FreeType would cost more than decoding the photo. A line's length is the sum of its advances
    and its ink box the union of its glyphs' boxes (exact for the BASIC layout of these fonts,
    which has no kerning); the chosen layout is still checked with FreeType's own measure."""

    def __init__(self, face: ImageFont.FreeTypeFont) -> None:
        self.face = face
        self._advances: dict[str, float] = {}
        self._inks: dict[str, tuple[int, int, int, int] | None] = {}

    def advance(self, char: str) -> float:
        found = self._advances.get(char)
        if found is None:
            found = self._advances[char] = float(self.face.getlength(char))
        return found

    def length(self, text: str) -> float:
        return sum(self.advance(char) for char in text)

    def _glyph_ink(self, char: str) -> tuple[int, int, int, int] | None:
        if char not in self._inks:
            left, top, right, bottom = (int(v) for v in self.face.getbbox(char, anchor="ls"))
            self._inks[char] = (left, top, right, bottom) if right > left else None
        return self._inks[char]

    def ink(self, text: str) -> tuple[int, int, int, int]:
        """The box the text's ink covers, relative to its pen position on the baseline."""
        pen = 0.0
        left = top = 1 << 30
        right = bottom = -(1 << 30)
        for char in text:
            glyph = self._glyph_ink(char)
            if glyph is not None:
                x = int(pen)
                left, top = min(left, x + glyph[0]), min(top, glyph[1])
                right, bottom = max(right, x + glyph[2]), max(bottom, glyph[3])
            pen += self.advance(char)
        if right < left:
            return (0, 0, 0, 0)
        return (left, top, right, bottom)


@lru_cache(maxsize=512)
def _metrics(font: Font, size: int) -> GlyphMetrics:
    return GlyphMetrics(_sized(font, size))


@lru_cache(maxsize=512)
def _cap_height(font: Font, size: int) -> int:
    _left, top, _right, _bottom = _sized(font, size).getbbox("H", anchor="ls")
    return int(-top)


BOLD = Font.load("NotoSans-Bold.ttf")
REGULAR = Font.load("NotoSans-Regular.ttf")
FONTS_DIGEST = hashlib.sha256((BOLD.digest + REGULAR.digest).encode()).hexdigest()
