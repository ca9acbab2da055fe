"""Every binding, with its id (for remapping in qcode.toml) and the codebook's hotkeys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from qcode.codebook.model import Codebook
from qcode.tui.bindings import ALL_BINDINGS


def binding_rows(keymap: dict[str, str], codebook: Codebook | None) -> list[tuple[str, str, str, str]]:
    """(where, key, what, binding id) for every binding, remapped keys applied."""
    rows: list[tuple[str, str, str, str]] = []
    for where, bindings in ALL_BINDINGS.items():
        for b in bindings:
            if not isinstance(b, Binding):
                continue
            key = keymap.get(b.id or "", b.key)
            rows.append((where, key, b.description, b.id or ""))
    if codebook is not None:
        for code in codebook.codes:
            if code.hotkey and not code.automatic:
                rows.append(("Codebook", code.hotkey, f"code: {code.name}", ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists bindings; remap any id in qcode.toml under [keys]."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,f1,q", "close", "Close", id="help.close")]

    def __init__(self, keymap: dict[str, str], codebook: Codebook | None) -> None:
        super().__init__()
        self.rows = binding_rows(keymap, codebook)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-box"):
            yield Label("Keys — remap in qcode.toml: [keys] \"binding.id\" = \"key\"", classes="dialog-title", markup=False)
            table: DataTable[str] = DataTable(id="help-table", cursor_type="row")
            table.add_columns("Where", "Key", "Does", "Binding id")
            table.add_rows(self.rows)
            yield table

    def action_close(self) -> None:
        self.dismiss(None)
