"""Every binding, with its id (for remapping in qcode.toml) and the codebook's hotkeys
(rows from :mod:`qcode.tui.keys_reference`, as ``qcode keys`` prints them)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from qcode.codebook.model import Codebook
from qcode.tui.keys_reference import binding_rows


class HelpScreen(ModalScreen[None]):
    """Lists bindings; remap any id in qcode.toml under [keys]."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,f1,q", "close", "Close", id="help.close")]

    def __init__(self, keymap: dict[str, str], codebook: Codebook | None) -> None:
        super().__init__()
        self.rows = binding_rows(keymap, codebook)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-box"):
            yield Label("Keys — remap in qcode.toml: [keys] \"binding.id\" = \"key\"", classes="dialog-title", markup=False)
            table: DataTable[str | Text] = DataTable(id="help-table", cursor_type="row")
            # Where as a heading row, not a column, and the ids before the descriptions (long
            # code names): the binding ids keep their full width at 80×24.
            table.add_columns("Key", "Binding id", "Does")
            current = ""
            for row in self.rows:
                if row.where != current:
                    current = row.where
                    table.add_row(Text(current, style="bold"), "", "")
                table.add_row(row.keys, row.binding_id, row.does)
            yield table

    def action_close(self) -> None:
        self.dismiss(None)
