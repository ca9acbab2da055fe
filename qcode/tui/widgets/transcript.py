"""The transcript: a virtualised view of turns with badges, silences, suggestions and phases.

A ``ScrollView`` using Textual's Line API (``render_line``): only the rows on screen are
drawn, so a 5,000-utterance chat opens and scrolls as fast as a short one (the pattern of
Textual's own ``Log`` and ``TextArea`` widgets). Rows come from :mod:`qcode.tui.layout`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.color import Color, ColorParseError
from textual.events import Click
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qcode.codebook.model import Code
from qcode.services.gc_pause import gc_paused
from qcode.services.suggestions import ShownSuggestion
from qcode.transcripts.model import Document
from qcode.tui.layout import Row, RowKind, layout_rows
from qcode.tui.messages import TurnClicked
from qcode.tui.state import CodingState
from qcode.tui.stripes import StripeMargin

MARGIN = 2
"""Phase band column plus one space."""

STRIPES_MIN_WIDTH = 70
"""Until the coder chooses with ``S``, the margin of coding stripes is shown (as ATLAS.ti and
MAXQDA coders read a transcript) when the transcript is at least this many columns wide: about
a 100-column terminal. At 80x24 the text keeps its width and the phase band alone shows."""


def readable_on(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour`` (a code colour from data).

    The choice is Textual's (``Color.get_contrast_text``: white on a perceived brightness below
    one half); it is returned as the colour names ``black`` / ``white``, so the terminal draws
    its own black and white, as everywhere else in the workbench. A colour Textual cannot
    parse gets black.
    """
    try:
        contrast = Color.parse(colour).get_contrast_text()
    except ColorParseError:
        return "black"
    return "white" if contrast.brightness > 0.5 else "black"


class TranscriptView(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one document; the screen owns the state and calls :meth:`show`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript--counsellor",
        "transcript--client",
        "transcript--system",
        "transcript--cursor",
        "transcript--mark",
        "transcript--silence",
        "transcript--suggestion",
        "transcript--quoted",
        "transcript--warning",
        "transcript--text",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.document: Document | None = None
        self.state = CodingState()
        self.codes: dict[str, Code] = {}
        self.unfolded: set[int] = set()
        self._rows: list[Row] = []
        self._first_row: list[int] = []
        self._width = 0
        self._by_turn: dict[int, list[Any]] = {}
        self._suggest_by_turn: dict[int, list[ShownSuggestion]] = {}
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._styles: dict[str, Style] = {}
        self._base_style: Style | None = None
        self.stripes = StripeMargin()
        self.stripes_choice: bool | None = None
        """The coder's ``S`` choice for this view; None: by width (:data:`STRIPES_MIN_WIDTH`)."""

    def _style(self, name: str) -> Style:
        """A component class's style, cached: Textual resolves it from CSS on every call,
        which was most of the cost of drawing a row (and so of every keypress)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def _background(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def notify_style_update(self) -> None:
        """CSS or theme changed: forget the cached styles."""
        self._styles.clear()
        self._base_style = None
        super().notify_style_update()

    def show(self, document: Document, codes: dict[str, Code]) -> None:
        """Display a new document (lays it out once at the current width)."""
        self.document = document
        self.codes = codes
        self.unfolded.clear()
        self._starts = [u.start for u in document.utterances]
        self._ends = [u.end for u in document.utterances]
        if self.size.width:
            self._relayout()
        else:
            # Not laid out yet (first mount): on_resize lays the document out once, at the
            # real width, instead of twice (a 5,000-utterance chat takes ~30 ms per layout).
            self._width = 0
            self._rows, self._first_row = [], []
        self.scroll_to(0, 0, animate=False)

    def set_state(self, state: CodingState) -> None:
        """New codings/suggestions/cursor: index them per turn and redraw (no relayout)."""
        self.state = state
        by_turn: dict[int, list[Any]] = defaultdict(list)
        suggestions: dict[int, list[ShownSuggestion]] = defaultdict(list)
        if self.document is not None:
            for coding in state.codings:
                for turn in _overlapping(self._starts, self._ends, coding.start, coding.end):
                    by_turn[turn].append(coding)
            for s in state.suggestions:
                suggestions[s.turn].append(s)
        self._by_turn = by_turn
        self._suggest_by_turn = suggestions
        self.stripes.update(state.codings, self.codes)  # kept current: a resize may show them
        self._scroll_cursor_into_view()
        self.refresh()

    def toggle_quoted(self, turn: int) -> None:
        self.unfolded.symmetric_difference_update({turn})
        self._relayout()

    def toggle_stripes(self) -> bool:
        """Show or hide the margin of coding stripes (the text rewraps); returns shown."""
        self.stripes_choice = not self.stripes_shown
        self._relayout()
        self._scroll_cursor_into_view()
        return self.stripes_shown

    @property
    def stripes_shown(self) -> bool:
        """The coder's choice, else shown when the view is wide enough."""
        if self.stripes_choice is not None:
            return self.stripes_choice
        return self.size.width >= STRIPES_MIN_WIDTH

    def _margin_width(self) -> int:
        return self.stripes.width if self.stripes_shown else MARGIN

    def visible_turns(self) -> set[int]:
        """Turns with at least one row on screen now."""
        top = int(self.scroll_offset.y)
        rows = self._rows[top : top + max(self.scrollable_content_region.height, 0)]
        return {row.turn for row in rows}

    def turn_at_row(self, row: int) -> int | None:
        return self._rows[row].turn if 0 <= row < len(self._rows) else None

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - self._margin_width() - 1, 20)

    def _relayout(self) -> None:
        if self.document is None:
            return
        self._width = self._text_width()
        with gc_paused():  # 15,000 rows for a long chat: see gc_paused
            self._rows, self._first_row = layout_rows(self.document, self._width, frozenset(self.unfolded))
        self.stripes.forget_rows()
        self.virtual_size = Size(self._width + self._margin_width(), len(self._rows))
        self.refresh()

    def on_resize(self) -> None:
        if self.document is not None and self._text_width() != self._width:  # the margin may change too
            self._relayout()
            self._scroll_cursor_into_view()

    def on_click(self, event: Click) -> None:
        turn = self.turn_at_row(int(self.scroll_offset.y) + event.y)
        if turn is not None:
            self.post_message(TurnClicked(turn))

    def _scroll_cursor_into_view(self) -> None:
        if not self._first_row or self.document is None:
            return
        turn = min(self.state.cursor, len(self._first_row) - 1)
        top = self._first_row[turn]
        bottom = self._first_row[turn + 1] if turn + 1 < len(self._first_row) else len(self._rows)
        height = self.scrollable_content_region.height
        y = int(self.scroll_offset.y)
        if top < y or height <= 0:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > y + height:
            self.scroll_to(y=max(top, bottom - height), animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if self.document is None or index >= len(self._rows):
            return Strip.blank(width, self._background())
        row = self._rows[index]
        segments = self._segments(row, index)
        strip = Strip(segments).extend_cell_length(width, self._background())
        return strip.crop(scroll_x, scroll_x + width)

    def _band(self, turn: int) -> Segment:
        for coding in self._by_turn.get(turn, ()):
            code = self.codes.get(coding.code)
            if code is not None and code.group == "phases":
                return Segment("▌ ", Style(color=code.colour))
        return Segment("  ")

    def _line_style(self, turn: int) -> Style:
        lo, hi = self.state.marked_range()
        if turn == self.state.cursor:
            return self._style("transcript--cursor")
        if lo <= turn <= hi and self.state.mark is not None:
            return self._style("transcript--mark")
        return self._style("transcript--text")

    def _stripes(self, index: int) -> list[Segment]:
        """The margin of coding stripes for display row ``index`` (see :mod:`qcode.tui.stripes`)."""
        row = self._rows[index]
        return self.stripes.segments(
            index, self._rows, self._first_row, self._by_turn.get(row.turn, ()), self._starts,
            self._ends, self.codes, self.state.viewer,
        )

    def _segments(self, row: Row, index: int = 0) -> list[Segment]:
        assert self.document is not None
        u = self.document.utterances[row.turn]
        base = self._line_style(row.turn)
        margin = self._stripes(index) if self.stripes_shown else [self._band(row.turn)]
        if row.kind is RowKind.SILENCE:
            style = self._style("transcript--silence")
            lead = margin if self.stripes_shown else [Segment("  ")]
            return [*lead, Segment(row.label.center(self._width), style)]
        if row.kind is RowKind.HEADER:
            return [*margin, *self._header(u.index, base)]
        if row.kind is RowKind.TEXT:
            return [*margin, *self._text(row, base)]
        style = self._style("transcript--quoted")
        if row.kind is RowKind.SUBJECT:
            style = base + Style(bold=True)
        return [*margin, Segment(row.label, style)]

    def _header(self, turn: int, base: Style) -> list[Segment]:
        assert self.document is not None
        u = self.document.utterances[turn]
        when = f"{u.time:%H:%M}" if u.time else "--:--"
        if self.document.channel.value == "email" and u.time:
            when = f"{u.time:%d-%m-%Y %H:%M}"
        role_style = base + self._style(f"transcript--{u.role.value}")
        parts = [
            Segment(f"{when} ", base),
            Segment(f"{u.speaker or u.role.value}", role_style + Style(bold=True)),
        ]
        if u.out_of_order:
            warn = self._style("transcript--warning")
            parts.append(Segment(" ⚠ out of order", base + warn))
        if turn in self.state.memo_turns:
            parts.append(Segment(" ✎", base))
        seen: set[tuple[str, str]] = set()
        # The coder's own badges first: on a busy turn the line is cut at the right edge, and
        # what a coder must see is what they coded themselves (issue 16, 80×24).
        here = self._by_turn.get(turn, ())
        ordered = [c for c in here if c.coder == self.state.viewer] + [c for c in here if c.coder != self.state.viewer]
        for coding in ordered:
            if (coding.code, coding.coder) in seen:
                continue
            seen.add((coding.code, coding.coder))
            code = self.codes.get(coding.code)
            colour = code.colour if code else "grey50"
            whole = coding.start <= u.start and coding.end >= u.end
            label = coding.code_name + ("" if whole else "…")
            if coding.coder != self.state.viewer:
                label += f" ({coding.coder})"
            parts.append(Segment(" "))
            parts.append(Segment(f" {label} ", Style(bgcolor=colour, color=readable_on(colour))))
        picked = self.state.picked() if turn == self.state.cursor else None
        for s in self._suggest_by_turn.get(turn, ()):
            style = self._style("transcript--suggestion")
            if s is picked and len(self._suggest_by_turn[turn]) > 1:
                style += Style(reverse=True)  # the one a/x act on; ] moves on
            parts.append(Segment(f"  ? {s.code_name} {s.confidence:.2f}: {s.explanation}", style))
        return parts

    def _text(self, row: Row, base: Style) -> list[Segment]:
        assert self.document is not None
        u = self.document.utterances[row.turn]
        line = u.text[row.start : row.end]
        spans = [
            (max(c.start - u.start, row.start), min(c.end - u.start, row.end))
            for c in self._by_turn.get(row.turn, ())
            if not (c.start <= u.start and c.end >= u.end) and c.coder == self.state.viewer
        ]
        if not spans:
            return [Segment(line, base)]
        marked = [False] * len(line)
        for s, e in spans:
            for i in range(max(s - row.start, 0), max(min(e - row.start, len(line)), 0)):
                marked[i] = True
        out: list[Segment] = []
        underline = base + Style(underline=True)
        i = 0
        while i < len(line):
            j = i
            while j < len(line) and marked[j] == marked[i]:
                j += 1
            out.append(Segment(line[i:j], underline if marked[i] else base))
            i = j
        return out



def _overlapping(starts: list[int], ends: list[int], start: int, end: int) -> list[int]:
    """Turns whose span overlaps [start, end) (binary search: turns are in text order)."""
    lo = bisect_right(ends, start)
    hi = bisect_left(starts, end)
    return [t for t in range(lo, hi) if starts[t] < end and ends[t] > start]
