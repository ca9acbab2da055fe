"""Names and small helpers for the QDA-XML (REFI-QDA 1.0) vocabulary."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_DIR = Path(__file__).parent / "schemas"
PROJECT_XSD = SCHEMA_DIR / "Project-mrt2019.xsd"
CODEBOOK_XSD = SCHEMA_DIR / "Codebook.xsd"
METADATA_NOTE = "qcode metadata"
"""Name of the note holding what REFI cannot express (code ids, units, coding origins)."""


def format_datetime(value: datetime) -> str:
    """An ``xsd:dateTime``: aware values in UTC with ``Z``, naive values as they are."""
    if value.tzinfo is not None:
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def parse_datetime(value: str | None) -> datetime | None:
    """Read an ``xsd:dateTime``; None for absent or unreadable values (they are optional)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def safe_parser() -> etree.XMLParser:
    """An lxml parser that never fetches DTDs or expands external entities (files are foreign)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
        remove_blank_text=False,
    )


def to_bytes(root: etree._Element) -> bytes:
    """Serialise with declaration, UTF-8, indented (indentation only between elements)."""
    etree.indent(root, space="  ")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", standalone=True))
