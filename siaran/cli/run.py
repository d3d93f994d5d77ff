"""Starting the long-running parts: each alone, or all together with `siaran up`."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

import click

from content.infra.config import Settings
from content.infra.filemodes import looseness_warning
from siaran.cli.context import App, pass_app
from siaran.cli.errors import fail


@dataclass(frozen=True)
class Part:
    name: str
    # Provides run(settings) -> None; imported only when started, so that `siaran worker` does
    # not load Streamlit and `siaran dashboard` does not load the platform SDKs.
    module: str
    wanted: Callable[[App], bool] = lambda app: True


def _uses_simulator(app: App) -> bool:
    from sqlalchemy import select

    from content.models import Account

    with app.transaction() as session:
        return (
            session.scalar(select(Account.id).where(Account.is_simulator, Account.active))
            is not None
        )


PARTS = (
    Part("dashboard", "dashboard.launch"),
    Part("worker", "scheduler.worker"),
    Part("feed", "publishers.videotron.feed.server"),
    Part("simulator", "publishers.simulator.server", _uses_simulator),
)


_MODES_CHECKED = "SIARAN_MODES_CHECKED"  # set by `up`, so its parts do not warn four times


def _warn_if_loose(settings: Settings) -> None:
    if os.environ.get(_MODES_CHECKED):
        return
    warning = looseness_warning(settings)
    if warning:
        click.echo(f"siaran: {warning}", err=True)


def _run_part(part: Part, settings: Settings) -> None:
    _warn_if_loose(settings)
    runner: Callable[[Settings], None] = importlib.import_module(part.module).run
    runner(settings)


def _part_command(part: Part) -> click.Command:
    @click.command(part.name, help=f"Start the {part.name} alone.")
    @pass_app
    def command(app: App) -> None:
        _run_part(part, app.settings)

    return command


PART_COMMANDS = [_part_command(p) for p in PARTS]


@click.command()
@pass_app
def up(app: App) -> None:
    """Start every part (dashboard, worker, feed, simulator when needed); Ctrl-C stops all."""
    app.require_schema()
    chosen = [p for p in PARTS if p.wanted(app)]
    if not chosen:
        fail("Belum ada bagian yang dapat dijalankan.", 2)
    _warn_if_loose(app.settings)
    os.environ[_MODES_CHECKED] = "1"
    children = {p.name: _spawn(p.name) for p in chosen}
    click.echo(
        "Berjalan: "
        + ", ".join(children)
        + f" (dasbor: http://{app.settings.host}:{app.settings.dashboard_port})"
    )
    stopping = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping and all(c.poll() is None for c in children.values()):
        time.sleep(0.5)
    _stop_all(children)
    failed = [
        n for n, c in children.items() if c.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)
    ]
    if failed and not stopping:
        fail("Berhenti karena bagian ini keluar: " + ", ".join(failed) + ".", 1)


def _spawn(name: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "siaran", name])  # noqa: S603 - fixed argv


def _stop_all(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 15
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
