"""The export dialog: choose a format (and, for tables, whose codings); the export service
writes into the project's exports/."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

from qcode.coding.model import CONSENSUS_CODER
from qcode.errors import QcodeError
from qcode.export.display import for_people
from qcode.export.summary import ExportSummary
from qcode.services import exchange as exchange_service
from qcode.services import tables as table_service
from qcode.services.project import Project
from qcode.tui.context import WorkbenchContext

ALL_CODERS = "__all__"
"""The coder choice that exports every coder's codings, mixed."""
TABLES = ("csv", "xlsx")


def run_export(project: Project, fmt: str, coder: str, table_coder: str | None = None) -> ExportSummary:
    """Call the export service for ``fmt`` (qdpx, qdc, csv, xlsx) as ``coder`` sees the project.

    Tables hold the codings of ``table_coder`` (a coder, ``consensus``, or :data:`ALL_CODERS`)
    with readable headers and the study's role labels; REFI files carry every coder.
    """
    if fmt == "qdpx":
        return exchange_service.export_qdpx(project, viewer=coder)
    if fmt == "qdc":
        return exchange_service.export_qdc(project)
    if not table_coder:
        raise QcodeError("Choose whose codings the tables hold: the consensus, one coder, or every coder.")
    flt = table_service.ExportFilter(coders=None if table_coder == ALL_CODERS else [table_coder])
    return table_service.export_tables(project, fmt, viewer=coder, flt=flt, display=for_people())


def coder_options(coders: list[str]) -> tuple[list[tuple[str, str]], str | None]:
    """The coder choices for tables and the default: the consensus if it exists, the only
    coder if there is one, else none (the user must choose)."""
    options = [("Consensus (settled codings)", CONSENSUS_CODER)] if CONSENSUS_CODER in coders else []
    options += [(name, name) for name in coders if name != CONSENSUS_CODER]
    options.append(("Every coder, mixed", ALL_CODERS))
    if CONSENSUS_CODER in coders:
        return options, CONSENSUS_CODER
    return options, coders[0] if len(coders) == 1 else None


class ExportModal(ModalScreen[None]):
    """Choose a format and export."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", id="export.cancel")]
    FORMATS: ClassVar[list[tuple[str, str]]] = [
        ("REFI-QDA project (.qdpx)", "qdpx"),
        ("REFI-QDA codebook (.qdc)", "qdc"),
        ("Tables (CSV)", "csv"),
        ("Tables (Excel)", "xlsx"),
    ]

    def __init__(self, context: WorkbenchContext, fmt: str = "qdpx") -> None:
        super().__init__()
        self.context = context
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        options, default = coder_options(table_service.coders_with_codings(self.context.project, self.context.coder))
        with Vertical(classes="dialog", id="export-box"):
            yield Label("Export", classes="dialog-title")
            yield Select(self.FORMATS, value=self.fmt, allow_blank=False, id="format")
            yield Label("Tables hold the codings of:", id="coder-label")
            yield Select(options, value=default if default is not None else Select.NULL,
                         prompt="Choose whose codings", id="coder")
            yield Button("Export", variant="primary", id="go")
            yield Label("", id="export-result", markup=False)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        fmt = str(self.query_one("#format", Select).value)
        choice = self.query_one("#coder", Select)
        table_coder = None if choice.is_blank() else str(choice.value)
        try:
            summary = run_export(self.context.project, fmt, self.context.coder, table_coder)
        except QcodeError as error:
            self.query_one("#export-result", Label).update(error.message)
            return
        written = ", ".join(str(p) for p in summary.paths)
        self.query_one("#export-result", Label).update(f"Written: {written}")
