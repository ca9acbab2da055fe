"""Turning a document into display rows, once per width, so drawing a row is a list lookup.

The transcript view is virtualised: it only draws the rows on screen (Textual's Line API). For
that it needs, up front, how many rows each turn takes and which row starts which turn; this
module computes exactly that and nothing about colours (that is the widget's job). Wrapping is
a greedy word wrap that keeps character offsets, so coded spans can be underlined in place.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from qcode.coding.autocode.silences import gaps_in_time_order
from qcode.transcripts.model import Channel, Document

SILENCE_MINUTES_CHAT = 2.0
"""Gaps of at least this many minutes get a silence row in a chat ("— 6 min —")."""


class RowKind(Enum):
    SILENCE = "silence"
    SUBJECT = "subject"
    HEADER = "header"
    TEXT = "text"
    QUOTED = "quoted"


class Row(NamedTuple):
    """One screen line of the transcript (a NamedTuple: a long chat has tens of thousands of
    rows, and a tuple is built three times faster than a frozen dataclass)."""

    kind: RowKind
    turn: int
    """Index of the utterance the row belongs to (the following one for a silence)."""
    start: int = 0
    """TEXT rows: offsets into the utterance text; others: unused."""
    end: int = 0
    label: str = ""
    """SILENCE / SUBJECT / QUOTED rows: the text to show."""


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap returning (start, end) offsets of each line into ``text``.

    Matches ``textwrap.wrap(break_long_words=True)`` line breaking for single-space prose,
    but keeps offsets; explicit newlines always break.
    """
    width = max(width, 8)
    lines: list[tuple[int, int]] = []
    base = 0
    for part in text.split("\n"):
        pos, n = 0, len(part)
        if n == 0:
            lines.append((base, base))
        while pos < n:
            if n - pos <= width:
                lines.append((base + pos, base + n))
                break
            cut = part.rfind(" ", pos, pos + width + 1)
            if cut <= pos:
                cut = pos + width
                lines.append((base + pos, base + cut))
                pos = cut
            else:
                lines.append((base + pos, base + cut))
                pos = cut + 1
        base += n + 1
    return lines


def describe_gap(minutes: float, channel: Channel) -> str:
    """The label of a silence row: minutes in chats, hours or days in e-mail."""
    if channel is Channel.EMAIL and minutes >= 60 * 24:
        days = minutes / (60 * 24)
        return f"— {days:.0f} day{'s' if round(days) != 1 else ''} —"
    if minutes >= 90:
        return f"— {minutes / 60:.1f} h —"
    return f"— {minutes:.0f} min —"


def layout_rows(
    document: Document, width: int, unfolded: frozenset[int] = frozenset()
) -> tuple[list[Row], list[int]]:
    """All rows of ``document`` at text ``width`` and the first row index of each turn.

    Quoted e-mail text is one folded row unless its turn is in ``unfolded``.
    """
    rows: list[Row] = []
    first_row: list[int] = []
    threshold = SILENCE_MINUTES_CHAT if document.channel is Channel.CHAT else 60.0
    # The same gap rule as the metrics: time order, so an out-of-order line never shows a
    # negative or inflated silence.
    gaps = gaps_in_time_order([u.time for u in document.utterances])
    for u, gap in zip(document.utterances, gaps, strict=True):
        if gap is not None and gap >= threshold:
            rows.append(Row(RowKind.SILENCE, u.index, label=describe_gap(gap, document.channel)))
        first_row.append(len(rows))
        rows.append(Row(RowKind.HEADER, u.index))
        if u.subject:
            rows.append(Row(RowKind.SUBJECT, u.index, label=f"Subject: {u.subject}"))
        rows.extend(Row(RowKind.TEXT, u.index, s, e) for s, e in wrap_offsets(u.text, width))
        if u.quoted:
            quoted_lines = u.quoted.splitlines()
            if u.index in unfolded:
                rows.extend(Row(RowKind.QUOTED, u.index, label=f"> {q}") for q in quoted_lines)
            else:
                rows.append(
                    Row(RowKind.QUOTED, u.index, label=f"▸ quoted text folded ({len(quoted_lines)} lines)")
                )
    return rows, first_row
