"""Deterministic REFI-QDA GUIDs, so exporting the same project twice gives identical files.

Like taguette's REFI export, every GUID is a UUID version 5 of a fixed namespace and a stable
string (``code:<id>``, ``doc:<key>``, ...), never a random uuid4.
"""

from __future__ import annotations

import re
import uuid

QCODE_NAMESPACE = uuid.UUID("6f1d3c52-2b6e-5c1a-9a4e-0c0de0000001")
"""Fixed namespace of every qcode GUID; changing it would make every re-export differ."""

_GUID_RE = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")


def make_guid(kind: str, *parts: object) -> str:
    """The GUID of ``kind:part1:part2...`` (lower case, as RFC 4122 prints it)."""
    key = ":".join([kind, *(str(p) for p in parts)])
    return str(uuid.uuid5(QCODE_NAMESPACE, key))


def normalise_guid(value: str) -> str:
    """Lower-case a GUID and strip the braces some tools (NVivo, ATLAS.ti) write.

    Values that are not GUIDs are returned stripped and lower-cased, so lookups still work on
    files that bend the standard.
    """
    text = value.strip()
    match = _GUID_RE.match(text)
    return (match.group(1) if match else text).lower()
