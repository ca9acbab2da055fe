"""Code search while coding: a one-line box above the codebook panel (``/`` in the transcript).

Each keystroke narrows the panel (:meth:`CodebookPanel.show_matching`); up/down move the
highlight; enter applies the highlighted code to the current turn or marked range; escape
closes the search and goes back to the transcript.

Enter, escape and the arrows call the screen back directly instead of posting messages: a
message is handled later, after keys typed right behind it (``/ open enter j``), which would
then be typed into the box instead of reaching the transcript (issue 16, fast typing).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from qcode.tui.bindings import CODE_FILTER_BINDINGS


class CodeFilter(Input):
    """Typing here filters the codebook panel; the screen gives the three callbacks."""

    BINDINGS = CODE_FILTER_BINDINGS

    def __init__(
        self,
        on_enter: Callable[[str], None],
        on_close: Callable[[], None],
        on_step: Callable[[int], None],
        *,
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self._when_chosen, self._when_closed, self._when_stepped = on_enter, on_close, on_step

    async def action_submit(self) -> None:
        self._when_chosen(self.value)

    def action_close(self) -> None:
        self._when_closed()

    def action_highlight(self, step: int) -> None:
        self._when_stepped(step)
