"""The search screen: find words, lemmas or patterns, read the hits in context, code them.

The same search as ``qcode search`` (:mod:`qcode.services.search`): the screen only collects
the options and lays out the hits. Searching runs in a thread worker, started a moment after
the last keystroke (debounced), so typing never waits for the corpus; a newer search replaces
an older one's result. Coding the marked hits is one service call, so one undo takes it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from qcode.errors import QcodeError
from qcode.services import codings as coding_service
from qcode.services.search import Hit, SearchMode, SearchRequest, SearchResult, search
from qcode.services.search_coding import UNITS, code_hits
from qcode.transcripts.model import Channel, Role
from qcode.tui.bindings import SEARCH_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import OpenDocument
from qcode.tui.screens.code_chooser import CodeChooser

DEBOUNCE = 0.3
"""Seconds after the last keystroke before the search starts."""

MODES = (SearchMode.PLAIN, SearchMode.LEMMA, SearchMode.REGEX)
SPEAKERS: tuple[Role | None, ...] = (None, Role.CLIENT, Role.COUNSELLOR)
CHANNELS: tuple[Channel | None, ...] = (None, Channel.CHAT, Channel.EMAIL)
MARK = "●"


def parse_where(text: str) -> tuple[tuple[str, str], ...]:
    """``regio=Parkstad geslacht=vrouw`` as (attribute, value) pairs; other words are ignored."""
    pairs = []
    for term in text.split():
        name, sep, value = term.partition("=")
        if sep and name:
            pairs.append((name, value))
    return tuple(pairs)


def in_context(hit: Hit, width: int) -> Text:
    """The words before (cut from the left), the hit (highlighted), the words after."""
    side = max((width - len(hit.text)) // 2, 3)
    before = hit.before if len(hit.before) <= side else "…" + hit.before[-(side - 1) :]
    line = Text(before.rjust(side))
    line.append(hit.text, style="bold reverse")
    line.append(hit.after[: max(width - side - len(hit.text), 0)])
    return line


@dataclass
class SearchProgress(Message):
    """A note from the running search (the first lemma search reads the corpus)."""

    bubble: ClassVar[bool] = False
    note: str


@dataclass
class SearchDone(Message):
    """Search number ``asked`` found ``result`` for ``request``, or failed with ``error``."""

    bubble: ClassVar[bool] = False
    asked: int
    request: SearchRequest
    result: SearchResult | None
    error: str = ""


class SearchScreen(Screen[None]):
    """Search the corpus; ``space`` marks a hit, ``c`` codes the marked hits, enter opens the turn."""

    BINDINGS = SEARCH_BINDINGS

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__()
        self.context = context
        self.mode = 0
        self.speaker = 0
        self.channel = 0
        self.quoted = False
        self.unit = 0
        self.hits: list[Hit] = []
        self.marked: set[int] = set()
        """Numbers of the marked hits."""
        self.request: SearchRequest | None = None
        """The request whose hits are shown."""
        self.documents = 0
        self._timer: Timer | None = None
        self._asked = 0
        """Counts requests, so a slow older search never overwrites a newer one's hits."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="search-bar"):
            yield Input(placeholder="search: words, schaam*, …", id="search-query")
            yield Input(placeholder="where: regio=Parkstad", id="search-where")
        yield Static("", id="search-options")
        table: DataTable[str | Text] = DataTable(id="search-hits", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("Type to search.", id="search-status")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Search"
        self._show_options()
        self.query_one("#search-query", Input).focus()

    def on_resize(self, event: events.Resize) -> None:
        if self.hits:
            self._fill()

    # ---- the request ---------------------------------------------------------------------
    def current_request(self) -> SearchRequest | None:
        query = self.query_one("#search-query", Input).value.strip()
        if not query:
            return None
        return SearchRequest(
            query=query,
            mode=MODES[self.mode],
            speaker=SPEAKERS[self.speaker],
            channel=CHANNELS[self.channel],
            where=parse_where(self.query_one("#search-where", Input).value),
            quoted=self.quoted,
        )

    def _show_options(self) -> None:
        speaker = SPEAKERS[self.speaker]
        channel = CHANNELS[self.channel]
        self.query_one("#search-options", Static).update(
            f"m mode {MODES[self.mode].value} · s speaker {speaker.value if speaker else 'all'} · "
            f"h channel {channel.value if channel else 'all'} · o quoted {'on' if self.quoted else 'off'} · "
            f"n unit {UNITS[self.unit]}"
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self._schedule()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._start()
        self.query_one(DataTable).focus()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._start)

    def _start(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        request = self.current_request()
        self._asked += 1
        if request is None:
            self._show(self._asked, None, SearchResult([], 0))
            return
        self._status("Searching…")
        self.run_search(self._asked, request)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, asked: int, request: SearchRequest) -> None:
        """The service call, in a thread; progress (first lemma search) goes to the status line."""
        def progress(note: str) -> None:
            self.post_message(SearchProgress(note))

        try:
            result = search(self.context.project, request, on_progress=progress)
        except QcodeError as error:
            self.post_message(SearchDone(asked, request, None, error.message))
            return
        self.post_message(SearchDone(asked, request, result))

    def on_search_progress(self, message: SearchProgress) -> None:
        self._status(message.note)

    def on_search_done(self, message: SearchDone) -> None:
        if message.result is None:
            if message.asked == self._asked:
                self._status(message.error)
            return
        self._show(message.asked, message.request, message.result)

    def _show(self, asked: int, request: SearchRequest | None, result: SearchResult) -> None:
        if asked != self._asked:
            return  # a newer search is on its way
        self.request, self.hits, self.documents = request, result.hits, result.documents
        self.marked = set()
        self._fill()
        self._summary()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        where = max((len(h.document) for h in self.hits), default=8) + 5
        table.add_column("", key="mark", width=1)
        table.add_column("#", key="number", width=len(str(len(self.hits))))
        table.add_column("where", key="where", width=where)
        table.add_column("who", key="who", width=3)
        context_width = max(self.size.width - where - len(str(len(self.hits))) - 14, 20)
        table.add_column("in context", key="context", width=context_width)
        for h in self.hits:
            who = {"client": "cl", "counsellor": "co"}.get(h.role, h.role[:2]) + ("*" if h.quoted else "")
            table.add_row(
                MARK if h.number in self.marked else "", str(h.number), f"{h.document}:{h.turn}", who,
                in_context(h, context_width), key=str(h.number),
            )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(Text(text))

    def _summary(self) -> None:
        if self.request is None:
            self._status("Type to search.")
            return
        quoted = " (* = quoted, never coded)" if any(h.quoted for h in self.hits) else ""
        self._status(
            f"{len(self.hits)} hit(s) in {self.documents} document(s){quoted} · {len(self.marked)} marked · "
            "enter opens the turn"
        )

    # ---- options --------------------------------------------------------------------------
    def _option(self, change: Callable[[], None]) -> None:
        change()
        self._show_options()
        self._start()

    def action_cycle_mode(self) -> None:
        self._option(lambda: setattr(self, "mode", (self.mode + 1) % len(MODES)))

    def action_cycle_speaker(self) -> None:
        self._option(lambda: setattr(self, "speaker", (self.speaker + 1) % len(SPEAKERS)))

    def action_cycle_channel(self) -> None:
        self._option(lambda: setattr(self, "channel", (self.channel + 1) % len(CHANNELS)))

    def action_toggle_quoted(self) -> None:
        self._option(lambda: setattr(self, "quoted", not self.quoted))

    def action_cycle_unit(self) -> None:
        self.unit = (self.unit + 1) % len(UNITS)
        self._show_options()

    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Down from a query box goes to the hits, so the keys for hits work at once."""
        if event.key == "down" and isinstance(self.focused, Input) and self.hits:
            event.stop()
            self.query_one(DataTable).focus()

    # ---- hits -----------------------------------------------------------------------------
    def current_hit(self) -> Hit | None:
        table = self.query_one(DataTable)
        if not self.hits or not table.row_count:
            return None
        return self.hits[table.cursor_row]

    def action_mark(self) -> None:
        """Mark (or unmark) the hit under the cursor, then move to the next one."""
        hit = self.current_hit()
        if hit is None:
            return
        self.marked ^= {hit.number}
        table = self.query_one(DataTable)
        table.update_cell(str(hit.number), "mark", MARK if hit.number in self.marked else "")
        table.move_cursor(row=min(table.cursor_row + 1, table.row_count - 1))
        self._summary()

    def action_mark_all(self) -> None:
        self.marked = set() if len(self.marked) == len(self.hits) else {h.number for h in self.hits}
        self._fill()
        self._summary()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_turn()

    def action_open_turn(self) -> None:
        hit = self.current_hit()
        if hit is not None:
            self.app.post_message(OpenDocument(hit.document, turn=hit.utterance))

    def action_code_marked(self) -> None:
        if not self.marked or self.request is None:
            self.notify("Mark hits first (space), then press c to code them.", severity="warning")
            return
        request = self.request
        chosen = [h for h in self.hits if h.number in self.marked]
        unit = UNITS[self.unit]

        def picked(code_id: str | None) -> None:
            if code_id is None:
                return
            try:
                done = code_hits(self.context.project, chosen, request, code_id, self.context.coder, unit)
            except QcodeError as error:
                self.notify(error.message, title=error.title or "qcode", severity="error")
                return
            name = next((c.name for c in self.context.codebook.codes if c.id == code_id), code_id)
            notes = f"; {done.already} already coded" if done.already else ""
            notes += f"; {done.quoted} in quoted text, not coded" if done.quoted else ""
            self.notify(f"Added {done.added} coding(s) of {name} as one step (u undoes){notes}.")
            self.marked = set()
            self._fill()
            self._summary()

        self.app.push_screen(
            CodeChooser(
                self.context.codebook, f"Code {len(chosen)} marked hit(s) by {unit} with:",
                hint="enter apply (one undo step) · escape cancel", automatic=False,
            ),
            picked,
        )

    def action_undo(self) -> None:
        try:
            done = coding_service.undo(self.context.project, self.context.coder)
        except QcodeError as error:
            self.notify(error.message, severity="error")
            return
        self.notify(done or "Nothing to undo.")

    def action_back(self) -> None:
        self.app.pop_screen()
