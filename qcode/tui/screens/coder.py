"""Who is coding? Chosen (or created) before anything else; shown in the header afterwards."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from qcode.errors import QcodeError
from qcode.services import team as team_service
from qcode.tui.bindings import CODER_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import CoderChosen


def coder_label(name: str, supervisor: bool) -> str:
    """How the picker names a coder: supervisors marked, as only they settle disagreements."""
    return f"{name} (supervisor)" if supervisor else name


class CoderScreen(Screen[str]):
    """Dismisses with the coder's name; supervisors are marked in the list.

    Escape keeps the current coder (dismisses with None); with no coder yet there is
    nothing to go back to, so it says how to go on instead. A new name is created as a coder
    before the screen answers (a reserved name is refused here); the answer goes to the app as
    :class:`~qcode.tui.messages.CoderChosen`.
    """

    BINDINGS = CODER_BINDINGS

    def __init__(self, context: WorkbenchContext, coders: list[str], supervisors: set[str] | None = None) -> None:
        super().__init__()
        self.context = context
        self.coders = coders
        self.supervisors = supervisors or set()
        self.current = context.coder

    def action_cancel(self) -> None:
        if self.current:
            self.dismiss(None)
        else:
            self.notify("Choose a coder or type a new name first (q quits).", severity="warning")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="dialog", id="coder-box"):
            yield Label("Who is coding?", classes="dialog-title")
            if self.coders:
                yield OptionList(
                    *(Option(coder_label(c, c in self.supervisors), id=c) for c in self.coders), id="coders"
                )
            yield Input(placeholder="new coder name, then enter", id="new-coder")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "qcode"
        target = self.query("#coders").first() if self.coders else self.query_one(Input)
        target.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._chosen(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            return
        try:
            team_service.add_coder(self.context.project, name)
        except QcodeError as error:
            self.notify(error.message, severity="error")
            return
        self._chosen(name)

    def _chosen(self, name: str) -> None:
        """Tell the app who codes now (it sets the coder everywhere), and close."""
        self.app.post_message(CoderChosen(name))
        self.dismiss(name)
