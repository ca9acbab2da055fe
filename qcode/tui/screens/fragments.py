"""Fragments by code: every coded fragment of one code, filtered, and a jump to its place.

The list is :func:`qcode.services.fragments.code_fragments` (the query runs in a thread
worker); this screen only lays it out. Enter opens the fragment's turn in the transcript;
escape there comes back to this list, filter and row kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from qcode.errors import QcodeError
from qcode.services.fragments import Fragment, Fragments, code_fragments, parse_filter
from qcode.tui.bindings import FRAGMENTS_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import OpenFragment
from qcode.tui.screens.code_chooser import CodeChooser

DEBOUNCE = 0.3
"""Seconds after the last keystroke in the filter box before the list is read again."""


def one_line(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


def turn_label(fragment: Fragment) -> str:
    return str(fragment.turn) if fragment.turn == fragment.last_turn else f"{fragment.turn}–{fragment.last_turn}"


@dataclass
class FragmentsRead(Message):
    """The worker read the fragments (``found``) or failed (``error``) for read number ``asked``."""

    bubble: ClassVar[bool] = False
    asked: int
    found: Fragments | None
    error: str = ""


class FragmentsScreen(Screen[None]):
    """Every fragment coded with one code: document, turn, coder, text, memo."""

    BINDINGS = FRAGMENTS_BINDINGS

    def __init__(self, context: WorkbenchContext, code: str, filter_text: str = "", row: int = 0) -> None:
        super().__init__()
        self.context = context
        self.code = code
        """Code id (or name) whose fragments are listed."""
        self.filter_text = filter_text
        self.row = row
        """Row to put the cursor on once the list is read (coming back from the transcript)."""
        self.found: Fragments | None = None
        self._timer: Timer | None = None
        self._asked = 0
        """Counts reads, so a slow older read never replaces a newer one's list."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            self.filter_text, placeholder="filter: coder=anna case=casus-03 channel=chat regio=Parkstad",
            id="fragments-filter",
        )
        table: DataTable[str | Text] = DataTable(id="fragments-list", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="fragments-preview")
        yield Static("Reading…", id="fragments-status")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Fragments"
        self.query_one(DataTable).focus()
        self._start()

    def on_resize(self, event: events.Resize) -> None:
        if self.found is not None:
            self._fill()

    # ---- reading --------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self.filter_text:
            return
        self.filter_text = event.value
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._start)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.filter_text = event.value
        self._start()
        self.query_one(DataTable).focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and isinstance(self.focused, Input):
            event.stop()
            self.query_one(DataTable).focus()

    def _start(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._asked += 1
        self.read(self._asked, self.code, self.filter_text)

    @work(thread=True, exclusive=True, group="fragments")
    def read(self, asked: int, code: str, filter_text: str) -> None:
        """The service call, in a thread: a code used 5,000 times must not freeze the keys."""
        try:
            found = code_fragments(self.context.project, code, parse_filter(filter_text), self.context.coder)
        except QcodeError as error:
            self.post_message(FragmentsRead(asked, None, error.message))
            return
        self.post_message(FragmentsRead(asked, found))

    def on_fragments_read(self, message: FragmentsRead) -> None:
        if message.asked != self._asked:
            return  # a newer read is on its way
        if message.found is None:
            self.query_one("#fragments-status", Static).update(Text(message.error))
            return
        self._show(message.found)

    def _show(self, found: Fragments) -> None:
        self.found = found
        self.code = found.code
        self.sub_title = f"code: {found.code_name}"
        self._fill()
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=min(self.row, table.row_count - 1))
        self._preview()
        asked_for = found.filter.describe()
        self.query_one("#fragments-status", Static).update(
            Text(
                f"{found.code_name}: {len(found.fragments)} fragment(s) in {found.documents} document(s)"
                + (f" ({asked_for})" if asked_for else "")
                + " · enter opens · / filter · o other code"
            )
        )

    def _fill(self) -> None:
        assert self.found is not None
        table = self.query_one(DataTable)
        table.clear(columns=True)
        fragments = self.found.fragments
        number = max(len(str(len(fragments))), 1)
        document = min(max((len(f.document) for f in fragments), default=8), 26)
        turn = max((len(turn_label(f)) for f in fragments), default=4)
        coder = min(max((len(f.coder) for f in fragments), default=5), 10)
        coder = max(coder, 5)
        memo = 12
        # The memo column shows the coding's memo; memos as their own data (issue 16 item 2)
        # can fill it from the memo service instead, with no other change to this screen.
        text = max(self.size.width - number - document - turn - coder - memo - 12, 16)
        table.add_column("#", key="number", width=number)
        table.add_column("document", key="document", width=document)
        table.add_column("turn", key="turn", width=max(turn, 4))
        table.add_column("coder", key="coder", width=coder)
        table.add_column("text", key="text", width=text)
        table.add_column("memo", key="memo", width=memo)
        for f in fragments:
            doc = f.document if len(f.document) <= document else "…" + f.document[-(document - 1) :]
            table.add_row(
                str(f.number), doc, turn_label(f), one_line(f.coder, coder), one_line(f.text, text),
                one_line(f.memo, memo), key=str(f.number),
            )

    # ---- actions --------------------------------------------------------------------------
    def current(self) -> Fragment | None:
        table = self.query_one(DataTable)
        if self.found is None or not self.found.fragments or not table.row_count:
            return None
        return self.found.fragments[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted fragment in full below the list (the text column is cut at 80×24)."""
        event.stop()
        self._preview()

    def _preview(self) -> None:
        fragment = self.current()
        preview = self.query_one("#fragments-preview", Static)
        if fragment is None:
            preview.update("")
            return
        line = Text()
        line.append(f"{fragment.document} turn {turn_label(fragment)} · {fragment.speaker or fragment.role} · {fragment.coder}: ", style="bold")
        line.append(" ".join(fragment.text.split()))
        if fragment.memo:
            line.append(f"  memo: {fragment.memo}", style="italic")
        preview.update(line)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_fragment()

    def action_open_fragment(self) -> None:
        """Show the fragment's turn in the transcript; escape there comes back here."""
        fragment = self.current()
        if fragment is None:
            return
        row = self.query_one(DataTable).cursor_row
        self.app.post_message(OpenFragment(fragment.document, fragment.index, self.code, self.filter_text, row))

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_other_code(self) -> None:
        def chosen(code: str | None) -> None:
            if code:
                self.code, self.row = code, 0
                self._start()

        self.app.push_screen(CodeChooser(self.context.codebook, "Find the fragments of:"), chosen)

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()

