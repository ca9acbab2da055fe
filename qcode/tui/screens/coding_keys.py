"""The coding screen's keys: typing order for every key, and the code search box.

A mixin of :class:`qcode.tui.screens.coding.CodingScreen`, kept apart so the screen module
stays readable; it uses the screen's ``codebook``, ``context`` and ``apply_code``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from qcode.tui.bindings import APP_BINDINGS, CODING_BINDINGS, key_name
from qcode.tui.widgets.code_filter import CodeFilter
from qcode.tui.widgets.codebook_panel import CodebookPanel
from qcode.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from qcode.codebook.model import Codebook
    from qcode.tui.context import WorkbenchContext


class CodingKeys(Screen[None]):
    """Priority bindings for the transcript's keys and code hotkeys; the code search box."""

    if TYPE_CHECKING:
        codebook: Codebook
        context: WorkbenchContext

        def apply_code(self, code_id: str) -> None: ...

    def _bind_keys(self) -> None:
        """Make every key of this screen, the code hotkeys included, a priority binding.

        Textual runs priority bindings the moment the app takes a key from its queue, in the
        order typed. Other keys first travel to the focused widget and back, and a code
        hotkey handled on the way overtook the moves and the range mark typed before it
        (``w r j j 2`` typed fast coded turn 1 only, issue 16). Keys an input box consumes
        (the code search, typing letters) are left to it by Textual; :meth:`check_action`
        keeps the rest (escape, enter) for it too. A binding wins over a hotkey on its key.
        """
        keymap = dict(self.context.project.settings.keys)
        taken: set[str] = set()
        for binding in [*APP_BINDINGS, *CODING_BINDINGS]:
            if isinstance(binding, Binding):
                taken.update(key_name(k) for k in keymap.get(binding.id or "", binding.key).split(","))
        bindings = self._bindings.key_to_bindings
        for key in list(bindings):
            bindings[key] = [replace(b, priority=True) for b in bindings[key]]
        for code in self.codebook.codes:
            if code.hotkey and not code.automatic and key_name(code.hotkey) not in taken:
                self._bindings.bind(
                    key_name(code.hotkey), f"hotkey('{code.id}')", f"code: {code.name}", show=False, priority=True
                )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the code search box has the keyboard, its keys are its own."""
        return not isinstance(self.focused, CodeFilter)

    def action_hotkey(self, code_id: str) -> None:
        self.apply_code(code_id)

    # ---- code search (the filter above the codebook panel) --------------------------------------
    def action_find_code(self) -> None:
        # set_focus, not focus(): focus() waits its turn in the app's queue, behind the letters
        # typed right after "/", which would then reach the transcript as code hotkeys.
        self.set_focus(self.query_one(CodeFilter))

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, CodeFilter):
            event.stop()
            # The box's value now, not the event's: a late event must not undo a newer state.
            self._panel(event.input.value)

    def _panel(self, query: str) -> CodebookPanel:
        """The panel, showing what ``query`` matches (its Changed event may not be handled yet)."""
        panel = self.query_one(CodebookPanel)
        if panel.query_text != query:
            panel.show_matching(query)
        return panel

    def choose_from_filter(self, query: str) -> None:
        """Enter in the code search: apply the highlighted code, back to the transcript."""
        code = self._panel(query).highlighted_code()
        if code is None:
            self.notify(f"No code matches '{query}'.")
            return
        self.close_code_filter()
        self.apply_code(code)

    def step_filter(self, step: int) -> None:
        self._panel(self.query_one(CodeFilter).value).move_highlight(step)

    def close_code_filter(self) -> None:
        """Leave the code search: empty box, the whole codebook, the transcript focused."""
        box = self.query_one(CodeFilter)
        if box.value:
            box.value = ""
        self._panel("")
        self.set_focus(self.query_one(TranscriptView))
