"""A post's text as the HTML body of a web page (the website channel): every character of the
text escaped, URLs made links, blank lines making paragraphs and single line breaks kept. The
composer's preview and the website publisher call the same function, so the preview is the page.
"""

from __future__ import annotations

import html
import re

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"  # punctuation that ends a sentence, not the URL


def _linked(line: str) -> str:
    out: list[str] = []
    last = 0
    for found in _URL.finditer(line):
        url = found.group(0).rstrip(_TRAILING)
        start, end = found.start(), found.start() + len(url)
        out.append(html.escape(line[last:start]))
        href = html.escape(url, quote=True)
        out.append(f'<a href="{href}" rel="noopener">{href}</a>')
        last = end
    out.append(html.escape(line[last:]))
    return "".join(out)


def body_html(text: str) -> str:
    """`text` as escaped HTML paragraphs; "" for an empty text."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return "\n".join(
        "<p>" + "<br />\n".join(_linked(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p.strip()
    )
