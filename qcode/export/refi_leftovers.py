"""Count the parts of a REFI project that qcode does not import, one kind at a time.

Each kind is one call to :meth:`ImportTally.left_out` (dropped) or :meth:`ImportTally.kept`
(stored in another form: descriptions and Notes become memos, read by ``refi_notes``).
"""

from __future__ import annotations

from lxml import etree

from qcode.export.import_tally import ImportTally
from qcode.export.refi_notes import QCODE_NOTES


def tally_leftovers(root: etree._Element, ns: str, tally: ImportTally) -> None:
    """Count the project description and Notes (kept as memos), Links and Graphs (left out)."""
    if (root.findtext(f"{ns}Description") or "").strip():
        tally.kept("project description", 1, "memos")
    notes = [n for n in root.iterfind(f"{ns}Notes/{ns}Note") if n.get("name") not in QCODE_NOTES]
    annotations = [n for n in notes if n.find(f"{ns}PlainTextSelection") is not None]
    tally.kept("annotations (Notes on a text selection)", len(annotations), "memos")
    tally.kept("Notes (memos and journals)", len(notes) - len(annotations), "memos")
    tally.left_out("Links (relations between items)", len(root.findall(f"{ns}Links/{ns}Link")),
                   "qcode has no links between items")
    tally.left_out("Graphs (networks)", len(root.findall(f"{ns}Graphs/{ns}Graph")))
