"""What the coding screen knows about the open document, as one plain value for the view."""

from __future__ import annotations

from dataclasses import dataclass, field

from qcode.services.suggestions import ShownSuggestion
from qcode.services.workbench import CodingView


@dataclass
class CodingState:
    """Cursor, range mark, codings and pending suggestions of the open document."""

    viewer: str = ""
    """The coder at the keyboard (their codings get no name tag)."""
    cursor: int = 0
    """Index of the current utterance."""
    mark: int | None = None
    """Start of a marked range of utterances (segments: phases, dominance), or None."""
    codings: list[CodingView] = field(default_factory=list)
    suggestions: list[ShownSuggestion] = field(default_factory=list)
    memo_turns: set[int] = field(default_factory=set)
    """Utterances that carry a memo (shown as ✎)."""
    pick: int = 0
    """Which of the cursor turn's pending suggestions ``a``/``x`` act on (``]`` cycles)."""

    def marked_range(self) -> tuple[int, int]:
        """(first, last) utterance the next code applies to: the mark..cursor range or cursor."""
        if self.mark is None:
            return self.cursor, self.cursor
        return min(self.mark, self.cursor), max(self.mark, self.cursor)

    def suggestions_at(self, turn: int) -> list[ShownSuggestion]:
        return [s for s in self.suggestions if s.turn == turn]

    def picked(self) -> ShownSuggestion | None:
        """The pending suggestion under the cursor that accept/reject act on, if any."""
        found = self.suggestions_at(self.cursor)
        return found[self.pick % len(found)] if found else None

    def mine_at(self, turn: int, start: int, end: int) -> list[CodingView]:
        """The viewer's codings overlapping [start, end) (the current utterance's span)."""
        return [
            c for c in self.codings if c.coder == self.viewer and c.start < end and c.end > start
        ]
