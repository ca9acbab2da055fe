"""CLI commands: statistics, inter-coder agreement, disagreements and adjudication."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qcode.cli.app import format_option, main, project_option
from qcode.cli.output import emit_frame, emit_table
from qcode.cli.turns import TURN, turn_label
from qcode.errors import QcodeError

if TYPE_CHECKING:
    from qcode.services.project import Project


def _viewer() -> str | None:
    return os.environ.get("QCODE_CODER") or None


def _listed(value: str | None) -> list[str]:
    """A comma-separated option as names (``anna, bram`` → ``["anna", "bram"]``)."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _attributes(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"'{item}': use ATTRIBUTE=VALUE", param_hint="--where")
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


STATS_TITLES = {
    "shares": "Share of cases with each code",
    "counts": "Codings per code and {by}",
    "phases": "Phases per case",
    "cooccurrence": "Codes on the same utterance",
}


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
@click.option("--wide", is_flag=True, help="Print every column (the default table fits 100 columns).")
@format_option("table", "csv", "json")
def stats_command(
    project_dir: Path, table: str, by: str, coders: tuple[str, ...], channel: str | None, group: str | None,
    where: tuple[str, ...], chart: str | None, out: Path | None, viewer: str | None, wide: bool, fmt: str,
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
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    check_names(project, coders=coders, groups=[group] if group else ())
    flt = StatsFilter(coder=coders or None, channel=channel, group=group, case_attributes=_attributes(where) or None)
    if chart:
        target = out or project.folder / "exports" / f"{chart}.png"
        drawn = shares_chart(project, target, "phases" if chart == "phases" else group, flt, viewer)
        click.echo(f"Chart written to {drawn}")
        return
    frame = stats(project, table, by, flt, viewer)
    from qcode.cli.tables import print_table, stats_table

    if fmt != "table":
        emit_frame(frame, fmt, f"{table} ({by})")
        return
    if wide:
        print_table(frame, f"{table} ({by})", wide=True)
        return
    import pandas as pd

    from qcode.services.codebook import codebook

    book = codebook(project)
    codes = pd.DataFrame({"code": [c.id for c in book.codes], "group": [c.group for c in book.codes]})
    shown, note = stats_table(frame, table, by, codes)
    print_table(shown, STATS_TITLES.get(table, table).format(by=by), note)


@main.command("agreement")
@project_option
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A reliability data CSV: first column unit id, one column per coder, empty = missing.")
@click.option("--level", type=click.Choice(["nominal", "ordinal", "interval", "ratio"]), default="nominal", show_default=True, help="Metric of Krippendorff's alpha (with --data).")
@click.option("--coders", help="Coders to compare, comma-separated (on a project).")
@click.option("--codes", help="Codes to include, comma-separated (default: all).")
@click.option("--unit", type=click.Choice(["utterance", "segment"]), default="utterance", show_default=True)
@click.option("--by", "by", type=click.Choice(["code", "pair", "document", "case", "channel"]), default="code", show_default=True, help="code: per code; pair: every coder pair and all coders; document / case / channel: pooled per part.")
@click.option("--overlap", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True, help="Share of overlap for segments to match.")
@click.option("--bootstrap", type=int, default=1000, show_default=True, help="Bootstrap samples for alpha's confidence interval.")
@click.option("--as", "viewer", default=_viewer, help="Who is asking (blind projects).")
@click.option("--wide", is_flag=True, help="Print every column (the default table fits 100 columns).")
@format_option("table", "csv", "json")
def agreement_command(
    project_dir: Path, data: Path | None, level: str, coders: str | None, codes: str | None, unit: str,
    by: str, overlap: float, bootstrap: int, viewer: str | None, wide: bool, fmt: str,
) -> None:
    """Inter-coder agreement: percent agreement, Cohen's and Fleiss' kappa,
    Krippendorff's alpha (with bootstrap CI) and Gwet's AC1, with prevalence warnings.

    \b
    Example:
        qcode agreement --data ratings.csv --level ordinal --format json
        qcode agreement --coders anna,bram
        qcode agreement --coders anna,bram --unit segment --codes Intake,Afsluiting
        qcode agreement --coders anna,bram,carla --by pair
        qcode agreement --coders anna,bram --by case --format csv
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
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    names, code_names = _listed(coders), _listed(codes)
    check_names(project, coders=names, codes=code_names)
    if by != "code":
        table = analysis.agreement_breakdown(project, names, by, code_names or None, viewer)
        emit_frame(table, fmt, f"Agreement per {by} (utterances, pooled over the codes applied)")
        return
    report = analysis.project_agreement(project, names, code_names or None, unit, overlap, bootstrap, viewer)
    from qcode.cli.tables import agreement_table, print_table

    if fmt != "table" or wide:
        if wide and fmt == "table":
            print_table(report, f"Agreement per code ({unit})", wide=True)
        else:
            emit_frame(report, fmt, f"Agreement per code ({unit})")
        return

    shown, note = agreement_table(report)
    print_table(shown, f"Agreement per code ({unit}): {', '.join(names)}", note)


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
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    names, code_names = _listed(coders), _listed(codes)
    check_names(project, coders=names, codes=code_names)
    frame = disagreements(project, names, code_names or None, viewer)
    if frame.empty:
        click.echo("No open disagreements.")
        return
    from qcode.cli.turns import with_turns

    frame = with_turns(frame)  # turns from 1 (and the stored index beside it in CSV/JSON)
    if fmt == "table":  # the full frame is for CSV/JSON; a terminal needs the essentials
        from qcode.cli.tables import print_table

        shown = frame[["document", "turn", "name", "coders_with", "coders_without", "text"]].assign(
            name=[n if len(n) <= 24 else n[:23] + "…" for n in frame["name"]],
        ).rename(
            columns={"document": "Document", "turn": "Turn", "name": "Code", "coders_with": "Applied by",
                     "coders_without": "Not by", "text": "Text"}
        )
        print_table(shown, "Open disagreements", "Settle them: qcode adjudicate, or the workbench's review queue.")
        return
    emit_frame(frame, fmt, "Disagreements")


@main.command("adjudicate")
@project_option
@click.option("--coders", required=True, help="Coders whose disagreements to settle, comma-separated.")
@click.option("--by", "by", required=True, default=_viewer, help="The supervisor deciding.")
@click.option("--codes", help="Only these codes, comma-separated.")
@click.option("--seed/--no-seed", default=True, show_default=True, help="First copy what all coders agree on into the consensus.")
@click.option("--document", help="With --code and --utterance: settle one unit without prompting.")
@click.option("--code", "one_code", help="The code of that unit.")
@click.option("--utterance", type=TURN, help="The turn of that unit (numbered from 1, as in qcode show).")
@click.option("--decision", type=click.Choice(["apply", "reject"]), help="The decision for that unit.")
@click.option("--memo", default="", help="Why (stored with the decision, exported in the audit trail).")
def adjudicate_command(
    project_dir: Path, coders: str, by: str, codes: str | None, seed: bool, document: str | None,
    one_code: str | None, utterance: int | None, decision: str | None, memo: str,
) -> None:
    """Settle disagreements into the consensus coding (coder 'consensus'; only a supervisor).

    Interactive: for each disagreement (ordered by code and document; the codes of an
    exclusive set such as the phases on one turn are one decision) take [a] the first coder's
    codes, [b] the second's (c, d, ... for more coders), [t] both, [n] neither, [o] another
    code, [s]kip or [q]uit, then an optional memo. Each decision records who, when, from which
    codings and the memo (exported with the consensus codings).

    \b
    Example:
        qcode adjudicate --coders anna,bram --by marieke
        qcode adjudicate --coders anna,bram --by marieke --document casus-03/chat-2014-05-21 \\
            --code "Open vraag" --utterance 5 --decision apply --memo "vraagt door"
    """
    from qcode.services import analysis, consensus
    from qcode.services.corpus import get_document
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    names = _listed(coders)
    check_names(
        project, coders=[*names, by], codes=[*_listed(codes), *([one_code] if one_code else [])],
        documents=[document] if document else (),
    )
    if seed:
        click.echo(f"{analysis.seed_consensus(project, names, by)} agreed units copied into the consensus.")
    if document is not None:
        if one_code is None or utterance is None or decision is None:
            raise click.UsageError("--document needs --code, --utterance and --decision.")
        turns = get_document(project, document).utterances
        if not 1 <= utterance <= len(turns):
            raise click.UsageError(f"{document} has turns 1–{len(turns)} (see qcode show); there is no turn {utterance}.")
        settled = _settle_one(project, names, by, document, utterance - 1, one_code, decision == "apply", memo)
        click.echo(f"Settled: {settled}.")
        return
    items = consensus.review_items(project, names, _listed(codes) or None, by)
    if not items:
        click.echo("No open disagreements.")
        return
    if not interactive():
        raise click.UsageError("Interactive adjudication needs a terminal; use --document/--code/--utterance/--decision.")
    _review(project, names, by, items)


def interactive() -> bool:
    """A person at a terminal answers the prompts (tests replace this)."""
    return sys.stdin.isatty()


def _settle_one(
    project: Project, coders: list[str], by: str, document: str, utterance: int, code: str, apply: bool, memo: str
) -> str:
    """One unit from the command line; an open unit of an exclusive set is settled whole."""
    from qcode.services import analysis, consensus
    from qcode.services.corpus import get_document

    key = consensus.code_key(project, code)
    for item in consensus.review_items(project, coders, None, by):
        if item["document"] == document and item["utterance"] == utterance and key in item["codes"]:  # type: ignore[operator]
            if apply:
                choice = consensus.Decision("other", other_code=key, memo=memo)
            elif item["codes"] == [key]:
                choice = consensus.Decision("neither", memo=memo)
            else:
                raise click.UsageError(
                    f"{item['code']} on this turn is one decision: say which code it gets (--decision apply --code ...)."
                )
            return consensus.settle(project, item, choice, by).summary
    u = get_document(project, document).utterances[utterance]
    analysis.adjudicate(project, document, u.start, u.end, key, apply, by, memo)
    return f"{code} on {document} #{utterance + 1}: {'apply' if apply else 'reject'}"


def _review(project: Project, coders: list[str], by: str, items: list[dict[str, object]]) -> None:
    from qcode.services import consensus

    letters = "abcdefghijklm"[: len(coders)]
    for position, item in enumerate(items, 1):
        click.echo(f"\n[{position}/{len(items)}] {item['document']} {turn_label(item['utterance'])}  {item['code']}")  # type: ignore[arg-type]
        click.echo(f"  {item['text']}")
        by_coder: dict[str, list[str]] = item["by_coder"]  # type: ignore[assignment]
        for letter, coder in zip(letters, coders, strict=False):
            click.echo(f"  [{letter}] {coder}: {', '.join(by_coder.get(coder, [])) or '(nothing)'}")
        prompt = "/".join(letters) + " / [t] both / [n] neither / [o] other code / [s]kip / [q]uit"
        choice = click.prompt(prompt, type=click.Choice([*letters, "t", "n", "o", "s", "q"]), default="s")
        if choice == "q":
            break
        if choice == "s":
            continue
        memo = click.prompt("memo (optional)", default="", show_default=False)
        if choice in letters:
            decision = consensus.Decision("coder", coder=coders[letters.index(choice)], memo=memo)
        elif choice == "o":
            decision = consensus.Decision("other", other_code=click.prompt("code"), memo=memo)
        else:
            decision = consensus.Decision("both" if choice == "t" else "neither", memo=memo)
        try:
            click.echo("  " + consensus.settle(project, item, decision, by).summary)
        except QcodeError as error:
            click.echo(f"  Not settled: {error.message}", err=True)
