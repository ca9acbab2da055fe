"""CLI commands: statistics, inter-coder agreement, disagreements and adjudication."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from qcode.cli.app import format_option, main, project_option
from qcode.cli.output import emit_frame, emit_table


def _viewer() -> str | None:
    return os.environ.get("QCODE_CODER") or None


def _attributes(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"'{item}': use ATTRIBUTE=VALUE", param_hint="--where")
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


@main.command("stats")
@project_option
@click.option("--table", "table", type=click.Choice(["counts", "shares", "phases", "cooccurrence"]), default="shares", show_default=True, help="counts: codings per code; shares: share of cases with each code; phases: phase profile per case; cooccurrence: codes on the same utterance.")
@click.option("--by", type=click.Choice(["document", "case", "channel", "coder"]), default="case", show_default=True, help="Columns of the counts table; 'channel' splits shares per channel.")
@click.option("--coder", "coders", multiple=True, help="Only these coders ('consensus' for the adjudicated coding).")
@click.option("--channel", type=click.Choice(["chat", "email"]), help="Only this channel.")
@click.option("--group", help="Only codes of this group (phases, content, technique, ...).")
@click.option("--where", multiple=True, help="Case attribute filter, e.g. --where leeftijdsgroep=13-16.")
@click.option("--chart", type=click.Choice(["phases", "shares"]), help="Draw a chart instead of printing a table: phases (share of cases with each phase, per channel) or shares (every code).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Chart file (PNG).")
@click.option("--as", "viewer", default=_viewer, help="Who is asking (blind projects; default $QCODE_CODER).")
@format_option("table", "csv", "json")
def stats_command(
    project_dir: Path, table: str, by: str, coders: tuple[str, ...], channel: str | None, group: str | None,
    where: tuple[str, ...], chart: str | None, out: Path | None, viewer: str | None, fmt: str,
) -> None:
    """Code and phase frequencies, share of cases with each code, co-occurrence.

    \b
    Example:
        qcode stats                                  # share of cases with each code
        qcode stats --table shares --by channel      # ... per channel, as the study reports
        qcode stats --table counts --by coder
        qcode stats --coder consensus --table phases
        qcode stats --chart phases --out phases.png
        qcode stats --chart shares --coder consensus --coder auto
    """
    from qcode.services.analysis import StatsFilter, shares_chart, stats
    from qcode.services.project import open_project

    project = open_project(project_dir)
    flt = StatsFilter(coder=coders or None, channel=channel, group=group, case_attributes=_attributes(where) or None)
    if chart:
        target = out or project.folder / "exports" / f"{chart}.png"
        drawn = shares_chart(project, target, "phases" if chart == "phases" else group, flt, viewer)
        click.echo(f"Chart written to {drawn}")
        return
    emit_frame(stats(project, table, by, flt, viewer), fmt, f"{table} ({by})")


@main.command("agreement")
@project_option
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A reliability data CSV: first column unit id, one column per coder, empty = missing.")
@click.option("--level", type=click.Choice(["nominal", "ordinal", "interval", "ratio"]), default="nominal", show_default=True, help="Metric of Krippendorff's alpha (with --data).")
@click.option("--coders", help="Coders to compare, comma-separated (on a project).")
@click.option("--codes", help="Codes to include, comma-separated (default: all).")
@click.option("--unit", type=click.Choice(["utterance", "segment"]), default="utterance", show_default=True)
@click.option("--overlap", type=float, default=0.5, show_default=True, help="Share of overlap for segments to match.")
@click.option("--bootstrap", type=int, default=1000, show_default=True, help="Bootstrap samples for alpha's confidence interval.")
@click.option("--as", "viewer", default=_viewer, help="Who is asking (blind projects).")
@format_option("table", "csv", "json")
def agreement_command(
    project_dir: Path, data: Path | None, level: str, coders: str | None, codes: str | None, unit: str,
    overlap: float, bootstrap: int, viewer: str | None, fmt: str,
) -> None:
    """Inter-coder agreement: percent agreement, Cohen's and Fleiss' kappa,
    Krippendorff's alpha (with bootstrap CI) and Gwet's AC1, with prevalence warnings.

    \b
    Example:
        qcode agreement --data ratings.csv --level ordinal --format json
        qcode agreement --coders anna,bram
        qcode agreement --coders anna,bram --unit segment --codes Intake,Afsluiting
    """
    from qcode.services import analysis

    if data is not None:
        result = analysis.agreement_from_table(data, level, bootstrap)
        if fmt == "json":
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            emit_table(["measure", "value"], [[k, v] for k, v in result.to_dict().items()], "Agreement")
        return
    if not coders:
        raise click.UsageError("Give --data FILE.csv, or --coders A,B on a project.")
    from qcode.services.project import open_project

    report = analysis.project_agreement(
        open_project(project_dir), [c.strip() for c in coders.split(",")],
        [c.strip() for c in codes.split(",")] if codes else None, unit, overlap, bootstrap, viewer,
    )
    emit_frame(report, fmt, f"Agreement per code ({unit})")


@main.command("disagreements")
@project_option
@click.option("--coders", required=True, help="Coders to compare, comma-separated.")
@click.option("--codes", help="Codes to include, comma-separated.")
@click.option("--as", "viewer", default=_viewer, help="Who is asking (blind projects).")
@format_option("table", "csv", "json")
def disagreements_command(project_dir: Path, coders: str, codes: str | None, viewer: str | None, fmt: str) -> None:
    """Every unit where coders differ, with the text, who coded it and any suggestion rule.

    \b
    Example:
        qcode disagreements --coders anna,bram --codes "Open vraag"
    """
    from qcode.services.analysis import disagreements
    from qcode.services.project import open_project

    frame = disagreements(
        open_project(project_dir), [c.strip() for c in coders.split(",")],
        [c.strip() for c in codes.split(",")] if codes else None, viewer,
    )
    if frame.empty:
        click.echo("No open disagreements.")
        return
    if fmt == "table":  # the full frame is for CSV/JSON; a terminal needs the essentials
        frame = frame[["document", "utterance", "code", "coders_with", "coders_without", "text"]].assign(
            text=[t if len(t) <= 60 else t[:57] + "..." for t in frame["text"]]
        )
    emit_frame(frame, fmt, "Disagreements")


@main.command("adjudicate")
@project_option
@click.option("--coders", required=True, help="Coders whose disagreements to settle, comma-separated.")
@click.option("--by", "by", required=True, default=_viewer, help="The supervisor deciding.")
@click.option("--codes", help="Only these codes, comma-separated.")
@click.option("--seed/--no-seed", default=True, show_default=True, help="First copy what all coders agree on into the consensus.")
@click.option("--document", help="With --code and --utterance: settle one unit without prompting.")
@click.option("--code", "one_code", help="The code of that unit.")
@click.option("--utterance", type=int, help="The utterance of that unit.")
@click.option("--decision", type=click.Choice(["apply", "reject"]), help="The decision for that unit.")
def adjudicate_command(
    project_dir: Path, coders: str, by: str, codes: str | None, seed: bool, document: str | None,
    one_code: str | None, utterance: int | None, decision: str | None,
) -> None:
    """Settle disagreements into the consensus coding (coder 'consensus', with who decided).

    Interactive: for each disagreement, [a]pply the code, [r]eject it, [s]kip or [q]uit.

    \b
    Example:
        qcode adjudicate --coders anna,bram --by marieke
        qcode adjudicate --coders anna,bram --by marieke --document casus-01/chat \\
            --code "Open vraag" --utterance 4 --decision apply
    """
    from qcode.services import analysis
    from qcode.services.corpus import get_document
    from qcode.services.project import open_project

    project = open_project(project_dir)
    names = [c.strip() for c in coders.split(",")]
    if seed:
        click.echo(f"{analysis.seed_consensus(project, names, by)} agreed codings copied into the consensus.")
    if document is not None:
        if one_code is None or utterance is None or decision is None:
            raise click.UsageError("--document needs --code, --utterance and --decision.")
        u = get_document(project, document).utterances[utterance]
        analysis.adjudicate(project, document, u.start, u.end, one_code, decision == "apply", by)
        click.echo(f"Settled: {one_code} on {document} #{utterance}: {decision}.")
        return
    frame = analysis.disagreements(project, names, [c.strip() for c in codes.split(",")] if codes else None, by)
    if frame.empty:
        click.echo("No open disagreements.")
        return
    if not sys.stdin.isatty():
        raise click.UsageError("Interactive adjudication needs a terminal; use --document/--code/--utterance/--decision.")
    for row in frame.to_dict("records"):
        click.echo(f"\n{row['document']} #{row['utterance']}  code: {row['code']}")
        click.echo(f"  {row['text']}")
        click.echo(f"  with: {row['coders_with'] or '-'}   without: {row['coders_without'] or '-'}   {row['rules']}")
        choice = click.prompt("[a]pply / [r]eject / [s]kip / [q]uit", type=click.Choice(["a", "r", "s", "q"]), default="s")
        if choice == "q":
            break
        if choice in ("a", "r"):
            analysis.adjudicate(
                project, str(row["document"]), int(row["start"]), int(row["end"]), str(row["code"]), choice == "a", by
            )
