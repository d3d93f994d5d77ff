"""Screening of post texts: personal data (NIK, No. KK, phones, e-mail, NPWP) and DIK rules.

The corpus is made of the texts Kota Bekasi actually publishes (press releases, announcements,
captions). Each case lists exactly what must be found: kind, the matched text and the severity;
everything else in the text (dates, times, prices, call centres, post ids...) must stay quiet.
NIKs, No. KK and NPWPs are built by helpers checked against python-stdnum, not typed by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session
from stdnum import luhn
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

from content import screening
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft
from content.infra.errors import ValidationFailed
from content.models import Severity
from content.screening import (
    Finding,
    blocking,
    dik_rules,
    findings_of,
    scan,
    screen_post,
    screen_text,
)
from content.screening.dik import CompiledRule, compile_pattern
from content.screening.pii import is_nik
from tests.world import World, jpeg

BEKASI = "3275"  # Jawa Barat (32), Kota Bekasi (75)
BLOCK, WARN = Severity.BLOCK, Severity.WARN


# --- helpers that build numbers the way Disdukcapil and DJP issue them ----------------------------


def make_nik(born: date, *, female: bool = False, district: str = "01", serial: int = 1) -> str:
    """PP KK CC DDMMYY SSSS for a resident of Kota Bekasi; a woman's day of birth is + 40."""
    day = born.day + 40 if female else born.day
    number = f"{BEKASI}{district}{day:02d}{born:%m%y}{serial:04d}"
    assert stdnum_nik.is_valid(number), number
    return number


def make_kk(issued: date, *, district: str = "04", serial: int = 7) -> str:
    """A No. KK has the same region codes; its middle six digits are the issue date."""
    number = f"{BEKASI}{district}{issued:%d%m%y}{serial:04d}"
    assert stdnum_nik.is_valid(number), number
    return number


def make_npwp(kind: str, taxpayer: str, office: str = "407", branch: str = "000") -> str:
    """The 15-digit NPWP, formatted: two digits of taxpayer type, six of taxpayer, a Luhn check
    digit over those eight, three digits of tax office and three of branch."""
    first = kind + taxpayer
    number = first + luhn.calc_check_digit(first) + office + branch
    assert stdnum_npwp.is_valid(number), number
    return stdnum_npwp.format(number)


def groups(number: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(number[at : at + size])
        at += size
    assert at == len(number)
    return sep.join(parts)


NIK_SITI = make_nik(date(1990, 5, 5), female=True)  # 3275014505900001
NIK_BUDI = make_nik(date(1987, 11, 24), district="07", serial=23)
NIK_AISYAH = make_nik(date(2021, 3, 17), female=True, district="10", serial=112)
NIK_AHMAD = make_nik(date(1975, 8, 31), district="12", serial=9)
KK_SUPARMAN = make_kk(date(2015, 3, 12))
NPWP_PRIBADI = make_npwp("09", "254294")
NPWP_CV = make_npwp("01", "312166", office="432")
NPWP_YAYASAN = make_npwp("02", "781043", office="407", branch="001")

# Sixteen digits that are not a NIK: each breaks one part of PP KK CC DDMMYY SSSS.
NOT_NIK_PROVINCE = "9975014505900001"  # no province 99
NOT_NIK_REGENCY = "3299014505900001"  # Jawa Barat has no regency 99 (stdnum checks province only)
NOT_NIK_DISTRICT = "3275004505900001"  # district 00
NOT_NIK_DAY = "3275013205900001"  # day 32 is neither a man's (1-31) nor a woman's (41-71)
NOT_NIK_DAY_81 = "3275018105900001"  # stdnum reads the day modulo 40 and lets 81 pass as the 1st
NOT_NIK_MONTH = "3275010513900001"  # month 13
NOT_NIK_FEB_30 = "3275013002900001"  # 30 February
NOT_NIK_SERIAL = "3275014505900000"  # serials start at 0001


def test_the_number_helpers_build_what_they_claim() -> None:
    assert NIK_SITI == "3275014505900001"
    assert stdnum_nik.get_birth_date(NIK_SITI) == date(1990, 5, 5)
    # Two-digit years: stdnum places 21 in 1921; day and month are what a woman's +40 changes.
    born = stdnum_nik.get_birth_date(NIK_AISYAH)
    assert (born.day, born.month, born.year % 100) == (17, 3, 21)
    assert NIK_AISYAH[6:8] == "57" and NIK_BUDI[6:8] == "24"
    assert KK_SUPARMAN[6:12] == "120315"
    assert NPWP_PRIBADI == "09.254.294.3-407.000"
    assert NPWP_CV.startswith("01.") and NPWP_YAYASAN.startswith("02.")
    assert groups(NIK_SITI, (4, 4, 4, 4)) == "3275 0145 0590 0001"
    for number in (NIK_SITI, NIK_BUDI, NIK_AISYAH, NIK_AHMAD, KK_SUPARMAN):
        assert is_nik(number)


@pytest.mark.parametrize(
    ("number", "stdnum_accepts"),
    [
        (NOT_NIK_PROVINCE, False),
        (NOT_NIK_DAY, False),
        (NOT_NIK_MONTH, False),
        (NOT_NIK_FEB_30, False),
        # python-stdnum accepts these; screening must still not call them a NIK.
        (NOT_NIK_REGENCY, True),
        (NOT_NIK_DISTRICT, True),
        (NOT_NIK_DAY_81, True),
        (NOT_NIK_SERIAL, True),
    ],
)
def test_sixteen_digits_that_are_not_a_nik(number: str, stdnum_accepts: bool) -> None:
    assert len(number) == 16
    assert stdnum_nik.is_valid(number) is stdnum_accepts
    assert not is_nik(number)
    assert screen_text(f"Nomor registrasi {number}") == []


# --- the corpus ----------------------------------------------------------------------------------

Expected = list[tuple[str, str, Severity]]

TRUE_PERSONAL_DATA: list[tuple[str, str, Expected]] = [
    (
        "posyandu-nik-balita-perempuan",
        "Posyandu Melati RW 07 Kelurahan Margahayu, Bekasi Timur, melayani penimbangan Sabtu "
        f"24-11-2026 pukul 08.00–12.00 WIB. Balita a.n. Aisyah (NIK {NIK_AISYAH}) diminta "
        "membawa buku KIA.",
        [("nik", NIK_AISYAH, BLOCK)],
    ),
    (
        "ktp-el-keliling-nik-berspasi-dan-kk",
        "Disdukcapil Kota Bekasi menggelar perekaman KTP-el keliling di Kecamatan Bantargebang "
        "pada 2026-11-24. Warga yang belum terdata, misalnya Bpk. Suparman NIK "
        f"{groups(NIK_BUDI, (4, 4, 4, 4))}, No. KK: {KK_SUPARMAN}, dapat datang langsung.",
        [("nik", groups(NIK_BUDI, (4, 4, 4, 4)), BLOCK), ("no_kk", KK_SUPARMAN, BLOCK)],
    ),
    (
        "bansos-daftar-penerima",
        "Daftar penerima BLT Kelurahan Jakasampurna tahap II:\n"
        f"1. Siti Aminah — NIK {NIK_SITI}\n"
        f"2. Ahmad Fauzi — NIK {groups(NIK_AHMAD, (4, 4, 4, 4), '-')}\n"
        "Bantuan Rp 1.500.000 per keluarga dicairkan 24/11/2026.",
        [
            ("nik", NIK_SITI, BLOCK),
            ("nik", groups(NIK_AHMAD, (4, 4, 4, 4), "-"), BLOCK),
        ],
    ),
    (
        "nik-enam-enam-empat",
        f"Pemohon: Budi Santoso, NIK {groups(NIK_BUDI, (6, 6, 4))}, Kel. Pekayon Jaya.",
        [("nik", groups(NIK_BUDI, (6, 6, 4)), BLOCK)],
    ),
    (
        "nik-menurut-struktur-pp-kk-cc",
        f"NIK {groups(NIK_SITI, (2, 2, 2, 6, 4))} tercatat di Kecamatan Bekasi Timur.",
        [("nik", groups(NIK_SITI, (2, 2, 2, 6, 4)), BLOCK)],
    ),
    (
        "nik-di-akhir-kalimat",
        f"Pengaduan dari warga dengan NIK {NIK_SITI}.",
        [("nik", NIK_SITI, BLOCK)],
    ),
    (
        "kk-dengan-kata-kartu-keluarga",
        f"Kartu Keluarga nomor {KK_SUPARMAN} sudah dapat diambil di kantor kelurahan.",
        [("no_kk", KK_SUPARMAN, BLOCK)],
    ),
    (
        "nik-perempuan-di-konteks-kk-disebut-kk",
        f"Mohon dicek, Nomor KK {NIK_SITI} milik keluarga Ibu Siti.",
        [("no_kk", NIK_SITI, BLOCK)],
    ),
    (
        "banjir-relawan-ponsel-08xx",
        "Banjir setinggi 60 cm merendam Perumahan Pondok Gede Permai. Koordinator relawan, "
        "Bu Rina: 0812-8765-4321 (WA).",
        [("phone", "0812-8765-4321", BLOCK)],
    ),
    (
        "lowongan-ponsel-plus62",
        "Rekrutmen tenaga pendamping PKH. Pertanyaan via WA +62 857 1234 5678 pada jam kerja.",
        [("phone", "+62 857 1234 5678", BLOCK)],
    ),
    (
        "kontak-lurah-62-tanda-hubung",
        "Kontak Lurah Kayuringin Jaya: 62-821-1234-5678.",
        [("phone", "62-821-1234-5678", BLOCK)],
    ),
    (
        "ponsel-tanpa-pemisah",
        "Info vaksinasi hubungi 081287654321 (Pak Dedi).",
        [("phone", "081287654321", BLOCK)],
    ),
    (
        "ponsel-di-tautan-whatsapp",
        "Pendaftaran khitanan massal melalui https://wa.me/6281287654321 paling lambat Jumat.",
        [("phone", "6281287654321", BLOCK)],
    ),
    (
        "ponsel-di-tautan-whatsapp-tanpa-skema",
        "Daftar lewat wa.me/6285712345678 ya, kuota 100 anak.",
        [("phone", "6285712345678", BLOCK)],
    ),
    (
        "lowongan-gmail-pribadi",
        "Berkas lamaran dikirim ke panitia.rekrutmen2026@gmail.com paling lambat 24-11-2026.",
        [("email", "panitia.rekrutmen2026@gmail.com", WARN)],
    ),
    (
        "gmail-dengan-huruf-besar-dan-plus",
        "Kontak: Rina.Putri+posyandu@Gmail.com.",
        [("email", "Rina.Putri+posyandu@Gmail.com", WARN)],
    ),
    (
        "kantor-dan-ponsel",
        "Informasi: Telp. (021) 8895-1234 / 0812-8765-4321.",
        [("phone", "(021) 8895-1234", WARN), ("phone", "0812-8765-4321", BLOCK)],
    ),
    (
        "npwp-narasumber-pribadi",
        f"Honorarium narasumber dr. Budi, NPWP {NPWP_PRIBADI}, dibayarkan setelah kegiatan.",
        [("npwp", NPWP_PRIBADI, BLOCK)],
    ),
    (
        "npwp-pribadi-tanpa-titik",
        f"NPWP: {NPWP_PRIBADI.replace('.', '').replace('-', '')} (untuk pelaporan pajak).",
        [("npwp", NPWP_PRIBADI.replace(".", "").replace("-", ""), BLOCK)],
    ),
    (
        "npwp-pribadi-bertitik-semua",
        f"Wajib pajak: {NPWP_PRIBADI.replace('-', '.')} (Kec. Bekasi Utara).",
        [("npwp", NPWP_PRIBADI.replace("-", "."), BLOCK)],
    ),
    (
        "npwp-badan-pemenang-tender-hanya-peringatan",
        f"Pemenang tender rehabilitasi saluran: CV Maju Jaya, NPWP {NPWP_CV}.",
        [("npwp", NPWP_CV, WARN)],
    ),
    (
        "npwp-yayasan-hanya-peringatan",
        f"Hibah diberikan kepada Yayasan Peduli Bekasi (NPWP {NPWP_YAYASAN}).",
        [("npwp", NPWP_YAYASAN, WARN)],
    ),
    (
        "ponsel-sebagai-nama-email-dilaporkan-sekali",
        # The mobile number is the e-mail's name: one finding (the phone, blocking), not two.
        "Konfirmasi kehadiran ke 081287654321@gmail.com.",
        [("phone", "081287654321", BLOCK)],
    ),
    (
        "nama-berkas-foto-ktp",
        f"KTP_{NIK_SITI}.jpg",
        [("nik", NIK_SITI, BLOCK)],
    ),
]

LOOK_ALIKES: list[tuple[str, str]] = [
    (
        "tanggal-dan-jam",
        "Rapat koordinasi Senin, 24-11-2026, pukul 08.00–12.00 WIB; susulan 2026-11-24 dan "
        "24/11/2026 pukul 13.00-15.30 WIB di Plaza Pemkot Bekasi.",
    ),
    (
        "banjir-call-centre",
        "Warga terdampak banjir di Kecamatan Medan Satria dapat menghubungi Call Center 112 atau "
        "1500-444. Posko BPBD di Jl. Ir. H. Juanda No. 100 buka 24 jam.",
    ),
    ("call-centre-dengan-kode-area", "Layanan pengaduan warga: (021) 1500-444, setiap hari."),
    ("bebas-pulsa-0800", "Layanan pengaduan bebas pulsa 0800-1500-444 (Senin–Jumat)."),
    ("halo-kemenkes", "Informasi vaksin: Halo Kemenkes 1500-567 atau darurat 119."),
    (
        "harga-dan-anggaran",
        "Bantuan sebesar Rp 1.500.000 per keluarga; pagu Rp 15.000.000.000.000.000 (salah ketik "
        "di draf) dikoreksi menjadi Rp 15.000.000.000.",
    ),
    (
        "apbd",
        "APBD Kota Bekasi 2026 sebesar Rp7.123.456.789.012 dengan belanja modal 18,5 persen "
        "(Rp1.317.839.505.967).",
    ),
    (
        "id-posting-facebook-dan-x-di-tautan",
        "Simak video lengkapnya di https://www.facebook.com/pemkotbekasi/videos/"
        f"{NIK_SITI}/ dan https://x.com/humaskotabekasi/status/1861234567890123456",
    ),
    (
        "id-posting-di-tautan-tanpa-skema",
        f"Sumber: facebook.com/pemkotbekasi/posts/{NIK_BUDI} (diunggah 24/11/2026).",
    ),
    (
        "fbid-di-tautan",
        f"Foto: https://www.facebook.com/photo/?fbid={NIK_SITI}&set=a.123456789012345",
    ),
    (
        "rekening-bank-bertitik",
        "Donasi korban banjir disalurkan ke rekening Bank bjb 0073.0101.2345.6 a.n. Baznas Kota "
        "Bekasi, BNI 0123.4567.89, Mandiri 125.00.0123456.7 atau BRI 0123-01-012345-50-1.",
    ),
    ("isbn", "Buku Profil Kesehatan Kota Bekasi 2025 (ISBN 978-623-7654-32-1) dapat diunduh."),
    ("email-resmi-go-id", "Permohonan informasi dikirim ke ppid@bekasikota.go.id."),
    ("email-resmi-huruf-besar", "Surel: DINKES@BEKASIKOTA.GO.ID (jam kerja)."),
    (
        "regulasi-dan-kode",
        "Sesuai Perwal No. 45 Tahun 2026 dan SK Nomor 800/123/Dinkes/2026, RT 003/RW 012, "
        "kode pos 17141.",
    ),
    ("nama-berkas-kamera", "IMG_20261124_083015.jpg"),
    ("bukan-nik-provinsi", f"Nomor pendaftaran {NOT_NIK_PROVINCE} atas nama yayasan."),
    ("bukan-nik-kabupaten", f"Kode registrasi {NOT_NIK_REGENCY}."),
    ("bukan-nik-tanggal", f"Nomor tiket {NOT_NIK_DAY} dan {NOT_NIK_MONTH}."),
    ("bukan-nik-hari-81", f"Kode aset {NOT_NIK_DAY_81}."),
]


def _found(text: str) -> list[Finding]:
    findings = screen_text(text)
    for f in findings:
        assert text[f.start : f.end] == f.text, f
    return findings


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, expected, id=name) for name, text, expected in TRUE_PERSONAL_DATA],
)
def test_personal_data_is_found_with_its_exact_text(text: str, expected: Expected) -> None:
    findings = _found(text)
    assert [(f.kind, f.text, f.severity) for f in findings] == expected
    # Each finding points at the one place it was found (in reading order).
    positions = [text.index(t) for _, t, _ in expected]
    assert [f.start for f in findings] == positions
    assert all(f.reason for f in findings)


@pytest.mark.parametrize("text", [pytest.param(text, id=name) for name, text in LOOK_ALIKES])
def test_look_alikes_are_not_personal_data(text: str) -> None:
    assert _found(text) == []


def test_office_numbers_warn_but_do_not_block() -> None:
    findings = screen_text("Sekretariat Dinkes: (021) 8895-1234, faks 021-88967890.")
    assert [(f.text, f.severity) for f in findings] == [
        ("(021) 8895-1234", WARN),
        ("021-88967890", WARN),
    ]
    assert blocking(findings) == []


def test_public_numbers_are_a_setting() -> None:
    text = "WhatsApp resmi layanan Disdukcapil: 0811-1234-5678."
    assert [f.text for f in screen_text(text)] == ["0811-1234-5678"]
    assert screen_text(text, public_numbers=("112", "0811-1234-5678")) == []


def test_a_number_found_as_nik_is_not_also_reported_as_a_phone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = f"NIK {NIK_SITI}, HP 0812-8765-4321"
    nik_start = text.index(NIK_SITI)

    def phones_everywhere(text: str, field: str, public: object = ()) -> Iterator[Finding]:
        # A phone reader that also sees a phone number in the NIK's digits.
        yield Finding(
            "phone",
            nik_start + 4,
            nik_start + 16,
            text[nik_start + 4 : nik_start + 16],
            BLOCK,
            "ponsel",
            field,
        )
        yield Finding(
            "phone", text.index("0812"), len(text), "0812-8765-4321", BLOCK, "ponsel", field
        )

    monkeypatch.setattr(scan, "find_phones", phones_everywhere)
    assert [(f.kind, f.text) for f in screen_text(text)] == [
        ("nik", NIK_SITI),
        ("phone", "0812-8765-4321"),
    ]


def test_findings_are_sorted_by_position_and_carry_the_field() -> None:
    text = f"HP 0812-8765-4321; NIK {NIK_SITI}; e-mail siti.aminah@gmail.com"
    findings = screen_text(text, field="alt foto 1")
    assert [f.kind for f in findings] == ["phone", "nik", "email"]
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert {f.field for f in findings} == {"alt foto 1"}
    assert "alt foto 1" in findings[1].describe()


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (NIK_SITI, "••••••••••••0001"),
        (groups(NIK_SITI, (4, 4, 4, 4)), "•••••••••••••••0001"),
        ("+62 857 1234 5678", "•••••••••••••5678"),
        ("siti.aminah@gmail.com", "•••••••••••••••••.com"),
        ("112233", "••••••"),  # too short to show four of its characters
    ],
)
def test_masked_hides_all_but_the_last_four_characters(text: str, masked: str) -> None:
    finding = Finding("nik", 0, len(text), text, BLOCK, "alasan")
    assert finding.masked() == masked
    assert len(finding.masked()) == len(text)
    assert finding.as_dict(mask=True)["text"] == masked
    assert finding.as_dict()["text"] == text


def test_masking_a_real_finding_leaves_no_more_than_four_digits() -> None:
    (finding,) = screen_text(f"NIK {NIK_BUDI}")
    assert finding.masked().endswith(NIK_BUDI[-4:])
    assert sum(c.isdigit() for c in finding.masked()) == 4


# --- DIK rules -----------------------------------------------------------------------------------


def rule(pattern: str, *, regex: bool = False, severity: Severity = BLOCK) -> CompiledRule:
    return CompiledRule(compile_pattern(pattern, regex), severity, "Pasal 17 UU KIP")


def dik(text: str, *rules: CompiledRule) -> list[tuple[str, Severity]]:
    findings = screen_text(text, rules=rules)
    assert all(text[f.start : f.end] == f.text for f in findings)
    return [(f.text, f.severity) for f in findings if f.kind == "dik"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dokumen RAHASIA tidak dibagikan.", ["RAHASIA"]),
        ("Nota dinas (rahasia), lihat lampiran.", ["rahasia"]),
        ("Rahasia. Jangan disebarkan; rahasia!", ["Rahasia", "rahasia"]),
        ("Pemkot menjaga kerahasiaan data pemohon.", []),
        ("Surat bersifat rahasiawan? Bukan kata baku.", []),
    ],
)
def test_plain_dik_terms_match_whole_words_in_any_case(text: str, expected: list[str]) -> None:
    assert dik(text, rule("rahasia")) == [(t, BLOCK) for t in expected]


def test_a_plain_dik_phrase_matches_across_line_breaks() -> None:
    text = "Hasil pemeriksaan\nlaboratorium pasien belum diumumkan."
    assert dik(text, rule("hasil pemeriksaan laboratorium")) == [
        ("Hasil pemeriksaan\nlaboratorium", BLOCK)
    ]


def test_plain_dik_terms_are_literal_text_not_patterns() -> None:
    assert dik("Lampiran [RAHASIA] terlampir.", rule("[rahasia]")) == [("[RAHASIA]", BLOCK)]
    assert dik("Lampiran R terlampir.", rule("[rahasia]")) == []


def test_regex_dik_rules_and_their_severity() -> None:
    medis = rule(r"no\.?\s*rekam\s+medis\s*:?\s*\d{6}", regex=True)
    hps = rule(r"HPS\s+(sebelum\s+)?lelang", regex=True, severity=WARN)
    text = "Pasien No. Rekam Medis: 004512 dirujuk. Angka HPS sebelum lelang belum final."
    assert dik(text, medis, hps) == [
        ("No. Rekam Medis: 004512", BLOCK),
        ("HPS sebelum lelang", WARN),
    ]


def test_dik_findings_are_kept_where_personal_data_covers_the_same_text() -> None:
    text = f"NIK tersangka {NIK_BUDI} belum boleh diumumkan."
    findings = screen_text(text, rules=[rule("NIK tersangka"), rule(r"\d{16}", regex=True)])
    assert [(f.kind, f.text) for f in findings] == [
        ("dik", "NIK tersangka"),
        ("dik", NIK_BUDI),
        ("nik", NIK_BUDI),
    ]


@pytest.mark.parametrize(
    "pattern",
    # (A variable-length look-behind such as "(?<=a+)b" is valid for the `regex` module.)
    ["(rahasia", "[z-a]", "rahasia\\", "(?P<a>x)(?P=b)", "a{99999999999}"],
)
def test_an_invalid_regex_is_refused_with_one_indonesian_sentence(pattern: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        compile_pattern(pattern, is_regex=True)
    # Python's own text ("missing ), unterminated subpattern at position 0") is English.
    sentence = r"Pola DIK bukan ekspresi reguler yang sah( \(periksa sekitar karakter ke-\d+\))?\."
    assert re.fullmatch(sentence, str(refused.value))


@pytest.mark.parametrize("pattern", ["", "   ", "x" * 501])
def test_empty_or_too_long_dik_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValidationFailed, match="Pola DIK harus diisi"):
        compile_pattern(pattern, is_regex=False)


def test_dik_rules_from_the_database_only_while_active(world: World) -> None:
    s = world.session
    kept = dik_rules.add_rule(s, world.utama, pattern="rahasia negara", reason="Pasal 17 huruf c")
    paused = dik_rules.add_rule(
        s,
        world.utama,
        pattern=r"HPS\s+lelang",
        is_regex=True,
        reason="Pasal 17 huruf b",
        severity=WARN,
    )
    dik_rules.set_active(s, world.utama, paused.id, False)
    with pytest.raises(ValidationFailed, match="bukan ekspresi reguler yang sah"):
        dik_rules.add_rule(s, world.utama, pattern="(HPS", is_regex=True, reason="Pasal 17")
    rules = screening.active_rules(s)
    findings = screen_text("Ini RAHASIA NEGARA, bukan HPS lelang.", rules=rules)
    assert [(f.text, f.severity) for f in findings] == [("RAHASIA NEGARA", BLOCK)]
    assert kept.reason in findings[0].reason


def test_screen_post_reads_the_photo_file_name_too(world: World) -> None:
    s: Session = world.session
    media = store_upload(
        s, world.pembantu, world.store, jpeg(colour="teal"), filename=f"KTP_{NIK_SITI}.jpg"
    )
    post = create_draft(
        s,
        world.pembantu,
        world.dinkes_id,
        DraftInput(
            caption="Pelayanan KTP-el keliling di Kecamatan Rawalumbu, Sabtu 08.00 WIB.",
            headline="KTP-el keliling di Rawalumbu",
            account_ids=[world.x_account],
            photos=[PhotoInput(media.id, "Petugas merekam sidik jari warga")],
        ),
    )
    findings = findings_of(screen_post(s, post))
    assert [(f.field, f.kind, f.text) for f in findings] == [
        ("nama berkas foto 1", "nik", NIK_SITI)
    ]
