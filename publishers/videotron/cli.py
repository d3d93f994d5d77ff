"""`siaran slide render`: one slide to a file, for a given photo, headline and wall size.

Registered by siaran.cli (`cli.add_command(slide)`); runs without a database.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import NoReturn

import click

from content.infra.errors import DomainError, ValidationFailed
from content.infra.store import sha256_hex
from content.org.screens import parse_size
from publishers.videotron.render import Format, render_slide

_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,x×]\s*(-?\d+(?:\.\d+)?)\s*$")


def _fail(message: str, code: int) -> NoReturn:
    # The same shape as the rest of siaran: one sentence on stderr, no traceback.
    click.echo(f"siaran: {message}", err=True)
    sys.exit(code)


def _pair(text: str, what: str) -> tuple[float, float]:
    match = _PAIR.match(text)
    if not match:
        raise ValidationFailed(f"{what} '{text}' tidak dikenali; tulis seperti 0,0.")
    return float(match.group(1)), float(match.group(2))


def _format_for(out: Path, wanted: str) -> Format:
    if wanted != "auto":
        return "png" if wanted == "png" else "jpeg"
    suffix = out.suffix.lower()
    if suffix == ".png":
        return "png"
    if suffix in {".jpg", ".jpeg"}:
        return "jpeg"
    return "auto"


@click.group("slide")
def slide() -> None:
    """Videotron slides."""


@slide.command("render")
@click.argument("photo", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("headline")
@click.option("--size", required=True, metavar="WxH", help="Wall size in pixels, e.g. 1408x400.")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File."
)
@click.option("--opd", default=None, help="OPD name shown under the headline.")
@click.option("--date", "date_text", default=None, help="Date text, e.g. '24 November 2026'.")
@click.option("--qr", "qr_url", default=None, metavar="URL", help="QR code to this address.")
@click.option("--offset", default=None, metavar="X,Y", help="Position inside --canvas.")
@click.option("--canvas", default=None, metavar="WxH", help="The controller's whole input.")
@click.option("--distance", type=float, default=None, help="Viewing distance in metres.")
@click.option("--pitch", type=float, default=None, help="LED pixel pitch in millimetres.")
@click.option("--focus", default=None, metavar="X,Y", help="Photo focal point, 0–1 each.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "png", "jpeg"]),
    default="auto",
    help="Output format (auto: from --out, else PNG for small walls, JPEG otherwise).",
)
@click.option("--json", "as_json", is_flag=True, help="Print data as JSON.")
def render(  # noqa: PLR0917 - click hands every option to the function
    photo: Path,
    headline: str,
    size: str,
    out: Path,
    opd: str | None,
    date_text: str | None,
    qr_url: str | None,
    offset: str | None,
    canvas: str | None,
    distance: float | None,
    pitch: float | None,
    focus: str | None,
    fmt: str,
    as_json: bool,
) -> None:
    """Render one slide from PHOTO and HEADLINE to a file."""
    try:
        width, height = parse_size(size)
        where = _pair(offset, "Posisi") if offset else (0.0, 0.0)
        data = render_slide(
            photo,
            headline,
            size=(width, height),
            opd=opd,
            date=date_text,
            qr_url=qr_url,
            offset=(int(where[0]), int(where[1])),
            canvas=parse_size(canvas) if canvas else None,
            viewing_distance_m=distance,
            pixel_pitch_mm=pitch,
            focus=_pair(focus, "Titik fokus") if focus else (0.5, 0.5),
            format=_format_for(out, fmt),
        )
        out.write_bytes(data)
    except DomainError as exc:
        _fail(exc.message, exc.exit_code)
    except OSError as exc:
        _fail(f"Berkas '{out}' tidak dapat ditulis: {exc.strerror or exc}.", 12)
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    info = {"file": str(out), "sha256": sha256_hex(data), "format": kind, "bytes": len(data)}
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{out} ({kind}, {len(data)} byte, sha256 {info['sha256']})")
