"""CLI command: the results report (report.html, report.xlsx, report.json)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from qcode.cli.analysis import _attributes  # the one --where parser
from qcode.cli.app import main, project_option


@main.command("report")
@project_option
@click.option("--coder", help="Whose codings count: a coder or 'consensus' (default: the consensus if there is one, else the only coder, else all coders). The automatic codes always count.")
@click.option("--where", multiple=True, help="Only cases with this attribute value, e.g. --where leeftijdsgroep=13-16 (repeatable).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder for the three files (default: a new exports/report-<time>/).")
@click.option("--force", is_flag=True, help="Overwrite report files already in --out.")
@click.option("--bootstrap", type=int, default=1000, show_default=True, help="Bootstrap samples for alpha's interval in the agreement section.")
@click.option("--as", "viewer", default=lambda: os.environ.get("QCODE_CODER") or None, help="Who is asking (blind projects; default $QCODE_CODER).")
def report_command(
    project_dir: Path, coder: str | None, where: tuple[str, ...], out: Path | None, force: bool,
    bootstrap: int, viewer: str | None,
) -> None:
    """The study's results in one go: report.html (charts embedded, opens offline, prints),
    report.xlsx (one sheet per table) and report.json (every figure).

    Sections: corpus, size and time, codes, phases, sequences, agreement, method
    (see docs/report.md).

    \b
    Example:
        qcode report
        qcode report --coder consensus --out results/
        qcode report --where leeftijdsgroep=13-16 --out results-13-16/
    """
    from qcode.services.names import check_names
    from qcode.services.project import open_project
    from qcode.services.report import ReportOptions, write_report

    project = open_project(project_dir)
    check_names(project, coders=[coder] if coder else [])
    options = ReportOptions(coder=coder, where=_attributes(where) or None, bootstrap=bootstrap, viewer=viewer)
    files = write_report(project, out, options, force=force)
    click.echo(f"Report written:\n  {files.html}\n  {files.xlsx}\n  {files.json}")
