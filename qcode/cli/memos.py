"""``qcode memo`` (write a memo) and ``qcode memos`` (list them): one memo service call each."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qcode.cli.app import format_option, main, project_option
from qcode.cli.codings import coder_option
from qcode.cli.output import emit_frame

if TYPE_CHECKING:
    from qcode.coding.memo import MemoTarget

KINDS = ["coding", "utterance", "document", "case", "code", "project"]


@main.command("memo")
@project_option
@click.argument("place_and_text", nargs=-1, required=True, metavar="[DOCUMENT] TEXT")
@click.option("--utterance", type=click.IntRange(min=1), help="A memo on this turn of DOCUMENT (turns counted from 1, as people count).")
@click.option("--case", "case", help="A memo on this case (no DOCUMENT).")
@click.option("--code", "code", help="A memo on this code, name or id: your working definition (no DOCUMENT).")
@click.option("--coding", "coding_id", type=int, help="A memo on this coding (its id, see qcode codings; no DOCUMENT).")
@click.option("--free", is_flag=True, help="A new free memo on the project as a whole (ATLAS.ti's free memos; no DOCUMENT).")
@click.option("--edit", "edit_id", type=int, help="With --free: replace the free memo with this id (see qcode memos).")
@click.option("--append", is_flag=True, help="Add TEXT as a new paragraph to your memo there instead of replacing it.")
@coder_option()
def memo_command(
    project_dir: Path, place_and_text: tuple[str, ...], utterance: int | None, case: str | None,
    code: str | None, coding_id: int | None, free: bool, edit_id: int | None, append: bool, coder: str,
) -> None:
    """Write your memo on a document, a turn, a case, a code or a coding, or a free memo.

    The memo replaces your earlier memo on the same place (--append adds to it); an empty TEXT
    ("") removes it. TEXT "-" reads the memo from standard input. Every memo edit can be taken
    back with qcode undo.

    \b
    Example:
        qcode memo casus-03/chat-2014-05-21 --utterance 5 "Hier kantelt het gesprek" --coder anna
        qcode memo casus-03/chat-2014-05-21 "Crisis: doorverwezen" --coder anna
        qcode memo --case casus-03 "Zelfde hulpvrager als casus-07?" --coder anna
        qcode memo --code "Open vraag" "Ook: 'vertel eens ...'" --coder anna
        qcode memo --free "Week 1: intake-fase lijkt overal kort" --coder anna
    """
    from qcode.services.memos import write_memo
    from qcode.services.names import check_names, require_registered_coder
    from qcode.services.project import open_project

    target, text = _place(place_and_text, utterance, case, code, coding_id, free, edit_id)
    if text == "-":
        text = sys.stdin.read().rstrip("\n")
    if not coder:
        raise click.UsageError("Say who is writing: --coder NAME (or set QCODE_CODER).")
    project = open_project(project_dir)
    require_registered_coder(project, coder)
    if target.document is not None:
        check_names(project, documents=[target.document])
    memo_id = write_memo(project, target, coder, text, append=append)
    if memo_id is None or not text.strip():
        click.echo("Memo removed." if memo_id is not None else "There was no memo there; nothing to remove.")
    else:
        click.echo(f"Memo {memo_id} saved.")


def _place(
    place_and_text: tuple[str, ...], utterance: int | None, case: str | None, code: str | None,
    coding_id: int | None, free: bool, edit_id: int | None,
) -> tuple[MemoTarget, str]:
    """Where ``qcode memo`` writes, and the text: one place option, or DOCUMENT [--utterance]."""
    from qcode.coding.memo import MemoTarget

    others = [name for name, value in (("--case", case), ("--code", code), ("--coding", coding_id),
                                       ("--free", True if free else None)) if value is not None]
    if edit_id is not None and not free:
        raise click.UsageError("--edit goes with --free (other memos are found by their place).")
    if len(others) > 1:
        raise click.UsageError(f"Give one place for the memo, not {' and '.join(others)}.")
    if others and utterance is not None:
        raise click.UsageError(f"--utterance is a turn of a document; it does not go with {others[0]}.")
    if len(place_and_text) != (1 if others else 2):
        usage = f"qcode memo {others[0]} ... TEXT" if others else "qcode memo DOCUMENT [--utterance N] TEXT"
        raise click.UsageError(f"Expected: {usage} (put a TEXT with spaces in quotes).")
    text = place_and_text[-1]
    if case is not None:
        return MemoTarget.on_case(case), text
    if code is not None:
        return MemoTarget.on_code(code), text
    if coding_id is not None:
        return MemoTarget.on_coding(coding_id), text
    if free:
        return MemoTarget.on_project(edit_id), text
    return MemoTarget.on_document(place_and_text[0], None if utterance is None else utterance - 1), text


@main.command("memos")
@project_option
@click.option("--document", multiple=True, help="Memos on these documents (and their turns and codings).")
@click.option("--case", multiple=True, help="Memos on these cases (and their documents, turns and codings).")
@click.option("--code", "codes", multiple=True, help="Memos on these codes and on codings of them (name or id).")
@click.option("--coder", "coders", multiple=True, help="Only memos by these coders.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only memos on this kind of place.")
@click.option("--search", "text", help="Only memos containing this text (ignoring case).")
@click.option("--as", "viewer", default=lambda: os.environ.get("QCODE_CODER") or None, help="Who is asking (blind projects; default $QCODE_CODER).")
@format_option("table", "csv", "json")
def memos_command(
    project_dir: Path, document: tuple[str, ...], case: tuple[str, ...], codes: tuple[str, ...],
    coders: tuple[str, ...], kinds: tuple[str, ...], text: str | None, viewer: str | None, fmt: str,
) -> None:
    """List memos: codes first, then by case, document and turn.

    JSON and CSV give every column: id, kind, place, case, document, turn (from 1), index
    (the same turn from 0), coding, code, code_name, coder, memo, created, updated.

    \b
    Example:
        qcode memos --case casus-03
        qcode memos --kind code --format json
        qcode memos --search crisis --coder anna --format csv > memos.csv
    """
    from qcode.coding.memo import MemoKind
    from qcode.services.memos import MemoFilter, list_memos, memo_frame
    from qcode.services.names import check_names
    from qcode.services.project import open_project

    project = open_project(project_dir)
    check_names(project, coders=coders)
    flt = MemoFilter(
        kinds=[MemoKind(k) for k in kinds] or None, documents=document or None, cases=case or None,
        coders=coders or None, codes=codes or None, text=text or None,
    )
    frame = memo_frame(list_memos(project, viewer, flt))
    if fmt == "table":
        if frame.empty:
            click.echo("No memos" + (" match these filters." if any((document, case, codes, coders, kinds, text)) else " yet (write one with: qcode memo)."))
            return
        frame = frame[["place", "coder", "memo", "updated"]].assign(
            updated=frame["updated"].dt.strftime("%Y-%m-%d %H:%M")
        )
    emit_frame(frame, fmt, "Memos")
