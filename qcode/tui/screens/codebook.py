"""The codebook in the workbench: create, rename, recolour, regroup and merge codes; ``u`` undoes.

Every key is one call of :mod:`qcode.services.codebook`, which commits and says what it
did; a step the store refuses (a name taken, a group that does not exist, an undo that would
orphan codings) is shown with the store's reason and changes nothing. Every edit is kept in the
store, so ``u`` takes back the newest one not undone yet, in this session or a later one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from qcode.errors import QcodeError
from qcode.services import codebook as codebook_service
from qcode.services.codebook import CodebookEdit
from qcode.tui.bindings import CODEBOOK_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import CodebookChanged, ShowFragments
from qcode.tui.screens.ask import AskModal

if TYPE_CHECKING:
    from qcode.codebook.model import Code


class CodebookScreen(Screen[None]):
    """Every live code with its group, hotkey, colour and number of codings."""

    BINDINGS = CODEBOOK_BINDINGS

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__()
        self.context = context
        self.codebook = context.codebook
        """The codebook as this screen last read it (the app's copy follows by a message)."""

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str | Text] = DataTable(id="codebook-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="codebook-status")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Codebook"
        self._fill()
        self._status("n new · r rename · c colour · g group · m merge · u undo · f fragments")
        self.query_one(DataTable).focus()

    def _fill(self, keep: str | None = None) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        usage = codebook_service.code_usage(self.context.project)
        table.add_column("", key="colour", width=2)
        table.add_column("key", key="hotkey", width=3)
        table.add_column("code", key="name", width=max(self.size.width - 42, 20))
        table.add_column("group", key="group", width=14)
        table.add_column("codings", key="codings", width=7)
        for code in self.codebook.codes:
            table.add_row(
                Text("██", Style(color=code.colour)), code.hotkey, code.name + (" (auto)" if code.automatic else ""),
                code.group, str(usage.get(code.id, 0)), key=code.id,
            )
        if keep is not None and keep in {c.id for c in self.codebook.codes}:
            row = table.get_row_index(keep)
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def _status(self, text: str) -> None:
        self.query_one("#codebook-status", Static).update(Text(text))

    def current(self) -> Code | None:
        table = self.query_one(DataTable)
        codes = self.codebook.codes
        if not table.row_count or not codes:
            return None
        return codes[min(table.cursor_row, len(codes) - 1)]

    def _run(self, call: Callable[[], CodebookEdit]) -> None:
        """One service call (it commits the edit and its record); every view is told."""
        try:
            edit = call()
        except QcodeError as error:
            self._status(f"Refused: {error.message}")
            self.notify(error.message, title=error.title or "Refused", severity="error")
            return
        self._changed(edit.code, f"Done: {edit.describe()} (u undoes).")

    def _changed(self, keep: str, message: str) -> None:
        self.codebook = codebook_service.codebook(self.context.project)
        self.app.post_message(CodebookChanged(self.codebook))
        self._fill(keep)
        self._status(message)

    def _ask(self, title: str, value: str, then: Callable[[str], None], placeholder: str = "") -> None:
        def done(answer: str | None) -> None:
            if answer:
                then(answer)

        self.app.push_screen(AskModal(title, value, placeholder), done)

    # ---- actions ------------------------------------------------------------------------------
    def action_new_code(self) -> None:
        code = self.current()
        group = code.group if code else ""
        groups = ", ".join(codebook_service.groups(self.context.project))

        def named(name: str) -> None:
            self._ask(
                f"Group of '{name}'", group,
                lambda chosen: self._run(lambda: codebook_service.create_code(self.context.project, name, chosen, editor=self.context.coder)),
                placeholder=groups,
            )

        self._ask("Name of the new code", "", named)

    def action_rename(self) -> None:
        code = self.current()
        if code is not None:
            self._ask(f"Rename '{code.name}' to", code.name,
                      lambda name: self._run(lambda: codebook_service.rename_code(self.context.project, code.id, name, editor=self.context.coder)))

    def action_recolour(self) -> None:
        code = self.current()
        if code is not None:
            self._ask(f"Colour of '{code.name}' (like #4E79A7)", code.colour,
                      lambda colour: self._run(lambda: codebook_service.recolour_code(self.context.project, code.id, colour, editor=self.context.coder)))

    def action_move_group(self) -> None:
        code = self.current()
        if code is not None:
            self._ask(
                f"Move '{code.name}' to group", code.group,
                lambda group: self._run(lambda: codebook_service.move_code(self.context.project, code.id, group, editor=self.context.coder)),
                placeholder=", ".join(codebook_service.groups(self.context.project)),
            )

    def action_merge(self) -> None:
        code = self.current()
        if code is not None:
            self._ask(
                f"Merge '{code.name}' into (its codings move there)", "",
                lambda target: self._run(lambda: codebook_service.merge_codes(self.context.project, code.id, target, editor=self.context.coder)),
                placeholder="name of the code to keep",
            )

    def action_undo(self) -> None:
        try:
            done = codebook_service.undo_last(self.context.project)
        except QcodeError as error:
            self._status(f"Refused: {error.message}")
            self.notify(error.message, title="Undo refused", severity="error")
            return
        if done is None:
            self._status("Nothing to undo in the codebook.")
            return
        edit, message = done
        self._changed(edit.code, message)

    def action_fragments(self) -> None:
        code = self.current()
        if code is not None:
            self.app.post_message(ShowFragments(code.id))
