"""`siaran player`: the kiosk browser on a videotron's PC (see
publishers/videotron/feed/launcher.py and docs/videotron-player.md). It needs no database:
only the feed's address and the screen's key, which PPID Utama issues (the Videotron page, or
`siaran player-key --as USER` on the server)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from content.playlist import issue_player_key
from publishers.videotron.feed.launcher import (
    DEFAULT_CHROMIUM,
    Placement,
    Supervisor,
    kiosk_argv,
    origin_of,
    player_url,
)
from siaran.cli.context import App, as_option, emit, json_option, pass_app
from siaran.cli.errors import fail

KEY_ENV = "SIARAN_PLAYER_KEY"


def _default_profile(screen: str) -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "siaran" / "player" / screen


def _key(key_file: Path | None) -> str:
    if key_file is not None:
        try:
            return key_file.read_text(encoding="utf-8").strip()
        except OSError:
            fail(f"Berkas kunci pemutar '{key_file}' tidak dapat dibaca.", 2)
    return os.environ.get(KEY_ENV, "").strip()


@click.command("player")
@click.option("--screen", required=True, metavar="SLUG", help="The screen, e.g. bekasi-timur.")
@click.option("--feed", required=True, metavar="URL", help="The feed, e.g. http://10.0.0.5:8600.")
@click.option(
    "--key-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"File holding the screen's player key (or set {KEY_ENV}).",
)
@click.option(
    "--window",
    metavar="WxH+X+Y",
    help="Pixel-exact window placement: the LED controller's input, e.g. 1408x400+0+0.",
)
@click.option(
    "--profile",
    type=click.Path(path_type=Path, file_okay=False),
    help="Chromium profile directory (kept between starts; default under ~/.local/state).",
)
@click.option(
    "--chromium",
    type=click.Path(path_type=Path, dir_okay=False),
    default=str(DEFAULT_CHROMIUM),
    show_default=True,
    help="The browser to start.",
)
@click.option("--headless", is_flag=True, help="Without a window (tests, diagnostics).")
@click.option(
    "--chromium-flag", "extra", multiple=True, metavar="FLAG", help="One more flag for Chromium."
)
def player(
    screen: str,
    feed: str,
    key_file: Path | None,
    window: str | None,
    profile: Path | None,
    chromium: Path,
    headless: bool,
    extra: tuple[str, ...],
) -> None:
    """Start the screen's player in Chromium kiosk mode and restart it whenever it exits."""
    try:
        origin = origin_of(feed)
        placement = Placement.parse(window) if window else None
    except ValueError as exc:
        fail(str(exc), 2)
    if not chromium.is_file():
        fail(f"Chromium tidak ditemukan di {chromium}: apt-get install chromium.", 2)
    key = _key(key_file)
    if not key:
        click.echo(
            "siaran: tanpa kunci pemutar layar ini tetap tayang, tetapi laporan tayang ditolak.",
            err=True,
        )
    profile = profile or _default_profile(screen)
    argv = kiosk_argv(
        chromium,
        profile,
        player_url(feed, screen, key),
        origin,
        placement=placement,
        headless=headless,
        extra=extra,
    )
    Supervisor(argv, profile, say=lambda line: click.echo(line, err=True)).run()


@click.command("player-key")
@click.option("--screen", required=True, metavar="SLUG", help="The screen the key is for.")
@click.option("--label", default="", help="Which PC holds it, e.g. 'PC LED Bekasi Timur'.")
@as_option
@json_option
@pass_app
def player_key(app: App, screen: str, label: str, username: str, as_json: bool) -> None:
    """Issue a player key for a screen (shown once; give it to the launcher on the screen's PC)."""
    with app.transaction() as session:
        row, key = issue_player_key(session, app.actor(session, username), screen, label=label)
        key_id = row.id
    emit(
        {"id": key_id, "screen": screen, "key": key},
        as_json,
        f"Kunci pemutar #{key_id} untuk layar {screen} (simpan sekarang; tidak ditampilkan lagi):"
        f"\n{key}",
    )
