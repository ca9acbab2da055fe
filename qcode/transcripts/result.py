"""What reading one file gives: a reader's answer, and each file's outcome in an import.

A reader returns a :class:`ReadResult`. An import turns every file it plans into exactly one
:data:`FileOutcome`, which travels unchanged to the summary: :class:`Imported` (the file's
cases and documents, stored as they are), :class:`Skipped` (same content already in the
project), :class:`Changed` (a known path whose content changed) or :class:`Failed` (a
:class:`~qcode.errors.TranscriptParseError` with the file and, where known, the line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from qcode.errors import TranscriptParseError
from qcode.transcripts.model import Case, Document


@dataclass(frozen=True)
class ReadResult:
    """The cases and documents read from one file, plus what the user should know about it."""

    cases: tuple[Case, ...]
    """One entry per case key the documents refer to (the importer merges across files)."""
    documents: tuple[Document, ...]
    warnings: tuple[str, ...] = ()
    """``file:line: message`` lines, e.g. an out-of-order line that was kept and flagged."""


@dataclass(frozen=True, slots=True)
class Imported:
    """A file read and checked, ready to store (and, once stored, counted as imported)."""

    path: str
    sha256: str
    """The content hash of the file's bytes: what makes a re-import skip it."""
    fmt: str
    cases: Sequence[Case]
    documents: Sequence[Document]
    warnings: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """The same content is already in the project (or earlier in this import): a note."""

    path: str
    imported_at: datetime

    @property
    def message(self) -> str:
        return f"{self.path}: already imported on {self.imported_at:%Y-%m-%d %H:%M}"


@dataclass(frozen=True, slots=True)
class Changed:
    """A file imported before from this path, whose content has changed since: not imported
    again, because the codings made on it refer to the old text."""

    path: str
    imported_at: datetime

    @property
    def message(self) -> str:
        return (
            f"{self.path}: changed since it was imported on {self.imported_at:%Y-%m-%d %H:%M}; "
            "not imported again (its codings refer to the old text)"
        )


@dataclass(frozen=True, slots=True)
class Failed:
    """The file could not be read, checked or stored; nothing of it is in the project."""

    error: TranscriptParseError

    @property
    def path(self) -> str:
        return self.error.path

    @property
    def message(self) -> str:
        return str(self.error)


FileOutcome = Imported | Skipped | Changed | Failed
"""What became of one file in an import."""
