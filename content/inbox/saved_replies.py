"""Saved replies per kind of message (data, PPID Utama's to maintain), offered in the page and
always edited and screened like any reply before sending."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from content.models import InboxTopic

REPLIES_FILE = Path(__file__).parent.parent / "data" / "inbox_replies.toml"


@dataclass(frozen=True)
class SavedReply:
    topic: InboxTopic
    title: str
    text: str


@cache
def load_saved_replies(path: Path = REPLIES_FILE) -> tuple[SavedReply, ...]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(
        SavedReply(InboxTopic(r["kind"]), str(r["title"]), str(r["text"]))
        for r in data.get("reply", [])
    )


def saved_replies(topic: InboxTopic | None) -> list[SavedReply]:
    """The replies for this kind first, then the others."""
    every = load_saved_replies()
    return [r for r in every if r.topic is topic] + [r for r in every if r.topic is not topic]
