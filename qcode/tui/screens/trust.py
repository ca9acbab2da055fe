"""The machine as a coder: "learn now" in a worker, and the trust screen.

Learning and the trust report run in thread workers, so the coder goes on coding while the
model is fitted (a toast says when it is ready). Every figure comes from
:mod:`qcode.services.learning` (``trust`` and its ``trust_text``, the same text as
``qcode suggestions trust``); this module only starts the work and shows the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from qcode.errors import QcodeError
from qcode.services import learning
from qcode.services import trust as trust_service
from qcode.tui.bindings import TRUST_BINDINGS

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp

LEARN_GROUP = "learn"


def start_learning(app: App[None], done: object = None) -> None:
    """Fit a new model in a thread worker; the user keeps working, a toast reports the end.

    ``done`` (a callable taking the summary line) is called on the UI thread afterwards,
    e.g. by the trust screen to recompute with the new model.
    """
    qapp: QcodeApp = app  # type: ignore[assignment]
    if any(w.group == LEARN_GROUP and not w.is_finished for w in app.workers):
        app.notify("Already learning; the toast will say when it is done.")
        return
    app.notify("Learning from the team's codings in the background; keep coding.", title="Learn now")

    def run() -> None:
        try:
            summary = learning.learn(qapp.project)
        except QcodeError as error:
            app.call_from_thread(app.notify, error.message, title="Not learned", severity="warning", timeout=8)
            return
        names = learning.code_names(qapp.project)
        codes = ", ".join(f"{names.get(c, c)} ({n})" for c, n in summary.codes.items())
        line = f"Learned model {summary.version} from {summary.units} units: {codes}."
        app.call_from_thread(app.notify, line, title="Model ready", timeout=8)
        if callable(done):
            app.call_from_thread(done, line)

    app.run_worker(run, thread=True, group=LEARN_GROUP, exclusive=True, name="learn now")


class TrustScreen(Screen[None]):
    """Precision, recall, F1 and kappa of the suggester against the current coder."""

    BINDINGS = TRUST_BINDINGS

    def __init__(self, coder: str = "") -> None:
        super().__init__()
        self.coder = coder
        self.report: trust_service.TrustReport | None = None

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="trust-status")
        with VerticalScroll(id="trust-body"):
            yield Static("", id="trust-table")
        yield Footer()

    def on_mount(self) -> None:
        self.coder = self.coder or self.qapp.coder
        self.title = f"Trust: the suggester against {self.coder}"
        self.compute()

    def _status(self, text: str) -> None:
        self.query_one("#trust-status", Static).update(Content(text))

    @work(thread=True, exclusive=True, group="trust")
    def compute(self) -> None:
        """Cross-validation by case (the pipeline loads the first time), off the UI thread."""
        self.app.call_from_thread(self._status, f"Cross-validating against {self.coder}'s codings…")
        try:
            report = trust_service.trust(self.qapp.project, self.coder, n_boot=500)
        except QcodeError as error:
            self.app.call_from_thread(self._failed, error.message)
            return
        self.app.call_from_thread(self._show, report)

    def _failed(self, message: str) -> None:
        self.report = None
        self._status(message)
        self.query_one("#trust-table", Static).update("")

    def _show(self, report: trust_service.TrustReport) -> None:
        self.report = report
        self._status("l: learn now (in the background)  ·  r: recompute  ·  Esc: back")
        self.query_one("#trust-table", Static).update(Content(trust_service.trust_text(report, name_width=25)))

    def action_learn(self) -> None:
        start_learning(self.app, lambda _line: self.compute())

    def action_recompute(self) -> None:
        self.compute()
