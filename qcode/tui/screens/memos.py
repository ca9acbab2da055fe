"""The memo list ("memo: list"): read, search and edit every memo, and jump to its place.

One service (:mod:`qcode.services.memos`) lists and writes the memos; the screen only lays
them out. Typing in the search box filters by text; ``k`` cycles the kind of place; enter
opens the memo's document at its turn (escape there comes back here); ``e`` edits (a memo
another coder wrote on a turn, document, case or code is theirs: ``e`` then opens yours at
the same place); ``n`` writes a new free memo; ``d`` clears one; ``u`` undoes your last step.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from qcode.coding.memo import Memo, MemoKind, MemoTarget
from qcode.errors import QcodeError
from qcode.services import codings as coding_service
from qcode.services import memos as memo_service
from qcode.services.memos import MemoFilter
from qcode.tui.bindings import MEMO_LIST_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import OpenDocument
from qcode.tui.screens.memo import MemoModal

KINDS: tuple[MemoKind | None, ...] = (None, *MemoKind)
"""The kind filter ``k`` cycles through (None: every kind)."""
_KIND_LABEL = {
    MemoKind.CODING: "coding", MemoKind.UTTERANCE: "turn", MemoKind.DOCUMENT: "document",
    MemoKind.CASE: "case", MemoKind.CODE: "code", MemoKind.PROJECT: "free",
}


def short_place(memo: Memo) -> str:
    """The memo's place in few characters, for the list's first column."""
    if memo.kind is MemoKind.PROJECT:
        return "free memo"
    if memo.kind is MemoKind.CODE:
        return f"code {memo.code_name or memo.code}"
    if memo.kind is MemoKind.CASE:
        return f"case {memo.case}"
    turn = f" #{memo.turn}" if memo.turn is not None else ""
    if memo.kind is MemoKind.CODING:
        return f"{memo.document}{turn} {memo.code_name or ''}".strip()
    return f"{memo.document}{turn}"


class MemoListScreen(Screen[None]):
    """Every memo the coder may see, filtered by text and kind."""

    BINDINGS = MEMO_LIST_BINDINGS

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__()
        self.context = context
        self.kind = 0
        self.memos: list[Memo] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="search memos (text)", id="memo-search")
        yield Static("", id="memo-options")
        table: DataTable[str | Text] = DataTable(id="memo-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="memo-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Memos"
        self.refresh_memos()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_memos()  # back from a document, where memos may have changed

    # ---- the list ------------------------------------------------------------------------
    def refresh_memos(self) -> None:
        """Read the memos again with the current filters and show them."""
        text = self.query_one("#memo-search", Input).value.strip()
        kind = KINDS[self.kind]
        flt = MemoFilter(kinds=[kind] if kind is not None else None, text=text or None)
        try:
            self.memos = memo_service.list_memos(self.context.project, self.context.coder, flt)
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            self.memos = []
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        place = min(max((len(short_place(m)) for m in self.memos), default=10), 34)
        who = max((len(m.coder) for m in self.memos), default=5)
        table.add_column("place", key="place", width=place)
        table.add_column("by", key="coder", width=who)
        table.add_column("memo", key="memo", width=max(self.size.width - place - who - 9, 20))
        for number, memo in enumerate(self.memos):
            first = memo.text.strip().splitlines()[0] if memo.text.strip() else ""
            table.add_row(short_place(memo), memo.coder, first, key=str(number))
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        kind = KINDS[self.kind]
        self.query_one("#memo-options", Static).update(
            f"{len(self.memos)} memo(s) · k kind: {_KIND_LABEL[kind] if kind else 'all'} · "
            "enter go to · e edit · n new free memo · d clear"
        )
        self._preview()

    def current(self) -> Memo | None:
        table = self.query_one(DataTable)
        if not self.memos or not table.row_count:
            return None
        return self.memos[min(table.cursor_row, len(self.memos) - 1)]

    def _preview(self) -> None:
        memo = self.current()
        text = "" if memo is None else (
            f"{memo.place()} · {memo.coder} · {memo.updated:%Y-%m-%d %H:%M}\n{memo.text}"
        )
        self.query_one("#memo-preview", Static).update(Text(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_memos()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(DataTable).focus()

    def action_cycle_kind(self) -> None:
        self.kind = (self.kind + 1) % len(KINDS)
        self.refresh_memos()

    def action_focus_search(self) -> None:
        self.query_one("#memo-search", Input).focus()

    # ---- going to the place --------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_go()

    def action_go(self) -> None:
        """Open the memo's document at its turn; a case memo opens the case's first document."""
        memo = self.current()
        if memo is None:
            return
        if memo.document:
            self.app.post_message(OpenDocument(memo.document, turn=memo.utterance))
        elif memo.kind is MemoKind.CASE and memo.case:
            first = memo_service.first_document(self.context.project, memo.case)
            if first is not None:
                self.app.post_message(OpenDocument(first))
        else:
            self.notify(f"A memo on the {'project' if memo.kind is MemoKind.PROJECT else 'code'} has no "
                        "place in a transcript; e edits it.")

    # ---- writing -------------------------------------------------------------------------
    def _write(self, target: MemoTarget, title: str, text: str) -> None:
        def done(new: str | None) -> None:
            if new is None:
                return
            try:
                memo_service.write_memo(self.context.project, target, self.context.coder, new)
            except QcodeError as error:
                self.notify(error.message, title=error.title or "qcode", severity="error")
                return
            self.refresh_memos()

        self.app.push_screen(MemoModal(title, text), done)

    def action_edit(self) -> None:
        memo = self.current()
        if memo is None:
            return
        target = memo.target()
        shared = memo.kind in (MemoKind.CODING, MemoKind.PROJECT)
        if shared or memo.coder == self.context.coder:
            self._write(target, f"Memo on {memo.place()}", memo.text)
            return
        mine = memo_service.memo_text(self.context.project, target, self.context.coder)
        self.notify(f"That memo is {memo.coder}'s; this is yours on the same place.")
        self._write(target, f"Your memo on {memo.place()}", mine)

    def action_new(self) -> None:
        self._write(MemoTarget.on_project(), "New free memo (on the project)", "")

    def action_clear(self) -> None:
        memo = self.current()
        if memo is None:
            return
        if memo.coder != self.context.coder and memo.kind not in (MemoKind.CODING, MemoKind.PROJECT):
            self.notify(f"That memo is {memo.coder}'s; only they can clear it.", severity="warning")
            return
        try:
            memo_service.write_memo(self.context.project, memo.target(), self.context.coder, "")
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return
        self.notify(f"Cleared the memo on {memo.place()} (u brings it back).")
        self.refresh_memos()

    def action_undo(self) -> None:
        try:
            done = coding_service.undo(self.context.project, self.context.coder)
        except QcodeError as error:
            self.notify(error.message, severity="error")
            return
        self.notify(done or "Nothing to undo.")
        self.refresh_memos()

    def action_back(self) -> None:
        if self.focused is self.query_one("#memo-search", Input):
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()
