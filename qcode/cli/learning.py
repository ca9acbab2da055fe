"""CLI commands: ``qcode learn`` and ``qcode suggestions trust`` (the machine as a coder)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from qcode.cli.app import format_option, main, project_option
from qcode.cli.suggesting import suggestions_command


@main.command("learn")
@project_option
@click.option("--coder", "coders", multiple=True, help="Learn from these coders only (default: every coder but auto).")
@click.option("--codes", "codes", multiple=True, help="Learn only these codes (label or id; default: every utterance code).")
@click.option(
    "--precision-bar",
    type=float,
    default=None,
    help="Set the team's bar (0-1, default 0.6): learned codes below it are not offered by default.",
)
def learn_command(
    project_dir: Path, coders: tuple[str, ...], codes: tuple[str, ...], precision_bar: float | None
) -> None:
    """Learn a model from the team's codings, on this machine, and store it in the project.

    It learns from manual, accepted-suggestion and consensus codings (rejected suggestions
    count against a code), per chat utterance or e-mail sentence, with the rules' output as
    features. Each run stores a new model version; `qcode suggest` then uses the rules plus
    the newest model, and every suggestion names the model that made it.

    \b
    Example:
        qcode learn
        qcode learn --coder anna --coder bram
        qcode learn --codes "Hulpbronnen" --precision-bar 0.7
    """
    from rich.progress import Progress

    from qcode.services import learning
    from qcode.services.names import check_names
    from qcode.services.project import open_project
    from qcode.services.suggestions import project_suggester

    project = open_project(project_dir)
    check_names(project, coders=coders, codes=codes)
    if precision_bar is not None:
        learning.set_precision_bar(project, precision_bar)
    click.echo("Loading the Dutch spaCy pipeline...", err=True)
    suggester = project_suggester(project)
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("Reading coded documents", total=None)
        summary = learning.learn(
            project, coders or None, codes or None, suggester, on_document=lambda _k: progress.advance(task)
        )
    names = learning.code_names(project)
    bar = learning.precision_bar(project)
    click.echo(
        f"Learned model {summary.version} from {summary.units} units in {summary.documents} documents "
        f"(training data {summary.digest[:12]})."
    )
    for code, positives in summary.codes.items():
        estimate = summary.estimates.get(code, {}).get("precision")
        if estimate is None:
            why = summary.estimates.get(code, {}).get("note") or "it never went beyond the rules in cross-validation"
            note = f"learned suggestions not offered by default: {why}"
        elif estimate < bar:
            note = f"not offered by default: precision {estimate:.2f} < bar {bar:.2f}"
        else:
            note = f"precision {estimate:.2f}"
        click.echo(f"  {names.get(code, code)}: {positives} coded units; {note}")
    for code, positives in summary.skipped.items():
        click.echo(f"  {names.get(code, code)}: only {positives} coded unit, not learned (needs 2).")
    click.echo("Next: qcode suggest (rules plus this model); qcode suggestions trust --coder NAME.")


@suggestions_command.command("trust")
@project_option
@click.option("--coder", required=True, help="The coder whose codings the suggester is compared with.")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True, help="Cross-validation folds (by case).")
@format_option("table", "json")
def trust_command(project_dir: Path, coder: str, folds: int, fmt: str) -> None:
    """How far to trust the suggester: precision, recall, F1 and Cohen's kappa against a coder.

    Cross-validated by case: each case is suggested by rules plus a model that learned from
    the other cases only. 95 % intervals by bootstrap over units. Codes whose precision is
    below the team's bar (qcode learn --precision-bar) are not offered by default. The
    learning curve shows how F1 grew with the number of coded units.

    \b
    Example:
        qcode suggestions trust --coder anna
        qcode suggestions trust --coder anna --format json
    """
    from qcode.services import trust as trust_service
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    check_names(project, coders=[coder])
    click.echo("Loading the Dutch spaCy pipeline and cross-validating...", err=True)
    report = trust_service.trust(project, coder, folds=folds)
    if fmt == "json":
        click.echo(json.dumps(
            {"coder": coder, "folds": report.folds, "units": report.units, "precision_bar": report.bar,
             "codes": trust_service.trust_json(report), "learning_curve": trust_service.curve_json(report)},
            ensure_ascii=False, indent=2,
        ))
        return
    click.echo(trust_service.trust_text(report))
