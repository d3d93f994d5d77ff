"""Personal data under UU PDP and UU Adminduk: NIK, No. KK, phone numbers, e-mail, NPWP.

Formats are checked by python-stdnum and phonenumbers rather than home-made checks; the regular
expressions here only find candidates. Digits inside links are not read (post ids look like NIKs),
except a phone number in a WhatsApp link (wa.me/62…), which publishes that number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

from content.models import Severity
from content.screening.findings import Finding

# 16 digits written together, in four groups of four, as PPKKCC DDMMYY SSSS or as the structure
# itself, PP KK CC DDMMYY SSSS (one separator throughout, so dates and prices do not join up).
_SIXTEEN = re.compile(
    r"(?<!\d)(?<!\d[.,])(?:\d{16}|\d{4}([ .-])\d{4}\1\d{4}\1\d{4}|\d{6}([ .-])\d{6}\2\d{4}"
    r"|\d{2}([ .-])\d{2}\3\d{2}\3\d{6}\3\d{4})"
    r"(?!\d|[.,]\d)"
)
_NPWP_FORMATTED = re.compile(r"(?<!\d)\d{2}\.\d{3}\.\d{3}\.\d[.-]\d{3}\.\d{3}(?!\d)")
_NPWP_BARE = re.compile(r"(?<!\d)\d{15}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Links, also without a scheme ("facebook.com/…/posts/…"): the digits in them are post ids. The
# top-level domains are listed so that "No.KK/3275…" is not taken for a link.
_URL = re.compile(
    r"https?://\S+|www\.\S+"
    r"|(?<![\w@.])(?:[a-z0-9-]+\.)+(?:com|net|org|id|me|ly|co|io|gl|gd|link|info)/\S*",
    re.IGNORECASE,
)
# ...except links whose whole point is a phone number: wa.me/62812… publishes that number.
_PHONE_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(?:wa\.me/|api\.whatsapp\.com/send)", re.IGNORECASE
)
_KK_CONTEXT = re.compile(r"(\bKK\b|kartu\s+keluarga)[\s.:#-]*(no(mor)?\.?)?[\s.:#-]*$", re.I)
_NPWP_CONTEXT = re.compile(r"npwp[\s.:#-]*$", re.I)
# NPWP's first two digits tell the taxpayer type: 01-03 are organisations (public record).
_NPWP_ORGANISATION = {"01", "02", "03"}

_SKIPPED_PHONE_TYPES = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.UAN,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.VOICEMAIL,
}


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


def url_spans(text: str, *, but_phone_links: bool = False) -> list[tuple[int, int]]:
    links = _URL.finditer(text)
    return [m.span() for m in links if not (but_phone_links and _PHONE_LINK.match(m.group()))]


def is_nik(digits: str) -> bool:
    """A NIK (or No. KK) by python-stdnum, plus what stdnum leaves out: it reads the day modulo 40
    (so day 81 passes as the 1st) and checks the province only, not regency, district or serial."""
    if not stdnum_nik.is_valid(digits):
        return False
    regency, district, day = int(digits[2:4]), digits[4:6], int(digits[6:8])
    return (
        (1 <= regency <= 39 or 71 <= regency <= 79)  # kabupaten 01-3x, kota 71-79
        and district != "00"
        and (1 <= day <= 31 or 41 <= day <= 71)  # women's day + 40
        and digits[12:] != "0000"
    )


def inside(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def find_nik_kk(text: str, field: str) -> Iterator[Finding]:
    urls = url_spans(text)
    for match in _SIXTEEN.finditer(text):
        if inside(urls, *match.span()) or not is_nik(digits_of(match.group())):
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        if _KK_CONTEXT.search(before):
            kind, reason = (
                "no_kk",
                "Nomor Kartu Keluarga adalah data pribadi (UU Adminduk, UU PDP).",
            )
        else:
            kind, reason = "nik", "NIK adalah data pribadi (UU Adminduk, UU PDP)."
        yield Finding(kind, *match.span(), match.group(), Severity.BLOCK, reason, field)


def find_npwp(text: str, field: str) -> Iterator[Finding]:
    urls = url_spans(text)
    candidates = list(_NPWP_FORMATTED.finditer(text))
    candidates += [
        m
        for m in _NPWP_BARE.finditer(text)
        if _NPWP_CONTEXT.search(text[max(0, m.start() - 12) : m.start()])
    ]
    for match in candidates:
        number = digits_of(match.group())
        if inside(urls, *match.span()) or not stdnum_npwp.is_valid(number):
            continue
        if number[:2] in _NPWP_ORGANISATION:
            severity, reason = Severity.WARN, "NPWP badan: pastikan memang perlu dipublikasikan."
        else:
            severity, reason = Severity.BLOCK, "NPWP orang pribadi adalah data pribadi (UU PDP)."
        yield Finding("npwp", *match.span(), match.group(), severity, reason, field)


def find_phones(text: str, field: str, public_numbers: Iterable[str] = ()) -> Iterator[Finding]:
    public = {digits_of(n) for n in public_numbers}
    urls = url_spans(text, but_phone_links=True)
    for match in PhoneNumberMatcher(text, "ID", leniency=Leniency.VALID):
        number_type = phonenumbers.number_type(match.number)
        national = str(match.number.national_number)
        written = {national, "0" + national}
        if number_type == PhoneNumberType.FIXED_LINE:
            # "(021) 1500-444" is the call centre with an area code in front (never on a mobile:
            # 0812-1500-444 is somebody's phone).
            written.add(national[phonenumbers.length_of_geographical_area_code(match.number) :])
        if number_type in _SKIPPED_PHONE_TYPES or written & public:
            continue
        if inside(urls, match.start, match.end):
            continue
        if number_type == PhoneNumberType.MOBILE:
            severity = Severity.BLOCK
            reason = "Nomor ponsel adalah data pribadi (UU PDP); pakai nomor layanan resmi."
        else:
            severity = Severity.WARN
            reason = "Nomor telepon: pastikan ini nomor kantor atau layanan, bukan nomor pribadi."
        yield Finding("phone", match.start, match.end, match.raw_string, severity, reason, field)


def find_emails(text: str, field: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        domain = match.group().rsplit("@", 1)[1].lower()
        if domain.endswith(".go.id"):
            continue  # an institution's address is public contact information
        yield Finding(
            "email",
            *match.span(),
            match.group(),
            Severity.WARN,
            "Alamat e-mail: pastikan ini alamat resmi instansi, bukan alamat pribadi (UU PDP).",
            field,
        )
