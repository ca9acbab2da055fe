"""The margin of coding stripes: one coloured stripe per coding, beside the rows it covers.

The view ATLAS.ti's and MAXQDA's coders read a transcript with: each coding is a vertical bar
in the code's colour, running exactly along the display rows its span covers (an e-mail
sentence covers only its lines, a phase runs across turns and the silences between them),
with the code name written down the bar as far as the bar is long.

Codings get lanes (columns) the way those tools stack their brackets: lane 0 is the phase band
(codes of the exclusive ``phases`` group never overlap one another); every other coding takes
the leftmost lane free at its start (greedy interval colouring in text order, which uses the
fewest lanes for codings sorted by start). The margin has a fixed number of lanes, so coding
never changes the text width (a relayout of a long chat would cost more than a keypress may);
a coding that finds no free lane is shown as ``+`` in the last lane, and the turn's badges and
the details panel still name it. Only rows on screen are drawn, so a 2,000-coding document
costs one lane assignment per change (a sort) and nothing per row it does not show.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Protocol

from rich.segment import Segment
from rich.style import Style

from qcode.codebook.model import Code
from qcode.tui.layout import Row, RowKind

PHASE_GROUP = "phases"
"""The codebook group whose codes share lane 0 (the phase band)."""

LANES = 5
"""Lanes in the margin: the phase band and four more (fits beside the text at 80×24)."""

OVERFLOW = "+"
"""Drawn in the last lane where a coding found no free lane."""

OTHER_CODER = "┃"
"""Another person's coding: a bar in the code's colour, no name (yours and the automatic
coder's are solid, named bars)."""


class Span(Protocol):
    """What a stripe needs of a coding (``CodingView`` has it)."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def code_name(self) -> str: ...
    @property
    def coder(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def assign_lanes(codings: Sequence[Span], codes: dict[str, Code], lanes: int = LANES) -> dict[int, int]:
    """Coding id -> lane (0 = phases; -1 = no free lane: drawn as overflow).

    Codings are taken by start, longer first at the same start, and each takes the leftmost
    lane (from 1) whose previous coding has ended: the fewest lanes any stacking can use.
    """
    result: dict[int, int] = {}
    ends = [0] * lanes  # end offset of the last coding placed in each lane
    for c in sorted(codings, key=lambda c: (c.start, -c.end, c.id)):
        code = codes.get(c.code)
        if code is not None and code.group == PHASE_GROUP:
            result[c.id] = 0
            continue
        lane = next((i for i in range(1, lanes) if ends[i] <= c.start), -1)
        if lane > 0:
            ends[lane] = c.end
        result[c.id] = lane
    return result


def covers(row: Row, coding: Span, starts: Sequence[int], ends: Sequence[int]) -> bool:
    """Whether ``coding``'s span reaches the display row ``row``.

    A turn's header (and subject) row belongs to the turn's first character; a text row to its
    characters; a folded or quoted row, and a silence row before a turn, to the passage from
    one turn into the next (covered when the coding runs on past the turn's end).
    """
    t = row.turn
    if row.kind is RowKind.TEXT:
        a = starts[t] + row.start
        b = max(starts[t] + row.end, a + 1)
        return coding.start < b and coding.end > a
    if row.kind in (RowKind.HEADER, RowKind.SUBJECT):
        return coding.start <= starts[t] < coding.end
    if row.kind is RowKind.QUOTED:
        return coding.start < ends[t] < coding.end
    return t > 0 and coding.start < ends[t - 1] and coding.end > starts[t]  # silence before t


class StripeMargin:
    """Draws the margin for one row; the transcript view owns it and feeds it its state."""

    def __init__(self, lanes: int = LANES) -> None:
        self.lanes = lanes
        self.lane_of: dict[int, int] = {}
        self._first: dict[int, int] = {}
        self._key: int | None = None

    @property
    def width(self) -> int:
        """Columns the margin takes: the lanes and one space before the text."""
        return self.lanes + 1

    def update(self, codings: Sequence[Span], codes: dict[str, Code]) -> None:
        """Re-assign lanes when the codings changed (a cursor move keeps them)."""
        # What lanes depend on: every coding's id, code and span (an id() of the list could be
        # reused by a new list of the same length; hashing 2,000 tuples takes about 1 ms).
        key = hash(tuple((c.id, c.code, c.start, c.end) for c in codings))
        if key == self._key:
            return
        self._key = key
        self.lane_of = assign_lanes(codings, codes, self.lanes)
        self._first = {}

    def forget_codes(self) -> None:
        """Codes changed group (the phase lane): assign lanes again on the next update."""
        self._key = None

    def forget_rows(self) -> None:
        """The rows changed (relayout): first rows of codings must be found again."""
        self._first = {}

    def first_row(
        self, coding: Span, rows: Sequence[Row], first_row: Sequence[int], starts: Sequence[int],
        ends: Sequence[int],
    ) -> int:
        """The first display row ``coding`` covers (where its name starts)."""
        found = self._first.get(coding.id)
        if found is None:
            turn = max(bisect_right(starts, coding.start) - 1, 0)
            found = first_row[turn]
            stop = first_row[turn + 1] if turn + 1 < len(first_row) else len(rows)
            for y in range(first_row[turn], stop):
                if covers(rows[y], coding, starts, ends):
                    found = y
                    break
            self._first[coding.id] = found
        return found

    def segments(
        self, y: int, rows: Sequence[Row], first_row: Sequence[int], on_turn: Sequence[Span],
        starts: Sequence[int], ends: Sequence[int], codes: dict[str, Code], viewer: str,
    ) -> list[Segment]:
        """The margin of display row ``y``: one cell per lane, then a space."""
        row = rows[y]
        cells: list[Segment | None] = [None] * self.lanes
        for coding in on_turn:
            lane = self.lane_of.get(coding.id)
            if lane is None or not covers(row, coding, starts, ends):
                continue
            code = codes.get(coding.code)
            colour = code.colour if code is not None else "grey50"
            if lane < 0:
                cells[-1] = Segment(OVERFLOW, Style(color=colour, bold=True))
                continue
            if cells[lane] is not None:
                continue
            if coding.coder not in (viewer, "auto"):
                cells[lane] = Segment(OTHER_CODER, Style(color=colour))
                continue
            name = code.name if code is not None else coding.code_name
            at = y - self.first_row(coding, rows, first_row, starts, ends)
            letter = name[at] if 0 <= at < len(name) else " "
            cells[lane] = Segment(letter, Style(bgcolor=colour, color=_readable(colour), bold=True))
        blank = Segment(" ")
        return [cell or blank for cell in cells] + [blank]


def _readable(colour: str) -> str:
    from qcode.tui.widgets.transcript import readable_on

    return readable_on(colour)
