"""The machine as a coder: the trust screen (and its ``l``, "learn now").

Learning and the trust report run in thread workers, so the coder goes on coding while the
model is fitted (a toast says when it is ready). Learning is the app's worker
(:class:`~qcode.tui.messages.LearnNow`), so it goes on when this screen is left; when it is
done the app tells the screens (:class:`~qcode.tui.messages.ModelReady`) and this one
recomputes. Every figure comes from
:mod:`qcode.services.learning` (``trust`` and its ``trust_text``, the same text as
``qcode suggestions trust``); this module only starts the work and shows the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from qcode.errors import QcodeError
from qcode.services import trust as trust_service
from qcode.tui.bindings import TRUST_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import LearnNow, ModelReady


@dataclass
class TrustStatus(Message):
    """The worker's progress line."""

    bubble: ClassVar[bool] = False
    text: str


@dataclass
class TrustComputed(Message):
    """The worker's report, or ``error`` if there is none."""

    bubble: ClassVar[bool] = False
    report: trust_service.TrustReport | None
    error: str = ""


class TrustScreen(Screen[None]):
    """Precision, recall, F1 and kappa of the suggester against the current coder."""

    BINDINGS = TRUST_BINDINGS

    def __init__(self, context: WorkbenchContext, coder: str = "") -> None:
        super().__init__()
        self.context = context
        self.coder = coder
        self.report: trust_service.TrustReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="trust-status")
        with VerticalScroll(id="trust-body"):
            yield Static("", id="trust-table")
        yield Footer()

    def on_mount(self) -> None:
        self.coder = self.coder or self.context.coder
        self.title = f"Trust: the suggester against {self.coder}"
        self.compute()

    def _status(self, text: str) -> None:
        self.query_one("#trust-status", Static).update(Content(text))

    @work(thread=True, exclusive=True, group="trust")
    def compute(self) -> None:
        """Cross-validation by case (the pipeline loads the first time), off the UI thread."""
        self.post_message(TrustStatus(f"Cross-validating against {self.coder}'s codings…"))
        try:
            report = trust_service.trust(self.context.project, self.coder, n_boot=500)
        except QcodeError as error:
            self.post_message(TrustComputed(None, error.message))
            return
        self.post_message(TrustComputed(report))

    def on_trust_status(self, message: TrustStatus) -> None:
        self._status(message.text)

    def on_trust_computed(self, message: TrustComputed) -> None:
        if message.report is None:
            self._failed(message.error)
        else:
            self._show(message.report)

    def _failed(self, message: str) -> None:
        self.report = None
        self._status(message)
        self.query_one("#trust-table", Static).update("")

    def _show(self, report: trust_service.TrustReport) -> None:
        self.report = report
        self._status("l: learn now (in the background)  ·  r: recompute  ·  Esc: back")
        self.query_one("#trust-table", Static).update(Content(trust_service.trust_text(report, name_width=25)))

    def action_learn(self) -> None:
        """Learn in the background (the app's worker: it goes on if this screen is left)."""
        self.app.post_message(LearnNow())

    def on_model_ready(self, message: ModelReady) -> None:
        self.compute()  # the new model's figures

    def action_recompute(self) -> None:
        self.compute()
