"""The codebook as a side panel: codes grouped as in the codebook, each with its hotkey."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qcode.codebook.model import Codebook
from qcode.tui.messages import CodeChosen


def code_options(codebook: Codebook) -> list[Option]:
    """Group headers (disabled) followed by their codes, in codebook order."""
    options: list[Option] = []
    labels = dict(codebook.groups)
    order = [g for g, _ in codebook.groups]
    order += sorted({c.group for c in codebook.codes} - set(order))
    for group in order:
        codes = [c for c in codebook.codes if c.group == group and not c.automatic]
        codes += [c for c in codebook.codes if c.group == group and c.automatic]
        if not codes:
            continue
        options.append(Option(Text(labels.get(group, group), style="bold"), disabled=True))
        for code in codes:
            prompt = Text()
            prompt.append("█ ", Style(color=code.colour))
            prompt.append(f"{code.hotkey or ' '} ", Style(bold=True))
            prompt.append(code.name)
            if code.automatic:
                prompt.append(" (auto)", Style(dim=True))
            options.append(Option(prompt, id=code.id))
    return options


class CodebookPanel(OptionList):
    """Click (or enter, when focused) a code to apply it to the current utterance or range."""

    def __init__(self, codebook: Codebook, *, id: str | None = None) -> None:
        super().__init__(*code_options(codebook), id=id)
        self.can_focus = False

    def highlighted_code(self) -> str | None:
        """Id of the highlighted code (the fragments key and the codebook editor act on it)."""
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def show_codebook(self, codebook: Codebook) -> None:
        """The codebook changed (edited in the workbench): list it anew, highlight kept."""
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(code_options(codebook))
        if highlighted is not None and self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(CodeChosen(event.option.id))
