"""Each channel's text and photo rules, declared in one place (the publishers read them too)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from content.models import Channel

_HASHTAG = re.compile(r"(?<!\w)#\w+")


@dataclass(frozen=True)
class ChannelRules:
    channel: Channel
    label: str
    max_chars: int
    max_hashtags: int | None = None
    needs_photo: bool = False
    max_photos: int = 10
    weighted: bool = False  # X counts URLs as 23 and emoji as 2
    headline_words: tuple[int, int] | None = None


RULES: dict[Channel, ChannelRules] = {
    Channel.X: ChannelRules(Channel.X, "X", 280, max_photos=4, weighted=True),
    Channel.FACEBOOK: ChannelRules(Channel.FACEBOOK, "Facebook", 63_206),
    Channel.INSTAGRAM: ChannelRules(
        Channel.INSTAGRAM, "Instagram", 2_200, max_hashtags=30, needs_photo=True
    ),
    Channel.VIDEOTRON: ChannelRules(
        Channel.VIDEOTRON, "Videotron", 120, needs_photo=True, max_photos=1, headline_words=(1, 12)
    ),
}


def count(channel: Channel, text: str) -> int:
    if RULES[channel].weighted:
        # twitter-text compiles large emoji tables on import: load it when first needed
        from twitter_text import parse_tweet

        return int(parse_tweet(text).weightedLength)
    return len(text)


def hashtags(text: str) -> int:
    return len(_HASHTAG.findall(text))


def problems(channel: Channel, text: str, photo_count: int) -> list[str]:
    """Sentences saying why this text and these photos cannot go to this channel."""
    rules = RULES[channel]
    found: list[str] = []
    length = count(channel, text)
    if channel is Channel.VIDEOTRON:
        words = len(text.split())
        if words == 0:
            found.append("Videotron: judul slide belum diisi.")
        elif rules.headline_words and words > rules.headline_words[1]:
            found.append(
                f"Videotron: judul {words} kata; paling banyak {rules.headline_words[1]} kata "
                "agar terbaca sekilas."
            )
    elif not text.strip() and photo_count == 0:
        found.append(f"{rules.label}: teks dan foto kosong.")
    if length > rules.max_chars:
        found.append(f"{rules.label}: {length} karakter, melebihi batas {rules.max_chars}.")
    if rules.max_hashtags is not None and hashtags(text) > rules.max_hashtags:
        found.append(f"{rules.label}: lebih dari {rules.max_hashtags} tagar.")
    if rules.needs_photo and photo_count == 0:
        found.append(f"{rules.label}: wajib ada foto.")
    if photo_count > rules.max_photos:
        found.append(f"{rules.label}: paling banyak {rules.max_photos} foto.")
    return found
