"""Deterministic REFI-QDA GUIDs, so exporting the same project twice gives identical files.

Like taguette's REFI export, every GUID is a UUID version 5 of a fixed namespace and a stable
string (``code:<id>``, ``doc:<key>``, ...), never a random uuid4.
"""

from __future__ import annotations

import uuid

QCODE_NAMESPACE = uuid.UUID("6f1d3c52-2b6e-5c1a-9a4e-0c0de0000001")
"""Fixed namespace of every qcode GUID; changing it would make every re-export differ."""


def make_guid(kind: str, *parts: object) -> str:
    """The GUID of ``kind:part1:part2...`` (lower case, as RFC 4122 prints it)."""
    key = ":".join([kind, *(str(p) for p in parts)])
    return str(uuid.uuid5(QCODE_NAMESPACE, key))


def normalise_guid(value: str) -> str:
    """A GUID in the one form qcode compares: lower case, hyphenated, no braces.

    Tools write the same GUID differently (NVivo and ATLAS.ti in upper case or in braces,
    some as ``urn:uuid:``); :class:`uuid.UUID` reads all of these. Values that are not GUIDs
    are returned stripped and lower-cased, so lookups still work on files that bend the
    standard.
    """
    text = value.strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text.lower()
