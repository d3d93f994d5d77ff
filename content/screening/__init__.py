"""Screening of texts (and image metadata) for personal data and exempt information."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.models import DikRule, Post
from content.screening.dik import CompiledRule, compile_rules, find_dik
from content.screening.findings import Finding, overlaps
from content.screening.pii import find_emails, find_nik_kk, find_npwp, find_phones

__all__ = ["Finding", "active_rules", "blocking", "screen_post", "screen_text"]

DEFAULT_PUBLIC_NUMBERS = ("112", "110", "113", "1500444")


def screen_text(
    text: str,
    *,
    field: str = "caption",
    rules: Iterable[CompiledRule] = (),
    public_numbers: Iterable[str] = DEFAULT_PUBLIC_NUMBERS,
) -> list[Finding]:
    """All findings in `text`, sorted by position; a number found as NIK is not also a phone."""
    found: list[Finding] = []
    for finding in [
        *find_nik_kk(text, field),
        *find_npwp(text, field),
        *find_phones(text, field, public_numbers),
        *find_emails(text, field),
        *find_dik(text, field, rules),
    ]:
        if finding.kind == "dik" or not any(overlaps(finding, f) for f in found):
            found.append(finding)
    return sorted(found, key=lambda f: (f.start, f.end, f.kind))


def active_rules(session: Session) -> list[CompiledRule]:
    return compile_rules(session.scalars(select(DikRule).where(DikRule.active)).all())


def post_texts(post: Post) -> list[tuple[str, str]]:
    """(field, text) pairs of everything of a post that reaches the public."""
    texts = [("caption", post.caption), ("headline", post.headline), ("link", post.link)]
    texts += [(f"teks {t.channel.value}", t.text_override or "") for t in post.targets]
    for photo in post.photos:
        texts.append((f"alt foto {photo.position + 1}", photo.alt_text))
        texts.append((f"nama berkas foto {photo.position + 1}", photo.media.original_name))
    return [(field, text) for field, text in dict.fromkeys(texts) if text]


def screen_post(
    session: Session, post: Post, public_numbers: Iterable[str] = DEFAULT_PUBLIC_NUMBERS
) -> list[Finding]:
    rules = active_rules(session)
    findings: list[Finding] = []
    for field, text in post_texts(post):
        findings += screen_text(text, field=field, rules=rules, public_numbers=public_numbers)
    return findings


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]
