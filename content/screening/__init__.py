"""Screening of what a post shows the public (texts and photo file names) for personal data and
exempt information. `screen_post` and `screen_draft` are the entry points every caller uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from content.editorial.posts import DraftInput
from content.infra.config import PUBLIC_SERVICE_NUMBERS
from content.models import Post
from content.screening.dik import CompiledRule
from content.screening.findings import Finding
from content.screening.scan import active_rules, blocking, screen_text
from content.screening.texts import (
    ScreenedText,
    draft_texts,
    findings_of,
    post_texts,
    screen_texts,
)

__all__ = [
    "PUBLIC_SERVICE_NUMBERS",
    "Finding",
    "ScreenedText",
    "active_rules",
    "blocking",
    "draft_texts",
    "findings_of",
    "post_texts",
    "screen_draft",
    "screen_post",
    "screen_text",
]


def screen_post(
    session: Session,
    post: Post,
    public_numbers: Iterable[str] = PUBLIC_SERVICE_NUMBERS,
    *,
    rules: Sequence[CompiledRule] | None = None,
) -> list[ScreenedText]:
    """Every public text of a saved post with its findings. Pass `rules` (`active_rules` of the
    post's OPD) when screening a page of posts, so they are read and compiled once."""
    rules = active_rules(session, post.opd_id) if rules is None else rules
    return screen_texts(post_texts(post), rules, public_numbers)


def screen_draft(
    data: DraftInput,
    rules: Sequence[CompiledRule],
    *,
    photo_names: Sequence[str] = (),
    public_numbers: Iterable[str] = PUBLIC_SERVICE_NUMBERS,
) -> list[ScreenedText]:
    """Every public text of a draft still being typed, with its findings."""
    return screen_texts(draft_texts(data, photo_names), rules, public_numbers)
