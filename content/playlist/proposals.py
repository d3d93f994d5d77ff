"""A videotron emergency override proposed from a serta-merta post.

Serta-merta information (UU KIP Pasal 10: a threat to life or public order) belongs on the
city's screens at once. The proposal only pre-fills the override form (headline and reason);
nothing is pushed until PPID Utama confirms it
through `publishers.videotron.publish.push_emergency`, which checks the right and writes the
audit row as for any override.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from content.models import KipCategory
from content.playlist.values import MAX_HEADLINE


class _PostLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def headline(self) -> str: ...
    @property
    def caption(self) -> str: ...


@dataclass(frozen=True)
class OverrideProposal:
    post_id: int
    headline: str
    reason: str


# A screen is read from a passing car: a caption used as the headline is cut to this, at a word.
CAPTION_HEADLINE = 120


def _shortened(text: str, limit: int = CAPTION_HEADLINE) -> str:
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[: limit - 1].rsplit(" ", 1)[0] + "…"


def override_proposal(post: _PostLike, kip_category: KipCategory) -> OverrideProposal | None:
    """The override a serta-merta post proposes, or None for any other category. The headline
    is the post's videotron headline, else its caption cut at a word to CAPTION_HEADLINE."""
    if kip_category is not KipCategory.SERTA_MERTA:
        return None
    headline = (post.headline.strip() or _shortened(post.caption))[:MAX_HEADLINE]
    reason = f"Informasi serta-merta (UU KIP Pasal 10) dari konten #{post.id}."
    return OverrideProposal(post.id, headline, reason)
