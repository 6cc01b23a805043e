"""What every command-line group shares: one-line failures, the database, confirmations."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from db.engine import get_engine
from db.errors import SchemaTooNewError, describe
from domain.admin.access import AccessDenied
from domain.definitions.definition import DefinitionError


class CliError(Exception):
    """A failure the user can act on; printed as one line."""


@contextmanager
def failures_as_messages() -> Iterator[None]:
    try:
        yield
    except (ValidationError, SchemaTooNewError, SQLAlchemyError) as exc:
        # A bad DATABASE_URL, a newer schema, a lock or a lost server: one sentence.
        typer.echo(f"error: database: {describe(exc)}", err=True)
        raise typer.Exit(code=2) from None
    except (CliError, DefinitionError, FileNotFoundError, ValueError, LookupError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    except AccessDenied as exc:
        typer.echo(f"refused: {exc}", err=True)
        raise typer.Exit(code=1) from None


def open_engine() -> Engine:
    """The database, migrated, with the default definition published on a new one."""
    from data.seed import ensure_usable

    engine = get_engine()
    ensure_usable(engine)
    return engine


def confirm_destructive(what: str, *, yes: bool) -> None:
    """Go on only with --yes or a typed "y" at a terminal; a script without --yes stops.

    Without a terminal nobody can answer, so the command refuses instead of guessing.
    """
    if yes:
        return
    if not sys.stdin.isatty():
        raise CliError(f"{what}: no terminal to confirm at; add --yes to do it anyway")
    if not typer.confirm(f"{what}. Continue?", default=False):
        raise CliError("cancelled: nothing was changed")


def cli_actor() -> str:
    """Who runs the command, for the audit log: the operating-system account."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
