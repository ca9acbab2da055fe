"""Count the parts of a REFI project that qcode does not import, one kind at a time.

Each kind is one call to :meth:`ImportTally.left_out`, so a kind qcode learns to hold (notes
and descriptions as memos, see ``refi_notes``) moves by changing its own line only.
"""

from __future__ import annotations

from lxml import etree

from qcode.export.import_tally import ImportTally
from qcode.export.refi_xml import METADATA_NOTE


def tally_leftovers(root: etree._Element, ns: str, tally: ImportTally) -> None:
    """Count the project description, Notes, annotations, Links and Graphs of ``root``."""
    if (root.findtext(f"{ns}Description") or "").strip():
        tally.left_out("project description")
    notes = [n for n in root.iterfind(f"{ns}Notes/{ns}Note") if n.get("name") != METADATA_NOTE]
    annotations = [n for n in notes if n.find(f"{ns}PlainTextSelection") is not None]
    tally.left_out("annotations (Notes on a text selection)", len(annotations))
    tally.left_out("Notes (memos and journals)", len(notes) - len(annotations))
    tally.left_out("Links (relations between items)", len(root.findall(f"{ns}Links/{ns}Link")),
                   "qcode has no links between items")
    tally.left_out("Graphs (networks)", len(root.findall(f"{ns}Graphs/{ns}Graph")))
