"""The review queue: every open disagreement, one keystroke per decision.

Items come from :func:`qcode.services.consensus.review_items` (ordered by code and document;
the codes of an exclusive set on one turn are one item), the turns around each and what every
coder did on it from :func:`~qcode.services.consensus.review_context`, and each decision is
stored by :func:`~qcode.services.consensus.settle` (undone by ``undo_decision``). Keys: ``a``/
``b`` (``c``, ``d``) take the first/second coder's codes, ``t`` both, ``n`` neither, ``o``
another code, ``m`` a memo for the next decision, ``u`` undo, ``j``/``k`` next/previous.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from qcode.errors import QcodeError
from qcode.services import consensus
from qcode.services.consensus import Decision, ReviewContext, Settled
from qcode.tui.bindings import REVIEW_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.screens.ask import AskModal as AskModal  # (re-exported: it lived here before)

LETTERS = "abcd"
"""Keys that take a coder's codes, in the order the coders were given."""

MARK_STYLE = "reverse"
"""How a span a coder marked is shown inside the unit's text."""

CONTEXT_CHARS = 150
"""Turns around the unit are cut to this many characters (an e-mail before the reply would
otherwise push the unit off an 80x24 screen); the unit itself is always shown whole."""


def shortened(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= CONTEXT_CHARS else flat[: CONTEXT_CHARS - 1] + "…"


def marked_text(text: str, marks: list[tuple[int, int, str]]) -> Content:
    """The unit's text with every span a coder marked shown reversed."""
    content = Content(text)
    for start, end, _name in marks:
        content = content.stylize(MARK_STYLE, start, end)
    return content


def coder_lines(coders: list[str], item: dict[str, Any], context: ReviewContext) -> Content:
    """One line per coder: their key, the codes at stake they applied, what they marked, and
    their other codes on the turn."""
    parts: list[tuple[str, str] | str] = []
    names = {str(code): str(name) for code, name in item.get("names", {}).items()}
    for letter, coder in zip(LETTERS, coders, strict=False):
        stake = [names.get(code, code) for code in item["by_coder"].get(coder, [])]
        others = [c for c in context.codes.get(coder, []) if c not in stake]
        marks = context.marks.get(coder, [])
        text = str(next(t.text for t in context.turns if t.unit))
        spans = [f"“{text[s:e]}”" if (s, e) != (0, len(text)) else "whole turn" for s, e, _n in marks]
        parts.append((f"[{letter}] {coder}: ", "bold"))
        parts.append(", ".join(stake) or "—")
        if spans:
            parts.append(f"  marked {'; '.join(spans)}")
        if others:
            parts.append((f"  · also: {', '.join(others)}", "dim"))
        parts.append("\n")
    return Content.assemble(*parts[:-1])


@dataclass
class QueueRead(Message):
    """The worker's review items, or ``error`` if there are none to show."""

    bubble: ClassVar[bool] = False
    items: list[dict[str, Any]] | None
    error: str = ""


class ReviewScreen(Screen[None]):
    """The queue of open disagreements between ``coders`` (optionally on some codes only)."""

    BINDINGS = REVIEW_BINDINGS

    def __init__(
        self, context: WorkbenchContext, coders: list[str], codes: list[str] | None = None,
        scope: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.coders = coders
        self.codes = codes
        self.scope = scope
        """("document" | "case" | "channel", key): only the items there."""
        self.items: list[dict[str, Any]] = []
        self.position = 0
        self.done: list[tuple[dict[str, Any], Settled]] = []
        """Decisions made here, last last (``u`` takes back the last)."""
        self.memo = ""
        self.unit_context: ReviewContext | None = None
        """The turns around the item on screen and what each coder did there."""
        self.loaded = False
        """True once the queue is on screen (or an error is)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the review queue…", id="review-where")
        with VerticalScroll(id="review-turns"):
            yield Static("", id="review-context")
        yield Static("", id="review-coders")
        yield Static("", id="review-memo")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Review queue"
        self.load()

    @work(thread=True, exclusive=True, group="review")
    def load(self) -> None:
        try:
            items = consensus.review_items(
                self.context.project, self.coders, self.codes, viewer=self.context.coder, scope=self.scope
            )
        except QcodeError as error:
            self.post_message(QueueRead(None, error.message))
            return
        self.post_message(QueueRead(items))

    def on_queue_read(self, message: QueueRead) -> None:
        if message.items is None:
            self._failed(message.error)
        else:
            self._loaded(message.items)

    def _failed(self, message: str) -> None:
        self.query_one("#review-where", Static).update(Content(message))
        self.loaded = True

    def _loaded(self, items: list[dict[str, Any]]) -> None:
        names = {c.id: c.name for c in self.context.codebook.codes}
        for item in items:
            item["names"] = {code: names.get(code, code) for code in item["codes"]}
        self.items = items
        self.position = 0
        self.show_item()
        self.loaded = True

    def current(self) -> dict[str, Any] | None:
        return self.items[self.position] if self.items else None

    def label(self, item: dict[str, Any]) -> str:
        if item["set"]:
            return f"{item['set']} ({' / '.join(item['names'].values())})"
        return str(next(iter(item["names"].values())))

    def show_item(self) -> None:
        item = self.current()
        done = len(self.done)
        memo = self.query_one("#review-memo", Static)
        memo.update(Content(f"Memo for the next decision: {self.memo}" if self.memo else "m: add a memo · u: undo"))
        if item is None:
            self.query_one("#review-where", Static).update(
                Content(f"No open disagreements left · {done} settled here · u: undo the last")
            )
            self.query_one("#review-context", Static).update("")
            self.query_one("#review-coders", Static).update("")
            return
        self.query_one("#review-where", Static).update(
            Content.assemble(
                (f"{self.position + 1}/{len(self.items)} ", "bold"), (self.label(item), "bold"),
                f"  {item['document']} #{int(str(item['utterance'])) + 1}", (f"  · {done} settled" if done else "", "dim"),
            )
        )
        try:
            context = consensus.review_context(self.context.project, item, self.coders, viewer=self.context.coder)
        except QcodeError as error:
            self.notify(error.message, severity="error")
            return
        self.unit_context = context
        marks = [m for coder_marks in context.marks.values() for m in coder_marks]
        lines: list[Content] = []
        for turn in context.turns:
            head = Content.styled(f"{'▶' if turn.unit else ' '} #{turn.index + 1} {turn.speaker}: ", "bold" if turn.unit else "dim")
            body = marked_text(turn.text, marks) if turn.unit else Content.styled(shortened(turn.text), "dim")
            lines.append(head + body)
        self.query_one("#review-context", Static).update(Content("\n").join(lines))
        self.query_one("#review-coders", Static).update(coder_lines(self.coders, item, context))

    def action_step(self, step: int) -> None:
        if self.items:
            self.position = (self.position + step) % len(self.items)
            self.show_item()

    def decide(self, decision: Decision) -> None:
        item = self.current()
        if item is None:
            return
        try:
            settled = consensus.settle(self.context.project, item, decision, self.context.coder)
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return
        self.notify(f"Consensus: {settled.summary}", timeout=2)
        self.done.append((item, settled))
        del self.items[self.position]
        self.position = min(self.position, max(len(self.items) - 1, 0))
        self.memo = ""
        self.show_item()

    def action_take(self, number: int) -> None:
        item = self.current()
        if item is None or number >= len(self.coders):
            return
        self.decide(Decision("coder", coder=self.coders[number], memo=self.memo))

    def action_both(self) -> None:
        self.decide(Decision("both", memo=self.memo))

    def action_neither(self) -> None:
        self.decide(Decision("neither", memo=self.memo))

    def action_other(self) -> None:
        item = self.current()
        if item is None:
            return
        hint = f"a code of '{item['set']}'" if item["set"] else "a code name"

        def chosen(code: str | None) -> None:
            if code:
                self.decide(Decision("other", other_code=code, memo=self.memo))

        self.app.push_screen(AskModal("Another code for this unit", placeholder=hint), chosen)

    def action_memo(self) -> None:
        def written(memo: str | None) -> None:
            if memo is not None:
                self.memo = memo
                self.show_item()

        self.app.push_screen(AskModal("Memo for the next decision", self.memo), written)

    def action_undo(self) -> None:
        if not self.done:
            self.notify("Nothing to undo in this review.")
            return
        item, settled = self.done.pop()
        try:
            consensus.undo_decision(self.context.project, settled, self.context.coder)
        except QcodeError as error:
            self.done.append((item, settled))
            self.notify(error.message, severity="error")
            return
        self.items.insert(self.position, item)
        self.notify(f"Undone: {settled.summary}", timeout=2)
        self.show_item()
