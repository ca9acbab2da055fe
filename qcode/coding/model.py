"""Codings as values, independent of how they are stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

AUTO_CODER = "auto"
"""The coder name under which ``qcode autocode`` stores its codings."""
CONSENSUS_CODER = "consensus"
"""The coder name under which adjudicated (settled) codings are stored."""


class Origin(StrEnum):
    """How a coding came about; exported so a methods section can say it."""

    MANUAL = "manual"
    AUTOMATIC = "automatic"
    SUGGESTION = "accepted suggestion"
    IMPORTED = "imported"
    CONSENSUS = "consensus"
    SEARCH = "search"
    """Applied to the hits of a search (``qcode search --code``); the query is in ``detail``."""


@dataclass(frozen=True, slots=True)
class Coding:
    """A code applied to ``document.text[start:end]``."""

    document: str
    """Document key."""
    start: int
    end: int
    code: str
    """Code id (stable), not the label."""
    coder: str
    origin: Origin = Origin.MANUAL
    memo: str = ""
    detail: str = ""
    """Machine detail, e.g. which emoticon or the silence in minutes."""
    created: datetime | None = None
    id: int | None = None
    """Store id, None before it is stored."""
