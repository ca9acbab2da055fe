"""Coding part of an utterance: select text, then press a code's hotkey."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from qcode.tui.bindings import SPAN_BINDINGS


class SpanModal(ModalScreen[tuple[int, int, str] | None]):
    """Returns (start, end, code id) with offsets into the utterance text, or None."""

    BINDINGS = SPAN_BINDINGS

    def __init__(self, text: str, hotkeys: dict[str, str]) -> None:
        super().__init__()
        self.text = text
        self.hotkeys = hotkeys
        """Key -> code id."""

    def compose(self) -> ComposeResult:
        with Vertical(id="span-box", classes="dialog"):
            yield Label("Select text (shift+arrows or mouse), then press a code's hotkey", classes="dialog-title")
            yield TextArea(self.text, read_only=True, soft_wrap=True, id="span-text")
            yield Label("escape cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def selected_offsets(self) -> tuple[int, int]:
        """The selection as (start, end) offsets into the utterance text."""
        area = self.query_one(TextArea)
        a = self._index(area.selection.start)
        b = self._index(area.selection.end)
        return min(a, b), max(a, b)

    def _index(self, location: tuple[int, int]) -> int:
        """Offset of a (row, column) location in the utterance text (rows split on LF)."""
        row, column = location
        lines = self.text.split("\n")
        return sum(len(line) + 1 for line in lines[:row]) + column

    def on_key(self, event: events.Key) -> None:
        code = self.hotkeys.get(event.key)
        if code is None:
            return
        event.stop()
        start, end = self.selected_offsets()
        if end <= start:
            self.notify("Select some text first.", severity="warning")
            return
        self.dismiss((start, end, code))

    def action_cancel(self) -> None:
        self.dismiss(None)
