"""The export dialog: choose a format; the export service writes into the project's exports/."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

from qcode.errors import QcodeError
from qcode.export.summary import ExportSummary
from qcode.services import exports
from qcode.services.project import Project

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp


def run_export(project: Project, fmt: str, coder: str) -> ExportSummary:
    """Call the export service for ``fmt`` (qdpx, qdc, csv, xlsx) as ``coder`` sees the project."""
    if fmt == "qdpx":
        return exports.export_qdpx(project, viewer=coder)
    if fmt == "qdc":
        return exports.export_qdc(project)
    return exports.export_tables(project, fmt, viewer=coder)


class ExportModal(ModalScreen[None]):
    """Choose a format and export."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", id="export.cancel")]
    FORMATS: ClassVar[list[tuple[str, str]]] = [
        ("REFI-QDA project (.qdpx)", "qdpx"),
        ("REFI-QDA codebook (.qdc)", "qdc"),
        ("Tables (CSV)", "csv"),
        ("Tables (Excel)", "xlsx"),
    ]

    def __init__(self, fmt: str = "qdpx") -> None:
        super().__init__()
        self.fmt = fmt

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-box"):
            yield Label("Export", classes="dialog-title")
            yield Select(self.FORMATS, value=self.fmt, allow_blank=False, id="format")
            yield Button("Export", variant="primary", id="go")
            yield Label("", id="export-result", markup=False)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        fmt = str(self.query_one(Select).value)
        try:
            summary = run_export(self.qapp.project, fmt, self.qapp.coder)
        except QcodeError as error:
            self.query_one("#export-result", Label).update(error.message)
            return
        written = ", ".join(str(p) for p in summary.paths)
        self.query_one("#export-result", Label).update(f"Written: {written}")
