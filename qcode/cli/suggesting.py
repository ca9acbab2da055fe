"""CLI commands: suggestions (project workflow and JSONL scripting) and their evaluation."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from qcode.cli.app import F, format_option, main, project_option


def engine_options(func: F) -> F:
    """``--model`` and ``--rules``: which pipeline and which rules folder the suggester uses."""
    func = click.option(
        "--rules",
        "rules_dir",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=None,
        help="Rules folder (default: the Klikvoorhulp rules).",
    )(func)
    return click.option(
        "--model", "model_setting", default=None, help="spaCy pipeline name or folder (default: see README)."
    )(func)


@main.command("suggest")
@project_option
@click.option("--case", "cases", multiple=True, help="Only the documents of these cases (project mode).")
@click.option("--document", "documents", multiple=True, help="Only these documents (project mode).")
@click.option(
    "--input",
    "input_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="JSONL file of utterances ({id, speaker, text}); '-' reads standard input.",
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, allow_dash=True, writable=True),
    default="-",
    show_default="standard output",
    help="Where to write one JSON line of suggestions per input line.",
)
@click.option(
    "--experimental",
    is_flag=True,
    help="Also suggest the codes below the precision bar, labelled 'experimental'.",
)
@engine_options
def suggest_command(
    project_dir: Path, cases: tuple[str, ...], documents: tuple[str, ...],
    input_path: str | None, output_path: str, experimental: bool, model_setting: str | None,
    rules_dir: Path | None
) -> None:
    """Suggest codes with the Dutch spaCy pipeline: for the project's documents (stored, to
    accept or reject with `qcode suggestions`), or for a JSONL file of utterances.

    Without --input, runs over the project (all documents, or --case / --document); documents
    already done by the same rules are skipped. With --input, reads {id, speaker, text} lines
    (optionally channel, time and document: lines of one document are each other's context)
    and writes one line of suggestions per input, touching no project.

    \b
    Example:
        qcode suggest                         # the whole project
        qcode suggest --case casus-03
        echo '{"id": "1", "speaker": "counsellor", "text": "Klopt dat?"}' | qcode suggest --input -
    """
    from qcode.services.suggestions import pipeline_description, suggest_jsonl

    if input_path is None:
        suggest_project(project_dir, cases, documents, model_setting, rules_dir, experimental)
        return
    rows_of = None
    if (project_dir / "qcode.toml").is_file():  # inside a project: rules plus its learned model
        from qcode.services.learning import active_model, jsonl_rows
        from qcode.services.project import open_project

        project = open_project(project_dir)
        model_setting = model_setting or project.settings.spacy_model or None
        learned = active_model(project, experimental)
        rows_of = jsonl_rows(learned)
        if learned:
            click.echo(f"Learned model {learned.version} of project {project_dir}.", err=True)
    click.echo(f"Dutch spaCy pipeline: {pipeline_description(model_setting, 'set with --model')}", err=True)
    source = "<stdin>" if input_path == "-" else input_path
    with click.open_file(input_path, "r", encoding="utf-8") as handle, click.open_file(
        output_path, "w", encoding="utf-8"
    ) as out:
        suggest_jsonl(
            handle, out, model_setting, rules_dir, source=source, experimental=experimental, rows_of=rows_of
        )


@main.command("evaluate-suggestions")
@click.argument("gold", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@format_option("table", "json")
@engine_options
def evaluate_command(
    gold: Path, fmt: str, model_setting: str | None, rules_dir: Path | None
) -> None:
    """Compare suggestions with a labelled JSONL file: precision, recall and F1 per code.

    \b
    Example:
        qcode evaluate-suggestions tests/suggest/gold.jsonl --format json
    """
    from qcode.services.suggestions import evaluate_gold, score_rows

    rows = list(score_rows(evaluate_gold(gold, model_setting, rules_dir)))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("code", "tp", "fp", "fn", "precision", "recall", "F1")
    for row in rows:
        table.add_row(
            str(row["code"]), str(row["tp"]), str(row["fp"]), str(row["fn"]),
            f"{row['precision']:.2f}", f"{row['recall']:.2f}", f"{row['f1']:.2f}",
        )
    Console(file=sys.stdout, width=120).print(table)


def suggest_project(
    project_dir: Path,
    cases: tuple[str, ...],
    documents: tuple[str, ...],
    model_setting: str | None = None,
    rules_dir: Path | None = None,
    experimental: bool = False,
) -> None:
    """``qcode suggest`` without --input: suggest for the project's documents and store them."""
    from rich.progress import Progress

    from qcode.services.corpus import document_keys
    from qcode.services.names import check_names
    from qcode.services.project import open_project
    from qcode.services.suggestions import make_suggester, pipeline_description, suggest_documents

    project = open_project(project_dir)
    check_names(project, cases=cases, documents=documents)
    keys: list[str] | None = list(documents) or None
    if cases:
        keys = (keys or []) + [k for c in cases for k in document_keys(project, c)]
    targets = keys if keys is not None else list(document_keys(project))
    setting = model_setting or project.settings.spacy_model or None
    origin = "set with --model" if model_setting else "set in the project setting spacy_model"
    click.echo(f"Dutch spaCy pipeline: {pipeline_description(setting, origin)}; loading...", err=True)
    suggester = make_suggester(setting, rules_dir, experimental)
    from qcode.services.learning import active_model

    learned = active_model(project, experimental)
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("Suggesting", total=len(targets))
        summary = suggest_documents(
            project, targets, on_document=lambda _k: progress.advance(task), suggester=suggester,
            learned=learned,
        )
    model = f", learned model {learned.version}" if learned else ""
    click.echo(
        f"Documents run: {summary.documents}, unchanged: {summary.unchanged}, "
        f"new suggestions: {summary.added}, withdrawn by new rules: {summary.superseded} "
        f"(rules {suggester.rules_version}{model})."
    )
    if learned and learned.hidden and not experimental:
        names = ", ".join(learned.names.get(c, c) for c in sorted(learned.hidden))
        click.echo(f"Learned suggestions not offered (below the precision bar; --experimental shows them): {names}.")


@main.group("suggestions", invoke_without_command=True)
@project_option
@click.option("--coder", default=lambda: os.environ.get("QCODE_CODER", ""), help="Your coder name (default: $QCODE_CODER).")
@click.option("--document", help="Only this document.")
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected", "all"]), default="pending", show_default=True)
@click.option("--accept", "accept_ids", type=int, multiple=True, help="Accept these suggestion ids.")
@click.option("--reject", "reject_ids", type=int, multiple=True, help="Reject these suggestion ids.")
@click.option("--accept-all", "accept_code", help="With --document: accept every pending suggestion of this code.")
@format_option("table", "csv", "json")
@click.pass_context
def suggestions_command(
    ctx: click.Context, project_dir: Path, coder: str, document: str | None, status: str,
    accept_ids: tuple[int, ...], reject_ids: tuple[int, ...], accept_code: str | None, fmt: str,
) -> None:
    """List your suggestions with their reasons, or accept / reject them.

    Accepting creates a coding with origin "accepted suggestion"; a rejected suggestion is
    not offered to you again by the same rule. `qcode suggestions trust` reports how far
    the suggester agrees with a coder.

    \b
    Example:
        qcode suggestions --coder anna --document casus-01/chat-2013-10-14
        qcode suggestions --coder anna --accept 12 --accept 13 --reject 14
        qcode suggestions --coder anna --document casus-01/chat-2013-10-14 --accept-all "Open vraag"
        qcode suggestions trust --coder anna
    """
    if ctx.invoked_subcommand is not None:
        return
    import pandas as pd

    from qcode.cli.output import emit_frame
    from qcode.services import suggestions as suggestion_service
    from qcode.services.project import open_project

    if not coder:
        raise click.UsageError("Say who you are: --coder NAME (or set QCODE_CODER).")
    from qcode.services.names import check_names

    project = open_project(project_dir)
    check_names(
        project, coders=[coder], documents=[document] if document else (), codes=[accept_code] if accept_code else ()
    )
    if accept_ids or reject_ids or accept_code:
        for sid in accept_ids:
            click.echo(f"Accepted {sid}: coding {suggestion_service.accept(project, sid, coder)}.")
        for sid in reject_ids:
            suggestion_service.reject(project, sid, coder)
            click.echo(f"Rejected {sid}.")
        if accept_code:
            if not document:
                raise click.UsageError("--accept-all needs --document.")
            n = suggestion_service.accept_all(project, document, accept_code, coder)
            click.echo(f"Accepted {n} suggestions of {accept_code}.")
        return
    rows = suggestion_service.list_suggestions(project, coder, document, status)
    if not rows:
        click.echo(f"No {status} suggestions." + ("" if rows else " Run: qcode suggest"))
        return
    if fmt == "table":
        from qcode.cli.tables import page, suggestion_listing

        page(suggestion_listing(rows) + f"\n{len(rows)} {status} suggestions. Accept: --accept ID; reject: --reject ID.\n")
        return
    from qcode.cli.turns import with_turns

    emit_frame(with_turns(pd.DataFrame(rows)), fmt, "Suggestions")
