"""Financial personal data under UU PDP: bank account numbers and payment card numbers.

A bank account number is only recognisable by what stands next to it, so a run of 8-18 digits
is an account when a bank's name or the word "rekening" ("no. rek", "norek") is written within a
short window before it (or a bank's name right after it, "1234567890 (BCA)"). A payment card
number is recognisable by itself: 13-19 digits, written together or in groups split by spaces or
dashes, that pass the Luhn check (python-stdnum's, not a home-made one). Both block, like a NIK.

An account held by an institution ("… a.n. Baznas Kota Bekasi", "Kas Umum Daerah") is where the
public sends donations or payments, so it is not personal data and passes, like a .go.id e-mail;
the holder that counts is the nearest "a.n." after the number, else the nearest before it on its
line. Look-alikes are not candidates either: amounts ("Rp 1.250.000.000"), dates, letter numbers
("800/1234/Diskominfo/2026"), digits inside links. NIKs and phone numbers have their own scanners;
`screen_text` keeps the first finding for one span, so a NIK is not also a card.

The reason quotes the bank or word that made the number an account, never the number itself:
reasons go to the audit log next to the masked number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import luhn

from content.models import Severity
from content.screening.findings import Finding
from content.screening.pii import digits_of, inside, url_spans

_BANKS = (
    r"BRI|BNI|Mandiri|BCA|BSI|BJB|bank\s+bjb|BTN|CIMB(?:\s+Niaga)?|Danamon|Permata|Muamalat"
    r"|OCBC(?:\s+NISP)?|Panin|Maybank|Mega|Bukopin|KB\s+Bukopin|Sinarmas|BPD\s+\w+|Jago|Jenius"
    r"|SeaBank|Blu|DKI|BPR\s+\w+"
)
_BANK = re.compile(rf"\b(?:bank\s+)?(?:{_BANKS})\b", re.IGNORECASE)
_ACCOUNT_WORD = re.compile(
    r"\b(?:no(?:mor)?\.?\s*rek(?:ening)?\.?|norek|rekening|rek\.)", re.IGNORECASE
)
# How far before the number its bank or "rekening" may stand ("Rekening BRI Unit Bekasi Timur
# a.n. Siti Aminah: 0123…" fits; a bank named two sentences earlier does not).
_WINDOW_BEFORE = 60
_WINDOW_AFTER = 12

# 8-18 digits, alone or in groups split by one kind of separator (BRI writes 0123-01-012345-50-1).
_ACCOUNT = re.compile(r"(?<![\d/])(?<!\d[.,])\d(?:[ .-]?\d){7,21}(?![\d/]|[.,]\d)")
# Card numbers: 13-19 digits, together or in groups of 4 (Amex 4-6-5) split by spaces or dashes;
# no card network's number starts with 0 (phone numbers and account numbers do).
_CARD = re.compile(r"(?<![\d/.,])[1-9](?:[ -]?\d){12,18}(?![\d/]|[.,]\d)")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DATE = re.compile(r"\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4}|\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}")
_AMOUNT_BEFORE = re.compile(r"(?:Rp\.?|IDR|USD|\$)\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[ .-]")
# Identifiers of other kinds, as long as a card number and Luhn-valid one time in ten: a civil
# servant's NIP (18 digits) signs every official announcement.
_OTHER_NUMBER_BEFORE = re.compile(
    r"\b(?:NIP|NRP|NUPTK|NISN|NPSN|NIB|NIK|NPWP|ISBN|ISSN|IMEI|nomor\s+induk)\b[\s.:#-]*$",
    re.IGNORECASE,
)
# A sentence ends at ". " except after abbreviations that stand before a number or a name.
_SENTENCE_END = re.compile(r"(?<!\ba\.n)(?<!\bno)(?<!\brek)(?<!\bjl)[.!?]\s|\n", re.IGNORECASE)
_HOLDER = re.compile(r"\b(?:a\.\s?n\.?|atas\s+nama)\s+(\S+(?:\s+\S+){0,3})", re.IGNORECASE)
_INSTITUTION = re.compile(
    r"\b(?:Baznas|Lazis\w*|Laznas|PMI|Pemerintah|Pemkot|Pemda|Kas\s+(?:Umum\s+)?Daerah|RKUD|Dinas"
    r"|Badan|BPBD|Yayasan|Masjid|Musala|Musholla|Gereja|Panitia|Kecamatan|Kelurahan|RSUD"
    r"|Puskesmas|Sekolah|SDN?|SMPN?|SMAN?|SMKN?|PT|CV|Koperasi|Perumda|PDAM|Posko|Dompet\s+Dhuafa"
    r"|Rumah\s+Zakat|Karang\s+Taruna|Kota\s+Bekasi|Sekretariat)\b",
    re.IGNORECASE,
)


def _one_separator(number: str) -> bool:
    """Groups split by one kind of separator: "0123-01-012345" yes, "12 345-678" no."""
    return len(set(_SEPARATORS.findall(number))) <= 1


def _looks_like_amount_or_date(text: str, start: int, number: str) -> bool:
    if _THOUSANDS.fullmatch(number) or _DATE.fullmatch(number):
        return True
    return bool(_AMOUNT_BEFORE.search(text[max(0, start - 5) : start]))


def _account_context(text: str, start: int, end: int) -> str | None:
    """The bank's name or the word that makes the number at start:end an account number."""
    before = text[max(0, start - _WINDOW_BEFORE) : start]
    # The nearest mention counts, and only within the number's own sentence or line.
    before = _SENTENCE_END.split(before)[-1]
    mentions = [*_BANK.finditer(before), *_ACCOUNT_WORD.finditer(before)]
    if mentions:
        return max(mentions, key=lambda m: m.end()).group().strip()
    after = re.match(r"\s*[(\-–—,]?\s*(?:" + _BANK.pattern + r")", text[end : end + _WINDOW_AFTER])
    if after:
        bank = _BANK.search(after.group())
        return bank.group() if bank else None
    return None


def _held_by_institution(text: str, start: int, end: int, next_start: int) -> bool:
    """Whether the holder named for the number at start:end is an institution."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    after = _HOLDER.search(text, end, min(next_start, line_end))
    before = list(_HOLDER.finditer(text, line_start, start))
    holder = after or (before[-1] if before else None)
    return holder is not None and bool(_INSTITUTION.match(holder.group(1)))


def find_bank_accounts(text: str, field: str) -> Iterator[Finding]:
    urls = url_spans(text)
    candidates = list(_ACCOUNT.finditer(text))
    for index, match in enumerate(candidates):
        next_start = candidates[index + 1].start() if index + 1 < len(candidates) else len(text)
        number, (start, end) = match.group(), match.span()
        digits = digits_of(number)
        if not 8 <= len(digits) <= 18 or not _one_separator(number) or inside(urls, start, end):
            continue
        if _looks_like_amount_or_date(text, start, number):
            continue
        context = _account_context(text, start, end)
        if context is None or _held_by_institution(text, start, end, next_start):
            continue
        reason = (
            f"Nomor rekening bank (tertulis dekat “{context}”) adalah data pribadi keuangan "
            "(UU PDP); jangan dipublikasikan."
        )
        yield Finding("bank_account", start, end, number, Severity.BLOCK, reason, field)


def find_payment_cards(text: str, field: str) -> Iterator[Finding]:
    urls = url_spans(text)
    for match in _CARD.finditer(text):
        number, (start, end) = match.group(), match.span()
        digits = digits_of(number)
        if not _one_separator(number) or inside(urls, start, end):
            continue
        if not (13 <= len(digits) <= 19 and luhn.is_valid(digits)):
            continue
        if _looks_like_amount_or_date(text, start, number):
            continue
        if _OTHER_NUMBER_BEFORE.search(text[max(0, start - 20) : start]):
            continue
        reason = (
            f"Nomor kartu pembayaran ({len(digits)} digit, lolos uji Luhn) adalah data pribadi "
            "keuangan (UU PDP); jangan dipublikasikan."
        )
        yield Finding("payment_card", start, end, number, Severity.BLOCK, reason, field)
