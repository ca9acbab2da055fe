"""The click group every command module attaches to, and error translation.

Command modules import :data:`main` and decorate their commands onto it; ``qcode.cli``
imports them all so registration happens once. A :class:`~qcode.errors.QcodeError` becomes a
clean message and exit status 1, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from qcode.config import scrub_secrets
from qcode.errors import QcodeError

F = TypeVar("F", bound=Callable[..., Any])


class UnknownName(click.ClickException):
    """A name the project does not have: a usage error, so exit status 2 as click's own."""

    exit_code = 2


class QcodeGroup(click.Group):
    """A group that turns qcode errors into messages and opens the workbench without args."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QcodeError as error:
            title = f"{error.title}: " if error.title else ""
            # The last guard for database passwords: none may reach the screen, in any form.
            message = scrub_secrets(f"{title}{error.message}")
            if getattr(error, "exit_code", 1) == 2:
                raise UnknownName(message) from error
            raise click.ClickException(message) from error


@click.group(cls=QcodeGroup, invoke_without_command=True)
@click.version_option(package_name="qcode")
@click.pass_context
def main(ctx: click.Context) -> None:
    """qcode: code anonymised counselling chats and e-mails, compute what they show.

    Run without a command to open the coding workbench on the project in this folder.

    \b
    Example:
        qcode demo            # build a project from the sample corpus and open it
        qcode init mystudy && cd mystudy && qcode import ../exports/
    """
    # Files qcode creates (database, exports) are private to the user.
    os.umask(0o077)
    if ctx.invoked_subcommand is None:
        tui = main.get_command(ctx, "tui")
        if tui is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(tui)


def project_option(func: F) -> F:
    """``--project DIR`` (default: the current folder) for every command that uses a project."""
    return click.option(
        "--project",
        "-p",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default="current folder",
        help="Project folder (holds qcode.toml).",
    )(func)


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    """``--format`` with the given choices."""

    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(list(choices)),
            default=default,
            show_default=True,
            help="Output format.",
        )(func)

    return decorate


