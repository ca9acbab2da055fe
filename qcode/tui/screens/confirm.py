"""A yes/no question that says exactly what will happen before it happens."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from qcode.tui.bindings import CONFIRM_BINDINGS


class ConfirmModal(ModalScreen[bool]):
    """Shows ``question`` (plain text); ``y``/enter answer yes, ``n``/escape no."""

    BINDINGS = CONFIRM_BINDINGS

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.title_text = title
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Label(self.question, id="confirm-text", markup=False)
            yield Label("y / enter: yes · n / escape: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
