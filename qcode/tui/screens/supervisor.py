"""Supervisor screens: statistics, agreement with adjudication, export.

They call services written elsewhere (``qcode.services.analysis``, ``qcode.services.exports``)
by name; until a service exists, the screen says so instead of failing. The UI never
computes a statistic itself: it only draws the frames the services return.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Header, Label, Select, Static

from qcode.errors import QcodeError


def service(module: str, name: str) -> Callable[..., Any]:
    """The service function ``qcode.services.<module>.<name>``, or a QcodeError if not there."""
    try:
        found = getattr(importlib.import_module(f"qcode.services.{module}"), name)
    except (ImportError, AttributeError) as error:
        raise QcodeError(
            f"qcode.services.{module}.{name} is not available yet in this build.",
            title="Not available",
        ) from error
    return found  # type: ignore[no-any-return]


def run_export(project: Any, fmt: str, coder: str) -> Any:
    """Call the export service for ``fmt``; returns its ExportSummary (``paths``)."""
    if fmt == "qdpx":
        return service("exports", "export_qdpx")(project, viewer=coder)
    if fmt == "qdc":
        return service("exports", "export_qdc")(project)
    return service("exports", "export_tables")(project, fmt, viewer=coder)


def fill_table(table: DataTable[Any], frame: Any) -> None:
    """Show a pandas DataFrame (as returned by a service) in a DataTable."""
    table.clear(columns=True)
    table.add_columns(*(str(c) for c in frame.columns))
    for row in frame.astype(object).where(frame.notna(), "").itertuples(index=False):
        table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))


def bar_chart(counts: dict[str, float], width: int = 40) -> Text:
    """A terminal bar chart: one bar per label, scaled to the largest value."""
    text = Text()
    top = max(counts.values(), default=0) or 1
    pad = max((len(k) for k in counts), default=0)
    for label, value in counts.items():
        text.append(f"{label:<{pad}} ")
        text.append("█" * round(width * value / top), style="bold")
        text.append(f" {value:g}\n")
    return text


class StatisticsScreen(Screen[None]):
    """Frequency tables and phases per channel (bar chart)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back", id="stats.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="chart")
            yield DataTable(id="frequencies")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Statistics"
        app: Any = self.app
        try:
            frame = service("analysis", "frequency_table")(app.project, viewer=app.coder)
            phases = service("analysis", "phases_per_channel")(app.project, viewer=app.coder)
        except QcodeError as error:
            self.query_one("#chart", Static).update(error.message)
            return
        fill_table(self.query_one(DataTable), frame)
        chart = Text()
        for channel in phases.columns:
            chart.append(f"{channel}\n", style="bold underline")
            chart.append_text(bar_chart({str(k): float(v) for k, v in phases[channel].items()}))
        self.query_one("#chart", Static).update(chart)


class AgreementScreen(Screen[None]):
    """Per-code agreement; enter on a code steps through its disagreements."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back", id="agreement.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="agreement-status")
        yield DataTable(id="agreement", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Agreement"
        app: Any = self.app
        try:
            frame = service("analysis", "agreement_table")(app.project)
        except QcodeError as error:
            self.query_one("#agreement-status", Static).update(error.message)
            return
        self.codes = [str(c) for c in frame["code"]]
        fill_table(self.query_one(DataTable), frame)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(DisagreementScreen(self.codes[event.cursor_row]))


class DisagreementScreen(Screen[None]):
    """One disagreement at a time, coders side by side; keys settle it into the consensus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="disagreement.back"),
        Binding("y", "settle(True)", "Code it", id="disagreement.keep"),
        Binding("n", "settle(False)", "Not coded", id="disagreement.drop"),
        Binding("right,j", "step(1)", "Next", id="disagreement.next"),
        Binding("left,k", "step(-1)", "Previous", id="disagreement.previous"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.items: list[dict[str, Any]] = []
        self.position = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="where")
        with Horizontal(id="sides"):
            yield Static("", id="left", classes="side")
            yield Static("", id="right", classes="side")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Disagreements: {self.code}"
        app: Any = self.app
        try:
            self.items = list(service("analysis", "disagreements")(app.project, self.code))
        except QcodeError as error:
            self.query_one("#where", Label).update(error.message)
            return
        self._show()

    def _show(self) -> None:
        if not self.items:
            self.query_one("#where", Label).update("No disagreements left for this code.")
            return
        item = self.items[self.position]
        self.query_one("#where", Label).update(
            f"{self.position + 1}/{len(self.items)}  {item['document']}  {item.get('text', '')[:60]}"
        )
        coders = list(item.get("coders", {}).items())
        for widget_id, pair in zip(("#left", "#right"), coders[:2], strict=False):
            name, coded = pair
            self.query_one(widget_id, Static).update(f"{name}\n{'coded' if coded else 'not coded'}")

    def action_step(self, step: int) -> None:
        if self.items:
            self.position = (self.position + step) % len(self.items)
            self._show()

    def action_settle(self, keep: bool) -> None:
        if not self.items:
            return
        app: Any = self.app
        try:
            service("analysis", "adjudicate")(app.project, self.items[self.position], keep, app.coder)
        except QcodeError as error:
            self.notify(error.message, severity="error")
            return
        del self.items[self.position]
        self.position = min(self.position, max(len(self.items) - 1, 0))
        self._show()


class ExportModal(ModalScreen[None]):
    """Choose a format; the export service writes into the project's exports/ folder."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", id="export.cancel")]
    FORMATS: ClassVar[list[tuple[str, str]]] = [("REFI-QDA project (.qdpx)", "qdpx"), ("REFI-QDA codebook (.qdc)", "qdc"),
               ("Tables (CSV)", "csv"), ("Tables (Excel)", "xlsx")]

    def __init__(self, fmt: str = "qdpx") -> None:
        super().__init__()
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-box"):
            yield Label("Export", classes="dialog-title")
            yield Select(self.FORMATS, value=self.fmt, allow_blank=False, id="format")
            yield Button("Export", variant="primary", id="go")
            yield Label("", id="export-result")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        app: Any = self.app
        fmt = str(self.query_one(Select).value)
        try:
            summary = run_export(app.project, fmt, app.coder)
        except QcodeError as error:
            self.query_one("#export-result", Label).update(error.message)
            return
        written = ", ".join(str(p) for p in summary.paths)
        self.query_one("#export-result", Label).update(f"Written: {written}")
