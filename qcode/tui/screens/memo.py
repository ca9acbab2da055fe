"""A small modal to write or edit a memo (on a coding, an utterance or a document)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class MemoModal(ModalScreen[str | None]):
    """Returns the memo text (ctrl+s) or None (escape); an empty text clears the memo."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="memo.save"),
        Binding("escape", "cancel", "Cancel", id="memo.cancel"),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="memo-box", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield TextArea(self.text, id="memo-text")
            yield Label("ctrl+s save · escape cancel · empty text removes the memo", classes="hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
