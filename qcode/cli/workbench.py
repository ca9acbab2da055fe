"""CLI command: ``qcode tui`` opens the coding workbench (also ``qcode`` without arguments)."""

from __future__ import annotations

from pathlib import Path

import click

from qcode.cli.app import main, project_option


@main.command("tui")
@project_option
@click.option("--coder", default="", help="Code under this name (created if new); default: ask.")
@click.option("--no-suggest", is_flag=True, help="Do not run the suggester when a document opens.")
def tui(project_dir: Path, coder: str, no_suggest: bool) -> None:
    """Open the coding workbench on a project (press ? inside for every key).

    \b
    Example:
        qcode tui --project mystudy --coder anna
        qcode            # the project in this folder
    """
    from qcode.tui.app import QcodeApp

    QcodeApp(project_dir, coder=coder, auto_suggest=not no_suggest).run()
