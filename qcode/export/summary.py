"""What an export wrote, so the CLI and TUI can report it without re-reading files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """Files written by one export and how many rows or items each part holds."""

    paths: tuple[Path, ...]
    """Every file written, in the order written."""
    counts: Mapping[str, int] = field(default_factory=dict)
    """Rows per table, or items per kind (``{"quotations": 120, "codings": 300}``)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))
