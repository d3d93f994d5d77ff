"""Each channel's rules, declared in one place: text length and hashtags, photo count, photo types,
sizes, alt-text length and aspect ratio, and how the link travels. The composer, submission,
approval and the publishers (`publishers.social.base.Capabilities`, `common_problems`) all read them
here, so what the app warns about before approval is exactly what the worker would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from content import formats
from content.labels import CHANNEL_LABELS
from content.models import Channel

_HASHTAG = re.compile(r"(?<!\w)#\w+")
MB = 1024 * 1024
# What photo intake (content.editorial.media) stores: JPEG, or PNG where transparency must be kept.
INTAKE_MIMES = frozenset({"image/jpeg", "image/png"})

PAD = "pad"  # the fix: put the photo on a canvas of an allowed ratio, as JPEG (media.pad_photo)


@dataclass(frozen=True)
class ChannelRules:
    channel: Channel
    max_chars: int
    max_hashtags: int | None = None
    needs_photo: bool = False
    max_photos: int = 10
    weighted: bool = False  # X counts URLs as 23 and emoji as 2
    headline_words: tuple[int, int] | None = None
    photo_mimes: frozenset[str] = INTAKE_MIMES
    max_photo_bytes: int = 25 * MB
    max_alt_text: int = 1_000
    aspect_ratio: tuple[float, float] | None = None  # allowed width/height, inclusive
    link_param: bool = False  # the link travels apart from the text (Facebook text posts)
    takes_link: bool = True  # False: the channel never shows the post's link (videotron)
    # A channel whose posts have a title (the post's headline) as well as a body: a website.
    max_title_chars: int | None = None
    html_body: bool = False  # the body is sent as HTML (escaped text, links, line breaks)
    reads_metrics: bool = True  # False: engagement is not read from the channel (no API)

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self.channel]


RULES: dict[Channel, ChannelRules] = {
    Channel.X: ChannelRules(
        Channel.X,
        280,
        max_photos=4,
        weighted=True,
        photo_mimes=frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}),
        max_photo_bytes=5 * MB,
    ),
    Channel.FACEBOOK: ChannelRules(
        Channel.FACEBOOK,
        63_206,
        photo_mimes=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        max_photo_bytes=10 * MB - 1,  # "less than 10 MB" (Photo reference)
        link_param=True,
    ),
    Channel.INSTAGRAM: ChannelRules(
        Channel.INSTAGRAM,
        2_200,
        max_hashtags=30,
        needs_photo=True,
        photo_mimes=frozenset({"image/jpeg"}),
        max_photo_bytes=8 * MB,
        aspect_ratio=(4 / 5, 1.91),
    ),
    Channel.VIDEOTRON: ChannelRules(
        Channel.VIDEOTRON,
        120,
        needs_photo=True,
        max_photos=1,
        headline_words=(1, 12),
        takes_link=False,
        reads_metrics=False,  # its audience is counted by proof of play, not engagement
    ),
    # An OPD's WordPress site (REST API): the headline is the title, the text the body. Page
    # views are not read (WordPress core has no statistics API). Limits: ours, for readers.
    Channel.WEBSITE: ChannelRules(
        Channel.WEBSITE,
        20_000,
        max_photos=1,  # the featured image
        max_photo_bytes=8 * MB,  # a common upload_max_filesize; larger ones meet a 413
        max_title_chars=200,
        html_body=True,
        reads_metrics=False,
    ),
}


@dataclass(frozen=True)
class Problem:
    """Why a target cannot go to a channel as it is. `code` is for programs (stored, branched
    on), `message` one Indonesian sentence for people; `fix` names a remedy the app can offer
    (`PAD`), None when only the author can change it."""

    code: str
    message: str
    photo_index: int | None = None
    fix: str | None = None


class PhotoFacts(Protocol):
    """What the photo checks read: a stored `Media` with its alt text, or a publisher's Photo."""

    @property
    def mime(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def size_bytes(self) -> int: ...
    @property
    def alt_text(self) -> str: ...


def count(channel: Channel, text: str) -> int:
    if RULES[channel].weighted:
        # twitter-text compiles large emoji tables on import: load it when first needed
        from twitter_text import parse_tweet

        return int(parse_tweet(text).weightedLength)
    return len(text)


def hashtags(text: str) -> int:
    return len(_HASHTAG.findall(text))


def compose(channel: Channel, text: str, link: str, has_photos: bool) -> tuple[str, str | None]:
    """(text to post, link to send as its own field). Where the platform has no link field the
    link is appended to the text, unless the text already carries it."""
    rules = RULES[channel]
    link = link.strip()
    if not link or not rules.takes_link:
        return text, None
    if rules.link_param and not has_photos:
        return text, link
    if link in text:
        return text, None
    return (f"{text.rstrip()}\n\n{link}" if text.strip() else link), None


def text_problems(channel: Channel, text: str, photo_count: int) -> list[Problem]:
    """What the channel refuses in this text (as it will be sent, link included) and in the
    number of photos."""
    rules = RULES[channel]
    found: list[Problem] = []
    length = count(channel, text)
    if channel is Channel.VIDEOTRON:
        words = len(text.split())
        if words == 0:
            found.append(Problem("headline_missing", "Videotron: judul slide belum diisi."))
        elif rules.headline_words and words > rules.headline_words[1]:
            found.append(
                Problem(
                    "headline_words",
                    f"Videotron: judul {words} kata; paling banyak {rules.headline_words[1]} "
                    "kata agar terbaca sekilas.",
                )
            )
    elif not text.strip() and photo_count == 0:
        found.append(Problem("empty", f"{rules.label}: teks dan foto kosong."))
    if length > rules.max_chars:
        found.append(
            Problem(
                "text_length",
                f"{rules.label}: {formats.number(length)} karakter, "
                f"melebihi batas {formats.number(rules.max_chars)}.",
            )
        )
    if rules.max_hashtags is not None and hashtags(text) > rules.max_hashtags:
        found.append(Problem("hashtags", f"{rules.label}: lebih dari {rules.max_hashtags} tagar."))
    if rules.needs_photo and photo_count == 0:
        found.append(Problem("photo_missing", f"{rules.label}: wajib ada foto."))
    if photo_count > rules.max_photos:
        found.append(
            Problem("photo_count", f"{rules.label}: paling banyak {rules.max_photos} foto.")
        )
    return found


def title_problems(channel: Channel, title: str) -> list[Problem]:
    """What a titled channel refuses in the title (the post's headline); nothing elsewhere."""
    rules = RULES[channel]
    if rules.max_title_chars is None:
        return []
    title = " ".join(title.split())
    if not title:
        return [Problem("title_missing", f"{rules.label}: judul belum diisi.")]
    if len(title) > rules.max_title_chars:
        return [
            Problem(
                "title_length",
                f"{rules.label}: judul {len(title)} karakter, melebihi batas "
                f"{rules.max_title_chars}.",
            )
        ]
    return []


def titled_channels() -> list[Channel]:
    return [c for c, rules in RULES.items() if rules.max_title_chars is not None]


def unread_channels() -> list[Channel]:
    """Channels published by a publisher whose engagement is not read (said on Monev)."""
    return [c for c, rules in RULES.items() if not rules.reads_metrics and rules.takes_link]


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",")


def photo_problems(channel: Channel, photos: Sequence[PhotoFacts]) -> list[Problem]:
    """What the channel refuses in these photos: type, size, alt-text length, aspect ratio.
    Type and ratio are offered the `PAD` fix where the channel has a ratio rule (the padded
    version is a JPEG within the ratio)."""
    rules = RULES[channel]
    fix = PAD if rules.aspect_ratio else None
    found: list[Problem] = []
    for index, photo in enumerate(photos):
        number = index + 1
        if photo.mime not in rules.photo_mimes:
            accepted = ", ".join(sorted(rules.photo_mimes))
            found.append(
                Problem(
                    "photo_type",
                    f"{rules.label}: foto ke-{number} berformat {photo.mime}; yang diterima "
                    f"{accepted}.",
                    index,
                    fix,
                )
            )
        if photo.size_bytes > rules.max_photo_bytes:
            found.append(
                Problem(
                    "photo_size",
                    f"{rules.label}: foto ke-{number} {_megabytes(photo.size_bytes)} MB, melebihi "
                    f"batas {_megabytes(rules.max_photo_bytes + 1)} MB.",
                    index,
                )
            )
        if len(photo.alt_text) > rules.max_alt_text:
            found.append(
                Problem(
                    "alt_text",
                    f"{rules.label}: teks alternatif foto ke-{number} paling banyak "
                    f"{rules.max_alt_text} karakter.",
                    index,
                )
            )
        if rules.aspect_ratio and photo.width and photo.height:
            low, high = rules.aspect_ratio
            ratio = photo.width / photo.height
            if not low <= ratio <= high:
                found.append(
                    Problem(
                        "aspect_ratio",
                        f"{rules.label}: rasio foto ke-{number} {ratio:.2f}:1 di luar "
                        f"{low:.2f}:1 sampai {high:.2f}:1; gunakan versi berbingkai.",
                        index,
                        fix,
                    )
                )
    return found


def check(
    channel: Channel,
    text: str,
    link: str,
    photos: Sequence[PhotoFacts],
    *,
    title: str = "",
) -> list[Problem]:
    """Everything `channel` would refuse in this post as it would be sent: `text` is the
    channel's own text (override or caption; the headline on a videotron), the link is added
    the way the publisher adds it; `title` is the post's headline, read by titled channels."""
    sent, _ = compose(channel, text, link, bool(photos))
    found = title_problems(channel, title) + text_problems(channel, sent, len(photos))
    return found + photo_problems(channel, photos)
