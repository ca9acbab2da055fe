"""The coding screen's memo actions: on the current turn, the document, your coding, the
document's case, and the code of your latest coding here (its working definition).

A mixin of :class:`~qcode.tui.screens.coding.CodingScreen`, kept apart so the screen stays a
readable size; every memo goes through :mod:`qcode.services.memos`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qcode.coding.memo import MemoTarget
from qcode.services import memos as memo_service
from qcode.tui.screens.memo import MemoModal

if TYPE_CHECKING:
    from textual.app import App

    from qcode.services.workbench import CodingView
    from qcode.transcripts.model import Document
    from qcode.tui.context import WorkbenchContext
    from qcode.tui.state import CodingState


class MemoActions:
    """Memo actions for a screen showing one document with a turn cursor."""

    if TYPE_CHECKING:
        document: Document
        state: CodingState
        context: WorkbenchContext
        app: App[Any]
        def notify(self, message: str, **kwargs: Any) -> None: ...
        def reload(self) -> None: ...
        def _guard(self, action: Callable[[], object]) -> bool: ...

    def action_memo_utterance(self) -> None:
        turn = self.state.cursor
        self._edit_memo(MemoTarget.on_document(self.document.key, turn), f"Memo on turn {turn + 1}")

    def action_memo_document(self) -> None:
        self._edit_memo(MemoTarget.on_document(self.document.key), f"Memo on {self.document.key}")

    def action_memo_case(self) -> None:
        """Your memo on the case this document belongs to."""
        self._edit_memo(MemoTarget.on_case(self.document.case_key), f"Memo on case {self.document.case_key}")

    def action_memo_code(self) -> None:
        """Your working definition of the code of your latest coding on this turn."""
        coding = self._latest_coding("Code this turn first: the code memo is on the code of your latest coding here.")
        if coding is not None:
            self._edit_memo(MemoTarget.on_code(coding.code), f"Memo on code {coding.code_name} (your working definition)")

    def action_memo_coding(self) -> None:
        coding = self._latest_coding("You have no coding on this utterance.")
        if coding is not None:
            self._edit_memo(MemoTarget.on_coding(coding.id), f"Memo on {coding.code_name}", coding.memo, coding.version)

    def _latest_coding(self, none: str) -> CodingView | None:
        u = self.document.utterances[self.state.cursor]
        mine = self.state.mine_at(u.index, u.start, u.end)
        if not mine:
            self.notify(none)
            return None
        return max(mine, key=lambda c: c.id)

    def _edit_memo(self, target: MemoTarget, title: str, current: str | None = None,
                   version: int | None = None) -> None:
        """Open the memo editor on ``target`` (with your memo there) and save what is written."""
        project, coder = self.context.project, self.context.coder
        if current is None:
            current = memo_service.memo_text(project, target, coder)

        def done(text: str | None) -> None:
            if text is not None:
                self._guard(lambda: memo_service.write_memo(project, target, coder, text, version))
                self.reload()

        self.app.push_screen(MemoModal(title, current), done)
