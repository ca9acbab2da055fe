"""The statistics screen: phases per channel and the share of cases per code as bar charts, shares and counts as tables.

Every number comes from :func:`qcode.services.analysis.stats` (the codes chart from
:func:`qcode.services.report.code_shares`, the table `qcode report` prints); this screen only arranges
them. The service runs in a thread worker so a large project never freezes the keyboard.
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
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from qcode.errors import QcodeError
from qcode.services import analysis, report, workbench
from qcode.services.analysis import StatsFilter
from qcode.tui.bindings import STATISTICS_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.widgets.bar_chart import coloured_bars, grouped_bars
from qcode.tui.widgets.frame_table import fill_table

PHASE_GROUP = "phases"
"""Codebook group whose codes are the phases of the help process (the study's figure)."""

TABS = ("phases", "codes", "shares", "counts")


@dataclass(frozen=True)
class Tables:
    """What the service computed for one coder filter."""

    coder: str | None
    """Whose codings counted (None: every coder the viewer may see)."""
    shares: pd.DataFrame
    """``stats(table="shares", by="channel")``: code, name, channel, cases_with_code, cases, share."""
    counts: pd.DataFrame
    """``stats(table="counts", by="case")``: code, name, one column per case, total."""
    codes: pd.DataFrame
    """``report.code_shares``: the report's codes table (codebook order, colours, shares)."""


def phase_values(shares: pd.DataFrame, phase_codes: list[str]) -> dict[str, dict[str, float]]:
    """Phase code -> channel -> share of cases, picked out of the service's shares table."""
    values: dict[str, dict[str, float]] = {}
    for record in shares[shares["code"].isin(phase_codes)].to_dict("records"):
        values.setdefault(str(record["code"]), {})[str(record["channel"])] = float(record["share"])
    return values


@dataclass
class TablesComputed(Message):
    """The worker's tables, or ``error`` if there are none."""

    bubble: ClassVar[bool] = False
    tables: Tables | None
    error: str = ""


class StatisticsScreen(Screen[None]):
    """Frequency tables and phases per channel; ``c`` cycles which coder's codings count."""

    BINDINGS = STATISTICS_BINDINGS

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__()
        self.context = context
        self.coder_choices: list[str | None] = [None]
        self.coder_position = 0
        self.shown_for: tuple[str | None] | None = None
        """The coder filter whose tables are on screen (None until the first arrive)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="stats-status")
        with TabbedContent(id="stats-tabs"):
            with TabPane("Phases per channel", id="phases"):
                yield Static("Computing…", id="chart")
            with TabPane("Codes", id="codes"):
                yield Static("Computing…", id="codes-chart")
            with TabPane("Shares per channel", id="shares"):
                yield DataTable(id="shares-table", zebra_stripes=True)
            with TabPane("Counts per case", id="counts"):
                yield DataTable(id="counts-table", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Statistics"
        people = workbench.agreement_coders(self.context.project, self.context.coder)
        self.coder_choices = [None, *people, "consensus"]
        self.compute(None)

    def _coder_label(self) -> str:
        coder = self.coder_choices[self.coder_position]
        return "all visible coders" if coder is None else coder

    @work(thread=True, exclusive=True, group="statistics")
    def compute(self, coder: str | None) -> None:
        """Ask the service for both tables (in a thread); show them or the error."""
        project, viewer = self.context.project, self.context.coder
        flt = StatsFilter(coder=[coder] if coder else None)
        try:
            tables = Tables(
                coder=coder,
                shares=analysis.stats(project, "shares", by="channel", flt=flt, viewer=viewer),
                counts=analysis.stats(project, "counts", by="case", flt=flt, viewer=viewer),
                codes=report.code_shares(project, flt, viewer),
            )
        except QcodeError as error:
            self.post_message(TablesComputed(None, error.message))
            return
        self.post_message(TablesComputed(tables))

    def on_tables_computed(self, message: TablesComputed) -> None:
        if message.tables is None:
            self._show_error(message.error)
        else:
            self._show(message.tables)

    def _show_error(self, message: str) -> None:
        self.query_one("#stats-status", Static).update(Content(message))
        self.query_one("#chart", Static).update("")

    def _show(self, tables: Tables) -> None:
        self.shown_for = (tables.coder,)
        book = self.context.codebook
        phases = [c for c in book.codes if c.group == PHASE_GROUP]
        channels = sorted({str(c) for c in tables.shares["channel"]})
        cases = {str(r["channel"]): int(r["cases"]) for r in tables.shares.to_dict("records")}
        per_channel = ", ".join(f"{ch} {cases.get(ch, 0)}" for ch in channels)
        self.query_one("#stats-status", Static).update(
            Content(f"Codings of: {self._coder_label()} (c changes)  ·  cases: {per_channel}")
        )
        values = phase_values(tables.shares, [c.id for c in phases])
        by_name = {c.name: values.get(c.id, {}) for c in phases}
        chart = grouped_bars(by_name, [c.name for c in phases], channels, width=40)
        self.query_one("#chart", Static).update(
            Content("Share of cases with each phase\n\n") + chart if phases else Content("No phase codes.")
        )
        rows = [
            (str(r["name"]), float(r["share"]) if r["share"] == r["share"] else 0.0, str(r["colour"] or ""))
            for r in tables.codes.to_dict("records")
        ]
        self.query_one("#codes-chart", Static).update(
            Content("Share of cases with each code (codebook order)\n\n") + coloured_bars(rows, width=30)
        )
        fill_table(
            self.query_one("#shares-table", DataTable),
            tables.shares,
            ["name", "channel", "share", "cases_with_code", "cases"],
            {"name": "Code", "channel": "Channel", "share": "Share", "cases_with_code": "Cases with", "cases": "Cases"},
            widths={"name": 30},
        )
        counts = tables.counts
        fill_table(
            self.query_one("#counts-table", DataTable),
            counts,
            ["name", *(str(c) for c in counts.columns if c not in ("code", "name"))],
            {"name": "Code"},
            widths={"name": 24},
        )

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + 1) % len(TABS)] if tabs.active in TABS else TABS[0]

    def action_next_coder(self) -> None:
        self.coder_position = (self.coder_position + 1) % len(self.coder_choices)
        self.query_one("#stats-status", Static).update(Content(f"Codings of: {self._coder_label()} — computing…"))
        self.compute(self.coder_choices[self.coder_position])
