"""What Siaran proposes for a new item: its kind (pengaduan, permintaan informasi, pertanyaan,
apresiasi, spam) and, for what reaches a city-wide account, the OPD that should act, each with
the phrase that decided it (shown to the person who confirms). The rules are data, never code:
the `inbox_rule` table (PPID Utama edits it in the dashboard, `content.inbox.rules`), seeded
from `content/data/inbox_rules.toml`. Rules proposing the same thing form one group; groups are
tried in the order of their first rule's position, and the first group that matches wins."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from content.models import InboxTopic

RULES_FILE = Path(__file__).parent.parent / "data" / "inbox_rules.toml"


@dataclass(frozen=True)
class Rule:
    value: str  # a topic value or an OPD slug
    phrases: tuple[str, ...]
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    kinds: tuple[Rule, ...]
    opds: tuple[Rule, ...]


@dataclass(frozen=True)
class Proposal:
    topic: InboxTopic | None
    topic_phrase: str
    opd_slug: str | None
    opd_phrase: str


def _rule(value: str, phrases: Sequence[str]) -> Rule:
    # Whole words only ("kk" is not inside "kkn"); a phrase that is punctuation ("?") as it is.
    parts = [
        re.escape(p) if not p[:1].isalnum() else rf"(?<!\w){re.escape(p)}(?!\w)"
        for p in sorted(phrases, key=len, reverse=True)
    ]
    return Rule(value, tuple(phrases), re.compile("|".join(parts), re.IGNORECASE))


def parse_rules(data: Mapping[str, Any]) -> Rules:
    kinds = tuple(_rule(str(InboxTopic(r["kind"])), r["phrases"]) for r in data.get("kind", []))
    opds = tuple(_rule(str(r["opd"]), r["phrases"]) for r in data.get("opd", []))
    return Rules(kinds, opds)


def group_rules(rows: Iterable[tuple[str, str]]) -> tuple[Rule, ...]:
    """(value, phrase) pairs in position order → one rule per value, in first-seen order."""
    groups: dict[str, list[str]] = {}
    for value, phrase in rows:
        groups.setdefault(value, []).append(phrase)
    return tuple(_cached_rule(value, tuple(phrases)) for value, phrases in groups.items())


@cache
def _cached_rule(value: str, phrases: tuple[str, ...]) -> Rule:
    return _rule(value, phrases)


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    with path.open("rb") as handle:
        return parse_rules(tomllib.load(handle))


def _first(rules: Sequence[Rule], text: str) -> tuple[str | None, str]:
    for rule in rules:
        found = rule.pattern.search(text)
        if found:
            return rule.value, found.group(0)
    return None, ""


def propose(text: str, rules: Rules | None = None) -> Proposal:
    """What `rules` propose for `text` (the shipped file's rules when none are given)."""
    rules = rules if rules is not None else load_rules()
    topic, topic_phrase = _first(rules.kinds, text)
    opd, opd_phrase = _first(rules.opds, text)
    return Proposal(InboxTopic(topic) if topic else None, topic_phrase, opd, opd_phrase)
