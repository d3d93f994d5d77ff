"""Terms and patterns from PPID Utama's Daftar Informasi yang Dikecualikan (DIK)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import regex as re  # the stdlib's API, plus a match time limit (`timeout`)

from content.infra.errors import ValidationFailed
from content.models import DikRule, Severity
from content.screening.findings import Finding

MAX_PATTERN = 500
# Seconds one rule may spend on one text: a pattern that backtracks badly is cut off, and the
# text is reported as not checked against it rather than hanging the screening.
MATCH_SECONDS = 0.25


@dataclass(frozen=True)
class CompiledRule:
    regex: re.Pattern[str]
    severity: Severity
    reason: str


def compile_pattern(pattern: str, is_regex: bool) -> re.Pattern[str]:
    pattern = pattern.strip()
    if not pattern or len(pattern) > MAX_PATTERN:
        raise ValidationFailed(f"Pola DIK harus diisi dan paling panjang {MAX_PATTERN} karakter.")
    if not is_regex:
        # Whole words only, so "rahasia" does not fire inside "kerahasiaan" by accident; any run
        # of white space between the words of a phrase (a line break in a caption) still matches.
        phrase = r"\s+".join(re.escape(word) for word in pattern.split())
        return re.compile(rf"(?<!\w){phrase}(?!\w)", re.IGNORECASE)
    try:
        return re.compile(pattern, re.IGNORECASE)
    except (re.error, OverflowError, RecursionError) as exc:
        # re's own message is English ("missing ), unterminated subpattern"): point at the place.
        pos = getattr(exc, "pos", None)
        where = f" (periksa sekitar karakter ke-{pos + 1})" if isinstance(pos, int) else ""
        raise ValidationFailed(f"Pola DIK bukan ekspresi reguler yang sah{where}.") from exc


def compile_rules(rules: Iterable[DikRule]) -> list[CompiledRule]:
    return [
        CompiledRule(compile_pattern(r.pattern, r.is_regex), r.severity, r.reason)
        for r in rules
        if r.active
    ]


def find_dik(
    text: str, field: str, rules: Iterable[CompiledRule], *, seconds: float = MATCH_SECONDS
) -> Iterator[Finding]:
    """Every match of every rule. A rule that runs out of time yields one warning over the
    whole text (the reviewer reads it themselves) instead of hanging the screening."""
    for rule in rules:
        found: list[Finding] = []
        try:
            for match in rule.regex.finditer(text, timeout=seconds):
                start, end = match.start(), match.end()
                if end > start:
                    reason = f"Termasuk Daftar Informasi yang Dikecualikan: {rule.reason}"
                    found.append(
                        Finding("dik", start, end, match.group(), rule.severity, reason, field)
                    )
        except TimeoutError:
            reason = (
                f"Pola DIK ({rule.reason}) terlalu lama diperiksa pada teks ini; "
                "periksa teks ini terhadap pola tersebut secara manual."
            )
            found = [Finding("dik", 0, len(text), text[:80], Severity.WARN, reason, field)]
        yield from found
