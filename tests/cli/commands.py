"""Every command of the CLI, for the tests that check each command's help."""

from __future__ import annotations

import click


def cli_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every command under ``group`` with its full name ("codes rename")."""
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.extend(cli_commands(command, f"{prefix}{name} "))
        else:
            found.append((f"{prefix}{name}", command))
    return found
