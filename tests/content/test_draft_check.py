"""Screening of an unsaved draft covers the same texts as a saved post."""

from __future__ import annotations

from content.editorial.posts import DraftInput, PhotoInput
from content.models import Channel, DikRule, Severity
from content.screening import draft_texts, screen_draft
from content.screening.dik import compile_rules


def test_every_public_text_is_screened_with_exact_spans() -> None:
    data = DraftInput(
        caption="Hubungi 0812-3456-7890 untuk info.",
        headline="Posyandu",
        link="https://dinkes.bekasikota.go.id/posyandu",
        texts={Channel.X: "Kirim ke warga@gmail.com"},
        photos=[PhotoInput(1, "Rekam medis pasien")],
    )
    rules = compile_rules(
        [
            DikRule(
                pattern="rekam medis",
                reason="Rahasia pasien.",
                active=True,
                severity=Severity.BLOCK,
                is_regex=False,
            )
        ]
    )
    screened = {s.field: s for s in screen_draft(data, rules, photo_names=["nik-3275.jpg"])}
    assert set(screened) == {
        "caption",
        "headline",
        "link",
        "teks x",
        "alt foto 1",
        "nama berkas foto 1",
    }
    phone = screened["caption"].findings[0]
    assert (phone.kind, phone.start, phone.end, phone.blocking) == ("phone", 8, 22, True)
    assert [f.kind for f in screened["teks x"].findings] == ["email"]
    assert [f.kind for f in screened["alt foto 1"].findings] == ["dik"]
    assert screened["headline"].findings == [] and screened["caption"].label == "Keterangan utama"


def test_empty_texts_are_left_out() -> None:
    assert draft_texts(DraftInput(caption="Halo")) == [("caption", "Keterangan utama", "Halo")]
