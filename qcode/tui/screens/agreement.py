"""Agreement between coders per code, and adjudication of their disagreements.

The coefficients come from :func:`qcode.services.analysis.project_agreement` (bootstrap 200
here, for speed; the CLI's ``qcode agreement`` uses 1000), computed in a thread worker. Enter
on a code (or a set) opens the review queue of its disagreements, ``r`` the whole queue
(:mod:`qcode.tui.screens.review`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from qcode.errors import QcodeError
from qcode.services import analysis, workbench
from qcode.services import coding as coding_service
from qcode.tui.bindings import AGREEMENT_BINDINGS
from qcode.tui.widgets.frame_table import MISSING, fill_table, format_cell

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp

NAME_WIDTH = 24
"""Cells wider than this are cut, so the coefficients fit beside the code at 80 columns."""

BOOTSTRAP = 200
"""Bootstrap resamples for alpha's confidence interval in the UI (a second, not ten)."""

COLUMNS = {
    "name": "Code",
    "percent_agreement": "% agree",
    "cohen_kappa": "Cohen κ",
    "alpha": "α",
    "alpha_ci": "α 95% CI",
    "ac1": "AC1",
    "fleiss_kappa": "Fleiss κ",
    "n_units": "Units",
    "n_units_coded": "Coded",
    "kind": "Kind",
    "warning": "Warning",
}
"""Report columns shown, in this order (coefficients first: at 80 columns they stay visible)."""


def agreement_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The report with alpha's interval as one text column (layout only, no arithmetic)."""
    ci = [
        MISSING if MISSING in (lo, hi) else f"{lo}–{hi}"
        for lo, hi in zip(map(format_cell, frame["alpha_low"]), map(format_cell, frame["alpha_high"]), strict=True)
    ]
    return frame.assign(alpha_ci=ci)


class AgreementScreen(Screen[None]):
    """Per-code coefficients; enter on a code steps through its disagreements."""

    BINDINGS = AGREEMENT_BINDINGS

    def __init__(self, coders: list[str] | None = None) -> None:
        super().__init__()
        self.coders = coders or []
        self.kinds: dict[str, str] = {}

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="agreement-status")
        yield DataTable(id="agreement", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Agreement"
        if not self.coders:
            self.coders = workbench.agreement_coders(self.qapp.project, self.qapp.coder)
        self.query_one(DataTable).focus()
        self.refresh_report()

    def refresh_report(self) -> None:
        self._status(f"Coders: {', '.join(self.coders) or 'none'} — computing agreement…")
        self.compute()

    def _status(self, text: str) -> None:
        self.query_one("#agreement-status", Static).update(Content(text))

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        """The agreement report, off the UI thread (the bootstrap takes a moment)."""
        try:
            frame = analysis.project_agreement(
                self.qapp.project, self.coders, bootstrap=BOOTSTRAP, viewer=self.qapp.coder
            )
        except QcodeError as error:
            self.app.call_from_thread(self._status, error.message)
            return
        self.app.call_from_thread(self._show, frame)

    def _show(self, frame: pd.DataFrame) -> None:
        self.kinds = {str(c): str(k) for c, k in zip(frame["code"], frame["kind"], strict=True)}
        fill_table(
            self.query_one(DataTable), agreement_rows(frame), list(COLUMNS), COLUMNS, key="code",
            widths={"name": NAME_WIDTH},
        )
        self._status(
            f"Coders: {', '.join(self.coders)} · α CI from {BOOTSTRAP} bootstrap samples · enter: disagreements"
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open_code(event.row_key.value)

    def action_disagreements(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                self.open_code(key)

    def open_code(self, code: str) -> None:
        """The review queue of ``code``'s disagreements (a set's row: the set's codes)."""
        from qcode.tui.screens.review import ReviewScreen

        kind = self.kinds.get(code)
        if kind == "code":
            self.app.push_screen(ReviewScreen(self.coders, [code]))
        elif kind == "set":
            name = code.removeprefix("set:")
            self.app.push_screen(ReviewScreen(self.coders, [c.id for c in self.qapp.codebook.codes if c.exclusive == name]))
        else:
            self.notify("Pooled rows have no disagreements of their own: press r for the whole queue.")

    def action_review(self) -> None:
        """Every open disagreement, ordered by code and document."""
        from qcode.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.coders))

    def action_seed_consensus(self) -> None:
        """Copy every coding all coders agree on into the consensus (supervisors)."""
        try:
            n = analysis.seed_consensus(self.qapp.project, self.coders, self.qapp.coder)
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return
        self.notify(f"{n} agreed units copied into the consensus.")

    def action_release_blind(self) -> None:
        try:
            coding_service.release_blind(self.qapp.project, self.qapp.coder)
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return
        self.notify("Blind coding released: every coder now sees every coding.")
