"""The suggested videotron headline ends on a phrase boundary: never inside a word, never on a
connective left hanging, at punctuation when the sentence offers one."""

from __future__ import annotations

import pytest

from content.editorial.headline import MAX_CHARS, MAX_WORDS, suggest_headline

CASES = [
    # a short first sentence is the headline as it is
    ("Posyandu serentak pekan ini. Bawa buku KIA ya!", "Posyandu serentak pekan ini"),
    # hashtags, mentions and links are not slide text
    ("Vaksinasi HPV gratis #BekasiSehat @dinkes https://x.id", "Vaksinasi HPV gratis"),
    # a comma inside the part that fits closes the phrase
    (
        "Layanan KTP-el keliling hadir di Margahayu, Sabtu pagi mulai pukul delapan sampai siang",
        "Layanan KTP-el keliling hadir di Margahayu",
    ),
    # no punctuation: whole words, and the connective "untuk" is not left at the end
    (
        "Vaksinasi HPV gratis di seluruh puskesmas kota Bekasi tahun ini untuk siswi kelas lima",
        "Vaksinasi HPV gratis di seluruh puskesmas kota Bekasi tahun ini",
    ),
    (
        "Kerja bakti membersihkan saluran air warga RW 05 dan RW 06 di Bekasi Timur besok",
        "Kerja bakti membersihkan saluran air warga RW 05",
    ),
    # a colon early in the sentence (fewer than four words) is not used
    (
        "Info: jam layanan Disdukcapil selama libur nasional tutup tetapi layanan daring buka",
        "Info: jam layanan Disdukcapil selama libur nasional tutup",
    ),
    ("", ""),
    ("#hanya #tagar", ""),
]


@pytest.mark.parametrize(("caption", "expected"), CASES)
def test_suggested_headline_ends_on_a_phrase_boundary(caption: str, expected: str) -> None:
    assert suggest_headline(caption) == expected


def test_long_words_are_never_cut() -> None:
    caption = " ".join(["Pembangunan"] * 5 + ["berkelanjutanberkelanjutanberkelanjutan"] * 6)
    headline = suggest_headline(caption)
    assert len(headline) <= MAX_CHARS and len(headline.split()) <= MAX_WORDS
    source = caption.split()
    assert headline.split() == source[: len(headline.split())]  # whole words, in order
