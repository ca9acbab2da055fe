"""CLI command: ``qcode fragments`` (every coded fragment of one code, as the workbench lists them)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qcode.cli.app import format_option, main, project_option
from qcode.cli.output import emit_json, emit_table
from qcode.cli.search import parse_where

if TYPE_CHECKING:
    from qcode.services.fragments import Fragments

TEXT_WIDTH = 60
"""Characters of a fragment's text shown in the table (json/csv carry it whole)."""


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _print_table(found: Fragments) -> None:
    rows = [
        [f.number, f.document, f.turn if f.turn == f.last_turn else f"{f.turn}–{f.last_turn}",
         f.coder, _short(f.text), _short(f.memo, 30)]
        for f in found.fragments
    ]
    emit_table(["#", "document", "turn", "coder", "text", "memo"], rows, title=f"Fragments coded {found.code_name}")
    asked = f" ({found.filter.describe()})" if found.filter.describe() else ""
    click.echo(f"{len(found.fragments)} fragment(s) in {found.documents} document(s){asked}.")


@main.command("fragments")
@project_option
@click.argument("code")
@click.option("--coder", "coders", multiple=True, help="Only this coder's fragments; repeatable.")
@click.option("--case", "cases", multiple=True, help="Only this case; repeatable.")
@click.option("--channel", type=click.Choice(["chat", "email"]), help="Only documents of this channel.")
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only cases (or documents) with this attribute value; repeatable.")
@click.option("--as", "viewer", default=lambda: os.environ.get("QCODE_CODER") or None, help="Who is asking (blind projects; default $QCODE_CODER).")
@format_option("table", "csv", "json")
def fragments_command(
    project_dir: Path, code: str, coders: tuple[str, ...], cases: tuple[str, ...], channel: str | None,
    where: tuple[str, ...], viewer: str | None, fmt: str,
) -> None:
    """List every coded fragment of CODE: document, turn (from 1), coder, text and memo.

    The same list as the workbench's fragments screen (codebook panel, or "code: find
    fragments" in the palette). JSON and CSV carry every field: number, code, case, document,
    channel, turn, last_turn, index (0-based, as qcode code --utterance takes it), coder,
    origin, role, speaker, time, text, memo, start, end.

    \b
    Example:
        qcode fragments "Open vraag"
        qcode fragments Probleemanalyse --coder anna --channel chat --where regio=Parkstad --format json
    """
    from qcode.services.fragments import (
        FRAGMENT_FIELDS,
        FragmentFilter,
        code_fragments,
        fragment_record,
    )
    from qcode.services.project import open_project

    flt = FragmentFilter(coders=coders, cases=cases, channel=channel, where=parse_where(where))
    project = open_project(project_dir)
    try:
        found = code_fragments(project, code, flt, viewer)
    finally:
        project.close()
    records = [fragment_record(f, found.code_name) for f in found.fragments]
    if fmt == "json":
        emit_json(records)
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(FRAGMENT_FIELDS))
        writer.writeheader()
        writer.writerows(records)
    else:
        _print_table(found)
