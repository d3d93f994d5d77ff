"""`siaran monev report`: compute every OPD's Monev score (three parts) and write the XLSX (and,
with `--pdf`, the "Laporan Monev" PDF);
`siaran monev register-import`: import an OPD's register of information requests."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from content import monev
from content.monev.pdf import pdf_bytes
from content.monev.register import import_register
from content.monev.report import workbook_bytes
from content.org.actors import SYSTEM
from siaran.cli.context import App, as_option, emit, json_option, pass_app


@click.group("monev")
def monev_group() -> None:
    """Monev media-management scores."""


@monev_group.command("report")
@click.option("--period", required=True, help="2026-11 (month), 2026-Q4 (quarter) or 2026 (year).")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="XLSX file to write (default: monev-PERIOD.xlsx).",
)
@click.option(
    "--pdf",
    "pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the Laporan Monev PDF (cover, leaderboard, one page per OPD) to this file.",
)
@click.option("--as", "username", default=None, metavar="USER", help="Limit to what USER may see.")
@json_option
@pass_app
def report(
    app: App,
    period: str,
    out: Path | None,
    pdf: Path | None,
    username: str | None,
    as_json: bool,
) -> None:
    """Compute the scores of a period and write the workbook (summary, parts, posts, config)
    and, with --pdf, the report for the Wali Kota."""
    parsed = monev.parse_period(period)
    config = monev.load(app.settings)
    with app.transaction() as session:
        actor = app.actor(session, username) if username else SYSTEM
        result = monev.compute(session, actor, parsed, config)
    target = out or Path(f"monev-{parsed.key}.xlsx")
    target.write_bytes(workbook_bytes(result))
    if pdf is not None:
        pdf.write_bytes(pdf_bytes(result))
    rows = [
        {
            "opd": s.facts.slug,
            "total": s.total,
            "qualification": s.qualification,
            "sections": {
                sec.name: None if sec.score is None else round(sec.score, 1) for sec in s.sections
            },
            "parts": {p.name: round(p.score, 1) for p in s.parts},
        }
        for s in result.scores
    ]
    lines = [f"{r['opd']:<22} {r['total']:>5}  {r['qualification']}" for r in rows]
    lines.append(f"Ditulis ke {target}" + (f" dan {pdf}" if pdf is not None else ""))
    payload = {"period": parsed.key, "file": str(target), "scores": rows}
    if pdf is not None:
        payload["pdf"] = str(pdf)
    emit(payload, as_json, "\n".join(lines))


@monev_group.command("register-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
@json_option
@pass_app
def register_import(app: App, file: Path, username: str, as_json: bool) -> None:
    """Import information requests (CSV or XLSX) into the PPID register; bad rows reported
    with their row number, good rows kept."""
    config = monev.load(app.settings)
    with app.transaction() as session:
        actor = app.actor(session, username)
        result = import_register(session, actor, file, config)
    data = {
        "imported": result.request_ids,
        "errors": [{"row": e.row, "message": e.message} for e in result.errors],
    }
    lines = [f"{len(result.request_ids)} permohonan tercatat, {len(result.errors)} baris ditolak."]
    lines += [f"  baris {e.row}: {e.message}" for e in result.errors]
    emit(data, as_json, "\n".join(lines))
    if result.errors and not result.request_ids:
        sys.exit(1)
