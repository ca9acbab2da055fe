"""Every unit behind one agreement figure: agreed and disagreed, settled or not.

Opened by enter on a row or cell of the agreement screen (:mod:`qcode.tui.screens.agreement`).
The units and their counts come from :func:`qcode.services.agreement_units.units_behind`; this
screen lays them out and computes nothing. ``r`` opens the review queue of the same figure's
open disagreements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from qcode.errors import QcodeError
from qcode.services import agreement_units
from qcode.services.agreement_units import UnitsBehind
from qcode.tui.bindings import UNITS_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import ReviewArgs, ShowReview
from qcode.tui.widgets.frame_table import fill_table

COLUMNS = {
    "document": "Document",
    "turn": "Turn",
    "code": "Code",
    "status": "Status",
    "settled": "Settled",
    "coders_with": "Applied by",
    "coders_without": "Not by",
    "text": "Text",
}
"""Columns shown, in this order; the text last, cut, so the rest fits 80 columns."""

WIDTHS = {"document": 24, "code": 22, "coders_with": 12, "coders_without": 12, "text": 40}
SETTLED = {True: "settled", False: ""}


def status_line(found: UnitsBehind) -> str:
    """How the listed units add up to the figure's unit count (every number from the service)."""
    parts = [
        f"{found.label} · {', '.join(found.coders)} · {found.figure_units} unit{'' if found.figure_units == 1 else 's'} in the figure:",
        f"{found.agreed} agreed, {found.disagreed} disagreed, {found.settled} settled",
    ]
    if found.absent:
        parts.append(f"+ {found.absent} where no coder applied it (agreed, not listed)")
    if found.uncounted:
        parts.append(f"({found.uncounted} coded by one coder only, not in the figure)")
    return " ".join(parts) + " · r: review"


@dataclass
class UnitsRead(Message):
    """The worker's units (``found``), or ``error`` if it has none."""

    bubble: ClassVar[bool] = False
    found: UnitsBehind | None
    error: str = ""


class UnitsScreen(Screen[None]):
    """The units behind one figure of the agreement screen."""

    BINDINGS = UNITS_BINDINGS

    def __init__(
        self,
        context: WorkbenchContext,
        coders: list[str],
        view: str,
        key: str | tuple[str, str],
        review: ReviewArgs | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.coders = coders
        self.view = view
        self.key = key
        self.review = review
        """What the review queue of the same figure (``r``) is opened with."""
        self.found: UnitsBehind | None = None
        self.loaded = False
        """True once the units (or an error) are on screen."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the units behind this figure…", id="units-status")
        yield DataTable(id="units", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Units behind the figure"
        self.query_one(DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="units")
    def load(self) -> None:
        try:
            found = agreement_units.units_behind(self.context.project, self.coders, self.view, self.key, viewer=self.context.coder)
        except QcodeError as error:
            self.post_message(UnitsRead(None, error.message))
            return
        self.post_message(UnitsRead(found))

    def on_units_read(self, message: UnitsRead) -> None:
        if message.found is None:
            self._failed(message.error)
        else:
            self._show(message.found)

    def _failed(self, message: str) -> None:
        self.query_one("#units-status", Static).update(Content(message))
        self.loaded = True

    def _show(self, found: UnitsBehind) -> None:
        self.found = found
        shown = found.units.assign(settled=found.units["settled"].map(SETTLED))
        fill_table(self.query_one(DataTable), shown, list(COLUMNS), COLUMNS, widths=WIDTHS)
        self.query_one("#units-status", Static).update(Content(status_line(found)))
        self.loaded = True

    def action_review(self) -> None:
        """The open disagreements among these units, one keystroke per decision."""
        coders, codes, scope = self.review or (self.coders, None, None)
        self.app.post_message(ShowReview(coders, codes, scope))
