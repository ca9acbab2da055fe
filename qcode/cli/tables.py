"""Tables for people: what ``stats``, ``agreement`` and ``metrics --by case`` print by default.

The services return every column (scripts use ``--format csv|json``, which print them all).
A researcher at a terminal needs fewer: the study's labels first (code name, group), then the
figures, channels as columns, in at most :data:`WIDTH` columns. ``--wide`` prints every
column. Nothing is computed here; frames are only chosen, renamed, pivoted and formatted.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import pandas as pd

WIDTH = 100
"""Default tables are laid out for a terminal this wide."""

TEXT_MIN = 12
"""A text column is never cut below this (rich would otherwise drop narrow columns)."""

NAME_WIDTH = 28
"""Code names longer than this are cut (with …) so the figures stay on the line."""


def _percent(value: Any) -> str:
    return "" if value is None or value != value else f"{100 * float(value):.0f} %"


def _cut(value: Any, width: int = NAME_WIDTH) -> str:
    text: str = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _decimal(value: Any) -> str:
    return "" if value is None or value != value else f"{float(value):.1f}"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.3f}"
    return "" if value is None else str(value)


def fitted(naturals: list[int], figures: list[bool], room: int) -> list[int]:
    """Column widths within ``room``: figures keep theirs; the widest text column gives way
    first, never below :data:`TEXT_MIN`."""
    widths = list(naturals)
    while sum(widths) > room:
        texts = [n for n, w in enumerate(widths) if not figures[n] and w > TEXT_MIN]
        if not texts:
            break
        widest = max(texts, key=lambda n: widths[n])
        widths[widest] = max(TEXT_MIN, widths[widest] - (sum(widths) - room))
    return widths


def print_table(frame: pd.DataFrame, title: str, note: str = "", wide: bool = False) -> None:
    """A rich table no wider than :data:`WIDTH` columns, numbers right-aligned.

    ``wide``: every column at its natural width, however wide the line gets (read it with
    ``less -S``), instead of squeezing headers into stacks of letters.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title or None, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    cells = [[_fmt(v) for v in row] for row in frame.itertuples(index=False)]
    naturals = [
        max([*(len(line) for line in str(column).split("\n")), *(len(row[number]) for row in cells)])
        for number, column in enumerate(frame.columns)
    ]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) or c in FIGURE_HEADS for c in frame.columns]
    limit = min(WIDTH, Console().width) if sys.stdout.isatty() else WIDTH
    widths = list(naturals) if wide else fitted(naturals, numeric, limit - 3 * len(naturals))
    for column, width, figure in zip(frame.columns, widths, numeric, strict=True):
        table.add_column(str(column), justify="right" if figure else "left", no_wrap=True, width=width)
    for row in cells:
        table.add_row(*(_cut(cell, width) for cell, width in zip(row, widths, strict=True)))
    console = Console(width=max(WIDTH, sum(widths) + 3 * len(widths)) if wide else limit)
    console.print(table)
    if note:
        console.print(note, style="dim")


def _labelled(frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    present = [c for c in columns if c in frame.columns]
    return frame[present].rename(columns={c: columns[c] for c in present})


FIGURE_HEADS = {"α 95% CI", "Cases with code", "Chat cases", "E-mail cases", "Counsellor\nwords", "Chat min\n(mean)",
                "Reply chat\n(minutes)", "Reply e-mail\n(days)"}
"""Columns of figures held as text (formatted percentages, intervals): right-aligned, never cut."""

WIDE_NOTE = "More columns: --wide, or --format csv / json for everything."


def stats_table(frame: pd.DataFrame, table: str, by: str, codes: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The ``stats`` table for people and a note on what was left out."""
    groups = dict(zip(codes["code"], codes["group"], strict=True))
    if table == "shares":
        out = frame.assign(group=[groups.get(c, "") for c in frame["code"]])
        out = out.assign(cell=[f"{_percent(s)} ({w}/{n})" for s, w, n in zip(out["share"], out["cases_with_code"], out["cases"], strict=True)])
        wide = out.pivot_table(index=["name", "group"], columns="channel", values="cell", aggfunc="first", sort=False)
        wide = wide.reset_index()
        heads = {"all": "Cases with code", "chat": "Chat cases", "email": "E-mail cases"}
        wide.columns = ["Code", "Group", *[heads.get(str(c), str(c)) for c in wide.columns[2:]]]
        return wide.assign(Code=[_cut(n) for n in wide["Code"]]), ""
    if table == "counts":
        figures = [c for c in frame.columns if c not in ("code", "name")]
        out = frame.assign(Group=[groups.get(c, "") for c in frame["code"]], Code=[_cut(n) for n in frame["name"]])
        shown = ["Code", "Group", *figures]
        fits = 2 + len(figures) <= 8
        if fits:
            return out[shown], ""
        total = ["total"] if "total" in figures else []
        return out[["Code", "Group", *total]], f"{len(figures) - len(total)} columns per {by} left out. {WIDE_NOTE}"
    if table == "cooccurrence":
        return frame.drop(columns=["code"]).rename(columns={"name": "Code"}).assign(
            Code=lambda f: [_cut(n) for n in f["Code"]]
        ), ""
    if table == "phases":
        out = frame.drop(columns=[c for c in ("code",) if c in frame.columns])
        out = out.rename(columns={"case": "Case", "order": "#", "name": "Phase", "first_document": "First document",
                                  "segments": "Segments", "characters": "Characters", "share": "Share"})
        if "Share" in out:
            out["Share"] = [_percent(v) for v in out["Share"]]
        return out, ""
    return frame, ""


AGREEMENT_COLUMNS = {
    "name": "Code",
    "n_units": "Units",
    "percent_agreement": "% agree",
    "cohen_kappa": "Cohen κ",
    "alpha": "α",
    "alpha_ci": "α 95% CI",
    "ac1": "AC1",
    "warning": "Warning",
}


def agreement_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The per-code agreement report for people: the coefficients a supervisor reads first."""
    ci = [
        "" if lo != lo or hi != hi else f"{lo:.2f}–{hi:.2f}"
        for lo, hi in zip(frame["alpha_low"].astype(float), frame["alpha_high"].astype(float), strict=True)
    ]
    out = frame.assign(alpha_ci=ci, name=[_cut(n, 26) for n in frame["name"]])
    # The first clause of each warning; the whole text is in --wide, CSV and JSON.
    out = out.assign(warning=[_cut(str(w).split(":")[0].split(";")[0], 30) for w in out["warning"].fillna("")])
    return _labelled(out, AGREEMENT_COLUMNS), f"Fleiss κ, units coded and coded-only figures: --wide. {WIDE_NOTE}"


CASE_MEASURES = {
    "case": "Case",
    "n_chats": "Chats",
    "n_emails": "E-mails",
    "email_messages": "Mails",
    "share_words_counsellor": "Counsellor\nwords",
    "chat_minutes_mean": "Chat min\n(mean)",
    "mean_counsellor_response_minutes_chat": "Reply chat\n(minutes)",
    "mean_counsellor_response_days_email": "Reply e-mail\n(days)",
    "silences": "Silences",
}


def case_measures_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """``metrics --by case`` for people: chats, e-mails, response times, as the codebook's
    *Omvang gesprek* describes."""
    out = frame.copy()
    if "share_words_counsellor" in out:
        out["share_words_counsellor"] = [_percent(v) for v in out["share_words_counsellor"]]
    for column in ("chat_minutes_mean", "mean_counsellor_response_minutes_chat", "mean_counsellor_response_days_email"):
        if column in out:
            out[column] = [_decimal(v) for v in out[column]]
    return _labelled(out, CASE_MEASURES), WIDE_NOTE


def suggestion_listing(rows: list[dict[str, Any]]) -> str:
    """Suggestions as a reading list: the turn's text and the reason under each, so a coder
    can decide without opening the document."""
    import textwrap

    blocks = []
    for r in rows:
        where = f"{r['document']} #{r['utterance'] + 1}" if r.get("utterance") is not None else str(r["document"])
        head = f"[{r['id']}] {where}  {r['code_name']}  ({float(r['confidence']):.2f}, {r['status']})"
        text = textwrap.fill(" ".join(str(r.get("text", "")).split()), WIDTH - 6, initial_indent="    “", subsequent_indent="     ")
        why = textwrap.fill(str(r.get("explanation", "")), WIDTH - 6, initial_indent="    why: ", subsequent_indent="         ")
        blocks.append(f"{head}\n{text}”\n{why}")
    return "\n\n".join(blocks) + "\n"


def page(text: str) -> None:
    """Through the pager when a person reads more than a screenful; plain output otherwise."""
    import shutil

    if sys.stdout.isatty() and text.count("\n") > shutil.get_terminal_size().lines - 2:
        import click

        click.echo_via_pager(text)
    else:
        sys.stdout.write(text)
