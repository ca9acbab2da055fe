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


@main.command("keys")
@project_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
    help="text: one screen, by screen; markdown: tables with the binding ids, for printing.",
)
@click.option("--width", type=click.IntRange(min=60), default=None, help="Text width (default: the terminal's, at most 100).")
def keys_command(project_dir: Path, fmt: str, width: int | None) -> None:
    """Print the workbench's keyboard reference, with this project's own remappings.

    Remapped keys come from qcode.toml ([keys] "binding.id" = "key"); the code hotkeys from
    the project's codebook. Outside a project folder it prints the defaults.

    \b
    Example:
        qcode keys
        qcode keys --format markdown > keys.md
    """
    import difflib
    import shutil

    from qcode.tui.keys_reference import as_markdown, as_text, binding_rows

    keymap: dict[str, str] = {}
    codebook = None
    if (project_dir / "qcode.toml").is_file():
        from qcode.services import codebook as codebook_service
        from qcode.services.project import open_project

        project = open_project(project_dir)
        try:
            keymap = dict(project.settings.keys)
            codebook = codebook_service.codebook(project)
        finally:
            project.close()
    rows = binding_rows(keymap, codebook)
    known = sorted({r.binding_id for r in rows if r.binding_id})
    for binding_id in sorted(set(keymap) - set(known)):
        close = difflib.get_close_matches(binding_id, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        click.echo(f"qcode.toml [keys]: '{binding_id}' is not a binding id{hint}; it has no effect.", err=True)
    if fmt == "markdown":
        click.echo(as_markdown(rows), nl=False)
        return
    click.echo(as_text(rows, width or min(shutil.get_terminal_size().columns, 100)), nl=False)
