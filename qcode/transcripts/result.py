"""What a reader hands back for one source file."""

from __future__ import annotations

from dataclasses import dataclass

from qcode.transcripts.model import Case, Document


@dataclass(frozen=True)
class ReadResult:
    """The cases and documents read from one file, plus what the user should know about it."""

    cases: tuple[Case, ...]
    """One entry per case key the documents refer to (the importer merges across files)."""
    documents: tuple[Document, ...]
    warnings: tuple[str, ...] = ()
    """``file:line: message`` lines, e.g. an out-of-order line that was kept and flagged."""
