"""The videotron headline suggested from a caption ("Sarankan dari keterangan"): the caption's
first sentence without hashtags, mentions and links, shortened to what a passer-by reads at a
glance (at most `MAX_WORDS` words and the slide's character limit). It ends on a phrase
boundary, never inside a word or a phrase: after punctuation inside the sentence (a comma, a
colon, a dash) when that leaves enough words, otherwise before a connective ("dan", "untuk",
"di" …) that opens the next phrase, and never on a connective left hanging."""

from __future__ import annotations

import re

from content.editorial.channels import RULES
from content.models import Channel

MAX_WORDS = 10
MIN_WORDS = 4  # a phrase boundary earlier than this leaves too little to read
MAX_CHARS = RULES[Channel.VIDEOTRON].max_chars
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_PHRASE_END = (",", ";", ":", "–", "—", "-", ")")
_TRAILING = ".,;:!?–—-("
# Words that announce what follows: a headline must not end on one.
CONNECTIVES = frozenset(
    (
        "dan",
        "atau",
        "serta",
        "tetapi",
        "namun",
        "yang",
        "di",
        "ke",
        "dari",
        "untuk",
        "bagi",
        "dengan",
        "pada",
        "oleh",
        "dalam",
        "akan",
        "agar",
        "supaya",
        "karena",
        "sejak",
        "hingga",
        "sampai",
        "antara",
        "tentang",
        "terhadap",
        "para",
        "sang",
        "si",
        "se",
        "juga",
        "pun",
        "bahwa",
        "mulai",
        "selama",
        "jelang",
        "menjelang",
        "bersama",
    )
)


def _words(caption: str) -> list[str]:
    first = _SENTENCE_END.split(caption.strip(), maxsplit=1)[0]
    return [w for w in first.split() if not w.startswith(("#", "@", "http", "www."))]


def _fits(words: list[str]) -> bool:
    return len(words) <= MAX_WORDS and len(" ".join(words)) <= MAX_CHARS


def _finish(words: list[str]) -> str:
    return " ".join(words).rstrip(_TRAILING + " ")


def _bare(word: str) -> str:
    return word.strip(_TRAILING + "\"'“”").lower()


def suggest_headline(caption: str) -> str:
    """A headline that ends on a phrase boundary ("" for a caption with no words)."""
    words = _words(caption)
    if _fits(words):
        return _finish(words)
    longest = 0
    while longest < len(words) and _fits(words[: longest + 1]):
        longest += 1
    # 1. the last punctuation inside the part that fits closes a phrase
    for end in range(longest, MIN_WORDS - 1, -1):
        if words[end - 1].endswith(_PHRASE_END):
            return _finish(words[:end])
    if longest == 0:  # one word longer than the slide: nothing sensible to cut
        return ""
    # 2. a connective opens the next phrase: end before the last one, unless the part that
    # fits is already followed by one
    end = longest
    if _bare(words[longest]) not in CONNECTIVES:
        starts = [i for i in range(MIN_WORDS, longest) if _bare(words[i]) in CONNECTIVES]
        end = starts[-1] if starts else longest
    # 3. whole words, without a connective left hanging at the end
    while end > 1 and _bare(words[end - 1]) in CONNECTIVES:
        end -= 1
    return _finish(words[:end])
