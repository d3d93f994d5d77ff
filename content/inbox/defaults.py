"""The phrase rules and saved replies that ship with the project (`content/data/inbox_rules.toml`,
`inbox_replies.toml`), as plain rows: migration 0022 seeds the tables with them, so a new
install and an existing one start from the same rules, which PPID Utama then edits in the
dashboard. Plain dictionaries (no models), so the migration never depends on today's models."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent.parent / "data"
RULES_FILE = DATA / "inbox_rules.toml"
REPLIES_FILE = DATA / "inbox_replies.toml"


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def rule_rows(path: Path = RULES_FILE) -> list[dict[str, Any]]:
    """One row per phrase, in the file's order (kinds first, then OPDs): the order decides."""
    data = _load(path)
    rows: list[dict[str, Any]] = []
    for section, column in (("kind", "topic"), ("opd", "opd_slug")):
        for group in data.get(section, []):
            value = str(group[section])
            for phrase in group["phrases"]:
                rows.append({"phrase": str(phrase), column: value})
    for position, row in enumerate(rows, start=1):
        row.setdefault("topic", None)
        row.setdefault("opd_slug", None)
        row.update(position=position, active=True, version=1)
    return rows


def reply_rows(path: Path = REPLIES_FILE) -> list[dict[str, Any]]:
    return [
        {
            "opd_id": None,
            "topic": str(r["kind"]),
            "title": str(r["title"]),
            "text": str(r["text"]),
            "active": True,
            "version": 1,
        }
        for r in _load(path).get("reply", [])
    ]
