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
@click.option("--coder", "coders", multiple=True, help="Only these coders ('consensus' for adjudicated codings).")
@click.option("--case", "cases", multiple=True, help="Only these cases.")
@click.option("--channel", "channels", multiple=True, type=click.Choice(["chat", "email"]), help="Only this channel.")
@click.option("--as", "viewer", default=lambda: os.environ.get("QCODE_CODER") or None, help="Who is exporting (blind projects).")
def export_command(
    project_dir: Path, fmt: str, out: Path | None, force: bool, sep: str, codes: tuple[str, ...],
    groups: tuple[str, ...], coders: tuple[str, ...], cases: tuple[str, ...], channels: tuple[str, ...], viewer: str | None,
) -> None:
    """Export coded fragments: ATLAS.ti-like tables (CSV/XLSX) or REFI-QDA (.qdpx, .qdc).

    Tables: quotations (one row per coded fragment, and a long form), code x document,
    code x case, co-occurrence, codebook, and a 0/1 code-presence matrix per case.

    \b
    Example:
        qcode export --format xlsx
        qcode export --format csv --sep ';' --coder consensus --out exports/consensus
        qcode export --format qdpx --out exports/klik.qdpx
    """
    from qcode.services import exports
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    check_names(project, codes=codes, groups=groups, coders=coders, cases=cases)
    flt = exports.ExportFilter(
        codes=codes or None, groups=groups or None, coders=coders or None, cases=cases or None, channels=channels or None
    )
    if fmt in ("csv", "xlsx"):
        summary = exports.export_tables(project, fmt, out, sep=sep, force=force, flt=flt, viewer=viewer)
    elif fmt == "qdpx":
        summary = exports.export_qdpx(project, out, force=force, flt=flt, viewer=viewer)
    else:
        summary = exports.export_qdc(project, out, force=force)
    for path in summary.paths:
        click.echo(f"Wrote {path}")
    click.echo(", ".join(f"{name}: {n}" for name, n in summary.counts.items()))


@main.command("import-qdpx")
@project_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_qdpx_command(project_dir: Path, path: Path) -> None:
    """Import a REFI-QDA project (.qdpx or .qde) from ATLAS.ti, MAXQDA, NVivo or QualCoder.

    \b
    Example:
        qcode import-qdpx ~/Downloads/studie.qdpx
    """
    from qcode.services.exports import import_qdpx
    from qcode.services.project import open_project

    report = import_qdpx(open_project(project_dir), path)
    click.echo(
        f"Imported {report.documents} documents, {report.codings} codings, {report.codes_added} new codes"
        f", {report.memos} memos."
    )
    for key in report.skipped_documents:
        click.echo(f"  skipped (already in the project): {key}")
    for name in report.missing_sources:
        click.echo(f"  missing source (text not in the file): {name}", err=True)
    for line in report.warnings:
        click.echo(f"  warning: {line}", err=True)


@main.command("import-codebook")
@project_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_codebook_command(project_dir: Path, path: Path) -> None:
    """Import a REFI-QDA codebook (.qdc).

    \b
    Example:
        qcode import-codebook codebook.qdc
    """
    from qcode.services.exports import import_codebook
    from qcode.services.project import open_project

    added, updated = import_codebook(open_project(project_dir), path)
    click.echo(f"Codebook imported: {added} codes added, {updated} updated.")
