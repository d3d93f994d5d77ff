"""Reading an import file (CSV or XLSX), streamed and bounded, and the pieces a content plan's
row needs (its channels). The content plan itself (preview, import, template) is
`content.editorial.plans`; the Monev register reads its files here too.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from content.editorial.posts import (
    usable_accounts,
    usable_screens,
)
from content.infra.errors import ValidationFailed
from content.models import Account, Channel

ALIASES = {
    "opd": ("opd",),
    "caption": ("caption", "keterangan", "teks"),
    "link": ("link", "tautan"),
    "headline": ("headline", "judul_videotron", "judul"),
    "kip_category": ("kip_category", "kategori", "kategori_kip"),
    "channels": ("channels", "kanal"),
    "photo": ("photo", "foto"),
    "alt_text": ("alt_text", "alt", "teks_alternatif"),
    "x": ("teks_x", "x_text"),
    "facebook": ("teks_facebook", "facebook_text"),
    "instagram": ("teks_instagram", "instagram_text"),
    "website": ("teks_website", "website_text"),
}
MAX_ROWS = 5_000


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    post_ids: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _canonical(header: str, aliases: Mapping[str, tuple[str, ...]] = ALIASES) -> str | None:
    key = header.strip().lower().replace(" ", "_")
    return next((name for name, names in aliases.items() if key in names), None)


@dataclass(frozen=True)
class ImportLimits:
    """What one import may cost, checked while reading (never after reading everything)."""

    max_rows: int = MAX_ROWS
    max_columns: int = 64
    max_cell_chars: int = 20_000  # far beyond a caption (Instagram 2 200, X 280 or 25 000)
    max_file_bytes: int = 20 * 1024 * 1024
    # An XLSX is a zip: the unpacked size of each part is read from the zip's directory before
    # anything is unpacked, so a small file cannot unfold into gigabytes of XML.
    max_part_bytes: int = 64 * 1024 * 1024


def _check_zip(path: Path, limits: ImportLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationFailed(f"Berkas '{path.name}' bukan XLSX yang dapat dibaca.") from exc
    if any(part.file_size > limits.max_part_bytes for part in parts):
        raise ValidationFailed(
            f"Isi berkas '{path.name}' terlalu besar (lebih dari "
            f"{limits.max_part_bytes // (1024 * 1024)} MB setelah dibuka)."
        )


def _xlsx_rows(path: Path, limits: ImportLimits) -> Iterator[list[str]]:
    """The first sheet's rows, streamed (openpyxl read-only mode), at most `max_columns` wide."""
    _check_zip(path, limits)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a file that is not XLSX
        raise ValidationFailed(f"Berkas '{path.name}' bukan XLSX yang dapat dibaca.") from exc
    try:
        for row in sheet.iter_rows(max_col=limits.max_columns, values_only=True):
            yield ["" if c is None else str(c) for c in row]
    finally:
        book.close()


def _csv_rows(path: Path, limits: ImportLimits) -> Iterator[list[str]]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        try:
            for row in csv.reader(handle):
                yield row[: limits.max_columns]
        except csv.Error as exc:  # e.g. a field longer than the csv module's own limit
            raise ValidationFailed(f"Berkas '{path.name}' bukan CSV yang dapat dibaca.") from exc


def _bounded(raw_rows: Iterator[list[str]], limits: ImportLimits) -> list[list[str]]:
    """The rows (header first), refused as soon as one limit is passed: reading stops there."""
    rows: list[list[str]] = []
    for raw in raw_rows:
        if len(rows) > limits.max_rows:
            raise ValidationFailed(f"Paling banyak {limits.max_rows} baris sekali impor.")
        if any(len(cell) > limits.max_cell_chars for cell in raw):
            raise ValidationFailed(
                f"Baris {len(rows) + 1} berisi sel lebih dari {limits.max_cell_chars} karakter."
            )
        rows.append(raw)
    return rows


def read_rows(
    path: Path,
    limits: ImportLimits | None = None,
    *,
    aliases: Mapping[str, tuple[str, ...]] = ALIASES,
    required: Mapping[str, str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {canonical column: text}) for every non-empty row; `aliases`
    name the columns (a content plan's by default), `required` the ones the header must have
    ({canonical: how the message names it}).

    The whole file is checked against `limits` before the first row is handed out, so an import
    that is too big imports nothing."""
    limits = limits or ImportLimits()
    suffix = path.suffix.lower()
    if suffix not in {".xlsx", ".csv"}:
        raise ValidationFailed("Berkas impor harus .csv atau .xlsx.")
    if path.stat().st_size > limits.max_file_bytes:
        raise ValidationFailed(
            f"Berkas impor paling besar {limits.max_file_bytes // (1024 * 1024)} MB."
        )
    reader = _xlsx_rows if suffix == ".xlsx" else _csv_rows
    raw_rows = _bounded(reader(path, limits), limits)
    if not raw_rows:
        raise ValidationFailed(f"Berkas '{path.name}' kosong.")
    headers = [_canonical(h, aliases) for h in raw_rows[0]]
    for column, shown in (required or {"caption": "'keterangan' (atau 'caption')"}).items():
        if column not in headers:
            raise ValidationFailed(f"Kolom {shown} tidak ada di baris judul.")
    for number, raw in enumerate(raw_rows[1:], start=2):
        row = {h: v.strip() for h, v in zip(headers, raw, strict=False) if h}
        if any(row.values()):
            yield number, row


def _pick_accounts(accounts: list[Account], opd_id: int, channel: Channel) -> list[int]:
    """The OPD's own account on that channel when it has one, else the city-wide one."""
    of_kind = [a for a in accounts if a.kind is channel]
    own = [a.id for a in of_kind if a.opd_id == opd_id]
    return own or [a.id for a in of_kind if a.opd_id is None]


def resolve_channels(session: Session, opd_id: int, value: str) -> tuple[list[int], list[int]]:
    accounts = usable_accounts(session, opd_id)
    account_ids: list[int] = []
    screen_ids: list[int] = []
    for token in (t.strip().lower() for t in value.split(",") if t.strip()):
        if token == Channel.VIDEOTRON.value:
            screen_ids += [s.id for s in usable_screens(session)]
            continue
        try:
            picked = _pick_accounts(accounts, opd_id, Channel(token))
        except ValueError:
            picked = []
        if not picked:
            raise ValidationFailed(f"Kanal '{token}' tidak tersedia untuk OPD ini.")
        account_ids += picked
    return account_ids, screen_ids
