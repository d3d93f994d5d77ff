"""The one writer of every spreadsheet the app hands out (XLSX and CSV).

Text written by users (captions, names, reasons) can start like a formula: `=HYPERLINK(…)`,
`+1`, `-1`, `@SUM(…)`, or a tab/carriage return that some spreadsheet programs skip before
reading the `=`. Opened in Excel or LibreOffice such a cell would run. So:

- XLSX: every text value is stored as a string cell (never a formula), and one that starts with
  one of those characters also carries Excel's "quote prefix" so editing the cell keeps it text.
  The text itself is kept exactly as written.
- CSV has no cell types: a text value that starts with one of those characters gets a leading
  apostrophe (the OWASP advice), which spreadsheet programs show as text.

Numbers, dates and empty cells stay what they are. Every export goes through this module; do not
write a spreadsheet elsewhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = Sequence[Any]
Table = tuple[list[str], list[list[Any]]]


@dataclass(frozen=True)
class Choices:
    """A drop-down list on one column (0-based) below the header. `strict` refuses other values
    in the spreadsheet program; otherwise the list only suggests (e.g. several channels)."""

    column: int
    options: Sequence[str]
    prompt: str = ""
    strict: bool = True
    rows: int = 1000  # how far down the list applies


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Row]
    choices: Sequence[Choices] = field(default_factory=tuple)
    widths: Sequence[int] = field(default_factory=tuple)  # column widths in characters


def is_risky(text: str) -> bool:
    """Whether a spreadsheet program could read this text as a formula."""
    return text.startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A value as it may go into a CSV cell: risky text defused with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Row]) -> int:
    """Write a header and rows as CSV; returns the number of rows (header not counted)."""
    writer = csv.writer(out)
    writer.writerow([csv_cell(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        count += 1
    return count


def csv_text(table: Table) -> str:
    out = io.StringIO()
    write_csv(out, *table)
    return out.getvalue()


def _cell(sheet: Worksheet, value: Any, *, bold: bool = False) -> Cell:
    cell = Cell(sheet)
    if isinstance(value, str):
        # Control characters that XML cannot carry would make openpyxl refuse the whole file.
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would store text starting with "=" as a formula
        if is_risky(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)
    return cell


def _write_sheet(book: Workbook, sheet: Sheet) -> None:
    target = book.create_sheet(sheet.title)
    target.append([_cell(target, h, bold=True) for h in sheet.header])
    for row in sheet.rows:
        target.append([_cell(target, v) for v in row])
    target.freeze_panes = "A2"
    for index, width in enumerate(sheet.widths, start=1):
        target.column_dimensions[get_column_letter(index)].width = width
    for choice in sheet.choices:
        _add_choices(target, choice)


def _add_choices(target: Worksheet, choice: Choices) -> None:
    # A list written into the formula itself: quotes and commas inside an option would break it.
    options = [o.replace('"', "").replace(",", " ") for o in choice.options]
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(options) + '"',
        allow_blank=True,
        showErrorMessage=choice.strict,
        showInputMessage=bool(choice.prompt),
        prompt=choice.prompt or None,
    )
    letter = get_column_letter(choice.column + 1)
    validation.add(f"{letter}2:{letter}{choice.rows + 1}")
    target.add_data_validation(validation)


def workbook_bytes(sheets: Iterable[Sheet], *, title: str = "") -> bytes:
    """One XLSX with the sheets in order (bold, frozen header row)."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _write_sheet(book, sheet)
    if title:
        book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
