"""CLI commands: export (CSV, XLSX, REFI-QDA .qdpx/.qdc) and REFI-QDA import."""

from __future__ import annotations

import os
from pathlib import Path

import click

from qcode.cli.app import main, project_option


@main.command("export")
@project_option
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "qdpx", "qdc"]), default="xlsx", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="Target file or folder (default: exports/ in the project).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--sep", default=",", show_default=True, help="CSV separator (use ';' for Dutch Excel).")
@click.option("--code", "codes", multiple=True, help="Only these codes (name or id).")
@click.option("--group", "groups", multiple=True, help="Only codes of these groups.")
@click.option("--coder", "coders", multiple=True, help="Only these coders ('consensus' for adjudicated codings). Tables default to the consensus if there is one.")
@click.option("--all-coders", is_flag=True, help="Tables: every coder's codings, mixed (each row says whose).")
@click.option("--headers", type=click.Choice(["readable", "names"]), default="readable", show_default=True,
              help="Tables: readable headers and the study's role labels (Hulpverlener, Hulpvrager), or the column names and role values scripts use.")
@click.option("--case", "cases", multiple=True, help="Only these cases.")
@click.option("--channel", "channels", multiple=True, type=click.Choice(["chat", "email"]), help="Only this channel.")
@click.option("--as", "viewer", default=lambda: os.environ.get("QCODE_CODER") or None, help="Who is exporting (blind projects).")
def export_command(
    project_dir: Path, fmt: str, out: Path | None, force: bool, sep: str, codes: tuple[str, ...],
    groups: tuple[str, ...], coders: tuple[str, ...], all_coders: bool, headers: str, cases: tuple[str, ...],
    channels: tuple[str, ...], viewer: str | None,
) -> None:
    """Export coded fragments: ATLAS.ti-like tables (CSV/XLSX) or REFI-QDA (.qdpx, .qdc).

    Tables: quotations (one row per coded fragment, with the case attributes, and a long
    form), code x document, code x case, co-occurrence, codebook, and a 0/1 code-presence
    matrix per case. Tables hold one set of codings: --coder, else the consensus if there is
    one; when several coders have codings and there is no consensus, say which (or
    --all-coders). REFI-QDA files carry every coder.

    \b
    Example:
        qcode export --format xlsx
        qcode export --format xlsx --coder anna --headers names
        qcode export --format csv --sep ';' --coder consensus --out exports/consensus
        qcode export --format qdpx --out exports/klik.qdpx
    """
    from qcode.services import exchange as exchange_service
    from qcode.services import tables as table_service
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    check_names(project, codes=codes, groups=groups, coders=coders, cases=cases)
    chosen = table_service.table_coders(project, coders, all_coders, viewer) if fmt in ("csv", "xlsx") else (list(coders) or None)
    flt = table_service.ExportFilter(
        codes=codes or None, groups=groups or None, coders=chosen, cases=cases or None, channels=channels or None
    )
    if fmt in ("csv", "xlsx"):
        from qcode.export.display import AS_NAMES, for_people

        display = for_people() if headers == "readable" else AS_NAMES
        summary = table_service.export_tables(project, fmt, out, sep=sep, force=force, flt=flt, viewer=viewer, display=display)
        if not coders:
            click.echo(f"Codings of: {', '.join(chosen) if chosen else 'every coder'}")
    elif fmt == "qdpx":
        summary = exchange_service.export_qdpx(project, out, force=force, flt=flt, viewer=viewer)
    else:
        summary = exchange_service.export_qdc(project, out, force=force)
    for path in summary.paths:
        click.echo(f"Wrote {path}")
    click.echo(", ".join(f"{name}: {n}" for name, n in summary.counts.items()))


def _echo_mapping(lines: list[str], dry_run: bool) -> None:
    """The code mapping: every line with --dry-run, else only the codes that are new."""
    shown = lines if dry_run else [line for line in lines if "-> new code" in line]
    if shown:
        click.echo("Codes (incoming -> project):" if dry_run else "New codes:")
    limit = len(shown) if dry_run else 10
    for line in shown[:limit]:
        click.echo(f"  {line}")
    if len(shown) > limit:
        click.echo(f"  ... and {len(shown) - limit} more (--dry-run lists every code)")


@main.command("import-qdpx")
@project_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be imported and how codes are matched; store nothing.")
def import_qdpx_command(project_dir: Path, path: Path, dry_run: bool) -> None:
    """Import a REFI-QDA project (.qdpx or .qde) from ATLAS.ti, MAXQDA, NVivo or QualCoder.

    Incoming codes are matched to the project's codes by GUID, then by name within the
    group; --dry-run shows that mapping and stores nothing. One line per kind of content
    qcode cannot hold says how much was left out.

    \b
    Example:
        qcode import-qdpx --dry-run ~/Downloads/studie.qdpx
        qcode import-qdpx ~/Downloads/studie.qdpx
    """
    from qcode.services.exchange import import_qdpx
    from qcode.services.project import open_project

    report = import_qdpx(open_project(project_dir), path, dry_run=dry_run)
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {report.documents} documents, {report.codings} codings, {report.codes_added} new codes "
        f"({report.codes_matched} matched to the project's codes), {report.memos} memos."
    )
    if report.rebuilt_turns:
        click.echo(f"  turns of {report.rebuilt_turns} documents rebuilt from the speaker codings (no 'qcode metadata' note)")
    _echo_mapping(report.mapping, dry_run)
    for key in report.skipped_documents:
        click.echo(f"  skipped (already in the project): {key}")
    for name in report.missing_sources:
        click.echo(f"  missing source (text not in the file): {name}", err=True)
    for line in report.warnings:
        click.echo(f"  warning: {line}", err=True)
    for line in report.summary:
        click.echo(f"  {line}", err=True)
    if dry_run:
        click.echo("Dry run: nothing was stored.")


@main.command("import-codebook")
@project_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show how the codes would be matched; store nothing.")
def import_codebook_command(project_dir: Path, path: Path, dry_run: bool) -> None:
    """Import a REFI-QDA codebook (.qdc); codes the project has already are matched, not doubled.

    A code is the project's code with the same GUID, else with the same name in the same
    group. qcode's speaker group 'Sprekers' is never imported as codes.

    \b
    Example:
        qcode import-codebook --dry-run codebook.qdc
        qcode import-codebook codebook.qdc
    """
    from qcode.services.exchange import import_codebook
    from qcode.services.project import open_project

    report = import_codebook(open_project(project_dir), path, dry_run=dry_run)
    verb = "would be added" if dry_run else "added"
    click.echo(f"Codebook: {report.codes_added} codes {verb}, {report.codes_matched} matched to the project's codes.")
    _echo_mapping(report.mapping, dry_run)
    if dry_run:
        click.echo("Dry run: nothing was stored.")
