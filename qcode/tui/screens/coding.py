"""The coding screen: transcript, codebook panel, suggestions; every change committed at once.

Each action is one service call, which commits before it returns; only then does the screen
change its local copy of the codings, from the id the service returned (re-reading the whole
document after each keypress cost more than the 30 ms budget on long chats). Actions whose
effect the screen cannot know (undo, redo, accept all, new suggestions) re-read the document.
Only the suggester (spaCy) runs in a thread worker; coding calls take a few milliseconds.

The navigation (:mod:`qcode.tui.navigation`) keeps one CodingScreen and swaps the document in
it (:meth:`CodingScreen.swap`): composing a screen with its footer and codebook panel costs
more than loading a document. The screen gets the project, coder and codebook from its
:class:`~qcode.tui.context.WorkbenchContext` and asks for other screens by message.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from qcode.codebook.model import Code, Codebook
from qcode.coding.model import Origin
from qcode.errors import QcodeError
from qcode.services import codings as coding_service
from qcode.services import learning, workbench
from qcode.services import suggestions as suggestion_service
from qcode.services.suggestions import ShownSuggestion
from qcode.services.workbench import CodingView
from qcode.transcripts.model import Document
from qcode.tui.bindings import CODING_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import CodeChosen, Show, ShowFragments, SuggestionsReady, TurnClicked
from qcode.tui.screens.coding_keys import CodingKeys
from qcode.tui.screens.coding_memos import MemoActions
from qcode.tui.screens.confirm import ConfirmModal
from qcode.tui.screens.span import SpanModal
from qcode.tui.state import CodingState
from qcode.tui.widgets.code_filter import CodeFilter
from qcode.tui.widgets.codebook_panel import CodebookPanel
from qcode.tui.widgets.transcript import TranscriptView

PaletteCommand = tuple[str, str, Callable[[], object]]


class CodingScreen(MemoActions, CodingKeys, Screen[None]):
    """Code one document."""

    BINDINGS = CODING_BINDINGS

    def __init__(self, context: WorkbenchContext, document: Document) -> None:
        super().__init__()
        self.context = context
        self.document = document
        codebook = self.codebook = context.codebook
        self.codes: dict[str, Code] = {c.id: c for c in codebook.codes}
        self.hotkeys = {c.hotkey: c.id for c in codebook.codes if c.hotkey and not c.automatic}
        self.auto_suggest = context.auto_suggest
        self.state = CodingState()
        self._composed = False
        self.back_to_fragments: tuple[str, str, int] | None = None
        """(code, filter, row) of the fragments list this document was opened from, if the
        list gave way to this screen (escape brings it back)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield TranscriptView(id="transcript")
            with Vertical(id="side"):
                yield CodeFilter(
                    self.choose_from_filter, self.close_code_filter, self.step_filter,
                    placeholder="/ find a code", id="code-filter",
                )
                yield CodebookPanel(self.codebook, id="codebook")
                yield Static("", id="details")
        # At 80×24 every hint must fit: compact, the essential keys only (show=False on the
        # others in bindings.py; ? lists them all), and ctrl+p is listed under ?.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._bind_keys()
        self._composed = True
        if self.document.key:  # empty while the app composes this screen ahead of use
            self._start()

    def swap(self, document: Document) -> None:
        """Show another document in this screen, cursor at the top.

        If the screen is still being composed (the navigation prepares it in the background), the
        document is shown by ``on_mount`` instead.
        """
        self.document = document
        self.state = CodingState()
        self.back_to_fragments = None
        if self._composed:
            self._start()

    def _start(self) -> None:
        self.title = self.document.key
        self.state.viewer = self.context.coder
        view = self.query_one(TranscriptView)
        view.show(self.document, self.codes)
        self.set_focus(view)  # now: a deferred focus() would take it from a box opened meanwhile
        self.reload()
        if self.auto_suggest:
            self.run_suggester()

    # ---- state -------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read codings, suggestions and memos of this document from the store."""
        project, coder, key = self.context.project, self.context.coder, self.document.key
        found = workbench.document_state(project, key, coder, [u.start for u in self.document.utterances])
        self.state.codings = found.codings
        self.state.suggestions = found.suggestions
        self.state.memo_turns = found.memo_utterances
        self.query_one(TranscriptView).set_state(self.state)
        self._show_details()

    def _show_details(self) -> None:
        u = self.document.utterances[self.state.cursor] if self.document.utterances else None
        # Turns count from 1 here as in every command (qcode show, code --utterance, codings).
        lines = [f"turn {self.state.cursor + 1}/{len(self.document.utterances)}"]
        if self.state.mark is not None:
            lo, hi = self.state.marked_range()
            lines.append(f"range: turns {lo + 1}–{hi + 1} marked")
        if u is not None:
            for c in self.state.mine_at(u.index, u.start, u.end):
                lines.append(f"• {c.code_name}" + (f": {c.memo}" if c.memo else ""))
            pending = self.state.suggestions_at(u.index)
            picked = self.state.picked()
            for s in pending:
                arrow = "›" if s is picked else " "
                lines.append(f"{arrow}? {s.code_name} ({s.confidence:.2f})")
            if pending:
                lines.append("a accept · x reject" + (" · ] next" if len(pending) > 1 else ""))
        # The panel has a fixed size: no layout pass (one costs ~50 ms on a full screen).
        self.query_one("#details", Static).update("\n".join(lines), layout=False)

    def _guard(self, action: Callable[[], object]) -> bool:
        """Run a service call; a QcodeError becomes a notification, never a crash."""
        try:
            action()
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return False
        return True

    def _redraw(self) -> None:
        """Show the local state (after a committed change or a cursor move)."""
        self.query_one(TranscriptView).set_state(self.state)
        self._show_details()

    def _added(self, coding_id: int, code: str, code_name: str, start: int, end: int, origin: Origin) -> None:
        """Record a coding the store has just committed (as the store would list it)."""
        self.state.codings.append(
            CodingView(
                id=coding_id, code=code, code_name=code_name, coder=self.context.coder,
                origin=origin.value, start=start, end=end, memo="", version=1,
            )
        )

    def _removed(self, coding_id: int) -> None:
        self.state.codings = [c for c in self.state.codings if c.id != coding_id]

    def _move_to(self, turn: int) -> None:
        if not self.document.utterances:
            return
        self.state.cursor = max(0, min(turn, len(self.document.utterances) - 1))
        self.state.pick = 0
        self._redraw()

    def show_turn(self, turn: int) -> None:
        """Put the cursor on turn ``turn`` (index), e.g. when a search hit is opened."""
        self._move_to(turn)

    # ---- navigation ----------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self._move_to(self.state.cursor + step)

    def action_page(self, step: int) -> None:
        self._move_to(self.state.cursor + step * 10)

    def action_jump(self, where: int) -> None:
        self._move_to(where if where >= 0 else len(self.document.utterances) - 1)

    def _counting_codes(self) -> set[str]:
        """Codes that make a turn "coded" for ``.``: the groups in the setting
        ``next_uncoded_groups``, else every utterance-level code (phases are segments)."""
        groups = set(self.context.project.settings.next_uncoded_groups)
        if groups:
            return {c.id for c in self.codebook.codes if c.group in groups}
        return {c.id for c in self.codebook.codes if c.unit == "utterance"}

    def action_next_uncoded(self) -> None:
        counting = self._counting_codes()
        utterances = self.document.utterances
        starts, ends = [u.start for u in utterances], [u.end for u in utterances]
        coded: set[int] = set()
        for c in self.state.codings:
            if c.coder == self.state.viewer and c.code in counting:
                # The turns the coding overlaps (turns are in text order).
                coded.update(range(bisect_right(ends, c.start), bisect_left(starts, c.end)))
        n = len(utterances)
        for step in range(1, n + 1):
            turn = (self.state.cursor + step) % n
            if turn not in coded and utterances[turn].role.value != "system":
                self._move_to(turn)
                return
        groups = self.context.project.settings.next_uncoded_groups
        what = f"a code of {', '.join(groups)}" if groups else "an utterance-level code"
        self.notify(f"Every turn has {what} from you.")

    def on_turn_clicked(self, message: TurnClicked) -> None:
        self._move_to(message.turn)

    def action_back(self) -> None:
        if self.state.mark is not None:
            self.action_mark()
            return
        back, self.back_to_fragments = self.back_to_fragments, None
        if back is not None:
            self.app.post_message(ShowFragments(*back))
            return
        self.app.pop_screen()

    def action_toggle_quoted(self) -> None:
        self.query_one(TranscriptView).toggle_quoted(self.state.cursor)

    # ---- coding ----------------------------------------------------------------------------
    def action_mark(self) -> None:
        self.state.mark = None if self.state.mark is not None else self.state.cursor
        self.query_one(TranscriptView).set_state(self.state)
        self._show_details()

    def apply_code(self, code_id: str) -> None:
        """Apply a code to the marked range or current utterance; again on the same one removes it."""
        project, coder = self.context.project, self.context.coder
        lo, hi = self.state.marked_range()
        first, last = self.document.utterances[lo], self.document.utterances[hi]
        existing = [
            c for c in self.state.codings
            if c.coder == coder and c.code == code_id and c.start == first.start and c.end == last.end
        ]
        if existing:
            gone = existing[-1].id
            ok = self._guard(lambda: coding_service.remove_coding(project, gone, coder))
            if ok:
                self._removed(gone)
        else:
            made: list[int] = []
            # A span, not utterance=: the document is already in memory here.
            ok = self._guard(
                lambda: made.append(
                    coding_service.add_coding(project, self.document.key, code_id, coder, start=first.start, end=last.end)
                )
            )
            if ok:
                self._added(made[0], code_id, self.codes[code_id].name, first.start, last.end, Origin.MANUAL)
                # The store resolved a pending suggestion of this code on this span with it.
                self.state.suggestions = [
                    s for s in self.state.suggestions
                    if not (s.code == code_id and s.start == first.start and s.end == last.end)
                ]
        self.state.mark = None
        if ok:
            self._redraw()
        else:
            self.reload()  # someone else changed the store: show what it holds now

    def on_code_chosen(self, message: CodeChosen) -> None:
        self.apply_code(message.code)

    def action_select_span(self) -> None:
        u = self.document.utterances[self.state.cursor]

        def done(result: tuple[int, int, str] | None) -> None:
            if result is None:
                return
            start, end, code = result
            made: list[int] = []
            if self._guard(
                lambda: made.append(
                    coding_service.add_coding(
                        self.context.project, self.document.key, code, self.context.coder,
                        start=u.start + start, end=u.start + end,
                    )
                )
            ):
                self._added(made[0], code, self.codes[code].name, u.start + start, u.start + end, Origin.MANUAL)
            self._redraw()

        self.app.push_screen(SpanModal(u.text, self.hotkeys), done)

    def action_remove(self) -> None:
        u = self.document.utterances[self.state.cursor]
        mine = self.state.mine_at(u.index, u.start, u.end)
        if not mine:
            self.notify("You have no coding on this utterance.")
            return
        latest = max(mine, key=lambda c: c.id)
        if self._guard(
            lambda: coding_service.remove_coding(
                self.context.project, latest.id, self.context.coder, expected_version=latest.version
            )
        ):
            self._removed(latest.id)
        self._redraw()

    def action_undo(self) -> None:
        self._undo_redo(coding_service.undo, "Nothing to undo.")

    def action_redo(self) -> None:
        self._undo_redo(coding_service.redo, "Nothing to redo.")

    def _undo_redo(self, call: Callable[..., str | None], nothing: str) -> None:
        result: list[str | None] = []
        if self._guard(lambda: result.append(call(self.context.project, self.context.coder, readable=True))):
            self.notify(result[0] or nothing, timeout=2)
        self.reload()

    # ---- suggestions --------------------------------------------------------------------------
    def _current_suggestion(self) -> ShownSuggestion | None:
        """The suggestion under the cursor (``]`` cycles a turn's suggestions)."""
        found = self.state.picked()
        if found is None:
            self.notify("No pending suggestion on this utterance.")
        return found

    def action_next_suggestion(self) -> None:
        found = self.state.suggestions_at(self.state.cursor)
        if len(found) < 2:
            self.notify("One pending suggestion here." if found else "No pending suggestion on this utterance.")
            return
        self.state.pick = (self.state.pick + 1) % len(found)
        self._redraw()

    def action_accept(self) -> None:
        s = self._current_suggestion()
        if s is None:
            return
        made: list[int] = []
        if self._guard(lambda: made.append(suggestion_service.accept(self.context.project, s.id, self.context.coder))):
            if all(c.id != made[0] for c in self.state.codings):  # not one you had coded by hand
                self._added(made[0], s.code, s.code_name, s.start, s.end, Origin.SUGGESTION)
            self.state.suggestions = [x for x in self.state.suggestions if x.id != s.id]
            self.state.pick = 0
            self._redraw()
        else:
            self.reload()

    def action_reject(self) -> None:
        s = self._current_suggestion()
        if s is None:
            return
        if self._guard(lambda: suggestion_service.reject(self.context.project, s.id, self.context.coder)):
            self.state.suggestions = [x for x in self.state.suggestions if x.id != s.id]
            self.state.pick = 0
            self._redraw()
        else:
            self.reload()

    def action_accept_all(self) -> None:
        """Accept every pending suggestion of the code under the cursor in this document, after
        saying which turns that is (also those off screen) and that other codes stay pending."""
        s = self._current_suggestion()
        if s is None:
            return
        code, name = s.code, s.code_name
        turns = sorted({x.turn for x in self.state.suggestions if x.code == code})
        count = sum(1 for x in self.state.suggestions if x.code == code)
        on_screen = self.query_one(TranscriptView).visible_turns()
        hidden = [t for t in turns if t not in on_screen]
        listed = ", ".join(str(t + 1) for t in turns[:12]) + (f" and {len(turns) - 12} more" if len(turns) > 12 else "")
        question = (
            f"Accept all {count} pending suggestion{'s' if count != 1 else ''} of {name} in this document "
            f"({self.document.key}), on turn{'s' if len(turns) != 1 else ''} {listed}"
            + (f"; {len(hidden)} of these turns are not on screen" if hidden else "")
            + ". Suggestions of other codes stay pending; other documents are not touched."
        )

        def done(yes: bool | None) -> None:
            if yes:
                accepted: list[int] = []
                if self._guard(
                    lambda: accepted.append(
                        suggestion_service.accept_all(self.context.project, self.document.key, code, self.context.coder)
                    )
                ):
                    self.notify(f"Accepted {accepted[0]} suggestions of {name}.", timeout=3)
                self.reload()

        self.app.push_screen(ConfirmModal(f"Accept all: {name}", question), done)

    def action_suggest(self) -> None:
        self.run_suggester()

    def run_experimental_suggester(self) -> None:
        self.run_suggester(experimental=True)

    @work(thread=True, exclusive=True, group="suggest")
    def run_suggester(self, experimental: bool = False) -> None:
        """spaCy loads and runs here, off the UI thread. ``experimental`` also suggests the
        codes below the precision bar; their explanations start with "experimental:"."""
        try:
            engine = suggestion_service.project_suggester(self.context.project, experimental)
            learned = learning.active_model(self.context.project, experimental)  # issue 15: rules + model
            suggestion_service.suggest_documents(self.context.project, [self.document.key], suggester=engine, learned=learned)
        except QcodeError as error:
            self.post_message(SuggestionsReady(self.document.key, error.message))
            return
        self.post_message(SuggestionsReady(self.document.key))

    def on_suggestions_ready(self, message: SuggestionsReady) -> None:
        if message.document != self.document.key:
            return  # finished for a document this (reused) screen no longer shows
        if message.error:
            self.notify(message.error, title="No suggestions", severity="warning", timeout=8)
            return
        self.reload()

    # ---- fragments, stripes, codebook (issue 16 items 1, 4, 5) ----------------------------
    def action_fragments(self) -> None:
        """Fragments of the code highlighted in the panel, else of your latest code on this turn."""
        code = self.query_one(CodebookPanel).highlighted_code()
        if code is None and self.document.utterances:
            u = self.document.utterances[self.state.cursor]
            mine = self.state.mine_at(u.index, u.start, u.end)
            code = max(mine, key=lambda c: c.id).code if mine else None
        self.app.post_message(ShowFragments(code))

    def action_show_codebook(self) -> None:
        self.app.post_message(Show("codebook"))

    def action_toggle_stripes(self) -> None:
        shown = self.query_one(TranscriptView).toggle_stripes()
        self.notify("Coding stripes shown (S hides them)." if shown else "Coding stripes hidden; phase band only.", timeout=2)

    def codebook_changed(self, codebook: Codebook) -> None:
        """The codebook was edited in the workbench: new names, colours and groups everywhere."""
        self.codebook = codebook
        self.codes = {c.id: c for c in codebook.codes}
        self.hotkeys = {c.hotkey: c.id for c in codebook.codes if c.hotkey and not c.automatic}
        self.query_one(CodebookPanel).show_codebook(codebook)
        if self.document.key:
            view = self.query_one(TranscriptView)
            view.codes = self.codes
            view.stripes.forget_codes()
            self.reload()

    # ---- palette ----------------------------------------------------------------------------
    def palette_commands(self) -> Iterator[PaletteCommand]:
        """Commands this screen adds to the palette ("verb: object")."""
        for code in self.codebook.codes:
            if not code.automatic:
                # The codebook's Dutch definition first: the coders read the codebook in Dutch.
                help_text = code.definition_nl or code.definition_en or code.group
                yield (f"code: {code.name}", help_text, partial(self.apply_code, code.id))
        yield ("code: find fragments of this code", "Fragments of the highlighted code (or your code here)", self.action_fragments)
        yield ("view: coding stripes", "Show or hide the margin of coding stripes", self.action_toggle_stripes)
        yield ("go: next uncoded utterance", "Move to the next utterance you have not coded", self.action_next_uncoded)
        yield ("go: corpus browser", "Back to the list of documents", self.app.pop_screen)
        yield ("memo: utterance", "Write a memo on the current utterance", self.action_memo_utterance)
        yield ("memo: document", "Write a memo on this document", self.action_memo_document)
        yield ("memo: coding", "Write a memo on your latest coding here", self.action_memo_coding)
        yield ("memo: case", "Write a memo on this document's case", self.action_memo_case)
        yield ("memo: code", "Your working definition of the code of your latest coding here", self.action_memo_code)
        yield ("suggest: this document", "Run the suggester (background)", self.run_suggester)
        yield (
            "suggest: this document, experimental codes too",
            "Also codes below the precision bar, labelled experimental",
            self.run_experimental_suggester,
        )
        yield ("undo: last change", "Undo your latest coding change", self.action_undo)
        yield ("redo: last change", "Redo what you undid", self.action_redo)
