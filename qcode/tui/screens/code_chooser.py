"""Pick one code from the codebook, grouped as in the codebook panel (one dialog for every
screen that asks for a code: fragments, coding search hits)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList

from qcode.codebook.model import Codebook
from qcode.tui.widgets.codebook_panel import code_options


class CodeChooser(ModalScreen[str | None]):
    """Returns the chosen code's id, or None (escape). ``automatic`` False leaves out the codes
    only the automatic coder applies (a person cannot code with them)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="chooser.cancel")]

    def __init__(
        self, codebook: Codebook, title: str, hint: str = "enter choose · escape cancel", automatic: bool = True
    ) -> None:
        super().__init__()
        self.codebook = codebook
        self.title_text = title
        self.hint = hint
        self.automatic = automatic

    def compose(self) -> ComposeResult:
        automatic = {c.id for c in self.codebook.codes if c.automatic}
        options = [
            o for o in code_options(self.codebook) if self.automatic or o.disabled or o.id not in automatic
        ]
        with Vertical(classes="dialog", id="code-chooser"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*options, id="chooser-codes")
            yield Label(self.hint, classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
