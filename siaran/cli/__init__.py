"""`siaran`: the operations surface. Commands are thin: the services in content/ decide."""

from __future__ import annotations

import click

from content.infra.filemodes import private_umask
from publishers.videotron.cli import slide
from siaran import __version__
from siaran.cli import admin, monev, player, posts, run
from siaran.cli.errors import SiaranGroup


@click.group(cls=SiaranGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="siaran")
def cli() -> None:
    """Siaran: publication manager of the Pemerintah Kota Bekasi information office."""


for command in (
    admin.init,
    admin.demo,
    admin.user,
    admin.opd,
    admin.account,
    admin.secrets_group,
    admin.screen,
    admin.dik,
    posts.post,
    posts.import_,
    posts.check,
    monev.monev_group,
    slide,
    player.player,
    player.player_key,
    run.up,
    *run.PART_COMMANDS,
):
    cli.add_command(command)


def main() -> None:
    private_umask()  # what any command creates (database, exports, renders) is the owner's alone
    cli(prog_name="siaran")
