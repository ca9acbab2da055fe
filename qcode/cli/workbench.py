"""CLI command: ``qcode tui`` opens the coding workbench (also ``qcode`` without arguments)."""

from __future__ import annotations

from pathlib import Path

import click

from qcode.cli.app import main, project_option


@main.command("tui")
@project_option
@click.option("--coder", default="", help="Code under this registered name; default: pick one (or add one) in the workbench.")
@click.option("--no-suggest", is_flag=True, help="Do not run the suggester when a document opens.")
def tui(project_dir: Path, coder: str, no_suggest: bool) -> None:
    """Open the coding workbench on a project (press ? inside for every key).

    \b
    Example:
        qcode tui --project mystudy --coder anna
        qcode            # the project in this folder
    """
    from qcode.services.names import require_registered_coder
    from qcode.services.project import open_project
    from qcode.tui.app import QcodeApp

    if coder:  # a typo must not start a second identity (register with qcode coders --add)
        project = open_project(project_dir)
        try:
            require_registered_coder(project, coder)
        finally:
            project.close()
    QcodeApp(project_dir, coder=coder, auto_suggest=not no_suggest).run()
