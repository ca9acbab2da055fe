"""Agreement between coders per code, and adjudication of their disagreements.

The coefficients come from :func:`qcode.services.analysis.project_agreement` (bootstrap 200
here, for speed; the CLI's ``qcode agreement`` uses 1000), computed in a thread worker. Enter
on a row or a cell of the pair matrix opens every unit behind that figure, agreed and
disagreed (:mod:`qcode.tui.screens.units`; ``r`` there opens the review queue of its
disagreements), ``r`` here the whole queue (:mod:`qcode.tui.screens.review`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd
from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from qcode.errors import QcodeError
from qcode.services import analysis, workbench
from qcode.services import team as team_service
from qcode.tui.bindings import AGREEMENT_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import ShowReview, ShowUnits
from qcode.tui.widgets.frame_table import MISSING, fill_table, format_cell

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


VIEWS = ("code", "pair", "document", "case", "channel")
"""What ``p`` cycles through: per code, the coder-pair matrix, then pooled per part."""

GROUP_COLUMNS = {"group": "Part", "n_units": "Units", "percent_agreement": "% agree", "alpha": "α"}


@dataclass
class FiguresComputed(Message):
    """The worker's figures of ``view`` (``frame``), or ``error`` if it has none."""

    bubble: ClassVar[bool] = False
    view: str
    frame: pd.DataFrame | None
    error: str = ""


class AgreementScreen(Screen[None]):
    """Agreement per code, per coder pair (a matrix) or per document / case / channel;
    enter on a row or cell opens every unit behind it."""

    BINDINGS = AGREEMENT_BINDINGS

    def __init__(self, context: WorkbenchContext, coders: list[str] | None = None) -> None:
        super().__init__()
        self.context = context
        self.coders = coders or []
        self.kinds: dict[str, str] = {}
        self.view = VIEWS[0]
        self.shown_view = ""
        """The view whose figures are on screen (tests wait for it)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="agreement-status")
        yield DataTable(id="agreement", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Agreement"
        if not self.coders:
            self.coders = workbench.agreement_coders(self.context.project, self.context.coder)
        self.query_one(DataTable).focus()
        self.refresh_report()

    def refresh_report(self) -> None:
        self._status(f"Coders: {', '.join(self.coders) or 'none'} — computing agreement per {self.view}…")
        self.compute(self.view)

    def _status(self, text: str) -> None:
        self.query_one("#agreement-status", Static).update(Content(text))

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.refresh_report()

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self, view: str) -> None:
        """The figures of ``view``, off the UI thread (the bootstrap takes a moment)."""
        project, viewer = self.context.project, self.context.coder
        try:
            if view == "code":
                frame = analysis.project_agreement(project, self.coders, bootstrap=BOOTSTRAP, viewer=viewer)
            else:
                frame = analysis.agreement_breakdown(project, self.coders, view, viewer=viewer)
        except QcodeError as error:
            self.post_message(FiguresComputed(view, None, error.message))
            return
        self.post_message(FiguresComputed(view, frame))

    def on_figures_computed(self, message: FiguresComputed) -> None:
        if message.frame is None:
            self._status(message.error)
        else:
            self._show(message.view, message.frame)

    def _show(self, view: str, frame: pd.DataFrame) -> None:
        table = self.query_one(DataTable)
        if view == "code":
            self.kinds = {str(c): str(k) for c, k in zip(frame["code"], frame["kind"], strict=True)}
            table.cursor_type = "row"
            fill_table(table, agreement_rows(frame), list(COLUMNS), COLUMNS, key="code", widths={"name": NAME_WIDTH})
            note = f"CI: {BOOTSTRAP} bootstraps"
        elif view == "pair":
            matrix = analysis.pair_matrix(frame, self.coders).reset_index(names="coder")
            table.cursor_type = "cell"
            fill_table(table, matrix, ["coder", *self.coders], {"coder": "α"}, key="coder", widths={"coder": NAME_WIDTH})
            everyone = frame[frame["coder_b"] == ""].iloc[0]
            note = f"all coders: α {format_cell(everyone['alpha'])}, {everyone['n_units']} units"
        else:
            table.cursor_type = "row"
            fill_table(table, frame, list(GROUP_COLUMNS), GROUP_COLUMNS, key="group", widths={"group": 36})
            note = "codes applied, pooled"
        self.shown_view = view
        self._status(f"{', '.join(self.coders)} · per {view} · {note} · enter: units · p: view")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open_row(event.row_key.value)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.open_cell(event.coordinate.row, event.coordinate.column)

    def action_disagreements(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        if self.shown_view == "pair":
            self.open_cell(table.cursor_coordinate.row, table.cursor_coordinate.column)
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.open_row(key)

    def open_cell(self, row: int, column: int) -> None:
        """A cell of the pair matrix: every unit behind that pair's figure (``r`` there: its review)."""
        if self.shown_view != "pair" or column == 0 or row == column - 1:
            self.notify("Choose a cell off the diagonal: it stands for a pair of coders.")
            return
        pair = [self.coders[row], self.coders[column - 1]]
        self.app.post_message(ShowUnits(self.coders, "pair", (pair[0], pair[1]), review=(pair, None, None)))

    def open_row(self, key: str) -> None:
        """Every unit behind a row: a code's, a set's, a pooled row's or a part's (``r``: review)."""
        if self.shown_view in ("document", "case", "channel"):
            scope = (self.shown_view, key)
            self.app.post_message(ShowUnits(self.coders, self.shown_view, key, review=(self.coders, None, scope)))
            return
        kind = self.kinds.get(key)
        if kind == "code":
            codes: list[str] | None = [key]
        elif kind == "set":
            name = key.removeprefix("set:")
            codes = [c.id for c in self.context.codebook.codes if c.exclusive == name]
        else:
            codes = None
        self.app.post_message(ShowUnits(self.coders, "code", key, review=(self.coders, codes, None)))

    def action_review(self) -> None:
        """Every open disagreement, ordered by code and document."""
        self.app.post_message(ShowReview(self.coders))

    def action_seed_consensus(self) -> None:
        """Copy every unit all coders agree on into the consensus (supervisors)."""
        try:
            n = analysis.seed_consensus(self.context.project, self.coders, self.context.coder)
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return
        self.notify(f"{n} agreed units copied into the consensus.")

    def action_release_blind(self) -> None:
        try:
            team_service.release_blind(self.context.project, self.context.coder)
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return
        self.notify("Blind coding released: every coder now sees every coding.")
