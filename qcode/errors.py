"""The qcode error hierarchy.

Every error a user can cause derives from :class:`QcodeError`, so the CLI and the TUI can show
a clear message instead of a traceback. Errors about input files always name the file and,
where there is one, the line.
"""

from __future__ import annotations

from pathlib import Path


class QcodeError(Exception):
    """Root of all errors qcode reports to a user."""

    def __init__(self, message: str, title: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.title = title

    def __str__(self) -> str:
        return self.message


class TranscriptParseError(QcodeError, ValueError):
    """A transcript file could not be read; names the file and (1-based) line."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}", title="Could not read transcript")


class PersonalDataError(TranscriptParseError):
    """A transcript still holds what looks like personal data; import refused.

    ``line`` is the first finding's line; ``findings`` lists every one as ``file:line: ...``.
    """

    def __init__(self, path: str | Path, findings: list[str], line: int | None = None) -> None:
        self.findings = findings
        listing = "\n".join(f"  {f}" for f in findings)
        super().__init__(
            path, line,
            f"possible personal data found, file not imported:\n{listing}\n"
            "Anonymise the file, or pass --allow-personal-data if these are false alarms.",
        )
        self.title = "Personal data found"


class CodebookError(QcodeError, ValueError):
    """A codebook or rules file is invalid; names file, line and field where known."""

    def __init__(
        self, path: str | Path, line: int | None, reason: str, field: str | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        where = f"{self.path}:{line}" if line is not None else self.path
        what = f" (field '{field}')" if field else ""
        super().__init__(f"{where}{what}: {reason}", title="Invalid codebook")


class StorageError(QcodeError):
    """The project store refused an operation or could not be opened."""


class ConflictError(StorageError):
    """Another coder changed the same thing first (e.g. removed a coding being edited)."""


class ExportError(QcodeError):
    """An export or import of an exchange file failed."""


class SuggestionError(QcodeError):
    """Suggestions could not be made (most often: no Dutch spaCy pipeline)."""
