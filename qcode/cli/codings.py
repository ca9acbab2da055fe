"""CLI commands: codings, coders, codebook maintenance, automatic codes, blind mode."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qcode.cli.app import F, format_option, main, project_option
from qcode.cli.output import emit_frame, emit_table
from qcode.cli.turns import TURN, index_of

if TYPE_CHECKING:
    pass


def coder_option() -> Callable[[F], F]:
    """``--coder NAME`` defaulting to ``$QCODE_CODER``, so a coder says it once per shell."""

    def decorate(func: F) -> F:
        return click.option(
            "--coder",
            default=lambda: os.environ.get("QCODE_CODER", ""),
            help="Your coder name (default: $QCODE_CODER).",
        )(func)

    return decorate


CODING_JSON_FIELDS = ["id", "document", "case", "channel", "code", "code_id", "group", "coder", "origin", "start", "end", "turn", "index", "text", "detail", "memo", "created"]


@main.command("codings")
@project_option
@click.option("--document", multiple=True, help="Only these documents.")
@click.option("--case", multiple=True, help="Only these cases.")
@click.option("--coder", "coders", multiple=True, help="Only these coders.")
@click.option("--code", "codes", multiple=True, help="Only these codes (name or id).")
@click.option("--as", "viewer", default=lambda: os.environ.get("QCODE_CODER") or None, help="Who is asking (blind projects; default $QCODE_CODER).")
@format_option("table", "csv", "json")
def codings_command(
    project_dir: Path, document: tuple[str, ...], case: tuple[str, ...], coders: tuple[str, ...], codes: tuple[str, ...], viewer: str | None, fmt: str
) -> None:
    """List codings. JSON: a list of objects with document, case, code (label), code_id,
    coder, origin, start, end, text, turn (from 1, as in qcode show; null when the span is not
    one turn), index (the same turn from 0), detail (see README).

    \b
    Example:
        qcode codings --case casus-01 --coder auto --format json
    """
    from qcode.services.codings import list_codings
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    check_names(project, documents=document, cases=case, coders=coders, codes=codes)
    frame = list_codings(
        project,
        documents=document or None,
        cases=case or None,
        coders=coders or None,
        codes=codes or None,
        viewer=viewer,
    )
    from qcode.cli.turns import with_turns

    frame = with_turns(frame.rename(columns={"code": "code_id", "code_name": "code"}))[CODING_JSON_FIELDS]
    if fmt == "table":
        frame = frame[["id", "document", "turn", "code", "coder", "origin", "text", "detail"]]
    emit_frame(frame, fmt, "Codings")


@main.command("code")
@project_option
@click.argument("document")
@click.argument("code")
@click.option("--utterance", type=TURN, help="Code this turn (numbered from 1, as in qcode show).")
@click.option("--to-utterance", type=TURN, help="With --utterance: code the range up to this turn.")
@click.option("--start", type=int, help="Span start (character offset in the document).")
@click.option("--end", type=int, help="Span end.")
@click.option("--memo", default="", help="A memo on the coding.")
@coder_option()
def code_command(
    project_dir: Path, document: str, code: str, utterance: int | None, to_utterance: int | None,
    start: int | None, end: int | None, memo: str, coder: str,
) -> None:
    """Apply a code to an utterance, a range of utterances, or a character span.

    \b
    Example:
        qcode code casus-01/chat-2013-10-14 "Open vraag" --utterance 5 --coder anna
        qcode code casus-01/chat-2013-10-14 Intake --utterance 1 --to-utterance 7 --coder anna
    """
    from qcode.services.codings import add_coding
    from qcode.services.names import check_names, require_registered_coder

    if to_utterance is not None and utterance is None:
        raise click.UsageError("--to-utterance needs --utterance (the first turn of the range).")
    if utterance is not None and to_utterance is not None and to_utterance < utterance:
        raise click.UsageError(f"--to-utterance {to_utterance} comes before --utterance {utterance}.")
    from qcode.services.project import open_project

    if not coder:
        raise click.UsageError("Say who is coding: --coder NAME (or set QCODE_CODER).")
    project = open_project(project_dir)
    require_registered_coder(project, coder)
    check_names(project, documents=[document], codes=[code])
    coding_id = add_coding(
        project, document, code, coder,
        start=start, end=end, utterance=index_of(utterance), last_utterance=index_of(to_utterance), memo=memo,
    )
    click.echo(f"Coding {coding_id} saved.")


@main.command("uncode")
@project_option
@click.argument("coding_id", type=int)
@coder_option()
def uncode_command(project_dir: Path, coding_id: int, coder: str) -> None:
    """Remove a coding (it can be restored with qcode undo).

    \b
    Example:
        qcode uncode 42 --coder anna
    """
    from qcode.services.codings import remove_coding
    from qcode.services.names import require_registered_coder
    from qcode.services.project import open_project

    if not coder:
        raise click.UsageError("Say who is removing: --coder NAME (or set QCODE_CODER).")
    project = open_project(project_dir)
    require_registered_coder(project, coder)  # a typo must not remove codings as a new identity
    remove_coding(project, coding_id, coder)
    click.echo(f"Coding {coding_id} removed (qcode undo --coder {coder} restores it).")


@main.command("undo")
@project_option
@coder_option()
@click.option("--redo", is_flag=True, help="Redo the last undone change instead.")
def undo_command(project_dir: Path, coder: str, redo: bool) -> None:
    """Undo (or redo) your most recent coding change, across sessions.

    \b
    Example:
        qcode undo --coder anna
    """
    from qcode.services import codings as coding_service
    from qcode.services.project import open_project

    if not coder:
        raise click.UsageError("Say whose change to undo: --coder NAME.")
    from qcode.services.names import check_names

    project = open_project(project_dir)
    check_names(project, coders=[coder])
    done = coding_service.redo(project, coder) if redo else coding_service.undo(project, coder)
    click.echo(done or "Nothing to undo." if not redo else done or "Nothing to redo.")


@main.command("coders")
@project_option
@click.option("--add", "new", help="Add a coder with this name.")
@click.option("--supervisor", is_flag=True, help="With --add: the coder is a supervisor.")
def coders_command(project_dir: Path, new: str | None, supervisor: bool) -> None:
    """List coders, or add one.

    \b
    Example:
        qcode coders --add anna
        qcode coders --add marieke --supervisor
    """
    from qcode.services.project import open_project
    from qcode.services.team import add_coder, list_coders

    project = open_project(project_dir)
    if new:
        add_coder(project, new, supervisor)
        click.echo(f"Coder {new} added" + (" (supervisor)." if supervisor else "."))
        return
    rows = [[c.name, c.kind, "yes" if c.supervisor else ""] for c in list_coders(project)]
    emit_table(["coder", "kind", "supervisor"], rows, "Coders")


@main.group("codes")
def codes_group() -> None:
    """The project's codebook: list, load a (new version of a) codebook, rename, merge."""


@codes_group.command("list")
@project_option
@format_option("table", "csv", "json")
def codes_list(project_dir: Path, fmt: str) -> None:
    """List the codes with group, unit and hotkey.

    \b
    Example:
        qcode codes list
    """
    import pandas as pd

    from qcode.services.codebook import codebook
    from qcode.services.project import open_project

    book = codebook(open_project(project_dir))
    frame = pd.DataFrame(
        [{"id": c.id, "name": c.name, "group": c.group, "unit": c.unit.value, "hotkey": c.hotkey, "automatic": c.automatic} for c in book.codes]
    )
    emit_frame(frame, fmt, f"{book.name} {book.version}")


@codes_group.command("load")
@project_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def codes_load(project_dir: Path, path: Path) -> None:
    """Load a codebook YAML (a new one or a new version); refused if it would orphan codings.

    \b
    Example:
        qcode codes load codebooks/my-own.yaml
    """
    from qcode.services.codebook import load_codebook_file
    from qcode.services.project import open_project

    changes = load_codebook_file(open_project(project_dir), path)
    click.echo(f"Codebook loaded: {changes.added} codes added, {changes.updated} updated.")


@codes_group.command("rename")
@project_option
@click.argument("code")
@click.argument("new_name")
def codes_rename(project_dir: Path, code: str, new_name: str) -> None:
    """Rename a code; every coding keeps it.

    \b
    Example:
        qcode codes rename "Compliment woorden" "Complimenten"
    """
    from qcode.services.codebook import rename_code
    from qcode.services.project import open_project

    rename_code(open_project(project_dir), code, new_name)
    click.echo(f"Renamed {code} to {new_name}.")


@codes_group.command("merge")
@project_option
@click.argument("source")
@click.argument("target")
def codes_merge(project_dir: Path, source: str, target: str) -> None:
    """Merge code SOURCE into TARGET; SOURCE's codings move to TARGET.

    \b
    Example:
        qcode codes merge "Hulpvrager domineert" "Overname dominantie"
    """
    from qcode.services.codebook import merge_codes
    from qcode.services.project import open_project

    moved = len(merge_codes(open_project(project_dir), source, target).moved)
    click.echo(f"Merged {source} into {target}: {moved} codings moved.")


@main.command("autocode")
@project_option
@click.option("--document", multiple=True, help="Only these documents.")
def autocode_command(project_dir: Path, document: tuple[str, ...]) -> None:
    """Apply the automatic codes (Emoticons, Leestekens, Stiltes) as coder 'auto'.

    Re-running replaces the machine's earlier codings; a person's codings are never touched.

    \b
    Example:
        qcode autocode
    """
    from qcode.services.autocoding import autocode
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    check_names(project, documents=document)
    totals = autocode(project, list(document) or None)
    emit_table(["code", "codings"], [[k, v] for k, v in sorted(totals.items())], "Automatic codes")


@main.command("blind")
@project_option
@click.argument("state", type=click.Choice(["on", "off", "release", "status"]))
@coder_option()
def blind_command(project_dir: Path, state: str, coder: str) -> None:
    """Blind coding: coders see only their own codings until a supervisor releases them.

    \b
    Example:
        qcode blind on --coder marieke
        qcode blind release --coder marieke
    """
    from qcode.services.project import open_project
    from qcode.services.team import is_blind, release_blind, set_blind

    project = open_project(project_dir)
    if state == "status":
        click.echo("Blind coding is " + ("on." if is_blind(project) else "off (or released)."))
        return
    if not coder:
        raise click.UsageError("Say who you are: --coder NAME (a supervisor).")
    from qcode.services.names import check_names

    check_names(project, coders=[coder])
    if state == "release":
        release_blind(project, coder)
        click.echo("Codings released: every coder now sees every coding.")
    else:
        set_blind(project, state == "on", coder)
        click.echo(f"Blind coding {state}.")
