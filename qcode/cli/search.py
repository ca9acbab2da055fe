"""CLI command: ``qcode search`` (keyword in context, and coding the hits)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qcode.cli.app import format_option, main, project_option
from qcode.cli.codings import coder_option
from qcode.cli.output import emit_json

if TYPE_CHECKING:
    from qcode.services.search import Hit

HIT_FIELDS = [
    "number", "case", "document", "channel", "turn", "index", "time", "role", "speaker",
    "before", "text", "after", "start", "end", "quoted",
]
"""Keys of ``--format json`` (and columns of csv), one object per hit."""


def parse_numbers(value: str | None) -> list[int] | None:
    """``1,3,5`` or ``2-4`` (or both) as hit numbers; None when not given."""
    if not value:
        return None
    numbers: list[int] = []
    for part in value.split(","):
        piece = part.strip()
        try:
            if "-" in piece:
                low, high = (int(x) for x in piece.split("-", 1))
                numbers.extend(range(low, high + 1))
            elif piece:
                numbers.append(int(piece))
        except ValueError:
            raise click.BadParameter(f"'{piece}' is not a hit number (use e.g. 1,3,5 or 2-4).", param_hint="--hits") from None
    return numbers


def parse_where(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        name, sep, wanted = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{value}' is not ATTR=VALUE (e.g. regio=Parkstad).", param_hint="--where")
        pairs.append((name.strip(), wanted.strip()))
    return tuple(pairs)


def _record(hit: Hit) -> dict[str, Any]:
    return {
        "number": hit.number, "case": hit.case, "document": hit.document, "channel": hit.channel,
        "turn": hit.turn, "index": hit.utterance,
        "time": hit.time.isoformat() if hit.time else None, "role": hit.role, "speaker": hit.speaker,
        "before": hit.before, "text": hit.text, "after": hit.after, "start": hit.start, "end": hit.end,
        "quoted": hit.quoted,
    }


def kwic_lines(hits: list[Hit], width: int) -> list[tuple[str, str, str, str]]:
    """(where, before, hit, after) per hit, trimmed so the hits line up in one column.

    ``where`` is ``#  document  turn  time  speaker``; the words before are cut from the left
    and the words after from the right, so every line fits ``width`` characters.
    """
    rows = []
    for h in hits:
        clock = f"{h.time:%H:%M}" if h.time else "     "
        role = h.role + ("*" if h.quoted else "")
        rows.append((f"{h.number:>3}  {h.document}  {h.turn:>3}  {clock}  {role:<11}", h))
    lead = max((len(w) for w, _ in rows), default=0)
    room = max(width - lead - 1, 30)
    lines = []
    for where, h in rows:
        hit = h.text if len(h.text) <= room // 2 else h.text[: room // 2 - 1] + "…"
        side = max((room - len(hit)) // 2, 4)
        before = h.before.replace("\n", " ")
        before = before if len(before) <= side else "…" + before[-(side - 1) :]
        after = h.after if len(h.after) <= side else h.after[: side - 1] + "…"
        lines.append((where.ljust(lead), before.rjust(side), hit, after))
    return lines


def _print_table(hits: list[Hit], documents: int) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    if hits:
        head = kwic_lines(hits, console.width)[0][0]
        console.print(Text("  #  document  turn  time  speaker".ljust(len(head)) + " in context", style="bold"))
    for where, before, hit, after in kwic_lines(hits, console.width):
        line = Text(where + " " + before)
        line.append(hit, style="bold reverse")
        line.append(after)
        console.print(line, no_wrap=True, overflow="ellipsis")
    quoted = " (* = in quoted e-mail text)" if any(h.quoted for h in hits) else ""
    console.print(f"{len(hits)} hit(s) in {documents} document(s){quoted}.")


@main.command("search")
@project_option
@click.argument("query")
@click.option("--lemma", is_flag=True, help="Match every form of the word (its lemma), and the word itself.")
@click.option("--regex", "use_regex", is_flag=True, help="QUERY is a Python regular expression (case-sensitive; add (?i) to ignore case).")
@click.option("--speaker", type=click.Choice(["counsellor", "client"]), help="Only turns of this speaker.")
@click.option("--channel", type=click.Choice(["chat", "email"]), help="Only documents of this channel.")
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only documents whose case (or document) has this attribute value; repeatable.")
@click.option("--quoted", is_flag=True, help="Also search quoted e-mail text (shown, never coded).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds a --regex may run before it is stopped.")
@format_option("table", "csv", "json")
@click.option("--code", help="Apply this code (name or id) to the hits, as one undoable step.")
@coder_option()
@click.option("--unit", type=click.Choice(["match", "sentence", "utterance"]), default="match", show_default=True, help="With --code: what a coded hit covers.")
@click.option("--hits", "numbers", help="With --code: only these hits, by number (1,3,5 or 2-4).")
def search_command(
    project_dir: Path, query: str, lemma: bool, use_regex: bool, speaker: str | None, channel: str | None,
    where: tuple[str, ...], quoted: bool, time_limit: float, fmt: str, code: str | None, coder: str,
    unit: str, numbers: str | None,
) -> None:
    """Find words, lemmas or patterns in the turns, shown in context (keyword in context).

    A plain QUERY matches whole words, ignoring case; * stands for any letters
    (schaam* finds schaam, schaamde, schaamt). Several words match as a phrase. Turns are
    numbered from 1. With --code the hits are coded (origin "search", the query in the
    coding's detail) in one step that qcode undo takes back; hits already coded are skipped.

    \b
    Example:
        qcode search school --speaker client
        qcode search schamen --lemma --channel chat --format json
        qcode search "(?i)\\bgeen (zin|idee)\\b" --regex
        qcode search school --where regio=Parkstad --code Onderwerp --coder anna --hits 1,3
    """
    from qcode.services.project import open_project
    from qcode.services.search import SearchMode, SearchRequest, search
    from qcode.services.search_coding import choose, code_hits
    from qcode.transcripts.model import Channel, Role

    if lemma and use_regex:
        raise click.UsageError("Choose one of --lemma and --regex.")
    if (numbers or unit != "match") and not code:
        raise click.UsageError("--hits and --unit say which hits to code: give --code too.")
    if code and not coder:
        raise click.UsageError("Say who is coding: --coder NAME (or set QCODE_CODER).")
    chosen = parse_numbers(numbers)
    request = SearchRequest(
        query=query,
        mode=SearchMode.LEMMA if lemma else SearchMode.REGEX if use_regex else SearchMode.PLAIN,
        speaker=Role(speaker) if speaker else None,
        channel=Channel(channel) if channel else None,
        where=parse_where(where),
        quoted=quoted,
        time_limit=time_limit,
    )
    project = open_project(project_dir)
    if code:
        from qcode.services.names import check_names, require_registered_coder

        require_registered_coder(project, coder)
        check_names(project, codes=[code])
    try:
        result = search(project, request, on_progress=lambda note: click.echo(note, err=True))
        if fmt == "json":
            emit_json([_record(h) for h in result.hits])
        elif fmt == "csv":
            import csv

            writer = csv.DictWriter(sys.stdout, fieldnames=HIT_FIELDS)
            writer.writeheader()
            writer.writerows(_record(h) for h in result.hits)
        else:
            _print_table(result.hits, result.documents)
        if code:
            selected = choose(result.hits, chosen)
            done = code_hits(project, selected, request, code, coder, unit)
            notes = []
            if done.already:
                notes.append(f"{done.already} already coded by {coder}, not coded again")
            if done.quoted:
                notes.append(f"{done.quoted} in quoted e-mail text, never coded")
            extra = f" ({'; '.join(notes)})" if notes else ""
            step = f" as one step; 'qcode undo --coder {coder}' takes it back" if done.added else ""
            click.echo(f"Added {done.added} coding(s) of {code}{step}{extra}.", err=fmt != "table")
    finally:
        project.close()
