"""The keyboard reference: every binding with the user's own remappings, for the help screen
and ``qcode keys`` (text for one screen, Markdown for printing).

Keys are shown as glyphs (``?``, ``.``, ``⏎``, ``↓``) by Textual's own ``format_key``, the
function its footer uses, so the help screen, the footer and the printout name a key alike.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from textual.binding import Binding
from textual.keys import format_key

from qcode.codebook.model import Codebook
from qcode.tui.bindings import ALL_BINDINGS, APP_BINDINGS, CODING_BINDINGS, key_name


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One binding as the reference lists it."""

    where: str
    """The screen it works on ("Transcript", "Codebook" for code hotkeys, ...)."""
    keys: str
    """Glyphs of its keys, remapping applied (``j/↓``)."""
    does: str
    binding_id: str
    """What to remap in qcode.toml ``[keys]``; empty for code hotkeys."""


def key_glyphs(keys: str) -> str:
    """``"down,j"`` -> ``"↓/j"``; ``"question_mark,f1"`` -> ``"?/f1"``."""
    return "/".join(format_key(k.strip()) for k in keys.split(",") if k.strip())


def binding_rows(keymap: dict[str, str], codebook: Codebook | None) -> list[KeyRow]:
    """Every binding of every screen, remapped keys applied, then the codebook's hotkeys."""
    rows: list[KeyRow] = []
    for where, bindings in ALL_BINDINGS.items():
        for b in bindings:
            if not isinstance(b, Binding):
                continue
            key = keymap.get(b.id or "", b.key)
            rows.append(KeyRow(where, key_glyphs(key), b.description, b.id or ""))
    if codebook is not None:
        # A binding wins over a code hotkey on the same key (as the transcript handles keys).
        taken: dict[str, str] = {}
        for b in [*APP_BINDINGS, *CODING_BINDINGS]:
            if isinstance(b, Binding):
                for k in keymap.get(b.id or "", b.key).split(","):
                    taken.setdefault(key_name(k), b.description)
        for code in codebook.codes:
            if code.hotkey and not code.automatic:
                owner = taken.get(key_name(code.hotkey))
                does = f"{code.name} (key taken by {owner}: use / to find the code)" if owner else code.name
                rows.append(KeyRow("Codebook", code.hotkey, does, ""))
    return rows


def as_text(rows: list[KeyRow], width: int = 100) -> str:
    """One paragraph per screen, ``key what · key what``, wrapped to ``width``: the whole
    reference fits one terminal screen (``tests/tui/test_wb1_keys.py`` holds it to 100×32)."""
    sections: dict[str, list[str]] = {}
    for r in rows:
        # No-break spaces inside an entry, so a line never parts a key from what it does.
        sections.setdefault(r.where, []).append(f"{r.keys} {r.does}".replace(" ", "\u00a0"))
    label = max(len(w) for w in sections) + 2
    lines: list[str] = []
    for where, items in sections.items():
        wrapped = textwrap.wrap(
            "\u00a0· ".join(items), width=width, initial_indent=where.ljust(label),
            subsequent_indent=" " * label, break_on_hyphens=False,
        )
        lines.extend(line.replace("\u00a0", " ") for line in wrapped)
    lines.append("Remap a key in qcode.toml: [keys] \"binding.id\" = \"key\" (ids: qcode keys --format markdown).")
    return "\n".join(lines) + "\n"


def as_markdown(rows: list[KeyRow]) -> str:
    """A table per screen with the binding ids, for printing or a wiki page."""
    out = ["# qcode workbench keys", "", 'Remap any key in `qcode.toml`: `[keys]` then `"binding.id" = "key"`.', ""]
    current = ""
    for r in rows:
        if r.where != current:
            current = r.where
            out += ["", f"## {current}", "", "| key | does | binding id |", "|---|---|---|"]
        keys = r.keys.replace("|", "\\|")
        out.append(f"| `{keys}` | {r.does} | {f'`{r.binding_id}`' if r.binding_id else '—'} |")
    return "\n".join(out).replace("\n\n\n", "\n\n") + "\n"
