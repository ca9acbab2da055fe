"""CLI commands: team projects (copy-project). ``init --database`` and ``migrate`` live in
``qcode.cli.project``."""

from __future__ import annotations

from pathlib import Path

import click

from qcode.cli.app import main, project_option
from qcode.cli.output import emit_table


@main.command("copy-project")
@project_option
@click.option("--to", "to_url", required=True, help="URL of an EMPTY database: postgresql://user@host/db or sqlite:///path.")
@click.option("--no-switch", is_flag=True, help="Only copy; keep the project on its current database.")
def copy_project_command(project_dir: Path, to_url: str, no_switch: bool) -> None:
    """Copy the whole project to another database (SQLite <-> PostgreSQL) and verify it.

    Every table is copied with its ids, then checked by row count and checksum. Unless
    --no-switch, the project then uses the copy. The password is never stored: put it in
    PGPASSWORD or ~/.pgpass.

    \b
    Example:
        PGPASSWORD=... qcode copy-project --to postgresql://anna@db.example/klik
        qcode copy-project --to sqlite:///archive/klik.sqlite3 --no-switch
    """
    from qcode.services.team import copy_project

    report = copy_project(project_dir, to_url, switch=not no_switch)
    rows = [[c.table, c.source_rows, c.target_rows, c.target_sha256[:12], "ok" if c.ok else "MISMATCH"] for c in report.tables]
    emit_table(["table", "rows", "copied", "sha256", "check"], rows)
    click.echo(f"Copied {report.source} -> {report.target}: {len(rows)} tables verified.")
    if report.switched:
        shown = report.setting or "the SQLite file in the project folder"
        click.echo(f"The project now uses {shown} (qcode.toml updated).")
        if report.overridden:
            click.echo("Note: QCODE_DATABASE_URL is set and overrides qcode.toml.", err=True)
    else:
        click.echo("The project still uses its old database (--no-switch).")
