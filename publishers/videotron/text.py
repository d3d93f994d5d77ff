"""Headline text for an LED wall: normalised, emoji removed cleanly, every character checked
against the font (no tofu), wrapped on words.

Emoji are removed rather than drawn: a colour emoji font is a 10 MB bitmap at one size, scaled
bitmaps look smeared on a wall, and a slide must render to the same bytes on every worker.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from publishers.videotron.errors import UnsupportedCharacters
from publishers.videotron.fonts import Font

# Pictographic blocks, emoji modifiers and the joiners that glue emoji sequences together.
_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),  # mahjong … symbols and pictographs extended-A, flags, skin tones
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0xFE00, 0xFE0F),  # variation selectors (VS16 asks for emoji presentation)
    (0x200D, 0x200D),  # zero width joiner
    (0x20E3, 0x20E3),  # combining enclosing keycap
    (0xE0020, 0xE007F),  # tag characters (subdivision flags)
)
_INVISIBLE = {0x200B, 0x200C, 0x2060, 0xFEFF, 0x00AD}
_GONE = "\ufffc"  # placeholder where something was removed, resolved below
_GONE_BEFORE_PUNCT = re.compile(rf"\s*{_GONE}+\s*(?=[.,!?;:)\]%]|$)")
_GONE_ELSEWHERE = re.compile(rf"\s*{_GONE}+\s*")
_SPACES = re.compile(r"[^\S\u00a0]+")


def is_emoji(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _EMOJI_RANGES)


def _droppable(char: str) -> bool:
    """Characters that may vanish without changing what the text says: symbols, marks, format
    and private-use characters. A letter, digit or punctuation mark never vanishes silently."""
    category = unicodedata.category(char)
    return category[0] in {"S", "M", "C"}


def clean(text: str, fonts: Sequence[Font]) -> str:
    """The text as it will be drawn. Raises UnsupportedCharacters for a letter no font has."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    missing: list[str] = []
    for char in text:
        code = ord(char)
        if char in "\r\n\t" or char.isspace():
            out.append(char if char == "\u00a0" else " ")
        elif is_emoji(char) or code in _INVISIBLE or unicodedata.category(char) == "Cc":
            out.append(_GONE)
        elif all(font.has(char) for font in fonts):
            out.append(char)
        elif _droppable(char):
            out.append(_GONE)
        else:
            missing.append(char)
    if missing:
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in dict.fromkeys(missing))
        raise UnsupportedCharacters(
            f"Karakter {shown} tidak tersedia di fon slide; ganti atau hapus karakter itu."
        )
    joined = _GONE_BEFORE_PUNCT.sub("", "".join(out))
    joined = _GONE_ELSEWHERE.sub(" ", joined)
    return _SPACES.sub(" ", joined).strip()


def missing_glyphs(text: str, font: Font) -> set[str]:
    """Characters of `text` the font would draw as tofu (spaces aside)."""
    return {c for c in text if c != " " and not font.has(c)}


def wrap(words: Iterable[str], length: Callable[[str], float], width: int) -> list[str] | None:
    """Greedy word wrap by `length` (a font's measure); None when a single word is wider than
    the line (a word is never split)."""
    lines: list[str] = []
    current = ""
    for word in words:
        if length(word) > width:
            return None
        candidate = f"{current} {word}" if current else word
        if length(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines
