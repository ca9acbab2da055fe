"""CLI commands: projects and corpus (init, import, cases, show, metrics, demo, migrate)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qcode.cli.app import format_option, main, project_option
from qcode.cli.output import emit_frame, emit_json, emit_table

if TYPE_CHECKING:
    from qcode.services.project import Project


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--database", default="", help="SQLAlchemy URL (e.g. postgresql://user@host/db); default: SQLite in DIR.")
@click.option("--codebook", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Codebook YAML (default: Klikvoorhulp).")
def init_command(directory: Path, database: str, codebook: Path | None) -> None:
    """Create a project folder with its settings, database and codebook.

    \b
    Example:
        qcode init mystudy
        qcode init team --database postgresql://coder@db.example/klik
    """
    from qcode.services.project import init_project

    project = init_project(directory, database=database, codebook=codebook)
    click.echo(f"Created project in {directory} (database: {project.url}).")
    click.echo(f"Next: cd {directory} && qcode import PATH...")
    project.close()


@main.command("migrate")
@project_option
def migrate_command(project_dir: Path) -> None:
    """Apply pending database migrations (SQLite or PostgreSQL).

    \b
    Example:
        qcode migrate --project mystudy
    """
    from qcode.services.project import migrate_project

    before, after = migrate_project(project_dir)
    click.echo(f"Schema revision: {before or 'none'} -> {after}.")


@main.command("import")
@project_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["chat", "email-thread", "eml", "mbox", "csv", "jsonl"]), help="Force a format instead of sniffing it.")
@click.option("--case-manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="cases.csv: path, case_id, channel, date, case attributes.")
@click.option("--allow-personal-data", is_flag=True, help="Import files even if they seem to hold personal data.")
@click.option("--check-names", is_flag=True, help="Also look for person names (warnings; needs qcode[deid]).")
def import_command(
    project_dir: Path, paths: tuple[Path, ...], fmt: str | None, case_manifest: Path | None,
    allow_personal_data: bool, check_names: bool,
) -> None:
    """Import chat and e-mail exports (files or folders) into the project.

    Re-importing is safe: files already imported are skipped; changed files are reported.

    \b
    Example:
        qcode import exports/ --case-manifest exports/cases.csv
        qcode import chat-17.txt --format chat
        qcode import exports/ --check-names
    """
    from rich.progress import Progress

    from qcode.services.corpus import import_paths
    from qcode.services.project import open_project

    project = open_project(project_dir)
    if check_names:
        from qcode.transcripts.names import name_checker

        name_checker()  # refuse before importing when the library is missing
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("Importing", total=None)
        summary = import_paths(
            project,
            list(paths),
            fmt=fmt,
            manifest=case_manifest,
            allow_personal_data=allow_personal_data,
            on_plan=lambda n: progress.update(task, total=n),
            on_file=lambda _p: progress.advance(task),
        )
    click.echo(
        f"Files: {summary.files}, imported: {summary.imported}, cases: {len(summary.cases)}, "
        f"documents: {summary.documents}, utterances: {summary.utterances}, "
        f"skipped: {len(summary.skipped)}, changed: {len(summary.changed)}, errors: {len(summary.errors)}"
    )
    for line in summary.skipped + summary.changed:
        click.echo(f"  {line}")
    for line in summary.warnings:
        click.echo(f"  warning: {line}", err=True)
    for line in summary.errors:
        click.echo(f"  error: {line}", err=True)
    if check_names and summary.cases:
        _report_names(project, sorted(summary.cases), ())
    project.close()
    if summary.errors:
        sys.exit(1)


def _report_names(project: Project, cases: list[str] | None, ignore: tuple[str, ...]) -> int:
    from qcode.services.name_check import find_personal_names

    found = find_personal_names(project, cases, ignore)
    for line in found:
        click.echo(f"  warning: {line}", err=True)
    click.echo(f"Name check (Deduce): {len(found)} possible name(s) to look at.")
    return len(found)


@main.command("check-names")
@project_option
@click.argument("cases", nargs=-1)
@click.option("--ignore", multiple=True, help="A word that is not a name in this study (repeatable).")
def check_names_command(project_dir: Path, cases: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """Look for person names left in the stored transcripts (warnings, needs qcode[deid]).

    Uses the Deduce library's Dutch name lists and patterns; the study's placeholders (NAAM)
    and common false alarms are left out. Every finding is a warning to look at: names have
    no form a program can be sure of. Without CASES, every document is checked.

    \b
    Example:
        qcode check-names
        qcode check-names casus-03 --ignore Zon
    """
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    try:
        check_names(project, cases=cases)
        _report_names(project, list(cases) or None, ignore)
    finally:
        project.close()


@main.command("cases")
@project_option
@format_option("table", "csv", "json")
def cases_command(project_dir: Path, fmt: str) -> None:
    """List the cases with their number of chats and e-mail documents.

    \b
    Example:
        qcode cases --format csv > cases.csv
    """
    import pandas as pd

    from qcode.services.corpus import list_cases
    from qcode.services.project import open_project

    rows = list_cases(open_project(project_dir))
    frame = pd.DataFrame(
        [{"case": c.key, "chats": c.chats, "emails": c.emails, **c.attributes} for c in rows]
    )
    if frame.empty:
        click.echo("No cases yet. Import transcripts with: qcode import PATH")
        return
    emit_frame(frame, fmt, "Cases")


@main.command("show")
@project_option
@click.argument("key")
def show_command(project_dir: Path, key: str) -> None:
    """Show a case's documents, or one document, as turns with time and role.

    \b
    Example:
        qcode show casus-01
        qcode show casus-01/chat-2013-10-14
    """
    from qcode.services.corpus import resolve
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    check_names(project, cases_or_documents=[key])
    case, documents = resolve(project, key)
    if case is not None:
        attrs = ", ".join(f"{k}={v}" for k, v in case.attributes.items())
        click.echo(f"Case {case.key}" + (f" ({attrs})" if attrs else ""))
    for doc in documents:
        start = f"{doc.start:%Y-%m-%d %H:%M}" if doc.start else "date unknown"
        click.echo(f"\n== {doc.key}  [{doc.channel.value}, {start}, {len(doc.utterances)} utterances]")
        rows = []
        for u in doc.utterances:
            flags = ("!order " if u.out_of_order else "") + ("+wrap" if u.continued else "")
            when = f"{u.time:%d-%m %H:%M}" if u.time else ""
            rows.append([u.index + 1, when, u.role.value, u.speaker, u.text, flags.strip()])  # turns from 1
        emit_table(["turn", "time", "role", "speaker", "text", "flags"], rows)


@main.command("metrics")
@project_option
@click.argument("target", required=False)
@click.option("--all", "all_documents", is_flag=True, help="Every document (default when no TARGET).")
@click.option("--by", type=click.Choice(["document", "case"]), default="document", show_default=True)
@click.option("--wide", is_flag=True, help="With --by case: print every column (the default table fits 100 columns).")
@format_option("table", "csv", "json")
def metrics_command(project_dir: Path, target: str | None, all_documents: bool, by: str, wide: bool, fmt: str) -> None:
    """Conversation measures: utterances, words, duration, gaps, response times, dominance.

    TARGET is a document or a case; without it (or with --all) every document.
    The JSON form (per document) is documented in the README.

    \b
    Example:
        qcode metrics --all --format json > metrics.json
        qcode metrics casus-03 --by case
    """
    from qcode.services.metrics import metrics_records, metrics_table
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    key = None if all_documents else target
    check_names(project, cases_or_documents=[key] if key else ())
    if fmt == "json" and by == "document":
        emit_json(metrics_records(project, key))
        return
    frame = metrics_table(project, key, by)
    if by == "case" and fmt == "table":
        from qcode.cli.tables import case_measures_table, print_table

        shown, note = (frame, "") if wide else case_measures_table(frame)
        print_table(shown, "Measures per case", note, wide=wide)
        return
    emit_frame(frame, fmt, f"Measures per {by}")


@main.command("demo")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("qcode-demo"), show_default=True, help="The demo project's folder: reopened when it holds one, else built there.")
@click.option("--fresh", is_flag=True, help="Build a new demo project (in the next free qcode-demo-N) instead of reopening.")
@click.option("--no-tui", is_flag=True, help="Build the project and print a summary, do not open the workbench.")
def demo_command(directory: Path, fresh: bool, no_tui: bool) -> None:
    """Open the demo project built from the bundled sample corpus in the workbench.

    The first run builds it; later runs reopen it with your codings, until --fresh.

    \b
    Example:
        qcode demo
        qcode demo --fresh
        qcode demo --dir /tmp/try-qcode --no-tui
    """
    from qcode.services.demo import open_demo

    demo = open_demo(directory, fresh=fresh)
    project, folder, summary = demo.project, demo.folder, demo.summary
    if summary is None:
        click.echo(
            f"Reopened the existing demo project in {folder} (qcode demo --fresh builds a new one)."
        )
    else:
        if folder != directory and not fresh:
            click.echo(f"{directory} holds files that are not a qcode project; left as they are.")
        click.echo(
            f"Demo project in {folder}: {len(summary.cases)} cases, {summary.documents} documents, "
            f"{summary.utterances} utterances imported; automatic codes applied."
        )
        for line in summary.errors:
            click.echo(f"  error: {line}", err=True)
    project.close()
    if no_tui or not sys.stdin.isatty() or not sys.stdout.isatty():
        click.echo(f"Explore it: qcode cases --project {folder}; qcode metrics --project {folder}")
        return
    tui = main.get_command(click.get_current_context(), "tui")
    if tui is None:
        click.echo("The workbench is not available in this build.")
        return
    click.get_current_context().invoke(tui, project_dir=folder)
