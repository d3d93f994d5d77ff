"""Screening findings drawn on the text they were found in. Every piece of user text is escaped
with `html.escape`; the only markup is ours (a <mark> around each exact span)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from content.screening import Finding

_BLOCK = "background:#ffb3b3;color:#5c0000;border-radius:3px;padding:0 2px"
_WARN = "background:#ffe8a3;color:#4d3800;border-radius:3px;padding:0 2px"
_BOX = "white-space:pre-wrap;word-break:break-word;line-height:1.6"


def _mark(text: str, finding: Finding) -> str:
    style = _BLOCK if finding.blocking else _WARN
    title = escape(f"{finding.label}: {finding.reason}")
    return f'<mark style="{style}" title="{title}">{escape(text)}</mark>'


def highlight(text: str, findings: Sequence[Finding]) -> str:
    """HTML of `text` with each finding's span marked; overlapping spans are marked once."""
    pieces: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        start, end = max(finding.start, position), min(finding.end, len(text))
        if end <= start:
            continue
        pieces.append(escape(text[position:start]))
        pieces.append(_mark(text[start:end], finding))
        position = end
    pieces.append(escape(text[position:]))
    return f'<div style="{_BOX}">{"".join(pieces)}</div>'


def finding_line(finding: Finding) -> str:
    """One line for the list under the text: what (quoted), how serious, why (escaped)."""
    weight = "menahan pengajuan" if finding.blocking else "peringatan"
    return (
        f"<li><b>{escape(finding.label)}</b> “{escape(finding.text)}” ({weight}): "
        f"{escape(finding.reason)}</li>"
    )


def findings_html(text: str, findings: Sequence[Finding]) -> str:
    lines = "".join(finding_line(f) for f in findings)
    return f'{highlight(text, findings)}<ul style="margin-top:.4rem">{lines}</ul>'
