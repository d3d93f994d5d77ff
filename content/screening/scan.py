"""Screening one text: personal data (NIK/KK, NPWP, phone numbers, e-mail) and DIK terms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.infra.config import PUBLIC_SERVICE_NUMBERS
from content.models import DikRule
from content.screening.dik import CompiledRule, compile_rules, find_dik
from content.screening.findings import Finding, overlaps
from content.screening.pii import find_emails, find_nik_kk, find_npwp, find_phones


def screen_text(
    text: str,
    *,
    field: str = "caption",
    rules: Iterable[CompiledRule] = (),
    public_numbers: Iterable[str] = PUBLIC_SERVICE_NUMBERS,
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
    """The active DIK rules, compiled once for a page's (or a transition's) worth of screening."""
    return compile_rules(session.scalars(select(DikRule).where(DikRule.active)).all())


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]
