"""Everything of a post that reaches the public, named as people read it, and its screening.

This is the one entry point: the composer screens a draft being typed (`screen_draft`), the
approval queue, the workflow and the CLI screen a saved post (`screen_post`), all through
`screen_texts`, so a text is found, labelled and screened the same way wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from content.editorial.posts import DraftInput
from content.models import Channel, Post
from content.screening.dik import CompiledRule
from content.screening.findings import Finding
from content.screening.scan import screen_text

# One public text: (field as screening names it, label as people read it, the text).
PublicText = tuple[str, str, str]


@dataclass(frozen=True)
class ScreenedText:
    field: str  # as findings name it ("caption", "teks x", "alt foto 1", ...)
    label: str  # as people read it ("Keterangan utama", "Teks khusus x", ...)
    text: str
    findings: list[Finding]

    @property
    def blocking(self) -> bool:
        return any(f.blocking for f in self.findings)


def _caption(caption: str, headline: str, link: str) -> list[PublicText]:
    return [
        ("caption", "Keterangan utama", caption),
        ("headline", "Judul videotron", headline),
        ("link", "Tautan", link),
    ]


def _channel_text(channel: Channel, text: str) -> PublicText:
    return (f"teks {channel.value}", f"Teks khusus {channel.value}", text)


def _alt_text(number: int, text: str) -> PublicText:
    return (f"alt foto {number}", f"Teks alternatif foto {number}", text)


def _file_name(number: int, name: str) -> PublicText:
    return (f"nama berkas foto {number}", f"Nama berkas foto {number}", name)


def _present(texts: Iterable[PublicText]) -> list[PublicText]:
    """Non-empty texts, each once (two accounts of a channel may share one override)."""
    return [text for text in dict.fromkeys(texts) if text[2]]


def post_texts(post: Post) -> list[PublicText]:
    """Every text of a saved post that reaches the public."""
    texts = _caption(post.caption, post.headline, post.link)
    texts += [_channel_text(t.channel, t.text_override or "") for t in post.targets]
    for photo in post.photos:
        texts.append(_alt_text(photo.position + 1, photo.alt_text))
        texts.append(_file_name(photo.position + 1, photo.media.original_name))
    return _present(texts)


def draft_texts(data: DraftInput, photo_names: Sequence[str] = ()) -> list[PublicText]:
    """Every text of a draft still being typed that would reach the public."""
    texts = _caption(data.caption, data.headline, data.link)
    texts += [
        _channel_text(channel, text)
        for channel, text in data.texts.items()
        if channel is not Channel.VIDEOTRON
    ]
    texts += [_alt_text(i + 1, photo.alt_text) for i, photo in enumerate(data.photos)]
    texts += [_file_name(i + 1, name) for i, name in enumerate(photo_names)]
    return _present(texts)


def screen_texts(
    texts: Iterable[PublicText], rules: Iterable[CompiledRule], public_numbers: Iterable[str]
) -> list[ScreenedText]:
    """Each text with its findings, in order (texts without findings included)."""
    rules, numbers = list(rules), list(public_numbers)
    return [
        ScreenedText(
            field, label, text, screen_text(text, field=field, rules=rules, public_numbers=numbers)
        )
        for field, label, text in texts
    ]


def findings_of(screened: Iterable[ScreenedText]) -> list[Finding]:
    return [finding for text in screened for finding in text.findings]
