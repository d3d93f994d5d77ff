""" "Laporan Monev" as PDF, for the Wali Kota: a cover with the period, the leaderboard with the
Komisi Informasi bands (every OPD of the report, so a PPID Pembantu's report holds its own OPD
only), then one page per OPD with its three parts and their reasons, the complaints handled,
its publications by KIP category and simple bar charts drawn with fpdf2's own rectangles.

The PDF is a pure function of a `MonevReport` (the same one the page and the XLSX show), so
its numbers are theirs. fpdf2's core font (Helvetica) covers Latin-1 only: every text is passed
through `pdf_text`, which spells the few typographic signs the reasons use in ASCII, strips
accents it cannot draw and replaces anything else, so no user text (an OPD's name) can break
the file. Numbers and dates are written the Indonesian way (`format_number`, month names).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from content.infra.timeutil import MONTHS, WIB, utcnow
from content.labels import KIP_LABELS, MONEV_SECTION_LABELS, NO_DATA_LABEL
from content.models import KipCategory
from content.monev import MonevReport
from content.monev.config import SECTIONS
from content.monev.score import OpdScore, Part, format_number

__all__ = ["pdf_bytes", "pdf_text"]

# Signs the reasons and labels use that Latin-1 lacks, written as a reader would type them.
_ASCII = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "≥": ">=",
        "≤": "<=",
        "→": "->",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "…": "...",
        "•": "-",
        "\u00a0": " ",
    }
)
# Band colours, best first (Informatif … Tidak Informatif); RGB.
BAND_COLOURS = (
    (27, 122, 61),
    (94, 160, 60),
    (230, 168, 23),
    (224, 110, 40),
    (192, 40, 40),
)
NO_DATA_COLOUR = (170, 170, 170)
BAR_COLOUR = (40, 90, 160)
LINE = 5.0  # mm, one line of body text


def pdf_text(text: object) -> str:
    """`text` as the core font can draw it: Latin-1, no control characters."""
    value = unicodedata.normalize("NFC", str(text)).translate(_ASCII)
    out = []
    for char in value:
        if char in "\n\t":
            out.append(" " if char == "\t" else char)
        elif unicodedata.category(char).startswith("C"):
            continue
        elif ord(char) < 256:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char)
            kept = "".join(c for c in base if ord(c) < 256 and not unicodedata.combining(c))
            out.append(kept or "?")
    return "".join(out)


def _long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _score_text(score: float | None) -> str:
    return NO_DATA_LABEL if score is None else format_number(score)


class _Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report_title = title
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.set_title(pdf_text(title))
        self.set_author("Siaran - PPID Utama Kota Bekasi")
        self.set_creator("Siaran")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, pdf_text(f"{self.report_title} - halaman {self.page_no()}"), align="C")
        self.set_text_color(0, 0, 0)

    # --- small blocks ------------------------------------------------------------------------

    def heading(self, text: str, size: float = 14) -> None:
        self.set_font("Helvetica", "B", size)
        self.paragraph(pdf_text(text), size * 0.5)
        self.ln(1.5)

    def body(self, text: str, size: float = 9, style: str = "", indent: float = 0.0) -> None:
        self.set_font("Helvetica", style, size)
        self.paragraph(pdf_text(text), LINE * size / 10, indent)

    def paragraph(self, text: str, height: float, indent: float = 0.0) -> None:
        """`text` wrapped at word boundaries in the current font, one `cell` a line. (fpdf2's
        multi_cell measures each line character by character, which made a 60-OPD report take
        seconds; a word's width is measured once here.)"""
        width = self.w - self.l_margin - self.r_margin - indent
        space = self.get_string_width(" ")
        for block in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for word in block.split():
                size = self.get_string_width(word)
                if line and used + space + size > width:
                    self._line(" ".join(line), height, indent)
                    line, used = [], 0.0
                used += (space if line else 0.0) + size
                line.append(word)
            self._line(" ".join(line), height, indent)

    def _line(self, text: str, height: float, indent: float) -> None:
        if self.will_page_break(height):
            self.add_page()
        self.set_x(self.l_margin + indent)
        self.cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bar(
        self,
        label: str,
        value: float | None,
        *,
        maximum: float = 100.0,
        shown: str | None = None,
        colour: tuple[int, int, int] = BAR_COLOUR,
        label_width: float = 62.0,
    ) -> None:
        """One horizontal bar: label, the bar against its maximum, the value written after."""
        if self.will_page_break(LINE + 1):
            self.add_page()
        x, y = self.l_margin, self.get_y()
        width = self.w - self.l_margin - self.r_margin - label_width - 22
        self.set_font("Helvetica", "", 8.5)
        self.set_xy(x, y)
        self.cell(label_width, LINE, pdf_text(label)[:48])
        self.set_draw_color(200, 200, 200)
        self.rect(x + label_width, y + 0.8, width, LINE - 1.6)
        if value is not None and maximum > 0:
            self.set_fill_color(*colour)
            filled = max(0.0, min(1.0, value / maximum)) * width
            if filled > 0:
                self.rect(x + label_width, y + 0.8, filled, LINE - 1.6, style="F")
        self.set_xy(x + label_width + width + 2, y)
        text = shown if shown is not None else _score_text(value)
        self.cell(20, LINE, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(y + LINE + 0.6)


def _band_colour(report: MonevReport, qualification: str) -> tuple[int, int, int]:
    names = [q.name for q in report.config.qualifications]
    index = names.index(qualification) if qualification in names else len(BAND_COLOURS) - 1
    return BAND_COLOURS[min(index, len(BAND_COLOURS) - 1)]


def _cover(pdf: _Document, report: MonevReport, made: datetime) -> None:
    pdf.add_page()
    pdf.ln(40)
    pdf.set_font("Helvetica", "B", 26)
    pdf.cell(0, 14, "Laporan Monev", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 9, "PPID Pembantu Kota Bekasi", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, pdf_text(report.period.label), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 11)
    first = report.period.start.astimezone(WIB).date()
    last = report.period.end.astimezone(WIB).date()
    last = date.fromordinal(last.toordinal() - 1)
    pdf.cell(
        0,
        7,
        pdf_text(f"{_long_date(first)} - {_long_date(last)}"),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(20)
    count = len(report.scores)
    scope = (
        "Laporan ini memuat OPD Anda saja."
        if report.scoped
        else f"Laporan ini memuat {count} OPD dengan peringkat dan predikatnya."
    )
    weights = report.config.section_weights
    total = sum(weights.values())
    parts = ", ".join(
        f"{MONEV_SECTION_LABELS[name]} {format_number(100 * weights[name] / total, 0)}%"
        for name in SECTIONS
    )
    bands = ", ".join(
        f"{q.name} >= {format_number(q.min, 0)}" for q in report.config.qualifications if q.min > 0
    )
    pdf.body(scope, 10)
    pdf.body(f"Tiga bagian penilaian dan bobotnya: {parts}.", 10)
    pdf.body(f"Predikat Komisi Informasi: {bands}; di bawahnya Tidak Informatif.", 10)
    pdf.body(
        "Bagian tanpa data ditulis 'belum ada data' (bukan 0) dan bobotnya dibagi ke bagian "
        "lain. Setiap skor disertai alasannya.",
        10,
    )
    pdf.ln(10)
    made_local = made.astimezone(WIB)
    pdf.body(f"Disusun oleh Siaran pada {_long_date(made_local.date())}.", 9, "I")


def _leaderboard(pdf: _Document, report: MonevReport) -> None:
    pdf.add_page()
    pdf.heading("Skor OPD" if report.scoped else "Peringkat OPD")
    header = ["No", "OPD", "Total", "Predikat", "PPID", "Pengaduan", "Media"]
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(
        col_widths=(8, 60, 14, 32, 16, 28, 16),
        text_align=("RIGHT", "LEFT", "RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=4.6,
        first_row_as_headings=True,
    ) as table:
        table.row([pdf_text(h) for h in header])
        ranked = [s for s in report.scores if s.measured]
        # As on the page and in the XLSX: an OPD with no publication in the period has nothing
        # to rank it on, and is listed after the others as "belum ada data".
        for rank, s in enumerate(ranked, start=1):
            table.row(
                [
                    "-" if report.scoped else str(rank),
                    pdf_text(s.facts.name),
                    format_number(s.total),
                    pdf_text(s.qualification),
                    *(_score_text(s.section(name).score) for name in SECTIONS),
                ]
            )
        for s in report.scores:
            if not s.measured:
                table.row(["-", pdf_text(s.facts.name), NO_DATA_LABEL, "", "", "", ""])
    pdf.ln(4)
    pdf.heading("Grafik skor total", 11)
    for s in ranked:
        pdf.bar(
            s.facts.name,
            s.total,
            shown=format_number(s.total),
            colour=_band_colour(report, s.qualification),
        )


def _complaints_line(report: MonevReport, score: OpdScore) -> str:
    measures = report.complaints.get(score.facts.opd_id)
    if measures is None or not measures.received:
        return f"Pengaduan ditangani: {NO_DATA_LABEL} (tidak ada pengaduan dalam periode ini)."
    return (
        f"Pengaduan ditangani: {measures.answered} dari {measures.received} dijawab, "
        f"{measures.answered_in_time} tepat waktu."
    )


def _items(pdf: _Document, items: Sequence[Part]) -> None:
    for item in items:
        value = item.score if item.counted else None
        pdf.bar(item.label, value)
        pdf.set_font("Helvetica", "", 7.5)
        pdf.set_text_color(70, 70, 70)
        pdf.paragraph(pdf_text(item.why), 3.6, indent=4)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(0.8)


def _opd_page(pdf: _Document, report: MonevReport, score: OpdScore) -> None:
    pdf.add_page()
    facts = score.facts
    pdf.heading(f"{facts.name} ({facts.slug})")
    total = (
        f"Skor total {format_number(score.total)} - {score.qualification}"
        if score.measured
        else f"Skor total: {NO_DATA_LABEL} (tidak ada publikasi dalam periode ini)"
    )
    pdf.body(
        f"{total}. Periode {report.period.label}.",
        10,
        "B",
    )
    if score.total_why:
        pdf.body(score.total_why, 8.5, "I")
    pdf.ln(2)
    for section in score.sections:
        colour = NO_DATA_COLOUR if section.score is None else BAR_COLOUR
        pdf.bar(section.label, section.score, colour=colour)
    pdf.ln(2)
    for section in score.sections:
        pdf.heading(f"{section.label}: {section.shown}", 11)
        pdf.body(section.why, 8.5)
        if section.name == "pengaduan":
            pdf.body(_complaints_line(report, score), 8.5)
        pdf.ln(1)
        _items(pdf, section.items)
        pdf.ln(1.5)
    pdf.heading("Publikasi menurut kategori KIP", 11)
    counts = {c: facts.kip.get(c.value, 0) for c in KipCategory}
    most = max(counts.values(), default=0)
    for category, count in counts.items():
        pdf.bar(KIP_LABELS[category], float(count), maximum=float(most or 1), shown=str(count))
    pdf.body(f"Jumlah publikasi dalam periode: {facts.published_posts}.", 8.5)


def pdf_bytes(report: MonevReport, *, made: datetime | None = None) -> bytes:
    """The whole report as one PDF: the cover, the leaderboard, one page per OPD shown."""
    pdf = _Document(f"Laporan Monev {report.period.label}")
    pdf.set_creation_date(made or utcnow())
    _cover(pdf, report, made or utcnow())
    _leaderboard(pdf, report)
    for score in report.scores:
        _opd_page(pdf, report, score)
    return bytes(pdf.output())
