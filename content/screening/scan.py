"""Screening one text: personal data (NIK/KK, NPWP, phone numbers, e-mail, bank accounts, payment
cards) and DIK terms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from content.infra.config import PUBLIC_SERVICE_NUMBERS
from content.models import DikRule
from content.screening.dik import CompiledRule, compile_rules, find_dik
from content.screening.finance import find_bank_accounts, find_payment_cards
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
        *find_payment_cards(text, field),
        *find_bank_accounts(text, field),
        *find_dik(text, field, rules),
    ]:
        if finding.kind == "dik" or not any(overlaps(finding, f) for f in found):
            found.append(finding)
    return sorted(found, key=lambda f: (f.start, f.end, f.kind))


def active_rules(session: Session, opd_id: int | None = None) -> list[CompiledRule]:
    """The DIK rules that screen an OPD's posts: the city's and, when `opd_id` is given, that
    OPD's own approved entries. Compiled once for a page's (or a transition's) screening."""
    mine: ColumnElement[bool] = DikRule.opd_id.is_(None)
    if opd_id is not None:
        mine = or_(mine, DikRule.opd_id == opd_id)
    query = select(DikRule).where(DikRule.active, DikRule.approved, mine).order_by(DikRule.id)
    return compile_rules(session.scalars(query).all())


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]
