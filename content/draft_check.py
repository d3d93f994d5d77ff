"""Screening of a draft that is still being typed (not saved yet): the same texts a saved post
is screened on (`screening.post_texts`), the same rules, each with the findings on it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from content import screening
from content.models import Channel
from content.posts import DraftInput
from content.screening.dik import CompiledRule

_FIELD_LABELS = {"caption": "Keterangan utama", "headline": "Judul videotron", "link": "Tautan"}


@dataclass(frozen=True)
class ScreenedText:
    field: str  # as screening names it ("caption", "teks x", "alt foto 1", ...)
    label: str  # as people read it
    text: str
    findings: list[screening.Finding]


def draft_texts(data: DraftInput, photo_names: Sequence[str] = ()) -> list[tuple[str, str, str]]:
    """(field, label, text) of everything of the draft that would reach the public."""
    texts = [
        (name, _FIELD_LABELS[name], value)
        for name, value in (
            ("caption", data.caption),
            ("headline", data.headline),
            ("link", data.link),
        )
    ]
    for channel, text in data.texts.items():
        if channel is not Channel.VIDEOTRON:
            texts.append((f"teks {channel.value}", f"Teks khusus {channel.value}", text))
    for index, photo in enumerate(data.photos):
        texts.append((f"alt foto {index + 1}", f"Teks alternatif foto {index + 1}", photo.alt_text))
    for index, name in enumerate(photo_names):
        texts.append((f"nama berkas foto {index + 1}", f"Nama berkas foto {index + 1}", name))
    return [(field, label, text) for field, label, text in texts if text]


def screen_draft(
    data: DraftInput,
    rules: Iterable[CompiledRule],
    *,
    photo_names: Sequence[str] = (),
    public_numbers: Iterable[str] = screening.DEFAULT_PUBLIC_NUMBERS,
) -> list[ScreenedText]:
    """Every screened text with its findings (texts without findings included, in order)."""
    rules, numbers = list(rules), list(public_numbers)
    return [
        ScreenedText(
            field,
            label,
            text,
            screening.screen_text(text, field=field, rules=rules, public_numbers=numbers),
        )
        for field, label, text in draft_texts(data, photo_names)
    ]


def rules_for_drafts(session: Session) -> list[CompiledRule]:
    """The active DIK rules, compiled once for a page's worth of screening."""
    return screening.active_rules(session)
