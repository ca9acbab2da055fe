"""The codebook as a side panel: codes grouped as in the codebook, each with its hotkey.

Typing in the code filter above it (``/``) narrows the panel to the codes whose name, Dutch or
English definition, group or hotkey contains the typed text (:func:`code_matches`); enter
applies the highlighted code.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qcode.codebook.model import Code, Codebook
from qcode.tui.messages import CodeChosen


def code_rank(code: Code, query: str, group_label: str = "") -> int | None:
    """How well ``code`` matches a typed ``query`` (lower is better), None if it does not.

    The hotkey typed exactly comes first, then a name starting with the text, a name containing
    it, then a match in the group or a definition. Case is ignored.
    """
    q = query.strip().casefold()
    if not q:
        return 0
    name = code.name.casefold()
    if code.hotkey and code.hotkey.casefold() == q:
        return 0
    if name.startswith(q):
        return 1
    if q in name:
        return 2
    if q in group_label.casefold() or q in code.group.casefold():
        return 3
    if q in (code.definition_nl or "").casefold() or q in (code.definition_en or "").casefold():
        return 4
    return None


def _option(code: Code) -> Option:
    prompt = Text()
    prompt.append("█ ", Style(color=code.colour))
    prompt.append(f"{code.hotkey or ' '} ", Style(bold=True))
    prompt.append(code.name)
    if code.automatic:
        prompt.append(" (auto)", Style(dim=True))
    return Option(prompt, id=code.id)


def code_options(codebook: Codebook, query: str = "") -> list[Option]:
    """Group headers (disabled) followed by their codes, in codebook order; with ``query``,
    only the codes that match it, best first (:func:`code_rank`; codebook order among equals).

    Each option is one line (the panel's CSS cuts long names with "…"): wrapped names pushed
    most groups off a 24-line screen.
    """
    labels = dict(codebook.groups)
    order = [g for g, _ in codebook.groups]
    order += sorted({c.group for c in codebook.codes} - set(order))
    grouped = [
        (group, [c for c in codebook.codes if c.group == group and not c.automatic]
         + [c for c in codebook.codes if c.group == group and c.automatic])
        for group in order
    ]
    if query.strip():
        ranked = [
            (rank, position, code)
            for position, code in enumerate(c for _, codes in grouped for c in codes)
            if (rank := code_rank(code, query, labels.get(code.group, code.group))) is not None
        ]
        return [_option(code) for _, _, code in sorted(ranked, key=lambda r: (r[0], r[1]))]
    options: list[Option] = []
    for group, codes in grouped:
        if codes:
            options.append(Option(Text(labels.get(group, group), style="bold"), disabled=True))
            options.extend(_option(code) for code in codes)
    return options


class CodebookPanel(OptionList):
    """Click (or enter, when focused) a code to apply it to the current utterance or range."""

    def __init__(self, codebook: Codebook, *, id: str | None = None) -> None:
        super().__init__(*code_options(codebook), id=id)
        self.codebook = codebook
        self.can_focus = False
        self.query_text = ""
        """What the panel shows the matches of ("" = the whole codebook)."""

    def highlighted_code(self) -> str | None:
        """Id of the highlighted code (the fragments key and the codebook editor act on it)."""
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def show_codebook(self, codebook: Codebook) -> None:
        """The codebook changed (edited in the workbench): list it anew, filter and highlight kept."""
        self.codebook = codebook
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(code_options(codebook, self.query_text))
        if highlighted is not None and self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(CodeChosen(event.option.id))

    # ---- filtering (the code filter types, the panel shows) --------------------------------
    def show_matching(self, query: str) -> None:
        """Show only the codes matching ``query`` (all, grouped, for ""), the best highlighted."""
        self.query_text = query
        self.clear_options()
        self.add_options(code_options(self.codebook, query))
        first = next((i for i, option in enumerate(self.options) if option.id is not None), None)
        self.highlighted = first
        if first is not None:
            self.scroll_to_highlight()

    def move_highlight(self, step: int) -> None:
        """Move the highlight ``step`` codes on (group headers are skipped), scrolling with it."""
        codes = [i for i, option in enumerate(self.options) if option.id is not None]
        if not codes:
            return
        current = codes.index(self.highlighted) if self.highlighted in codes else 0
        self.highlighted = codes[max(0, min(current + step, len(codes) - 1))]
