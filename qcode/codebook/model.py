"""Codes and codebooks as frozen values.

A code's ``id`` is stable for ever: codings refer to it, so renaming a code (its ``name``) or
merging it into another never touches a coding's reference. ``name`` is the study's Dutch label
(``Verificatie interpretatie``) and is what users and exports see.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    """The unit a code is naturally applied at (a hint for tooling and agreement)."""

    UTTERANCE = "utterance"
    SEGMENT = "segment"
    DOCUMENT = "document"
    CASE = "case"


@dataclass(frozen=True, slots=True)
class Code:
    """One code of a codebook."""

    id: str
    """Stable identifier, e.g. ``verificatie_interpretatie``; never reused for another meaning."""
    name: str
    """Canonical Dutch label as the study uses it."""
    group: str
    """Group key: phases, content, role_division, technique, self_reliance, paratext, or own."""
    unit: Unit
    definition_en: str = ""
    definition_nl: str = ""
    colour: str = "#888888"
    hotkey: str = ""
    automatic: bool = False
    """True when qcode applies the code itself (``qcode autocode``), not a person."""
    exclusive: str = ""
    """Name of a mutually exclusive set (``phase``, ``question``); empty when none."""
    suggestible: bool = False
    """True when the spaCy suggester proposes this code."""


@dataclass(frozen=True, slots=True)
class Codebook:
    """A named, versioned list of codes with ordered groups."""

    id: str
    name: str
    version: str
    codes: tuple[Code, ...]
    groups: tuple[tuple[str, str], ...] = ()
    """Ordered (group key, display label) pairs."""
    source: str = ""
    parents: tuple[tuple[str, str], ...] = ()
    """(code id, parent code id) of each sub-code: REFI code trees nest codes below codes
    (QualCoder's "Open vraag - waarom" under "Open vraag"); both stay codes of the group."""

    def parent_of(self, code_id: str) -> str:
        """The id of a sub-code's parent code, or "" for a code directly in its group."""
        return dict(self.parents).get(code_id, "")

    def by_id(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def by_name(self, name: str) -> Code:
        """Find a code by its label, case-insensitively (users type names, not ids)."""
        wanted = name.casefold()
        for code in self.codes:
            if code.name.casefold() == wanted or code.id == name:
                return code
        raise KeyError(name)
