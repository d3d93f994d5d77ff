"""Turning failures into one sentence on stderr and an exit code, never a traceback."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click
from sqlalchemy.exc import DBAPIError, OperationalError

from content.infra.errors import DomainError


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"siaran: {message}", err=True)
    sys.exit(code)


class SiaranGroup(click.Group):
    """A group whose commands report domain and database errors as one sentence."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DomainError as exc:
            fail(exc.message, exc.exit_code)
        except OperationalError as exc:
            fail(f"Basis data tidak dapat dihubungi ({_first_line(exc)}).", 10)
        except DBAPIError as exc:
            fail(f"Basis data menolak perintah ini ({_first_line(exc)}).", 11)
        except OSError as exc:
            fail(f"Berkas atau jaringan tidak dapat dipakai: {exc.strerror or exc}.", 12)


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
