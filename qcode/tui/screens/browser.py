"""The corpus browser: documents per case with channel, date, size and coding progress."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input

from qcode.errors import QcodeError
from qcode.services import team as team_service
from qcode.services import workbench
from qcode.services.workbench import DocumentSummary
from qcode.tui.bindings import BROWSER_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import ChooseCoder, CoderChanged, OpenDocument, Show, ShowExport


def matches(summary: DocumentSummary, query: str) -> bool:
    """Filter rule: ``key=value`` terms match a case attribute or ``channel``/``case``;
    other words match part of the document key, case or an attribute value. All must hold."""
    for term in query.split():
        if "=" in term:
            key, value = term.split("=", 1)
            fields = {**{k: str(v) for k, v in summary.attributes.items()},
                      "channel": summary.channel, "case": summary.case}
            if fields.get(key, "").casefold() != value.casefold():
                return False
        else:
            haystack = " ".join([summary.document, summary.case, *map(str, summary.attributes.values())])
            if term.casefold() not in haystack.casefold():
                return False
    return True


def progress_text(summary: DocumentSummary, coder: str) -> tuple[str, str]:
    """(mine as coded/suggested/untouched, others as name:coded ...)."""
    mine = summary.progress.get(coder)
    own = f"{mine.coded}/{mine.suggested}/{mine.untouched}" if mine else f"0/0/{summary.utterances}"
    others = " ".join(
        f"{name}:{p.coded}" for name, p in summary.progress.items() if name != coder
    )
    return own, others


class BrowserScreen(Screen[None]):
    """Pick a document to code; filter by case attribute and channel."""

    BINDINGS = BROWSER_BINDINGS

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__()
        self.context = context
        self.summaries: list[DocumentSummary] = []
        # Enter opens the document as soon as the app takes the key (a priority binding), not
        # via the table's row-selected message handled later: the keys typed right after it
        # (j, a hotkey) then reach the transcript, not the table (issue 16, fast typing).
        for key, bindings in self._bindings.key_to_bindings.items():
            if key == "enter":
                self._bindings.key_to_bindings[key] = [replace(b, priority=True) for b in bindings]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter in the filter box submits the filter; it opens a document from the table."""
        return not (action == "open_document" and isinstance(self.focused, Input))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: channel=chat geslacht=vrouw pesten … (enter)", id="filter")
        table: DataTable[str] = DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        table.add_columns("Document", "Ch.", "Date", "Utt.", "Chars", "Mine c/s/u", "Others")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Corpus"
        self.query_one("#filter").display = False
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def on_coder_changed(self, message: CoderChanged) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        self.summaries = workbench.corpus_overview(self.context.project, self.context.coder)
        self._fill(self.query_one("#filter", Input).value)

    def _fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for s in self.summaries:
            if not matches(s, query):
                continue
            own, others = progress_text(s, self.context.coder)
            date = f"{s.start:%Y-%m-%d}" if s.start else ""
            table.add_row(s.document, s.channel, date, str(s.utterances), str(s.characters), own, others, key=s.document)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._fill(event.value)
        if not event.value:
            event.input.display = False
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.post_message(OpenDocument(event.row_key.value))

    def action_open_document(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                self.app.post_message(OpenDocument(key))

    def action_statistics(self) -> None:
        self.app.post_message(Show("statistics"))

    def action_agreement(self) -> None:
        self.app.post_message(Show("agreement"))

    def action_export(self) -> None:
        self.app.post_message(ShowExport())

    def action_search(self) -> None:
        self.app.post_message(Show("search"))

    def action_show_codebook(self) -> None:
        self.app.post_message(Show("codebook"))

    def action_switch_coder(self) -> None:
        self.app.post_message(ChooseCoder())

    def action_release_blind(self) -> None:
        try:
            team_service.release_blind(self.context.project, self.context.coder)
        except QcodeError as error:
            self.notify(error.message, severity="error")
            return
        self.notify("Blind coding released: every coder now sees every coding.")
        self.refresh_rows()
