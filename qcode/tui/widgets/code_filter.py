"""Code search while coding: a one-line box above the codebook panel (``/`` in the transcript).

Each keystroke narrows the panel (:meth:`CodebookPanel.show_matching`); up/down move the
highlight; enter applies the highlighted code to the current turn or marked range; escape
closes the search and goes back to the transcript.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Input

from qcode.tui.bindings import CODE_FILTER_BINDINGS


class CodeFilter(Input):
    """Typing here filters the codebook panel; the screen wires it to the panel."""

    BINDINGS = CODE_FILTER_BINDINGS

    @dataclass
    class Closed(Message):
        """Escape: the coder leaves the code search."""

    @dataclass
    class Step(Message):
        """Up/down: move the panel's highlight by ``step`` codes."""

        step: int

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def action_highlight(self, step: int) -> None:
        self.post_message(self.Step(step))
