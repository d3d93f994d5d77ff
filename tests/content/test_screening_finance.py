"""Screening of financial personal data: bank account numbers and payment card numbers block.

Each case is a text as a Bekasi post would carry it and exactly what must be found in it; the
look-alikes (amounts, letter numbers, dates, phone numbers, NIKs, institutions' donation accounts,
Luhn-invalid numbers) must not be reported as financial data. Card numbers are built with
python-stdnum's Luhn check digit, not typed by hand.
"""

from __future__ import annotations

import pytest
from stdnum import luhn

from content.models import Severity
from content.screening import screen_text
from content.screening.findings import Finding

BLOCK = Severity.BLOCK


def card(prefix: str, length: int = 16) -> str:
    body = prefix + "0" * (length - 1 - len(prefix))
    number = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(number)
    return number


def not_luhn(number: str) -> str:
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not luhn.is_valid(wrong)
    return wrong


def grouped(number: str, sep: str = " ", size: int = 4) -> str:
    return sep.join(number[i : i + size] for i in range(0, len(number), size))


VISA = card("4111222233334")  # 16 digits
MASTERCARD = card("5500123456789")
AMEX = card("37828224631", 15)
GPN_DEBIT = card("6019001234567", 19)  # Indonesian debit cards (GPN) run to 19 digits
SHORT_VISA = card("422222222222", 13)

FOUND: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "rekening-bri-perorangan",
        "Bantu pengobatan Ibu Siti: transfer ke rekening BRI 0123-01-012345-50-1 a.n. Siti Aminah.",
        [("bank_account", "0123-01-012345-50-1")],
    ),
    (
        "bca-nama-bank-saja",
        "Hadiah lomba dikirim ke BCA 8730123456 milik pemenang.",
        [("bank_account", "8730123456")],
    ),
    (
        "norek-mandiri",
        "Norek Mandiri 1250001234567 (Bpk. Budi) untuk iuran RT.",
        [("bank_account", "1250001234567")],
    ),
    (
        "no-rek-bertitik",
        "No. Rek: 0073.0101.2345.6 bank bjb atas nama Ahmad Fauzi.",
        [("bank_account", "0073.0101.2345.6")],
    ),
    (
        "nomor-rekening-bsi-berspasi",
        "Nomor rekening BSI 7123 456 789 a.n. Rina.",
        [("bank_account", "7123 456 789")],
    ),
    (
        "bank-sesudah-nomor",
        "Kirim ke 0987654321 (BNI) a.n. Dedi, lalu konfirmasi.",
        [("bank_account", "0987654321")],
    ),
    (
        "jendela-rekening-dengan-nama",
        "Rekening BTN Unit Bekasi Timur a.n. Siti Aminah: 00012345678901.",
        [("bank_account", "00012345678901")],
    ),
    (
        "cimb-danamon-permata",
        "Pilihan: CIMB Niaga 800123456789, Danamon 003612345678 atau Permata 4101234567 a.n. Joko.",
        [
            ("bank_account", "800123456789"),
            ("bank_account", "003612345678"),
            ("bank_account", "4101234567"),
        ],
    ),
    (
        "rekening-pribadi-di-samping-rekening-lembaga",
        "Donasi: BRI 012301012345501 a.n. Siti Aminah; BNI 0123456789 a.n. Baznas Kota Bekasi.",
        [("bank_account", "012301012345501")],
    ),
    (
        "kartu-visa-berspasi",
        f"Kartu kredit {grouped(VISA)} ditemukan.",
        [("payment_card", grouped(VISA))],
    ),
    (
        "kartu-visa-bergaris",
        f"Nomor kartu {grouped(VISA, '-')}",
        [("payment_card", grouped(VISA, "-"))],
    ),
    (
        "kartu-mastercard-rapat",
        f"Kartu {MASTERCARD} hilang di pasar.",
        [("payment_card", MASTERCARD)],
    ),
    (
        "kartu-amex-4-6-5",
        f"Amex {AMEX[:4]} {AMEX[4:10]} {AMEX[10:]}.",
        [("payment_card", f"{AMEX[:4]} {AMEX[4:10]} {AMEX[10:]}")],
    ),
    (
        "kartu-debit-19-digit",
        f"Kartu debit {GPN_DEBIT} milik warga.",
        [("payment_card", GPN_DEBIT)],
    ),
    ("kartu-13-digit", f"Visa lama {SHORT_VISA}.", [("payment_card", SHORT_VISA)]),
    (
        "kartu-di-dekat-nama-bank",
        f"Kartu kredit BCA {grouped(VISA)} tertinggal di loket.",
        [("payment_card", grouped(VISA))],
    ),
]

LOOK_ALIKES: list[tuple[str, str]] = [
    ("nominal-rupiah", "Dana hibah Rp 1.250.000.000 ditransfer ke rekening kas daerah."),
    ("nominal-rupiah-rapat", "Transfer ke rekening sebesar Rp1250000000 tuntas hari ini."),
    ("nominal-koma", "Realisasi rekening belanja 1,250,000,000 (USD 80,000.50)."),
    ("nomor-surat", "Nomor: 800/1234/Diskominfo/2026 tentang rekening pemerintah."),
    ("nomor-surat-panjang", "Surat BRI No. 12345678/2026/KC-Bekasi diterima."),
    ("tanggal", "Pembayaran ke rekening dibuka 24-11-2026 sampai 2026-12-31."),
    ("tanggal-bertitik", "BNI buka 24.11.2026 pukul 08.00."),
    (
        "lembaga-kas-daerah",
        "Setor ke Rekening Kas Umum Daerah Bank bjb 0001234567890 a.n. Pemerintah Kota Bekasi.",
    ),
    ("lembaga-baznas", "Infak: rekening BSI 7000123456 a.n. Baznas Kota Bekasi."),
    (
        "lembaga-masjid-sesudah",
        "Masjid Agung: a.n. Masjid Al-Barkah, rekening Mandiri 1250007654321.",
    ),
    ("nomor-tanpa-konteks", "Kode registrasi 0123456789 berlaku 30 hari."),
    ("bank-di-kalimat-lain", "Kantor BRI pindah ke Jl. Ahmad Yani. Kode antrean 1234567890."),
    ("luhn-salah-16", f"Nomor tiket {grouped(not_luhn(VISA))} berlaku sehari."),
    ("luhn-salah-rapat", f"ID transaksi {not_luhn(MASTERCARD)}."),
    ("terlalu-pendek-untuk-kartu", "Kode 4111 1111 1111 diisi petugas."),
    ("bukan-kartu-diawali-nol", f"Nomor antrean 0{VISA[1:]}."),
    ("tautan", f"Lihat https://example.com/kartu/{VISA} untuk berita."),
    ("isbn", "ISBN 978-623-7654-32-1 terbit dengan dukungan Bank Mandiri."),
    # A civil servant's NIP (18 digits, this one Luhn-valid) signs official announcements.
    ("nip-pejabat", "Kepala Dinas Kesehatan,\nNIP 198703242010011005"),
    ("nip-berspasi", "Plt. Kepala Dinas, NIP. 19870324 201001 1 005."),
]


def _found(text: str) -> list[Finding]:
    findings = screen_text(text)
    for f in findings:
        assert text[f.start : f.end] == f.text, f
    return findings


@pytest.mark.parametrize(
    ("text", "expected"), [pytest.param(t, e, id=name) for name, t, e in FOUND]
)
def test_financial_personal_data_blocks_with_its_exact_text(
    text: str, expected: list[tuple[str, str]]
) -> None:
    findings = _found(text)
    assert [(f.kind, f.text) for f in findings] == expected
    assert all(f.severity is BLOCK and f.blocking for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=name) for name, t in LOOK_ALIKES])
def test_look_alikes_are_not_financial_data(text: str) -> None:
    assert [f for f in _found(text) if f.kind in {"bank_account", "payment_card"}] == []


def test_phone_numbers_and_niks_keep_their_own_kind_near_a_bank() -> None:
    nik = "3275014505900001"
    text = f"Rekening BRI a.n. Siti (NIK {nik}), hubungi 0812-3456-7890."
    assert [(f.kind, f.text) for f in _found(text)] == [
        ("nik", nik),
        ("phone", "0812-3456-7890"),
    ]


def test_the_reason_is_indonesian_and_names_the_bank_but_not_the_number() -> None:
    (account,) = _found("Transfer ke Mandiri 1250001234567 a.n. Budi.")
    assert account.label == "Nomor rekening bank"
    assert "“Mandiri”" in account.reason and "UU PDP" in account.reason
    assert "1250001234567" not in account.reason
    assert "'1250001234567'" in account.describe()
    assert account.as_dict(mask=True)["text"].endswith("4567")
    (payment,) = _found(f"Kartu {VISA}.")
    assert payment.label == "Nomor kartu pembayaran"
    assert "Luhn" in payment.reason and VISA not in payment.reason
